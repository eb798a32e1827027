"""The actor dictionary and mention detection.

An :class:`ActorDictionary` maps surface forms to the scheme's actor IDs and
finds mentions in text: whole words, leftmost-longest, case rules per alias
(see ``stance/data/actors.toml`` for the rules in full).  Loading it:
:mod:`stance.actors.loaders`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import ActorDictionaryError
from ..schema import Mention

ACTOR_ID = re.compile(r"[A-Z][A-Z0-9_]{0,11}")
_APOSTROPHES = "'’"


def _variants(alias: str) -> set[str]:
    """The written forms an alias matches (see the module docstring)."""
    forms = {alias}
    if any(c.islower() for c in alias):
        forms.add(alias.upper())
    if alias[0].islower():
        forms.add(alias[0].upper() + alias[1:])
    return forms


def _normalise(surface: str) -> str:
    return re.sub(r"\s+", " ", surface).replace("’", "'")


_SPACE, _APOS = "\x00space", "\x00apos"


def _units(form: str) -> list[str]:
    """A form as matching units: characters, a whitespace run, an apostrophe."""
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


def _unit_regex(unit: str) -> str:
    return r"\s+" if unit == _SPACE else "['’]" if unit == _APOS else re.escape(unit)


def trie_regex(forms: list[str]) -> str:
    """One regex for all ``forms``, shaped as a character trie.

    Matching costs about the length of the text, not the number of forms, and
    greedy optional groups try the longest form first, so the leftmost match
    is also the longest (backtracking when the word boundary fails).
    """
    trie: dict = {}
    for form in forms:
        node = trie
        for unit in _units(form):
            node = node.setdefault(unit, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [_unit_regex(u) + build(child) for u, child in sorted(node.items()) if u]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


@dataclass
class ActorDictionary:
    """Actor IDs with names and aliases, plus phrases that block a match."""

    names: dict[str, str]
    aliases: dict[str, list[str]]
    blocked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        owner: dict[str, str | None] = {}
        for actor, forms in self.aliases.items():
            for alias in forms:
                for form in sorted(_variants(alias)):
                    key = _normalise(form)
                    if owner.get(key, actor) != actor:
                        raise ActorDictionaryError(
                            f"alias {alias!r} is given to both {owner[key]} and {actor}; "
                            "an alias must name one actor"
                        )
                    owner[key] = actor
        for phrase in self.blocked:
            for form in sorted(_variants(phrase)):
                owner[_normalise(form)] = None
        self._owner = owner
        self._regex = re.compile(rf"(?<!\w)(?:{trie_regex(sorted(owner))})(?!\w)")

    @property
    def actor_ids(self) -> list[str]:
        return sorted(self.names)

    def find(self, text: str, offset: int = 0,
             date: datetime.date | None = None) -> list[Mention]:
        """Mentions in ``text``; offsets are shifted by ``offset``.

        ``date`` (the document's date) selects dated aliases; this dictionary
        has none, so it is accepted and does not change the result.
        """
        return list(self._iter(text, offset))

    def _iter(self, text: str, offset: int) -> Iterator[Mention]:
        for m in self._regex.finditer(text):
            actor = self._owner[_normalise(m.group(0))]
            if actor is not None:
                yield Mention(actor, m.group(0), m.start() + offset, m.end() + offset)
