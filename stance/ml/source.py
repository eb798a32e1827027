"""Who makes a claim: the source rule, and the source model's choice among candidates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.pipeline import Pipeline

from ..schema import Pair, Span, actors_in
from .cues import (
    cue_class_regex,
    cue_positions,
    token_offsets,
)

#: Pronouns that stand for a speaker named earlier in the document.
PRONOUNS = frozenset({"he", "she", "they"})
#: Verbs of a headline's speaker ("Iran warns ...", "Russia says ...") besides reporting cues.
HEADLINE_VERBS = frozenset({"warns", "vows", "says", "urges", "accuses", "slams", "blames",
                            "denies", "rejects", "threatens", "demands", "calls", "insists",
                            "condemns", "pledges", "tells", "claims", "dismisses"})
#: Words that may stand between a speaker and its verb ("Syria's foreign minister said").
_TITLE = re.compile(r"^(s|the|foreign|defence|defense|prime|deputy|minister|ministry|president|"
                    r"presidential|spokesman|spokeswoman|spokesperson|official|officials|army|"
                    r"military|general|leader|leaders|chief|government|state|media|news|agency|"
                    r"office|envoy|ambassador|secretary|top|senior|command|forces|ministers|"
                    r"also|later|on|in|a|an|of|has|have|had|then|again|separately|"
                    r"[a-z]+day|told|reporters)$")


@dataclass
class SourceRule:
    """The speaker by rule (the scheme's section 4), first match wins:

    1. "according to X" anywhere: X;
    2. a reporting cue in the last third of the sentence: the actor right
       before it across titles ("..., Syria's foreign minister said"), else
       an inverted "..., said X", else, for "..., he said", the speaker of
       the document's previous claim (``previous``), else the actor named
       nearest before it;
    3. a sentence opening "He said ..." / "She told ...": ``previous``;
    4. otherwise the first actor named: the main clause's subject in a
       headline "X warns ...", "Turkey denied ..."; None if no actor.

    A reporting cue in mid-sentence is not followed: in the annotations the
    speaker of "A said ..., while B called for ..." is the first one, A.
    """

    patterns: re.Pattern[str] = field(default_factory=lambda: cue_class_regex("reporting"))

    def predict(self, text: str, spans: Sequence[Span], previous: str | None = None
                ) -> str | None:
        tokens = token_offsets(text)
        words = [t for t, _ in tokens]
        hits = cue_positions(words, self.patterns)
        hits += [i for i, w in enumerate(words) if w in HEADLINE_VERBS and i not in hits]
        hits.sort()

        def actor_at(i: int) -> str | None:
            if not 0 <= i < len(tokens):
                return None
            start = tokens[i][1]
            for s, e, a in spans:
                if s <= start < e:
                    return a
            return None

        def before(i: int) -> str | None:
            """The actor right before token i, across title words (up to 6)."""
            j = i - 1
            for _ in range(6):
                if j < 0:
                    return None
                a = actor_at(j)
                if a is not None:
                    return a
                if not _TITLE.match(words[j]):
                    return None
                j -= 1
            return None

        for i in hits:  # 1. according to X
            if words[i] == "according" and i + 1 < len(words) and words[i + 1] == "to":
                for j in range(i + 2, min(i + 6, len(words))):
                    if (a := actor_at(j)) is not None:
                        return a
        if not spans and not previous:
            return None
        if hits and hits[-1] >= 2 * len(tokens) / 3:  # 2. a final "..., X said"
            last = hits[-1]
            if (a := before(last)) is not None:
                return a
            if (a := actor_at(last + 1)) is not None:  # "..., said X"
                return a
            if previous and last > 0 and words[last - 1] in PRONOUNS:
                return previous  # "..., he said"
            cut = tokens[last][1]
            earlier = [s for s in spans if s[1] <= cut]
            if earlier:
                return earlier[-1][2]
        if previous and len(words) > 1 and words[0] in PRONOUNS and 1 in hits:
            return previous  # 3. "He said ..."
        return spans[0][2] if spans else None  # 4. the first actor named


def rule_sources(rule: SourceRule, sentences: Iterable[tuple[str, str, Sequence[Span]]]
                 ) -> list[str | None]:
    """The rule's speaker for each ``(doc, text, spans)`` in document order, resolving
    pronoun speakers to the speaker of the same document's previous claim (the
    rule's own previous answer: no gold label is used)."""
    out: list[str | None] = []
    last: dict[str, str | None] = {}
    for doc, text, spans in sentences:
        speaker = rule.predict(text, spans, last.get(doc))
        if speaker is not None:
            last[doc] = speaker
        out.append(speaker)
    return out


def model_source(pipeline: Pipeline | None, text: str, spans: Sequence[Span]) -> str | None:
    """The candidate the source model scores highest, if at least 0.5; else None."""
    candidates = actors_in(spans)
    if pipeline is None or not candidates:
        return None
    proba = pipeline.predict_proba([Pair(text, c, tuple(spans)) for c in candidates])
    col = list(pipeline.classes_).index(1)
    best = int(np.argmax(proba[:, col]))
    return candidates[best] if proba[best, col] >= 0.5 else None

