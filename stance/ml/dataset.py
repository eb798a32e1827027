"""Annotation records flattened into model inputs, and the cross-validation policy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sklearn.model_selection import BaseCrossValidator

from ..actors import ActorDictionary, default_actors
from ..schema import Pair, resolve_spans
from .grouping import grouped_splitter


@dataclass
class Dataset:
    """Annotation records flattened for the three models."""

    pairs: list[Pair] = field(default_factory=list)        # per (sentence, actor)
    labels: list[str] = field(default_factory=list)
    pair_groups: list[str] = field(default_factory=list)   # document of each pair
    sentences: list[Pair] = field(default_factory=list)    # per sentence, target None
    claims: list[int] = field(default_factory=list)
    sentence_groups: list[str] = field(default_factory=list)
    sources: list[str | None] = field(default_factory=list)
    candidates: list[list[str]] = field(default_factory=list)  # actors judged per sentence


def build_dataset(records: Sequence[Mapping[str, Any]],
                  actors: ActorDictionary | None = None) -> Dataset:
    """Flatten records; mention spans are resolved once here (the record's own,
    else the dictionary's) so that no grid-search fit searches for actors again."""
    actors = actors or default_actors()
    ds = Dataset()
    for rec in records:
        spans = resolve_spans(rec, actors)
        for actor, label in rec["stances"].items():
            ds.pairs.append(Pair(rec["text"], actor, spans))
            ds.labels.append(label)
            ds.pair_groups.append(rec["doc"])
        ds.sentences.append(Pair(rec["text"], None, spans))
        ds.claims.append(int(bool(rec["claim"])))
        ds.sentence_groups.append(rec["doc"])
        ds.sources.append(rec["source"] if rec["claim"] else None)
        ds.candidates.append(list(rec["stances"]))
    return ds


def grouped_cv(groups: Sequence[str]) -> BaseCrossValidator:
    """Leave-one-document-out for up to 10 documents, else 5 grouped folds."""
    return grouped_splitter(groups, None, "documents")
