"""The corpus manifest: one row per document with its date and context.

``corpus/manifest.csv`` (columns ``doc,date,conflict,region,outlet_style,
country``) lists every document of the project's data.  Training,
evaluation and validation read it so that actors are resolved on the
document's date (who held which office) and for its country (what a bare
"rebels" means), and cross-validation can group documents by conflict or
region.  A record's own ``date`` or ``country`` field wins over the manifest.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .._resources import project_path
from ..errors import InputError
from .documents import Document

COLUMNS = ("doc", "date", "conflict", "region", "outlet_style", "country")
DEFAULT_MANIFEST = Path("corpus") / "manifest.csv"


@dataclass(frozen=True)
class ManifestRow:
    """What the manifest says of one document."""

    doc: str
    date: datetime.date | None
    conflict: str
    region: str
    outlet_style: str
    country: str | None


def read_manifest(path: str | Path) -> dict[str, ManifestRow]:
    """Rows by document id; a malformed row is an error naming ``FILE:LINE``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such manifest file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(f"{path}: cannot read manifest: {reason}") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("doc", "date") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}:1: expected a CSV header with columns "
                         f"{', '.join(COLUMNS)}, found {', '.join(reader.fieldnames or [])!r}")
    rows: dict[str, ManifestRow] = {}
    for n, raw in enumerate(reader, 2):
        doc = (raw.get("doc") or "").strip()
        if not doc:
            raise InputError(f"{path}:{n}: expected a document id in column 'doc', found nothing")
        if doc in rows:
            raise InputError(f"{path}:{n}: document {doc!r} is listed twice")
        value = (raw.get("date") or "").strip()
        try:
            day = datetime.date.fromisoformat(value) if value else None
        except ValueError:
            raise InputError(f"{path}:{n}: expected a date YYYY-MM-DD in column 'date', "
                             f"found {value!r}") from None
        rows[doc] = ManifestRow(doc, day, (raw.get("conflict") or "").strip(),
                                (raw.get("region") or "").strip(),
                                (raw.get("outlet_style") or "").strip(),
                                (raw.get("country") or "").strip() or None)
    return rows


def default_manifest() -> dict[str, ManifestRow]:
    """The project's ``corpus/manifest.csv`` (in the working directory, else in the
    source checkout) when it exists, else no rows."""
    path = project_path(DEFAULT_MANIFEST)
    return read_manifest(path) if path.is_file() else {}


def attach_context(record: MutableMapping[str, Any],
                   manifest: Mapping[str, ManifestRow]) -> None:
    """Give ``record`` the ``date`` and ``country`` of its document, unless it has them."""
    row = manifest.get(str(record.get("doc", "")))
    if row is None:
        return
    if row.date is not None:
        record.setdefault("date", row.date.isoformat())
    if row.country is not None:
        record.setdefault("country", row.country)



def with_context(documents: Iterable[Document], date: datetime.date | None = None,
                 country: str | None = None,
                 manifest: Mapping[str, ManifestRow] | None = None) -> Iterator[Document]:
    """The documents with their date and country: the given ones, else the
    manifest's row for the document, else as they are (the dateline and the
    most-named state decide later)."""
    for doc in documents:
        row = manifest.get(doc.id) if manifest else None
        yield replace(doc, date=date or doc.date or (row.date if row else None),
                      country=country or doc.country or (row.country if row else None))
