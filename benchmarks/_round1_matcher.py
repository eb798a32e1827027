"""The round-1 actor matcher (one character-trie regex over every alias form of
the 19-actor core dictionary), kept only as the baseline of
``bench_actors.py``.  Not used by the package."""

from __future__ import annotations

import re
from pathlib import Path

from stance import _toml

_APOSTROPHES = "'’"
_SPACE, _APOS = "\x00space", "\x00apos"


def _variants(alias: str) -> set[str]:
    forms = {alias}
    if any(c.islower() for c in alias):
        forms.add(alias.upper())
    if alias[0].islower():
        forms.add(alias[0].upper() + alias[1:])
    return forms


def _normalise(surface: str) -> str:
    return re.sub(r"\s+", " ", surface).replace("’", "'")


def _units(form: str) -> list[str]:
    units: list[str] = []
    for ch in form:
        if ch.isspace():
            if not units or units[-1] != _SPACE:
                units.append(_SPACE)
        elif ch in _APOSTROPHES:
            units.append(_APOS)
        else:
            units.append(ch)
    return units


def _trie_regex(forms: list[str]) -> str:
    trie: dict = {}
    for form in forms:
        node = trie
        for unit in _units(form):
            node = node.setdefault(unit, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [(r"\s+" if u == _SPACE else "['’]" if u == _APOS else re.escape(u))
                    + build(child) for u, child in sorted(node.items()) if u]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


class Round1Matcher:
    """``find(text)`` -> [(actor, start, end)], as round 1 matched."""

    def __init__(self, path: Path) -> None:
        data = _toml.loads(path.read_text(encoding="utf-8"))
        owner: dict[str, str | None] = {}
        for actor, entry in data["actors"].items():
            for alias in entry["aliases"]:
                for form in _variants(alias):
                    owner[_normalise(form)] = actor
        for phrase in data["blocked"]["phrases"]:
            for form in _variants(phrase):
                owner[_normalise(form)] = None
        self._owner = owner
        self._regex = re.compile(rf"(?<!\w)(?:{_trie_regex(sorted(owner))})(?!\w)")

    def find(self, text: str) -> list[tuple[str, int, int]]:
        out = []
        for m in self._regex.finditer(text):
            actor = self._owner[_normalise(m.group(0))]
            if actor is not None:
                out.append((actor, m.start(), m.end()))
        return out
