"""Cutting a document into sentences.

A document is cut in two steps.  First into lines: every line break ends a
sentence (a headline never runs into the next paragraph) and page furniture
lines are dropped (:mod:`stance.text.furniture`).  Then each kept line is cut
by Punkt (:mod:`stance.text.punkt`).  Every sentence keeps exact offsets:
``doc.text[start:end] == text``, with surrounding whitespace trimmed.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..io.documents import Document
from .furniture import FurnitureRule, classify_lines
from .punkt import PunktSentenceTokenizer, default_tokenizer, ends_with_title

#: The longest sentence kept whole, in characters.  A longer "sentence" (scraped
#: text without line breaks or full stops) is split at whitespace into pieces of
#: at most this length, with a :class:`LongSentenceWarning`: every later step
#: (actors, features, the models) then works on bounded pieces.
MAX_SENTENCE_CHARS = 2000

_SPACE_RUN = re.compile(r"\s+")


class LongSentenceWarning(UserWarning):
    """A sentence longer than :data:`MAX_SENTENCE_CHARS` was split."""


@dataclass(frozen=True)
class Sentence:
    """One unit of annotation: ``id`` is ``"<doc>:<n>"``, n counting from 0."""

    id: str
    doc: str
    start: int
    end: int
    text: str

    def to_record(self) -> dict:
        return {"id": self.id, "doc": self.doc, "start": self.start, "end": self.end,
                "text": self.text}


@dataclass(frozen=True)
class DroppedLine:
    """A furniture line: 1-based line number, offsets and the rule that dropped it."""

    doc: str
    line: int
    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True)
class Segmentation:
    """What segmenting one document produced, and what it dropped."""

    doc: Document
    sentences: list[Sentence]
    dropped: list[DroppedLine]
    lines: int



def _is_trim(ch: str) -> bool:
    return ch.isspace() or ch == "\ufeff"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither begins nor ends with whitespace (or a BOM)."""
    while start < end and _is_trim(text[start]):
        start += 1
    while end > start and _is_trim(text[end - 1]):
        end -= 1
    return start, end


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of ``text``, line break excluded."""
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        yield pos, end
        pos = end + 1


def split_line(line: str, tokenizer: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """Trimmed sentence spans of one line; a cut right after a title is undone."""
    spans: list[tuple[int, int]] = []
    for s, e in tokenizer.span_tokenize(line):
        s, e = trim_span(line, s, e)
        if s >= e:
            continue
        if spans and ends_with_title(line[spans[-1][0]:spans[-1][1]]):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def cap_span(text: str, start: int, end: int,
             limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` of ``text`` as trimmed pieces of at most ``limit`` characters,
    cut at the last whitespace before the limit (mid-word only when a piece has
    no whitespace at all).  Linear in the span's length."""
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        cut = start + limit
        last_space = None
        for m in _SPACE_RUN.finditer(text, start + 1, cut + 1):
            last_space = m
        if last_space is not None:
            piece_end, next_start = last_space.start(), last_space.end()
        else:
            piece_end, next_start = cut, cut
        s, e = trim_span(text, start, piece_end)
        if s < e:
            pieces.append((s, e))
        start, end = trim_span(text, next_start, end)
    if start < end:
        pieces.append((start, end))
    return pieces


def segment_document(
    doc: Document,
    tokenizer: PunktSentenceTokenizer | None = None,
    rules: Iterable[FurnitureRule] | None = None,
) -> Segmentation:
    """Cut ``doc`` into sentences, dropping page furniture line by line."""
    tokenizer = tokenizer or default_tokenizer()
    spans = list(iter_lines(doc.text))
    verdicts = classify_lines([doc.text[s:e] for s, e in spans],
                              None if rules is None else tuple(rules))
    sentences: list[Sentence] = []
    dropped: list[DroppedLine] = []
    too_long: list[tuple[int, int]] = []
    for lineno, ((ls, le), verdict) in enumerate(zip(spans, verdicts, strict=True), start=1):
        ls, le = trim_span(doc.text, ls, le)
        if ls >= le:
            continue
        if verdict is not None:
            dropped.append(DroppedLine(doc.id, lineno, ls, le, doc.text[ls:le], verdict))
            continue
        for s, e in split_line(doc.text[ls:le], tokenizer):
            pieces = [(ls + s, ls + e)]
            if e - s > MAX_SENTENCE_CHARS:
                pieces = cap_span(doc.text, ls + s, ls + e)
                too_long.append((ls + s, e - s))
            for ps, pe in pieces:
                n = len(sentences)
                sentences.append(Sentence(f"{doc.id}:{n}", doc.id, ps, pe, doc.text[ps:pe]))
    if too_long:
        first, length = too_long[0]
        more = f" (and {len(too_long) - 1} more)" if len(too_long) > 1 else ""
        warnings.warn(f"{doc.path}: a sentence of {length} characters at offset {first}{more} "
                      f"is longer than {MAX_SENTENCE_CHARS} characters: split at whitespace",
                      LongSentenceWarning, stacklevel=2)
    return Segmentation(doc, sentences, dropped, len(spans))
