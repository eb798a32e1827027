"""The durable store behind ``stance annotate``: an append-only journal plus the output file.

Design (documented in the README, "stance annotate"):

* Every decision (label a sentence, clear it, skip it) is first appended to
  the **journal** ``OUT.journal`` as one JSON line, then flushed and
  ``fsync``-ed.  The journal is the source of truth.
* Then the **output** ``OUT`` is rewritten from memory: a temporary file in
  the same folder, ``fsync``, rename over ``OUT``, ``fsync`` of the folder.
  So ``OUT`` always holds exactly one record per decided sentence, in
  document order, and is valid for ``stance validate`` at every moment.
* Killed at any moment, at most the line being written is torn: on the next
  start a journal that does not end in a newline is truncated after its last
  complete line, the journal is replayed (the last decision per sentence
  wins), and ``OUT`` is rewritten.  A decision that had not reached the disk
  is lost; one that was acknowledged to the browser never is.
* Each decision carries a client key (a UUID per decision): a repeated key (a
  double click, a network retry, even after a restart) is answered with the
  first result and not applied twice.  Each sentence has a revision number;
  a decision made on an older revision (a second tab) is refused with a
  conflict, never merged.
* One process at a time: the journal is locked (``flock``) while a store is open.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from ._engine import StanceError, atomic_write

ACTIONS = ("label", "clear", "skip")


class StoreError(StanceError):
    """The output or its journal cannot be used."""


class Conflict(StanceError):
    """A decision made on an outdated view of a sentence."""


def _lock_exclusive(fh: BinaryIO) -> bool:
    """Lock ``fh`` for this process (``flock``); False when another process holds it.

    POSIX only: elsewhere a second process is not detected.
    """
    if sys.platform == "win32":  # pragma: no cover
        return True
    import fcntl
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def journal_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".journal")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_journal(path: Path, repair: bool = True) -> tuple[list[dict], int]:
    """Entries of a journal and the number of torn bytes dropped from its end.

    With ``repair`` a torn last line (no newline: the process died while
    writing it) is truncated away.  A complete line that is not a journal
    entry is an error naming it.
    """
    if not path.exists():
        return [], 0
    data = path.read_bytes()
    cut = data.rfind(b"\n") + 1
    torn = len(data) - cut
    if torn and repair:
        with open(path, "r+b") as fh:
            fh.truncate(cut)
            fh.flush()
            os.fsync(fh.fileno())
    entries = []
    for lineno, raw in enumerate(data[:cut].split(b"\n")[:-1], start=1):
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise StoreError(f"{path}:{lineno}: not a journal entry (not JSON); the journal "
                             "was edited or damaged: move it away to start from the output "
                             "file") from None
        if not isinstance(entry, dict) or entry.get("action") not in ACTIONS \
                or not isinstance(entry.get("id"), str):
            raise StoreError(f"{path}:{lineno}: not a journal entry (expected an object with "
                             "'action' and 'id')")
        entries.append(entry)
    return entries, torn


class Store:
    """Decisions for a fixed list of sentences (``order``: ids in output order).

    ``existing`` reads records of an output file that has no journal (a file
    made earlier or by hand): they count as decided.  Thread-safe.
    """

    def __init__(self, out: str | Path, order: Iterable[str],
                 existing: dict[str, dict] | None = None) -> None:
        self.out = Path(out)
        if not self.out.parent.is_dir():
            raise StoreError(f"{self.out}: cannot write: folder {self.out.parent} does not exist")
        self.journal = journal_path(self.out)
        self.order = list(order)
        self._index = {sid: i for i, sid in enumerate(self.order)}
        self._lock = threading.RLock()
        self.records: dict[str, dict] = {}
        self.skipped: set[str] = set()
        self.revs: dict[str, int] = {}
        self.results: dict[str, dict] = {}   # client key -> first result
        self.torn_bytes = 0
        self.replayed = 0
        self._fh = open(self.journal, "ab")
        if not _lock_exclusive(self._fh):
            self._fh.close()
            raise StoreError(f"{self.out}: in use by another `stance annotate` "
                             f"(its journal {self.journal} is locked)")
        try:
            entries, self.torn_bytes = read_journal(self.journal)
            if not entries and existing:
                # records of other documents are kept as they are, after these
                self.records.update(existing)
            for entry in entries:
                self._apply(entry)
            self.replayed = len(entries)
            self._seq = max((e.get("seq", 0) for e in entries), default=0)
            self._write_out()
        except BaseException:
            self.close()
            raise

    # --- state ---------------------------------------------------------------

    def _apply(self, entry: dict) -> dict:
        sid, action = entry["id"], entry["action"]
        if action == "label":
            self.records[sid] = entry["record"]
            self.skipped.discard(sid)
        elif action == "clear":
            self.records.pop(sid, None)
            self.skipped.discard(sid)
        else:
            self.skipped.add(sid)
        self.revs[sid] = self.revs.get(sid, 0) + 1
        result = {"id": sid, "action": action, "rev": self.revs[sid], "seq": entry.get("seq")}
        if entry.get("key"):
            self.results[entry["key"]] = result
        return result

    def rev(self, sid: str) -> int:
        with self._lock:
            return self.revs.get(sid, 0)

    def decided(self, sid: str) -> bool:
        return sid in self.records

    def snapshot(self) -> tuple[dict[str, dict], set[str]]:
        with self._lock:
            return dict(self.records), set(self.skipped)

    # --- writing --------------------------------------------------------------

    def decide(self, key: str, sid: str, action: str, record: dict | None = None,
               rev: int | None = None, annotator: str | None = None) -> dict:
        """Apply one decision durably; return ``{id, action, rev, seq, duplicate}``.

        A key seen before returns the first result with ``duplicate: true``;
        ``rev`` other than the sentence's current revision raises :class:`Conflict`.
        """
        if action not in ACTIONS:
            raise StoreError(f"unknown action {action!r}")
        if sid not in self._index:
            raise StoreError(f"unknown sentence id {sid!r}")
        with self._lock:
            if key in self.results:
                return {**self.results[key], "duplicate": True}
            current = self.revs.get(sid, 0)
            if rev is not None and rev != current:
                raise Conflict(f"sentence {sid} was changed elsewhere (another tab or window) "
                               f"since it was shown (revision {rev}, now {current}); reload it")
            self._seq += 1
            entry = {"seq": self._seq, "key": key, "time": round(time.time(), 3),
                     "action": action, "id": sid}
            if annotator:
                entry["annotator"] = annotator
            if action == "label":
                entry["record"] = record
            line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
            self._fh.write(line)
            self._fh.flush()
            os.fsync(self._fh.fileno())
            result = self._apply(entry)
            if action != "skip":
                self._write_out()
            return {**result, "duplicate": False}

    def _write_out(self) -> None:
        """Rewrite OUT from memory, atomically (fsync'ed), then fsync the folder."""
        with atomic_write(self.out) as fh:
            n = len(self._index)
            ranks = {sid: self._index.get(sid, n + i) for i, sid in enumerate(self.records)}
            for sid in sorted(self.records, key=ranks.__getitem__):
                fh.write(json.dumps(self.records[sid], ensure_ascii=False) + "\n")
        _fsync_dir(self.out.parent)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._fh.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
