"""Where a cue stands relative to the target: features a bag of n-grams cannot see.

:class:`RelationFeatures` reads the marked text (the target as ``xtargetx``,
other actors as ``xotherx``, as :class:`~stance.ml.features.TargetMarker`
writes it) and describes, per stance cue class (accusation, hostility,
cooperation), the cue's position relative to the target:

* **clause**: a cue in the target's clause (clauses end at ``; : ,`` and
  before *but*, *while*, *whereas*, *although*, *though*), before or after
  the target there (target as object or as subject);
* **verb frames**: the cue right before the target ("accused X of",
  "attacked X"), right after it ("X accused", the target as agent), the
  target as the patient of a passive ("X was accused", "X were attacked"),
  "against X", "with X", "by X";
* **between**: a cue between another actor and the target (the other acts
  on the target), or between the target and another actor;
* **negation scope**: a negation cue up to 3 tokens before a cue of the
  target's clause;
* **distance**: tokens between the target and the nearest cue of the class
  (0-2, 3-5, 6-10, more);
* **reported speech**: a reporting cue, and whether its holder (the actor
  named just before it, the actor after "according to", or the actor after
  an inverted "..., said X") is the target, another actor or nobody named;
  whether the target stands in the reported content.

Nothing here names an actor: the features say how stance is expressed,
not who is involved.  Linear in the sentence length, regex and token
windows only (no parser, nothing downloaded).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import _fit_context
from sklearn.utils.validation import check_is_fitted

from .cues import TokenIndex, default_cues
from .features import OTHER_TOKEN as OTHER
from .features import TARGET_TOKEN as TARGET
from .features import TextTransformer, _lexicon_regexes

STANCE_CLASSES = ("accusation", "hostility", "cooperation")
_TOKEN = re.compile(r"[a-z0-9]+(?=n't)|n't|[a-z0-9]+|[;:,.!?\"“”()]|—|–")
_CLAUSE_PUNCT = {";", ":", ",", "—", "–", "(", ")"}
_CLAUSE_WORDS = {"but", "while", "whereas", "although", "though", "however", "yet"}
_BE = {"was", "were", "is", "are", "been", "being", "be", "has", "have", "had", "got", "gets"}
_DETERMINERS = {"the", "its", "their", "his", "her", "a", "an", "s", "of"}
_DIST_BINS = ((0, 2, "0_2"), (3, 5, "3_5"), (6, 10, "6_10"), (11, 10**9, "11_plus"))


def relation_feature_names() -> list[str]:
    names = []
    for k in STANCE_CLASSES:
        names += [f"{k}_same_clause", f"{k}_clause_before_target", f"{k}_clause_after_target",
                  f"{k}_verb_then_target", f"{k}_target_then_verb", f"{k}_target_passive",
                  f"{k}_other_cue_target", f"{k}_target_cue_other", f"{k}_negated_in_clause"]
        names += [f"{k}_distance_{b}" for _, _, b in _DIST_BINS]
    names += ["against_target", "with_target", "by_target", "target_alone_in_clause",
              "reporting_any", "holder_is_target", "holder_is_other", "holder_unnamed",
              "target_in_reported_content", "according_to_target", "target_first_actor"]
    return names


class RelationFeatures(TextTransformer):
    """Structural cue-target features of marked texts (see the module docstring)."""

    _parameter_constraints: dict[str, list[Any]] = {"cues": [dict, None]}

    def __init__(self, cues: dict[str, list[str]] | None = None) -> None:
        self.cues = cues

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Sequence[str], y: Any = None) -> RelationFeatures:
        lexicon = self.cues if self.cues is not None else default_cues()
        classes = (*STANCE_CLASSES, "negation", "reporting")
        self.lexicon_ = tuple((k, tuple(lexicon.get(k, []))) for k in classes)
        self.feature_names_ = np.array(relation_feature_names(), dtype=object)
        return self

    def transform(self, X: Sequence[str]) -> sparse.csr_matrix:
        check_is_fitted(self, "lexicon_")
        return relation_matrix(X, self.lexicon_)


def relation_matrix(texts: Sequence[str], lexicon: tuple[tuple[str, tuple[str, ...]], ...],
                    cache: bool = True) -> sparse.csr_matrix:
    """The relation features of marked texts, one row each.  ``cache`` remembers
    rows by text (a grid search sees the same texts again and again); prediction,
    whose texts do not repeat, passes False so that its memory stays flat."""
    if cache:
        rows = [relation_row(text, lexicon) for text in texts]
    else:
        patterns = _lexicon_regexes(lexicon)
        rows = [relation_values(text, patterns) for text in texts]
    return sparse.csr_matrix(np.array(rows, dtype=float).reshape(
        len(texts), len(relation_feature_names())))


def _clauses(tokens: Sequence[str]) -> tuple[list[str], list[int]]:
    """Word tokens and the clause number of each."""
    words: list[str] = []
    clause: list[int] = []
    c = 0
    for tok in tokens:
        if tok in _CLAUSE_PUNCT or tok in ".!?":
            c += 1
            continue
        if tok in ('"', "“", "”"):
            continue
        if tok in _CLAUSE_WORDS:
            c += 1
        words.append(tok)
        clause.append(c)
    return words, clause


def _near(words: Sequence[str], i: int, step: int, limit: int = 3) -> int | None:
    """The first index from ``i`` in direction ``step`` skipping determiners, within limit."""
    j = i + step
    for _ in range(limit):
        if not 0 <= j < len(words):
            return None
        if words[j] not in _DETERMINERS:
            return j
        j += step
    return None


@lru_cache(maxsize=200_000)
def relation_row(text: str, lexicon: tuple[tuple[str, tuple[str, ...]], ...]
                 ) -> tuple[float, ...]:
    """The relation features of one marked text (cached: grid searches repeat texts)."""
    return relation_values(text, _lexicon_regexes(lexicon))


def relation_values(text: str, patterns: Mapping[str, re.Pattern[str]]) -> tuple[float, ...]:
    """The relation features of one marked text, the cue classes' regexes given."""
    words, clause = _clauses(_TOKEN.findall(text.lower().replace("’", "'")))
    index = TokenIndex(words)
    hits = {k: index.positions(p) for k, p in patterns.items()}
    targets = [i for i, w in enumerate(words) if w == TARGET]
    others = [i for i, w in enumerate(words) if w == OTHER]
    tclauses = {clause[t] for t in targets}
    negs = hits.get("negation", [])
    row: list[float] = []
    for k in STANCE_CLASSES:
        pos = hits.get(k, [])
        in_clause = [p for p in pos if clause[p] in tclauses]
        before = any(p < t and clause[p] == clause[t] for p in pos for t in targets)
        after = any(p > t and clause[p] == clause[t] for p in pos for t in targets)
        verb_then = any(_near(words, t, -1) in pos for t in targets)
        then_verb = any(_near(words, t, 1, 1) in pos for t in targets)
        passive = any(t + 1 < len(words) and words[t + 1] in _BE
                      and any(t + 1 < p <= t + 4 for p in pos) for t in targets)
        other_to_target = any(o < p < t for o in others for p in pos for t in targets)
        target_to_other = any(t < p < o for o in others for p in pos for t in targets)
        negated = any(0 < p - n <= 3 for p in in_clause for n in negs)
        dist = min((abs(p - t) for p in pos for t in targets), default=None)
        row += [float(bool(in_clause)), float(before), float(after), float(verb_then),
                float(then_verb), float(passive), float(other_to_target),
                float(target_to_other), float(negated)]
        row += [float(dist is not None and lo <= dist - 1 <= hi) for lo, hi, _ in _DIST_BINS]
    prev = {_near(words, t, -1, 1) for t in targets} - {None}
    prev_words = {words[j] for j in prev if j is not None}
    row += [float("against" in prev_words), float("with" in prev_words),
            float("by" in prev_words),
            float(bool(targets) and not any(clause[o] in tclauses for o in others))]
    # reported speech and its holder
    reporting = hits.get("reporting", [])
    holder: int | None = None
    according_target = False
    for r in reporting:
        if words[r] == "according" and r + 2 < len(words):
            j = _near(words, r + 1, 1)
            if j is not None and words[j] in (TARGET, OTHER):
                holder = j
                according_target = words[j] == TARGET
                break
        j = _near(words, r, -1, 2)
        if j is not None and words[j] in (TARGET, OTHER):
            holder = j
            break
        j = _near(words, r, 1, 2)
        if j is not None and words[j] in (TARGET, OTHER) and r > 0 and clause[r] != clause[0]:
            holder = j
            break
    actors = sorted(targets + others)
    in_content = bool(reporting) and any(
        t > reporting[0] and (holder is None or t != holder) for t in targets)
    row += [float(bool(reporting)),
            float(holder is not None and words[holder] == TARGET),
            float(holder is not None and words[holder] == OTHER),
            float(bool(reporting) and holder is None),
            float(in_content), float(according_target),
            float(bool(actors) and words[actors[0]] == TARGET)]
    return tuple(row)
