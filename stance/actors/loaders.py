"""Loading actor dictionaries: the packaged one and user TOML files.

A user file extends the packaged dictionary (new actors, more aliases, more
blocking phrases) unless it starts with ``replace = true``; a malformed file
is refused with a message naming the entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from .. import _toml
from .._resources import read_text
from ..errors import ActorDictionaryError
from ..schema import Mention
from .dictionary import ACTOR_ID, ActorDictionary


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


def find_mentions(text: str, actors: ActorDictionary | None = None, offset: int = 0,
                  date: datetime.date | None = None) -> list[Mention]:
    """Mentions of inventory actors in ``text`` (packaged dictionary by default)."""
    return (actors or default_actors()).find(text, offset, date)
