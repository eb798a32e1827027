"""Reading documents.

Documents are read as strict UTF-8 and never normalised, so every offset the
tool reports indexes the text exactly as Python reads the file.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

STDIN = "-"


@dataclass(frozen=True)
class Document:
    """A source text, its id (the file stem, or ``stdin``) and, when known, its date
    (publication date: who held which office) and country (the state it is about:
    what a bare "rebels" means); the actor dictionary uses both."""

    id: str
    text: str
    path: str
    date: datetime.date | None = None
    country: str | None = None    # the state the document is about (bare "rebels")


def decode_document(data: bytes, name: str) -> str:
    """Decode ``data`` as UTF-8, refusing binary, undecodable or empty input."""
    if b"\x00" in data:
        raise InputError(f"{name}: expected a UTF-8 text file, found binary data (NUL byte)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: expected UTF-8 text, found byte 0x{data[exc.start]:02x} "
            f"that is not valid UTF-8 at byte offset {exc.start}"
        ) from None
    if not text.strip():
        raise InputError(f"{name}: expected a document, found an empty file")
    return text


def read_document(path: str | Path, doc_id: str | None = None) -> Document:
    """Read one document; its id is the file stem unless ``doc_id`` is given."""
    path = Path(path)
    data = read_input_bytes(path, "a file")
    return Document(doc_id or path.stem, decode_document(data, str(path)), str(path))


def read_input_bytes(path: str | Path, expected: str) -> bytes:
    """The bytes of an input file, or one :class:`InputError` line naming ``path``
    (missing, a folder where ``expected`` was wanted, unreadable)."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: expected {expected}, found a folder") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files and folders (searched recursively for ``*.txt``) in a stable order.

    ``-`` stands for standard input and is kept as it is.
    """
    out: list[str] = []
    for p in paths:
        if p == STDIN:
            out.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            found = sorted(str(f) for f in path.rglob("*.txt") if f.is_file())
            if not found:
                raise InputError(f"{path}: expected .txt documents in this folder, found none")
            out.extend(found)
        elif path.exists():
            out.append(str(path))
        else:
            raise InputError(f"{path}: no such file or folder")
    return out


def iter_documents(paths: Iterable[str], stdin_id: str = "stdin") -> Iterator[Document]:
    """Yield documents from files, folders and ``-`` (stdin), one at a time."""
    for p in expand_paths(paths):
        if p == STDIN:
            yield Document(stdin_id, decode_document(sys.stdin.buffer.read(), "<stdin>"), p)
        else:
            yield read_document(p)

