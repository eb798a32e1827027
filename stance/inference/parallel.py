"""Prediction in worker processes: ``stance predict --jobs N``.

The input is cut into chunks (documents up to about :data:`CHUNK_BYTES` of
text, or :data:`~stance.inference.predict.BATCH` annotation records); each
chunk is predicted and formatted by a worker process that loaded the model
once, when it started; the chunks' text comes back and is written in input
order.  At most ``2 x jobs`` chunks are in flight, so memory stays bounded
whatever the input size.  The output is byte-identical to ``--jobs 1``:
every record is predicted independently of its batch, and both paths format
with :func:`format_records`.

Workers are forked from the parent (on Linux; spawned elsewhere), ignore
SIGINT (the parent decides), are terminated when the parent stops early (an
error, Ctrl-C or SIGTERM), and exit if the parent dies.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import multiprocessing
import os
import signal
import sys
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .._termination import handle_termination
from ..errors import StanceError
from ..io.documents import Document, read_document
from ..ml.model import StanceModel
from ..schema import PredictionRecord
from .predict import BATCH, predict_annotation_records, predict_documents

#: Documents are sent to a worker in chunks of about this much text.
CHUNK_BYTES = 256 * 1024
#: ... and at most this many documents per chunk.
CHUNK_DOCS = 256


# -- formatting, shared by every runner ----------------------------------------

def format_records(records: Sequence[PredictionRecord], fmt: str, explain: bool = False) -> str:
    """One batch of predicted records as ``stance predict`` writes it (no CSV header)."""
    if fmt == "jsonl":
        return "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)
    if fmt == "csv":
        from ..render import CSV_FIELDS, pair_rows

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore")
        for rec in records:
            writer.writerows(pair_rows(rec))
        return buffer.getvalue()
    from ..render import render_table

    return render_table(records, explain)


def csv_header() -> str:
    from ..render import CSV_FIELDS

    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=CSV_FIELDS).writeheader()
    return buffer.getvalue()


# -- what a worker does ----------------------------------------------------------

_MODEL: StanceModel | None = None
_INIT_ERROR: BaseException | None = None


def load_checked(model_path: str, sha256: str) -> StanceModel:
    """Load the model (checked against its card) and make sure it is the file the
    parent checked: same sha256."""
    from ..ml.persistence import ModelError, load_model

    model = load_model(model_path)
    found = str(model.card.get("model_sha256"))
    if found != sha256:
        raise ModelError(f"{model_path}: the model changed while predicting (sha256 "
                         f"{found[:12]}... instead of {sha256[:12]}...); run again")
    return model


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM to this worker when its parent dies (no orphans
    even if the parent is killed with SIGKILL)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _init_worker(model_path: str, sha256: str) -> None:
    global _MODEL, _INIT_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    # The parent has warned about a scikit-learn version mismatch once already.
    warnings.filterwarnings("ignore", message=".* was trained with scikit-learn")
    try:
        _MODEL = load_checked(model_path, sha256)
    except BaseException as exc:  # reported by the first task, in the parent
        _INIT_ERROR = exc


def predict_chunk(model: StanceModel, kind: str, items: Sequence[Any], fmt: str,
                  min_prob: float, explain: bool) -> str:
    """Predict and format one chunk: documents (paths or :class:`Document`) or records."""
    out: list[str] = []
    if kind == "documents":
        documents = (d if isinstance(d, Document) else read_document(d) for d in items)
        batches = predict_documents(model, documents, min_prob, explain)
    else:
        batches = predict_annotation_records(model, items, min_prob, explain)
    for records in batches:
        out.append(format_records(records, fmt, explain))
    return "".join(out)


def _task(kind: str, items: Sequence[Any], fmt: str, min_prob: float, explain: bool) -> str:
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    assert _MODEL is not None
    return predict_chunk(_MODEL, kind, items, fmt, min_prob, explain)


# -- chunks ------------------------------------------------------------------------

def document_chunks(items: Iterable[str | Document]) -> Iterator[list[str | Document]]:
    """Paths (or documents) in chunks of about :data:`CHUNK_BYTES` of text."""
    chunk: list[str | Document] = []
    size = 0
    for item in items:
        chunk.append(item)
        if isinstance(item, Document):
            size += len(item.text)
        else:
            with contextlib.suppress(OSError):  # a missing file: the worker says so
                size += os.path.getsize(item)
        if size >= CHUNK_BYTES or len(chunk) >= CHUNK_DOCS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def record_chunks(records: Iterable[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    chunk: list[Mapping[str, Any]] = []
    for rec in records:
        chunk.append(rec)
        if len(chunk) >= BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- the pool ----------------------------------------------------------------------

@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM (delivered right after) while the pool may start a worker:
    interrupted half-way, the worker would not yet be listed, and would outlive us."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _context() -> Any:
    """Workers are forked from this process on Linux: they start at once (the imports
    are done), and, being our children, die with us (``PR_SET_PDEATHSIG``) even if
    we are killed outright.  The model is not loaded here before forking."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # pragma: no cover


def _terminate(executor: ProcessPoolExecutor) -> None:
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.terminate()
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.join(timeout=5)


def run_parallel(chunks: Iterable[tuple[str, Sequence[Any]]], jobs: int, model_path: str,
                 sha256: str, fmt: str, min_prob: float, explain: bool,
                 progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """Formatted output of each chunk, in input order, predicted by ``jobs`` workers."""
    window = 2 * jobs
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                                   initializer=_init_worker, initargs=(model_path, sha256))
    pending: deque[tuple[Future[str], int]] = deque()
    source = iter(chunks)
    finished = False
    try:
        with handle_termination():
            def submit() -> bool:
                nxt = next(source, None)
                if nxt is None:
                    return False
                kind, items = nxt
                with _signals_held():  # a worker being started is always known to _terminate
                    future = executor.submit(_task, kind, items, fmt, min_prob, explain)
                pending.append((future, len(items)))
                return True

            while len(pending) < window and submit():
                pass
            while pending:
                future, size = pending.popleft()
                try:
                    text = future.result()
                except BrokenProcessPool:
                    raise StanceError("a worker process died (out of memory or killed?); "
                                      "no output was written") from None
                submit()
                if progress is not None:
                    progress(size)
                yield text
        finished = True
    finally:
        if finished:
            executor.shutdown(wait=True)
        else:
            _terminate(executor)
