"""Streaming prediction over documents or annotation-format records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from .annotations import AnnotationError, Problem
from .io import Document
from .model import StanceModel, record_spans
from .pipeline import segment_records

#: Sentences predicted together: large enough to amortise scikit-learn's
#: per-call overhead, small enough to keep memory flat.
BATCH = 2048


def _finish(model: StanceModel, records: list[dict], min_prob: float, explain: bool) -> list[dict]:
    """Apply ``min_prob`` and add explanations to predicted records."""
    for rec in records:
        if min_prob > 0:
            low = [a for a, p in rec["probabilities"].items() if max(p.values()) < min_prob]
            rec["stances"] = {a: lab for a, lab in rec["stances"].items() if a not in low}
            if low:
                rec["low_confidence"] = low
        if explain:
            spans = record_spans(rec) or ()
            rec["explanations"] = {a: model.explain(rec["text"], a, spans)
                                   for a in rec["probabilities"]}
    return records


def predict_documents(model: StanceModel, documents: Iterable[Document], min_prob: float = 0.0,
                      explain: bool = False) -> Iterator[list[dict]]:
    """Predicted records, one list per document, in input order.

    Documents are read lazily and their sentences predicted in batches of
    about ``BATCH`` sentences across documents, then handed back per document.
    """
    pending: list[list[dict]] = []

    def flush() -> Iterator[list[dict]]:
        flat = [rec for records in pending for rec in records]
        predicted = iter(_finish(model, model.predict_records(flat), min_prob, explain))
        for records in pending:
            yield [next(predicted) for _ in records]
        pending.clear()

    size = 0
    for _, records in segment_records(documents, model.actors):
        pending.append(records)
        size += len(records)
        if size >= BATCH:
            yield from flush()
            size = 0
    if pending:
        yield from flush()


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


def iter_input_records(path: str | Path, lines: Iterable[str] | None = None) -> Iterator[dict]:
    """Annotation-format records, streamed line by line (``-`` reads ``lines``)."""
    name = str(path)
    if lines is None:
        try:
            handle = open(path, encoding="utf-8")
        except OSError as exc:
            raise AnnotationError(f"{name}: cannot read: {exc.strerror}") from None
    else:
        handle = lines
    try:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AnnotationError(str(Problem(name, lineno, "error",
                                                  f"not valid JSON: {exc.msg}"))) from None
            yield _check_input_record(record, name, lineno)
    except UnicodeDecodeError:
        raise AnnotationError(f"{name}: expected UTF-8 text") from None
    finally:
        if lines is None:
            handle.close()


def predict_annotation_records(model: StanceModel, records: Iterable[dict], min_prob: float = 0.0,
                               explain: bool = False) -> Iterator[list[dict]]:
    """Predictions for labelled records, in batches: the actors judged are each
    record's ``stances`` keys (spans from its ``mentions`` when given), so the
    gold actors are scored even where the dictionary would not find them."""
    batch: list[dict] = []
    for record in records:
        batch.append(record)
        if len(batch) == BATCH:
            yield _finish(model, model.predict_records(batch, actors_from="stances"),
                          min_prob, explain)
            batch = []
    if batch:
        yield _finish(model, model.predict_records(batch, actors_from="stances"),
                      min_prob, explain)
