"""Baselines scored beside the model: the keyword rule (the majority label needs no code)."""

from __future__ import annotations

from collections.abc import Sequence

from ..ml.cues import TokenIndex, cue_class_regex, tokenize
from ..ml.features import TARGET_TOKEN, mark_text
from ..schema import STANCE_LABELS, Pair


class KeywordRule:
    """Baseline: the strongest cue class within ``window`` tokens of the target
    (accusation, then hostility, then cooperation), else ``none``."""

    def __init__(self, window: int = 4) -> None:
        self.regexes = {k: cue_class_regex(k) for k in STANCE_LABELS}
        self.window = window

    def predict(self, pairs: Sequence[Pair]) -> list[str]:
        out = []
        for text, target, spans in pairs:
            tokens = tokenize(mark_text(text, target, spans))
            targets = [i for i, t in enumerate(tokens) if t == TARGET_TOKEN]
            index = TokenIndex(tokens)
            label = "none"
            for k in ("accusation", "hostility", "cooperation"):
                if any(abs(p - t) <= self.window for p in index.positions(self.regexes[k])
                       for t in targets):
                    label = k
                    break
            out.append(label)
        return out
