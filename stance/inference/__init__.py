"""Inference: predicting documents and records as streams, batch by batch.

* :mod:`.predict`: :func:`predict_documents` (raw text) and
  :func:`predict_annotation_records` (annotation-format input), plain
  functions any runner can call.
"""

from .predict import BATCH, batched, predict_annotation_records, predict_documents

__all__ = ["BATCH", "batched", "predict_annotation_records", "predict_documents"]
