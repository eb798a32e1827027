"""Reading `stance predict` output, annotation records and a dates table.

Records are streamed line by line: nothing here holds more than one record.
Every expected failure is an :class:`InputError` naming the file and line,
what was expected and what was found.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import math
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ._compat import LABELS, InputError, UsageError, read_input_bytes

#: The holder of a stance whose holder is not known (not a claim, or a claim without source).
UNKNOWN = "?"
#: The period of a document without a date.
UNDATED = "undated"
PERIODS = ("month", "quarter", "year")
STDIN = "-"

EXPECTED = "expected stance predict output or annotation records (JSON objects with " \
           "'doc', 'text' and 'stances')"


@dataclass(frozen=True)
class Stance:
    """One (sentence, target) pair of a record, ready to count."""

    holder: str
    target: str
    label: str
    #: Probability per label, in LABELS order (one-hot for annotation records).
    probs: tuple[float, float, float, float]


def parse_date(value: object, where: str) -> _dt.date:
    """An ISO ``YYYY-MM-DD`` date; anything else is an error naming ``where``."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(f"{where}: expected a date YYYY-MM-DD, found {value!r}")


def period_of(date: _dt.date | None, by: str) -> str:
    """The period label of ``date``: ``2014-06``, ``2014-Q2`` or ``2014``; ``undated`` for None."""
    if date is None:
        return UNDATED
    if by == "month":
        return f"{date.year:04d}-{date.month:02d}"
    if by == "quarter":
        return f"{date.year:04d}-Q{(date.month - 1) // 3 + 1}"
    if by == "year":
        return f"{date.year:04d}"
    raise UsageError(f"--by: expected one of {', '.join(PERIODS)}, found {by!r}")


def period_key(period: str) -> tuple[int, str]:
    """Sort key: dated periods in time order, ``undated`` last (and ``all`` after it)."""
    return ({UNDATED: 1, "all": 2}.get(period, 0), period)


def load_dates(path: str | Path) -> dict[str, _dt.date]:
    """Document dates from a CSV with at least the columns ``doc`` and ``date``.

    Other columns are ignored, so a corpus manifest works as it is.  An empty
    date leaves the document undated.  A document listed twice with two
    different dates is an error.
    """
    name = str(path)
    data = read_input_bytes(path, "a CSV file of dates")
    dates: dict[str, _dt.date] = {}
    try:
        with io.StringIO(data.decode("utf-8-sig"), newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            if "doc" not in columns or "date" not in columns:
                found = ", ".join(repr(c) for c in columns) or "no header"
                raise InputError(f"{name}:1: expected a CSV with columns 'doc' and 'date', "
                                 f"found {found}")
            reader.fieldnames = columns
            for row in reader:
                doc = (row.get("doc") or "").strip()
                value = (row.get("date") or "").strip()
                where = f"{name}:{reader.line_num}"
                if not doc:
                    raise InputError(f"{where}: expected a document id in column 'doc', found "
                                     "an empty cell")
                if not value:
                    continue
                date = parse_date(value, f"{where}: doc {doc}")
                if dates.get(doc, date) != date:
                    raise InputError(f"{where}: expected one date per document, found "
                                     f"{dates[doc].isoformat()} and {value} for doc {doc}")
                dates[doc] = date
    except UnicodeDecodeError:
        raise InputError(f"{name}: expected UTF-8 text, found bytes that are not UTF-8") from None
    except csv.Error as exc:
        raise InputError(f"{name}: expected CSV, found {exc}") from None
    return dates


def _lines(path: str) -> Iterator[tuple[int, str]]:
    if path == STDIN:
        yield from enumerate(sys.stdin, start=1)
        return
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: expected a .jsonl file of predictions, found a folder")
    try:
        handle = open(p, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    with handle:
        try:
            yield from enumerate(handle, start=1)
        except UnicodeDecodeError:
            raise InputError(f"{path}: expected UTF-8 JSON Lines, found bytes that are not "
                             "UTF-8") from None


def _describe(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def read_records(paths: Iterable[str]) -> Iterator[tuple[str, dict]]:
    """``(where, record)`` for every record of the files, streamed; ``-`` is stdin.

    ``where`` is ``FILE:LINE``.  A line that is not a JSON object with
    ``doc``, ``text`` and ``stances`` is an error naming the file and line.
    """
    for path in paths:
        name = "<stdin>" if path == STDIN else str(path)
        for lineno, line in _lines(str(path)):
            if not line.strip():
                continue
            where = f"{name}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: {EXPECTED}, found text that is not JSON "
                                 f"({exc.msg})") from None
            if not isinstance(record, dict):
                raise InputError(f"{where}: {EXPECTED}, found {_describe(record)}")
            missing = [k for k in ("doc", "text", "stances") if k not in record]
            if missing:
                raise InputError(f"{where}: {EXPECTED}, found an object without "
                                 f"{', '.join(repr(k) for k in missing)}")
            yield where, record


def _probs(record: dict, target: str, label: str, where: str) -> tuple[float, ...]:
    table = record.get("probabilities")
    if table is None:
        return tuple(1.0 if lab == label else 0.0 for lab in LABELS)
    row = table.get(target) if isinstance(table, dict) else table
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected 'probabilities' to hold an object of label "
                         f"probabilities for {target}, found {_describe(row)}")
    out = []
    for lab in LABELS:
        p = row.get(lab, 0.0)
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0 \
                or math.isnan(p):
            raise InputError(f"{where}: expected a probability between 0 and 1 for {target} "
                             f"{lab}, found {p!r}")
        out.append(float(p))
    return tuple(out)


def record_stances(record: dict, where: str) -> tuple[list[Stance], int]:
    """The countable stances of one record, and how many were toward the holder itself.

    The holder is the record's ``source`` when it is a claim with a source,
    else ``?``.  A stance toward the holder itself is not counted (the
    scheme's rule 2: the source is ``none`` toward itself).
    """
    doc, text, stances = record["doc"], record["text"], record["stances"]
    if not isinstance(doc, str) or not doc:
        raise InputError(f"{where}: expected 'doc' to be a document id string, found "
                         f"{_describe(doc)}")
    if not isinstance(text, str):
        raise InputError(f"{where}: expected 'text' to be a string, found {_describe(text)}")
    if not isinstance(stances, dict):
        raise InputError(f"{where}: expected 'stances' to be an object of actor IDs and "
                         f"labels, found {_describe(stances)}")
    source = record.get("source")
    if source is not None and not isinstance(source, str):
        raise InputError(f"{where}: expected 'source' to be an actor ID or null, found "
                         f"{_describe(source)}")
    holder = source if source and record.get("claim", True) is not False else UNKNOWN
    out, self_skipped = [], 0
    for target, label in stances.items():
        if label not in LABELS:
            raise InputError(f"{where}: expected a stance label ({', '.join(LABELS)}) for "
                             f"{target}, found {label!r}")
        if target == holder:
            self_skipped += 1
            continue
        p = _probs(record, target, label, where)
        out.append(Stance(holder, target, label, (p[0], p[1], p[2], p[3])))
    return out, self_skipped
