"""Who makes a claim: the source rule, and the source model's choice among candidates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.pipeline import Pipeline

from ..schema import Pair, Span, actors_in
from .cues import cue_class_regex, cue_positions, token_offsets


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
        hits = cue_positions([t for t, _ in tokens], self.patterns)
        if hits and hits[-1] >= 2 * len(tokens) / 3:
            cut = tokens[hits[-1]][1]
            before = [s for s in spans if s[1] <= cut]
            if before:
                return before[-1][2]
        return spans[0][2]


def model_source(pipeline: Pipeline | None, text: str, spans: Sequence[Span]) -> str | None:
    """The candidate the source model scores highest, if at least 0.5; else None."""
    candidates = actors_in(spans)
    if pipeline is None or not candidates:
        return None
    proba = pipeline.predict_proba([Pair(text, c, tuple(spans)) for c in candidates])
    col = list(pipeline.classes_).index(1)
    best = int(np.argmax(proba[:, col]))
    return candidates[best] if proba[best, col] >= 0.5 else None
