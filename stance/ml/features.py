"""Custom transformers of the stance pipeline, following scikit-learn's rules.

``__init__`` only stores parameters, which are validated
(``_parameter_constraints``) when fitting; learned attributes end in ``_``;
no transformer holds a heavy object (the actor dictionary stays outside the
pipeline).  So the whole pipeline works with ``clone``, ``GridSearchCV`` and
``cross_val_predict``, and pickles small.

Inputs are :class:`~stance.schema.Pair` values ``(text, target, spans)``:
the mention spans are resolved once, before the pipeline
(:func:`stance.schema.resolve_spans`), sorted, and read here unchanged.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache
from numbers import Integral
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..schema import Pair, Span
from .cues import CUE_CLASSES, TokenIndex, compile_cue, cue_regex, default_cues, tokenize

TARGET_TOKEN = "xtargetx"
OTHER_TOKEN = "xotherx"


def mark_text(text: str, target: str | None, spans: Iterable[Span], mark_others: bool = True,
              target_id: bool = False) -> str:
    """Replace the target's mentions by TARGET_TOKEN and other actors' by OTHER_TOKEN.

    A target the spans do not cover (an annotator named an actor the dictionary
    misses) is still made visible: TARGET_TOKEN is appended.  With ``target``
    None every actor is an "other" (the claim model's input).
    """
    out, pos, seen_target = [], 0, False
    for start, end, actor in spans:
        if start < pos:
            continue
        out.append(text[pos:start])
        if actor == target:
            out.append(f" {TARGET_TOKEN} ")
            seen_target = True
        else:
            out.append(f" {OTHER_TOKEN} " if mark_others else text[start:end])
        pos = end
    out.append(text[pos:])
    marked = "".join(out)
    if target is None:
        return marked
    if not seen_target:
        marked += f" {TARGET_TOKEN}"
    if target_id:
        marked += f" xtid{target.lower()}x"
    return marked


class TargetMarker(TransformerMixin, BaseEstimator):
    """(sentence, target, spans) pairs -> sentence text with the target marked.

    ``mode="target"`` marks the target and, if ``mark_others``, the other
    actors; ``mode="none"`` returns the plain sentence (the ablation without
    target marking).  ``target_id`` appends a token naming the target actor.
    Stateless: nothing is learned, so it needs no fitting.
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "mode": [StrOptions({"target", "none"})],
        "mark_others": ["boolean"],
        "target_id": ["boolean"],
    }

    def __init__(self, mode: str = "target", mark_others: bool = True,
                 target_id: bool = False) -> None:
        self.mode = mode
        self.mark_others = mark_others
        self.target_id = target_id

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Sequence[Pair], y: Any = None) -> TargetMarker:
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True  # stateless

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags

    def transform(self, X: Sequence[Pair]) -> list[str]:
        self._validate_params()
        if self.mode == "none":
            return [pair[0] for pair in X]
        return [mark_text(pair[0], pair[1], pair[2], self.mark_others, self.target_id)
                for pair in X]


class TextTransformer(TransformerMixin, BaseEstimator):
    """Base of the transformers that read marked texts (strings, not 2-D arrays)."""

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The names of the features (set by ``fit`` as ``feature_names_``)."""
        check_is_fitted(self, "lexicon_")
        return self.feature_names_


class CueFeatures(TextTransformer):
    """Cue-lexicon features around the marked target.

    For each cue class (accusation, hostility, cooperation, negation,
    reporting): the cue occurs in the sentence; within ``window`` tokens
    before the target; within ``window`` tokens after it; and, for the three
    stance classes, near the target under negation (a negation cue up to 3
    tokens before the cue).  Plus: the target comes before the first reporting
    cue (it is likely the speaker), and other actors are named.
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "window": [Interval(Integral, 0, None, closed="left")],
        "cues": [dict, None],
    }

    def __init__(self, window: int = 4, cues: dict[str, list[str]] | None = None) -> None:
        self.window = window
        self.cues = cues

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Sequence[str], y: Any = None) -> CueFeatures:
        lexicon = self.cues if self.cues is not None else default_cues()
        self.lexicon_ = tuple((k, tuple(lexicon.get(k, []))) for k in CUE_CLASSES)
        self.feature_names_ = np.array(cue_feature_names(), dtype=object)
        return self

    def transform(self, X: Sequence[str]) -> sparse.csr_matrix:
        check_is_fitted(self, "lexicon_")
        rows = [_cue_row(text, self.window, self.lexicon_) for text in X]
        return sparse.csr_matrix(np.array(rows, dtype=float).reshape(
            len(X), len(self.feature_names_)))


def cue_feature_names() -> list[str]:
    names = []
    for k in CUE_CLASSES:
        names += [f"{k}_any", f"{k}_before", f"{k}_after"]
        if k in CUE_CLASSES[:3]:
            names.append(f"{k}_negated_near")
    return names + ["target_before_reporting", "others_named"]


@lru_cache(maxsize=16)
def _lexicon_regexes(lexicon: tuple[tuple[str, tuple[str, ...]], ...]
                     ) -> dict[str, re.Pattern[str]]:
    return {k: cue_regex([compile_cue(c) for c in cues]) for k, cues in lexicon}


def _any_in(sorted_positions: Sequence[int], low: int, high: int) -> bool:
    """Whether some position lies in ``[low, high]`` (binary search: the cue
    features stay O(n log n) in the sentence length, not O(cues x targets))."""
    i = bisect_left(sorted_positions, low)
    return i < len(sorted_positions) and sorted_positions[i] <= high


@lru_cache(maxsize=200_000)
def _cue_row(text: str, window: int,
             lexicon: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[float, ...]:
    """The cue features of one marked text (cached: a grid search sees the same
    texts again and again)."""
    patterns = _lexicon_regexes(lexicon)
    tokens = tokenize(text)
    targets = [i for i, t in enumerate(tokens) if t == TARGET_TOKEN]
    index = TokenIndex(tokens)
    hits = {k: index.positions(patterns[k]) for k in CUE_CLASSES}
    return cue_values(hits, targets, OTHER_TOKEN in tokens, window)


_ZEROS = {k: [0.0] * (4 if k in CUE_CLASSES[:3] else 3) for k in CUE_CLASSES}


def cue_values(hits: dict[str, list[int]], targets: Sequence[int], others: bool,
               window: int) -> tuple[float, ...]:
    """The cue features from the cue positions per class (token indices), the target
    token positions and whether another actor is named."""
    negs = hits["negation"]
    row: list[float] = []
    for k in CUE_CLASSES:
        pos = hits[k]
        if not pos:  # the common case, short-cut: every feature of the class is 0
            row += _ZEROS[k]
            continue
        before = any(_any_in(pos, t - window, t - 1) for t in targets)
        after = any(_any_in(pos, t + 1, t + window) for t in targets)
        row += [float(bool(pos)), float(before), float(after)]
        if k in CUE_CLASSES[:3]:
            near = (p for p in pos if _any_in(targets, p - window, p + window))
            row.append(float(any(_any_in(negs, p - 3, p - 1) for p in near)))
    reporting = hits["reporting"]
    row.append(float(bool(targets and reporting and targets[0] < reporting[0])))
    row.append(float(others))
    return tuple(row)
