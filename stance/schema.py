"""The data model every part of the package shares.

* :data:`LABELS`: the scheme's four stance labels (:data:`STANCE_LABELS`: the
  three that are not ``none``).
* :class:`Mention`: an actor named in a text, with the surface form, as the
  actor dictionary finds it and as records carry it (``mentions``).
* :class:`Span`: ``(start, end, actor)`` of a mention in *sentence* offsets,
  the form the models read.  :func:`spans_from_mentions` is the one
  conversion from mentions to spans, :func:`mentions_from_spans` the way
  back; :func:`resolve_spans` gives a record's spans (its own mentions, else
  the dictionary's), once per record, and they are passed on unchanged.
* :class:`Pair`: one model input, ``(text, target, spans)``; ``target`` is
  None for sentence-level inputs (the claim model).
* Record types (``TypedDict``): :class:`SentenceRecord` (what ``stance
  segment`` writes), :class:`AnnotationRecord` (the annotation scheme) and
  :class:`PredictionRecord` (what ``stance predict`` writes).  Records stay
  plain dicts at run time, so they read from and write to JSON unchanged.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, TypedDict

LABELS: tuple[str, ...] = ("cooperation", "hostility", "accusation", "none")
STANCE_LABELS: tuple[str, ...] = LABELS[:3]


@dataclass(frozen=True)
class Mention:
    """An actor named in a text: ``text == doc_text[start:end]``."""

    actor: str
    text: str
    start: int
    end: int

    def to_record(self) -> MentionRecord:
        return {"actor": self.actor, "text": self.text, "start": self.start, "end": self.end}


class Span(NamedTuple):
    """A mention in the offsets of its sentence, as the models read it."""

    start: int
    end: int
    actor: str


Spans = tuple[Span, ...]


class Pair(NamedTuple):
    """One model input: a sentence, the actor judged (None: the sentence as a
    whole) and the sentence's mention spans."""

    text: str
    target: str | None
    spans: Spans


class MentionRecord(TypedDict):
    actor: str
    text: str
    start: int
    end: int


class SentenceRecord(TypedDict):
    """One sentence as ``stance segment`` writes it (document offsets)."""

    id: str
    doc: str
    start: int
    end: int
    text: str
    mentions: list[MentionRecord]


class AnnotationRecord(TypedDict, total=False):
    """One sentence of an annotation file (the scheme's fields)."""

    id: str
    doc: str
    start: int
    end: int
    text: str
    claim: bool
    source: str | None
    stances: dict[str, str]
    note: str
    mentions: list[MentionRecord]


class PredictionRecord(TypedDict, total=False):
    """One sentence as ``stance predict`` writes it."""

    id: str
    doc: str
    start: int
    end: int
    text: str
    claim: bool
    claim_prob: float
    source: str | None
    stances: dict[str, str]
    probabilities: dict[str, dict[str, float]]
    mentions: list[MentionRecord]
    low_confidence: list[str]
    explanations: dict[str, list[dict[str, Any]]]


class MentionFinder(Protocol):
    """Anything that finds mentions in a text (an actor dictionary)."""

    def find(self, text: str, offset: int = 0, date: datetime.date | None = None,
             country: str | None = None) -> list[Mention]: ...


def _field(mention: Mention | Mapping[str, Any], name: str) -> Any:
    return getattr(mention, name) if isinstance(mention, Mention) else mention[name]


def spans_from_mentions(mentions: Iterable[Mention | Mapping[str, Any]], base: int = 0) -> Spans:
    """Mentions (objects or record dicts, offsets relative to ``base``) as sorted spans."""
    return tuple(sorted(Span(_field(m, "start") - base, _field(m, "end") - base,
                             _field(m, "actor")) for m in mentions))


def mentions_from_spans(text: str, spans: Sequence[Span], base: int = 0) -> list[MentionRecord]:
    """Spans of ``text`` as mention records in document offsets (``base`` = sentence start)."""
    return [{"actor": a, "text": text[s:e], "start": s + base, "end": e + base}
            for s, e, a in spans]


def record_spans(record: Mapping[str, Any]) -> Spans | None:
    """A record's own mention spans in sentence offsets, or None if it gives none.

    Mention offsets are document offsets, like the record's ``start`` (0 when
    a record has no offsets, e.g. annotation input from elsewhere).
    """
    mentions = record.get("mentions")
    if not mentions:
        return None
    return spans_from_mentions(mentions, record.get("start", 0))


def record_context(record: Mapping[str, Any]) -> tuple[datetime.date | None, str | None]:
    """A record's document ``date`` and ``country`` (optional fields, e.g. from the
    corpus manifest), as the actor dictionary takes them."""
    value = record.get("date")
    try:
        day = datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    country = record.get("country")
    return day, country if isinstance(country, str) else None


def resolve_spans(record: Mapping[str, Any], actors: MentionFinder) -> Spans:
    """The record's mention spans: its own ``mentions``, else those ``actors`` finds
    on the record's date and for its country."""
    spans = record_spans(record)
    if spans is not None:
        return spans
    return spans_from_mentions(actors.find(record["text"], 0, *record_context(record)))


def actors_in(spans: Iterable[Span]) -> list[str]:
    """Distinct actor IDs in order of first mention."""
    return list(dict.fromkeys(s.actor for s in spans))
