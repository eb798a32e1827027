"""Reading and writing annotation files.

An annotation file is JSON Lines, one record per sentence, in the format of
the annotation scheme (``id, doc, start, end, text, claim, source, stances``
and an optional ``note``).  Any other field (an annotator's ``evidence``, the
segmenter's ``mentions``, tool metadata) is kept as it is and never an error.
Problems are :class:`Problem` values (``FILE:LINE: error: message``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from io import TextIOBase
from pathlib import Path
from typing import Any

from ..errors import StanceError
from ..io.atomic import atomic_write

_BOM = b"\xef\xbb\xbf"


class AnnotationError(StanceError):
    """An annotation file that cannot be read, or that breaks the scheme.

    ``problems`` holds the :class:`Problem` values behind the message.
    """

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class Problem:
    """One finding of the validator; ``line`` is 1-based, None for the whole file."""

    file: str
    line: int | None
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"



def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AnnotationError(f"{path}: no such file",
                              [Problem(str(path), None, "error", "no such file")]) from None
    except IsADirectoryError:
        msg = "expected an annotation file, found a folder"
        raise AnnotationError(f"{path}: {msg}", [Problem(str(path), None, "error", msg)]) from None
    except OSError as exc:
        msg = f"cannot read: {exc.strerror}"
        raise AnnotationError(f"{path}: {msg}", [Problem(str(path), None, "error", msg)]) from None
    if b"\x00" in data:
        msg = "expected a UTF-8 JSON Lines file, found binary data (NUL byte)"
        raise AnnotationError(f"{path}: {msg}", [Problem(str(path), None, "error", msg)])
    return data


def iter_annotations(path: str | Path) -> Iterator[tuple[int, dict | Problem]]:
    """Yield ``(line_number, record)`` or ``(line_number, problem)`` for each line.

    A line that is not UTF-8 or not a JSON object is a :class:`Problem`, so a
    caller can report every bad line; blank lines are skipped and a leading
    byte-order mark is ignored.  A file that cannot be read at all raises
    :class:`AnnotationError` naming it.
    """
    path = Path(path)
    data = _read_bytes(path)
    yield from iter_annotation_lines(str(path), data.split(b"\n"))


def iter_annotation_lines(name: str, lines: Iterable[bytes]
                          ) -> Iterator[tuple[int, dict | Problem]]:
    """:func:`iter_annotations` over lines already read (bytes, line breaks optional)."""
    for lineno, raw in enumerate(lines, start=1):
        if lineno == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM):]
        if b"\x00" in raw:
            yield lineno, Problem(name, lineno, "error",
                                  "expected a UTF-8 JSON Lines file, found binary data (NUL byte)")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield lineno, Problem(name, lineno, "error",
                                  f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x} that "
                                  f"is not valid UTF-8 at byte {exc.start} of the line")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield lineno, Problem(name, lineno, "error",
                                  f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield lineno, Problem(name, lineno, "error", "not valid JSON: nested too deeply")
            continue
        if not isinstance(record, dict):
            yield lineno, Problem(name, lineno, "error",
                                  f"expected a JSON object, found {json_type(record)}")
            continue
        yield lineno, record


def refuse(path: str | Path, problems: list[Problem]) -> AnnotationError:
    n = len(problems)
    listing = "\n".join(str(p) for p in problems)
    return AnnotationError(f"{path}: not a valid annotation file "
                           f"({n} error{'s' if n != 1 else ''}):\n{listing}", problems)


def read_annotations(path: str | Path) -> list[dict]:
    """The records of an annotation file, in file order.

    Raises :class:`AnnotationError` listing every line that is not a JSON
    object.  Fields are not checked: see :func:`load_annotations`.
    """
    records: list[dict] = []
    problems: list[Problem] = []
    for _, item in iter_annotations(path):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            records.append(item)
    if problems:
        raise refuse(path, problems)
    return records


def write_annotations(path: str | Path, records: Iterable[dict]) -> None:
    """Write ``records`` as JSON Lines (UTF-8, not ASCII-escaped), atomically."""
    with atomic_write(path) as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")



def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _check_input_record(record: object, name: str, lineno: int) -> dict:
    if not isinstance(record, dict):
        raise AnnotationError(f"{name}:{lineno}: expected a JSON object, found "
                              f"{type(record).__name__}")
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        raise AnnotationError(f"{name}:{lineno}: expected a non-empty 'text' string")
    stances = record.get("stances")
    if stances is not None and not isinstance(stances, dict):
        raise AnnotationError(f"{name}:{lineno}: 'stances' must be an object of actor IDs")
    return record


def iter_input_records(path: str | Path, lines: Iterable[str] | None = None,
                       skip: int = 0) -> Iterator[dict]:
    """Annotation-format records, streamed line by line (``-`` reads ``lines``); the
    first ``skip`` records are passed over unparsed (a part of a file read by offset)."""
    name = str(path)
    handle: Iterable[str]
    if lines is None:
        try:
            handle = open(path, encoding="utf-8")  # closed in the finally below
        except OSError as exc:
            raise AnnotationError(f"{name}: cannot read: {exc.strerror}") from None
    else:
        handle = lines
    try:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            if skip:
                skip -= 1
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AnnotationError(f"{name}:{lineno}: not valid JSON: {exc.msg} at column "
                                      f"{exc.colno}") from None
            yield _check_input_record(record, name, lineno)
    except UnicodeDecodeError:
        raise AnnotationError(f"{name}: expected UTF-8 text") from None
    finally:
        if isinstance(handle, TextIOBase):
            handle.close()


def annotation_template(record: Mapping[str, Any]) -> dict[str, Any]:
    """A sentence record ready for hand annotation: every label left null to be decided.

    Only ids, offsets and detected actors are filled in; no label is guessed.
    """
    actors = dict.fromkeys(m["actor"] for m in record["mentions"])
    return {**record, "claim": None, "source": None, "stances": actors}
