"""The actor dictionary and mention detection.

An :class:`ActorDictionary` maps surface forms to the scheme's actor IDs and
finds mentions in text: whole words, leftmost-longest, case rules per alias
(see ``stance/data/actors.toml`` for the rules in full).  The packaged
dictionary can be extended or replaced by a user file of the same form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import _toml
from .errors import ActorDictionaryError
from .resources import read_text

ACTOR_ID = re.compile(r"[A-Z][A-Z0-9_]{0,11}")
_APOSTROPHES = "'’"


@dataclass(frozen=True)
class Mention:
    """An actor named in a text: ``text == doc_text[start:end]``."""

    actor: str
    text: str
    start: int
    end: int

    def to_record(self) -> dict:
        return {"actor": self.actor, "text": self.text, "start": self.start, "end": self.end}


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

    def find(self, text: str, offset: int = 0) -> list[Mention]:
        """Mentions in ``text``; offsets are shifted by ``offset``."""
        return list(self._iter(text, offset))

    def _iter(self, text: str, offset: int) -> Iterator[Mention]:
        for m in self._regex.finditer(text):
            actor = self._owner[_normalise(m.group(0))]
            if actor is not None:
                yield Mention(actor, m.group(0), m.start() + offset, m.end() + offset)


def _entry_error(source: str, where: str, problem: str) -> ActorDictionaryError:
    return ActorDictionaryError(f"{source}: {where}: {problem}")


def _string_list(value: object, source: str, where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _entry_error(source, where, f"{key!r} must be a non-empty list of strings, "
                                          f"found {type(value).__name__}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise _entry_error(source, where, f"{key!r} must hold non-empty strings, "
                                              f"found {item!r}")
    return value


def parse_dictionary(data: Mapping, source: str) -> tuple[dict, dict, list, bool]:
    """Check a parsed dictionary file; return names, aliases, blocked, replace."""
    known = {"actors", "blocked", "replace"}
    for key in data:
        if key not in known:
            raise _entry_error(source, f"top-level key {key!r}",
                               f"unknown; expected one of {', '.join(sorted(known))}")
    replace = data.get("replace", False)
    if not isinstance(replace, bool):
        raise _entry_error(source, "replace", f"must be true or false, found {replace!r}")
    actors = data.get("actors", {})
    if not isinstance(actors, dict):
        raise _entry_error(source, "actors", "must be a table of [actors.ID] entries")
    names: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    for actor, entry in actors.items():
        where = f"actor {actor!r}"
        if not ACTOR_ID.fullmatch(actor):
            raise _entry_error(source, where, "an actor ID is 1-12 capital letters, digits "
                                              "or '_', starting with a letter")
        if not isinstance(entry, dict):
            raise _entry_error(source, where, "must be a table with 'name' and 'aliases'")
        unknown = set(entry) - {"name", "aliases"}
        if unknown:
            raise _entry_error(source, where, f"unknown key {sorted(unknown)[0]!r}; "
                                              "expected 'name' and 'aliases'")
        name = entry.get("name", actor)
        if not isinstance(name, str):
            raise _entry_error(source, where, f"'name' must be a string, found {name!r}")
        names[actor] = name
        aliases[actor] = list(_string_list(entry.get("aliases"), source, where, "aliases"))
    blocked_table = data.get("blocked", {})
    if not isinstance(blocked_table, dict) or set(blocked_table) - {"phrases"}:
        raise _entry_error(source, "blocked", "must be a table with one key, 'phrases'")
    blocked = list(_string_list(blocked_table["phrases"], source, "blocked", "phrases")
                   ) if "phrases" in blocked_table else []
    return names, aliases, blocked, replace


def _load_toml(text: str, source: str) -> Mapping:
    try:
        return _toml.loads(text)
    except _toml.TOMLDecodeError as exc:
        raise ActorDictionaryError(f"{source}: not valid TOML: {exc}") from None


@lru_cache(maxsize=1)
def default_actors() -> ActorDictionary:
    """The packaged dictionary (``stance/data/actors.toml``)."""
    names, aliases, blocked, _ = parse_dictionary(
        _load_toml(read_text("actors.toml"), "actors.toml"), "actors.toml")
    return ActorDictionary(names, aliases, blocked)


def load_actors(path: str | Path | None = None) -> ActorDictionary:
    """The packaged dictionary, extended or replaced by the TOML file ``path``."""
    base = default_actors()
    if path is None:
        return base
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ActorDictionaryError(f"{path}: cannot read actor dictionary: {reason}") from None
    names, aliases, blocked, replace = parse_dictionary(_load_toml(text, str(path)), str(path))
    if replace:
        if not names:
            raise _entry_error(str(path), "actors", "replace = true needs at least one actor")
        return ActorDictionary(names, aliases, blocked)
    merged_names = {**base.names, **names}
    merged_aliases = {a: list(f) for a, f in base.aliases.items()}
    for actor, forms in aliases.items():
        merged_aliases.setdefault(actor, []).extend(forms)
    try:
        return ActorDictionary(merged_names, merged_aliases, base.blocked + blocked)
    except ActorDictionaryError as exc:
        raise ActorDictionaryError(f"{path}: {exc}") from None


def find_mentions(text: str, actors: ActorDictionary | None = None,
                  offset: int = 0) -> list[Mention]:
    """Mentions of inventory actors in ``text`` (packaged dictionary by default)."""
    return (actors or default_actors()).find(text, offset)


def actors_named(mentions: Iterable[Mention]) -> list[str]:
    """Distinct actor IDs in order of first mention."""
    return list(dict.fromkeys(m.actor for m in mentions))
