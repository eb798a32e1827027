"""Inter-annotator agreement between two annotation files, A and B.

Sentences are aligned by document and offsets; a sentence whose offsets
differ (a re-segmented document, a hand-edited span) is aligned by its
normalised text within the same document.  Over aligned sentences the two
annotations are compared for which actors they name, the stance label toward
each actor named in both, the claim flag, and the source of sentences both
call a claim.  Chance-corrected agreement is Cohen's kappa (scikit-learn);
it is None, with a reason, where it is undefined.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, confusion_matrix

from ..actors import ActorDictionary
from ..schema import LABELS
from .validate import load_annotations

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'})


def normalise_text(text: str) -> str:
    """Lower case, whitespace collapsed, curly quotes straightened: the text-alignment key."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().lower()


@dataclass
class Score:
    """Raw agreement and Cohen's kappa over ``n`` paired judgements.

    ``kappa`` (and ``agreement`` when ``n`` is 0) is None when undefined;
    ``kappa_undefined`` then says why.
    """

    n: int
    agreement: float | None
    kappa: float | None
    kappa_undefined: str | None = None


@dataclass
class LabelAgreement:
    """How often A and B use one label, and how often on the same (sentence, actor)."""

    count_a: int
    count_b: int
    both: int
    specific: float | None  # 2 * both / (count_a + count_b); None when neither uses it


@dataclass
class Agreement:
    """Everything :func:`compare_annotations` measures; plain data for rendering or JSON."""

    file_a: str
    file_b: str
    sentences_a: int
    sentences_b: int
    aligned: int
    aligned_by_text: list[dict]   # {"a": id, "b": id} for pairs matched by text, not offsets
    unaligned_a: list[dict]       # {"id", "doc", "start", "end", "text"}
    unaligned_b: list[dict]
    actors_both: int              # (sentence, actor) pairs named by both
    actors_only_a: list[dict]     # {"id", "actor", "label"}
    actors_only_b: list[dict]
    stance: Score
    labels: list[str]
    per_label: dict[str, LabelAgreement]
    confusion: list[list[int]]    # rows: A's label, columns: B's label, in ``labels`` order
    claim: Score
    source: Score
    disagreements: list[dict] = field(default_factory=list)
    # {"id", "text", "field": "claim"|"source"|"stance", "actor", "a", "b"};
    # for "stance", a value of None means that side gives the actor no stance.

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def score(a: Sequence, b: Sequence) -> Score:
    """Raw agreement and Cohen's kappa of two parallel label sequences.

    Kappa is undefined with no items, and when chance agreement is 1: both
    sides use one and the same label throughout.
    """
    n = len(a)
    if n == 0:
        return Score(0, None, None, "no items to compare")
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    if set(a) == set(b) and len(set(a)) == 1:
        only = next(iter(set(a)))
        return Score(n, observed, None,
                     f"both annotators use the single label {show(only)} throughout "
                     "(chance agreement is 1)")
    return Score(n, observed, float(cohen_kappa_score(list(a), list(b))))


def show(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _span(record: dict) -> dict:
    return {k: record[k] for k in ("id", "doc", "start", "end", "text")}


def align(records_a: list[dict], records_b: list[dict]
          ) -> tuple[list[tuple[dict, dict, bool]], list[dict], list[dict]]:
    """Pair A's and B's records: ``(pairs, unaligned_a, unaligned_b)``.

    A pair is ``(a, b, by_text)``.  Offsets ``(doc, start, end)`` first; the
    rest by normalised text within the same document, in file order.  Pairs
    come in A's file order.
    """
    by_offsets = {(r["doc"], r["start"], r["end"]): r for r in records_b}
    matched: dict[int, tuple[dict, bool]] = {}   # index in A -> (B record, by_text)
    used_b: set[int] = set()
    for i, rec in enumerate(records_a):
        other = by_offsets.get((rec["doc"], rec["start"], rec["end"]))
        if other is not None:
            matched[i] = (other, False)
            used_b.add(id(other))
    waiting: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for rec in records_b:
        if id(rec) not in used_b:
            waiting[(rec["doc"], normalise_text(rec["text"]))].append(rec)
    for i, rec in enumerate(records_a):
        if i in matched:
            continue
        queue = waiting.get((rec["doc"], normalise_text(rec["text"])))
        if queue:
            other = queue.pop(0)
            matched[i] = (other, True)
            used_b.add(id(other))
    pairs = [(rec, *matched[i]) for i, rec in enumerate(records_a) if i in matched]
    unaligned_a = [rec for i, rec in enumerate(records_a) if i not in matched]
    unaligned_b = [rec for rec in records_b if id(rec) not in used_b]
    return pairs, unaligned_a, unaligned_b


def compare_annotations(records_a: list[dict], records_b: list[dict],
                        file_a: str = "A", file_b: str = "B") -> Agreement:
    """Agreement of two sets of scheme-valid records (see the module docstring)."""
    pairs, unaligned_a, unaligned_b = align(records_a, records_b)
    disagreements: list[dict] = []

    def disagree(rec: dict, what: str, actor: str | None, a: object, b: object) -> None:
        disagreements.append({"id": rec["id"], "text": rec["text"], "field": what,
                              "actor": actor, "a": a, "b": b})

    stance_a: list[str] = []
    stance_b: list[str] = []
    only_a: list[dict] = []
    only_b: list[dict] = []
    claim_a: list[bool] = []
    claim_b: list[bool] = []
    source_a: list[str] = []
    source_b: list[str] = []
    for a, b, _ in pairs:
        claim_a.append(a["claim"])
        claim_b.append(b["claim"])
        if a["claim"] != b["claim"]:
            disagree(a, "claim", None, a["claim"], b["claim"])
        elif a["claim"]:
            source_a.append(show(a["source"]))
            source_b.append(show(b["source"]))
            if a["source"] != b["source"]:
                disagree(a, "source", None, a["source"], b["source"])
        sa, sb = a["stances"], b["stances"]
        for actor in list(sa) + [x for x in sb if x not in sa]:
            la, lb = sa.get(actor), sb.get(actor)
            if la is not None and lb is not None:
                stance_a.append(la)
                stance_b.append(lb)
            elif la is not None:
                only_a.append({"id": a["id"], "actor": actor, "label": la})
            else:
                only_b.append({"id": a["id"], "actor": actor, "label": lb})
            if la != lb:
                disagree(a, "stance", actor, la, lb)

    per_label = {}
    for label in LABELS:
        ca, cb = stance_a.count(label), stance_b.count(label)
        both = sum(x == y == label for x, y in zip(stance_a, stance_b, strict=True))
        per_label[label] = LabelAgreement(ca, cb, both,
                                          2 * both / (ca + cb) if ca + cb else None)
    if stance_a:
        matrix = confusion_matrix(stance_a, stance_b, labels=list(LABELS)).tolist()
    else:
        matrix = [[0] * len(LABELS) for _ in LABELS]

    return Agreement(
        file_a=file_a, file_b=file_b,
        sentences_a=len(records_a), sentences_b=len(records_b),
        aligned=len(pairs),
        aligned_by_text=[{"a": a["id"], "b": b["id"]} for a, b, by_text in pairs if by_text],
        unaligned_a=[_span(r) for r in unaligned_a],
        unaligned_b=[_span(r) for r in unaligned_b],
        actors_both=len(stance_a), actors_only_a=only_a, actors_only_b=only_b,
        stance=score(stance_a, stance_b), labels=list(LABELS), per_label=per_label,
        confusion=[[int(x) for x in row] for row in matrix],
        claim=score(claim_a, claim_b), source=score(source_a, source_b),
        disagreements=disagreements,
    )


def agreement_between(path_a: str | Path, path_b: str | Path,
                      actors: ActorDictionary | None = None,
                      common_docs: bool = False) -> Agreement:
    """Read, check (format only) and compare two annotation files.

    With ``common_docs``, only documents present in both files are compared
    (a second pass over part of a corpus).  A file with errors is refused with
    :class:`stance.annotations.read.AnnotationError` listing them as ``FILE:LINE: error: ...``.
    """
    records_a = load_annotations(path_a, actors)
    records_b = load_annotations(path_b, actors)
    if common_docs:
        shared = {r["doc"] for r in records_a} & {r["doc"] for r in records_b}
        records_a = [r for r in records_a if r["doc"] in shared]
        records_b = [r for r in records_b if r["doc"] in shared]
    return compare_annotations(records_a, records_b, str(path_a), str(path_b))
