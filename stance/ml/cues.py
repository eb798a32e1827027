"""The cue lexicon and how cues are matched.

The lexicon (``stance/data/cues.toml``) lists accusation, hostility,
cooperation, negation and reporting cues; ``word*`` is a prefix.  Text is cut
into lower-case word tokens and every cue class is compiled into one regex
over the tokens joined by spaces.  The cue features
(:class:`stance.ml.features.CueFeatures`), the source rule and the keyword
baseline all match cues this way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .. import _toml
from .._resources import read_text

CUE_CLASSES = ("accusation", "hostility", "cooperation", "negation", "reporting")
_WORD = re.compile(r"[a-z0-9]+(?=n't)|n't|[a-z0-9]+")


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


class CueMatcher:
    """Where the cues of several classes start in a token list, in one pass.

    The same answer as each class's :func:`cue_regex` over the joined tokens,
    found by looking tokens up (a cue's first word, or a prefix of the token for
    ``word*`` cues) instead of trying every alternative at every character.
    """

    def __init__(self, classes: dict[str, Sequence[list[tuple[str, bool]]]]):
        self.classes = tuple(classes)
        self.exact: dict[str, list[tuple[str, list[tuple[str, bool]]]]] = {}
        self.prefix: dict[str, list[tuple[str, list[tuple[str, bool]]]]] = {}
        for name, patterns in classes.items():
            for pat in patterns:
                if not pat:
                    continue
                first, is_prefix = pat[0]
                table = self.prefix if is_prefix else self.exact
                table.setdefault(first, []).append((name, pat))
        self.prefix_lengths = sorted({len(w) for w in self.prefix})
        self._candidates: dict[str, list[tuple[str, list[tuple[str, bool]]]]] = {}

    def candidates(self, token: str) -> list[tuple[str, list[tuple[str, bool]]]]:
        """The cues whose first word matches ``token`` (cached: words repeat)."""
        found = self._candidates.get(token)
        if found is None:
            found = list(self.exact.get(token, ()))
            for n in self.prefix_lengths:
                if n > len(token):
                    break
                found += self.prefix.get(token[:n], ())
            if len(self._candidates) >= 200_000:
                self._candidates.clear()
            self._candidates[token] = found
        return found

    def positions(self, tokens: Sequence[str]) -> dict[str, list[int]]:
        """Per class, the indices of the tokens where one of its cues starts."""
        out: dict[str, list[int]] = {name: [] for name in self.classes}
        size, cache, candidates = len(tokens), self._candidates, self.candidates
        for i, tok in enumerate(tokens):
            found = cache.get(tok)
            if found is None:
                found = candidates(tok)
            for name, pat in found:
                hits = out[name]
                if (hits and hits[-1] == i) or i + len(pat) > size:
                    continue
                if all(tokens[i + j].startswith(w) if pre else tokens[i + j] == w
                       for j, (w, pre) in enumerate(pat)):
                    hits.append(i)
        return out


def cue_positions(tokens: Sequence[str], regex: re.Pattern[str]) -> list[int]:
    """Indices of the tokens where a cue of ``regex`` starts."""
    return TokenIndex(tokens).positions(regex)


def cue_class_regex(cue_class: str) -> re.Pattern[str]:
    """The regex of one class of the packaged lexicon."""
    return cue_regex([compile_cue(c) for c in default_cues()[cue_class]])
