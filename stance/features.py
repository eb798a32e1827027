"""Custom transformers of the stance pipeline, following scikit-learn's rules.

``__init__`` only stores parameters; work happens in ``fit``; learned
attributes end in ``_``; ``transform`` checks the estimator is fitted.  So the
whole pipeline works with ``clone``, ``GridSearchCV`` and ``cross_val_predict``.

Inputs are (sentence, target actor) pairs: a tuple ``(text, target)`` or
``(text, target, mentions)`` where ``mentions`` is a list of
``(start, end, actor)`` spans in ``text``.  Without spans, the actor
dictionary finds them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import _toml
from .actors import ActorDictionary, default_actors
from .resources import read_text

TARGET_TOKEN = "xtargetx"
OTHER_TOKEN = "xotherx"
CUE_CLASSES = ("accusation", "hostility", "cooperation", "negation", "reporting")
_WORD = re.compile(r"[a-z0-9]+(?=n't)|n't|[a-z0-9]+")

Span = tuple[int, int, str]


def pair_spans(pair: Sequence, actors: ActorDictionary) -> tuple[str, str, list[Span]]:
    """Text, target and mention spans of one input pair."""
    text, target = pair[0], pair[1]
    if len(pair) > 2 and pair[2] is not None:
        spans = [tuple(m) for m in pair[2]]
    else:
        spans = [(m.start, m.end, m.actor) for m in actors.find(text)]
    return text, target, sorted(spans)


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


class TargetMarker(BaseEstimator, TransformerMixin):
    """(sentence, target) pairs -> sentence text with the target marked.

    ``mode="target"`` marks the target and, if ``mark_others``, the other
    actors; ``mode="none"`` returns the plain sentence (the ablation without
    target marking).  ``target_id`` appends a token naming the target actor.
    """

    def __init__(self, mode: str = "target", mark_others: bool = True,
                 target_id: bool = False, actors: ActorDictionary | None = None):
        self.mode = mode
        self.mark_others = mark_others
        self.target_id = target_id
        self.actors = actors

    def fit(self, X, y=None):
        if self.mode not in ("target", "none"):
            raise ValueError(f"mode must be 'target' or 'none', got {self.mode!r}")
        self.actors_ = self.actors if self.actors is not None else default_actors()
        return self

    def transform(self, X) -> list[str]:
        check_is_fitted(self, "actors_")
        if self.mode == "none":
            return [pair[0] for pair in X]
        out = []
        for pair in X:
            text, target, spans = pair_spans(pair, self.actors_)
            out.append(mark_text(text, target, spans, self.mark_others, self.target_id))
        return out


@lru_cache(maxsize=1)
def default_cues() -> dict[str, list[str]]:
    """The packaged cue lexicon (``stance/data/cues.toml``)."""
    data = _toml.loads(read_text("cues.toml"))
    return {k: list(data[k]) for k in CUE_CLASSES}


def compile_cue(cue: str) -> list[tuple[str, bool]]:
    """A cue as token patterns ``(token, is_prefix)``; ``word*`` is a prefix."""
    pattern: list[tuple[str, bool]] = []
    for word in cue.split():
        parts = tokenize(word.rstrip("*"))
        pattern += [(p, False) for p in parts[:-1]] + [(parts[-1], word.endswith("*"))]
    return pattern


def token_offsets(text: str) -> list[tuple[str, int]]:
    """Lower-case word tokens with their character offsets in ``text``."""
    folded = text.lower().replace("’", "'")  # same length: offsets stay valid
    return [(m.group(0), m.start()) for m in _WORD.finditer(folded)]


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; ``don't`` -> ``do``, ``n't``."""
    return [t for t, _ in token_offsets(text)]


def cue_regex(patterns: Sequence[list[tuple[str, bool]]]) -> re.Pattern[str]:
    """One regex that matches, zero-width, at every token where some cue starts.

    It runs over the tokens joined by single spaces (see :func:`cue_positions`).
    """
    alts = [" ".join(re.escape(w) + (r"[^ ]*" if pre else "") for w, pre in pat)
            for pat in patterns if pat]
    if not alts:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![^ ])(?=(?:" + "|".join(alts) + r")(?![^ ]))")


class TokenIndex:
    """Tokens joined by single spaces, with a map from character offset to token index,
    built once so that every cue class can be matched against it."""

    __slots__ = ("joined", "starts")

    def __init__(self, tokens: Sequence[str]):
        self.joined = " ".join(tokens)
        self.starts: dict[int, int] = {}
        pos = 0
        for i, tok in enumerate(tokens):
            self.starts[pos] = i
            pos += len(tok) + 1

    def positions(self, regex: re.Pattern[str]) -> list[int]:
        """Indices of the tokens where a cue of ``regex`` (from :func:`cue_regex`) starts."""
        return [self.starts[m.start()] for m in regex.finditer(self.joined)]


def cue_positions(tokens: Sequence[str], regex: re.Pattern[str]) -> list[int]:
    """Indices of the tokens where a cue of ``regex`` starts."""
    return TokenIndex(tokens).positions(regex)


class CueFeatures(BaseEstimator, TransformerMixin):
    """Cue-lexicon features around the marked target.

    For each cue class (accusation, hostility, cooperation, negation,
    reporting): the cue occurs in the sentence; within ``window`` tokens
    before the target; within ``window`` tokens after it; and, for the three
    stance classes, near the target under negation (a negation cue up to 3
    tokens before the cue).  Plus: the target comes before the first reporting
    cue (it is likely the speaker), and other actors are named.
    """

    def __init__(self, window: int = 4, cues: dict[str, list[str]] | None = None):
        self.window = window
        self.cues = cues

    def fit(self, X, y=None):
        lexicon = self.cues if self.cues is not None else default_cues()
        self.lexicon_ = tuple((k, tuple(lexicon.get(k, []))) for k in CUE_CLASSES)
        self.feature_names_ = np.array(cue_feature_names(), dtype=object)
        return self

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "lexicon_")
        return self.feature_names_

    def transform(self, X) -> sparse.csr_matrix:
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
def _lexicon_regexes(lexicon: tuple) -> dict[str, re.Pattern[str]]:
    return {k: cue_regex([compile_cue(c) for c in cues]) for k, cues in lexicon}


@lru_cache(maxsize=200_000)
def _cue_row(text: str, window: int, lexicon: tuple) -> tuple[float, ...]:
    """The cue features of one marked text (cached: a grid search sees the same
    texts again and again)."""
    patterns = _lexicon_regexes(lexicon)
    tokens = tokenize(text)
    targets = [i for i, t in enumerate(tokens) if t == TARGET_TOKEN]
    index = TokenIndex(tokens)
    hits = {k: index.positions(patterns[k]) for k in CUE_CLASSES}
    negs = hits["negation"]
    row: list[float] = []
    for k in CUE_CLASSES:
        pos = hits[k]
        before = any(0 < t - p <= window for p in pos for t in targets)
        after = any(0 < p - t <= window for p in pos for t in targets)
        row += [float(bool(pos)), float(before), float(after)]
        if k in CUE_CLASSES[:3]:
            near = [p for p in pos if any(abs(p - t) <= window for t in targets)]
            row.append(float(any(0 < p - n <= 3 for p in near for n in negs)))
    reporting = hits["reporting"]
    row.append(float(bool(targets and reporting and targets[0] < reporting[0])))
    row.append(float(OTHER_TOKEN in tokens))
    return tuple(row)
