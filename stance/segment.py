"""Sentence segmentation with nltk's Punkt, from parameters the package ships.

No nltk data is downloaded or read: the Punkt parameters are a data file
(``stance/data/punkt.json``) trained with :class:`nltk.tokenize.punkt.PunktTrainer`
on the project's own documents plus a list of abbreviations (see
``tools/build_punkt.py``).

A document is cut in two steps.  First into lines: every line break ends a
sentence (a headline never runs into the next paragraph) and page furniture
lines are dropped (:mod:`stance.furniture`).  Then each kept line is cut by
Punkt.  Every sentence keeps exact offsets: ``doc.text[start:end] == text``,
with surrounding whitespace trimmed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktTrainer,
)

from . import _toml
from .furniture import FurnitureRule, classify_lines
from .io import Document
from .resources import read_text



class NewsLanguageVars(PunktLanguageVars):
    """English Punkt rules that also treat curly quotes as closing punctuation.

    Recent nltk releases do this already; older ones only know straight quotes,
    so ``act.” He said`` would never be a candidate break there.
    """

    _re_non_word_chars = r"(?:[)\";}\]\*:@\'\({\[!?‘’“”«»])"
    re_boundary_realignment = re.compile(r"[\"\')\]}‘’“”«»]+?(?:\s+|(?=--)|$)", re.MULTILINE)


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


# --- Punkt parameters -------------------------------------------------------

def params_to_json(params: PunktParameters) -> str:
    """Serialise Punkt parameters deterministically (sorted, one JSON object)."""
    data = {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([list(c) for c in params.collocations]),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def params_from_json(text: str) -> PunktParameters:
    data = json.loads(text)
    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(c) for c in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for typ, flag in data["ortho_context"].items():
        params.ortho_context[typ] = flag
    return params


@lru_cache(maxsize=1)
def _abbreviation_lists() -> dict[str, list[str]]:
    return _toml.loads(read_text("abbreviations.toml"))


def default_abbreviations() -> list[str]:
    """Titles and other abbreviations (``stance/data/abbreviations.toml``)."""
    lists = _abbreviation_lists()
    return lists["titles"] + lists["abbreviations"]


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(t.lower().rstrip(".") for t in _abbreviation_lists()["titles"])


def _ends_with_title(text: str) -> bool:
    words = text.split()
    return bool(words) and text.endswith(".") and words[-1].lower().rstrip(".") in _titles()


def train_punkt(texts: Iterable[str], abbreviations: Iterable[str]) -> PunktParameters:
    """Train Punkt parameters on ``texts`` and add ``abbreviations`` to them.

    On a corpus this small the trainer takes ordinary sentence-final words for
    abbreviations ("a week ago."), so of the abbreviations it learns only those
    with an inner period ("e.g.") are kept; the curated list supplies the rest.
    The learned orthographic contexts, collocations and sentence starters stay.
    """
    trainer = PunktTrainer(lang_vars=NewsLanguageVars())
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    params.abbrev_types = {a for a in params.abbrev_types if "." in a}
    params.abbrev_types |= {a.lower().rstrip(".") for a in abbreviations}
    return params


@lru_cache(maxsize=1)
def default_tokenizer() -> PunktSentenceTokenizer:
    """The Punkt tokenizer built from the packaged parameters."""
    params = params_from_json(read_text("punkt.json"))
    return PunktSentenceTokenizer(params, lang_vars=NewsLanguageVars())


# --- segmentation -------------------------------------------------------------

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
        if spans and _ends_with_title(line[spans[-1][0]:spans[-1][1]]):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


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
    for lineno, ((ls, le), verdict) in enumerate(zip(spans, verdicts), start=1):
        ls, le = trim_span(doc.text, ls, le)
        if ls >= le:
            continue
        if verdict is not None:
            dropped.append(DroppedLine(doc.id, lineno, ls, le, doc.text[ls:le], verdict))
            continue
        for s, e in split_line(doc.text[ls:le], tokenizer):
            n = len(sentences)
            sentences.append(Sentence(f"{doc.id}:{n}", doc.id, ls + s, ls + e,
                                      doc.text[ls + s:ls + e]))
    return Segmentation(doc, sentences, dropped, len(spans))
