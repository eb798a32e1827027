"""Streaming prediction over documents or annotation-format records, in bounded batches.

Plain functions over iterables: a runner (the CLI, a worker process, a
distributed map) hands in documents or records and gets predicted records
back, in input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

from ..actors.tagging import segment_records
from ..io.documents import Document
from ..ml.model import StanceModel
from ..schema import PredictionRecord

#: Sentences predicted together: large enough to amortise scikit-learn's
#: per-call overhead, small enough to keep memory flat.
BATCH = 2048

T = TypeVar("T")


def batched(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def predict_documents(model: StanceModel, documents: Iterable[Document], min_prob: float = 0.0,
                      explain: bool = False, batch: int = BATCH
                      ) -> Iterator[list[PredictionRecord]]:
    """Predicted records, one list per document, in input order.

    Documents are read lazily and their sentences predicted in batches of
    about ``batch`` sentences across documents, then handed back per document.
    """
    pending: list[list[Any]] = []
    size = 0

    def flush() -> Iterator[list[PredictionRecord]]:
        flat = [rec for records in pending for rec in records]
        predicted = iter(model.predict_records(flat, min_prob=min_prob, explain=explain))
        for records in pending:
            yield [next(predicted) for _ in records]
        pending.clear()

    for _, records in segment_records(documents, model.actors):
        pending.append(records)
        size += len(records)
        if size >= batch:
            yield from flush()
            size = 0
    if pending:
        yield from flush()


def predict_annotation_records(model: StanceModel, records: Iterable[Mapping[str, Any]],
                               min_prob: float = 0.0, explain: bool = False,
                               batch: int = BATCH) -> Iterator[list[PredictionRecord]]:
    """Predictions for labelled records, in batches: the actors judged are each
    record's ``stances`` keys (spans from its ``mentions`` when given), so the
    gold actors are scored even where the dictionary would not find them."""
    for chunk in batched(records, batch):
        yield model.predict_records(chunk, actors_from="stances", min_prob=min_prob,
                                    explain=explain)
