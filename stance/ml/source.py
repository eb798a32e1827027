"""Who makes a claim: the source rule, and the source model's choice among candidates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from sklearn.pipeline import Pipeline

from ..schema import Pair, Span, actors_in
from .cues import (
    CueMatcher,
    compile_cue,
    cue_class_regex,
    cue_positions,
    cue_regex,
    default_cues,
    token_offsets,
)


@dataclass
class SourceRule:
    """The speaker by rule: with a reporting cue in the last third of the sentence
    ("..., Syria's foreign minister said"), the actor named nearest before it;
    otherwise the first actor named ("Turkey denied ...").  None if no actor."""

    patterns: re.Pattern[str] = field(default_factory=lambda: cue_class_regex("reporting"))

    def predict(self, text: str, spans: Sequence[Span]) -> str | None:
        if not spans:
            return None
        tokens = token_offsets(text)
        words = [t for t, _ in tokens]
        matcher = _default_reporting()
        if matcher is not None and self.patterns.pattern == matcher[0]:
            hits = matcher[1].positions(words)["reporting"]
        else:
            hits = cue_positions(words, self.patterns)
        if hits and hits[-1] >= 2 * len(tokens) / 3:
            cut = tokens[hits[-1]][1]
            before = [s for s in spans if s[1] <= cut]
            if before:
                return before[-1][2]
        return spans[0][2]


@lru_cache(maxsize=1)
def _default_reporting() -> tuple[str, CueMatcher] | None:
    """The packaged reporting cues as a :class:`CueMatcher`, with the pattern of their
    regex: a rule whose regex is that one matches them by token lookup (same hits)."""
    cues = [compile_cue(c) for c in default_cues()["reporting"]]
    return cue_regex(cues).pattern, CueMatcher({"reporting": cues})


def model_source(pipeline: Pipeline | None, text: str, spans: Sequence[Span]) -> str | None:
    """The candidate the source model scores highest, if at least 0.5; else None."""
    candidates = actors_in(spans)
    if pipeline is None or not candidates:
        return None
    proba = pipeline.predict_proba([Pair(text, c, tuple(spans)) for c in candidates])
    col = list(pipeline.classes_).index(1)
    best = int(np.argmax(proba[:, col]))
    return candidates[best] if proba[best, col] >= 0.5 else None
