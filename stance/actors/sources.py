"""Actor dictionary sources and the compiled index.

Sources are hand-edited TOML files: ``tools/actors/*.toml`` for the shipped
dictionary (``core.toml``, the annotation scheme's core inventory, then one
file per region, the international organisations and the named armed
groups), or a user's ``--actors FILE`` of the same form.  An entry gives an
actor's id, name, kind and region, its aliases and demonyms, aliases that
are also common names (``ambiguous``), phrases that block a match, and the
people who spoke for it with the dates of their terms.

:func:`compile_index` turns sources into the *index* the matcher reads: every
written form an alias matches, keyed by its normalised text, with the actor
it names (a number) or, for people, the actors and dates.  The shipped index
is ``stance/data/actors.json`` (with ``actors_info.json``: aliases, people and
credits for ``stance actors``), written by ``tools/build_actors.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import _toml
from ..errors import ActorDictionaryError

ACTOR_ID = re.compile(r"[A-Z][A-Z0-9]{0,11}(?:-[A-Z0-9]{1,8})?")
TOKEN = re.compile(r"\w+|[^\w\s]")
KINDS = ("state", "organisation", "group", "rebels", "actor")
REB = "REB"                     # the Syrian armed opposition (core id)
BARE = "@bare"                  # placeholder actor of a bare group noun
BLOCKED_CODE, BARE_CODE, PREFIX_CODE = -1, -2, -3   # in the packed index
REB_SUFFIX = "-REB"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

def normalise(surface: str) -> str:
    """The key a written form is looked up by: whitespace runs as one space, one apostrophe."""
    return re.sub(r"\s+", " ", surface.strip()).replace("’", "'")


def variants(alias: str) -> list[str]:
    """The written forms an alias matches: as written, all capitals, capitalised."""
    forms = {alias}
    if any(c.islower() for c in alias):
        forms.add(alias.upper())
    if alias[:1].islower():
        forms.add(alias[0].upper() + alias[1:])
    return sorted(forms)


def _first_token(key: str) -> str:
    m = TOKEN.match(key)
    return m.group(0) if m else key


@dataclass(frozen=True)
class Person:
    """Someone who speaks for an actor between two dates (``end`` None: still)."""

    name: str
    aliases: tuple[str, ...]
    role: str
    start: str | None
    end: str | None


@dataclass
class Entry:
    """One actor as a source file gives it."""

    id: str
    name: str
    kind: str = "actor"
    region: str = ""
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    where: str = ""               # "FILE:LINE" of the entry, for messages


# --- sources ---------------------------------------------------------------------

_ENTRY_KEYS = {"name", "kind", "region", "aliases", "demonyms", "ambiguous", "blocked", "people"}
_PERSON_KEYS = {"name", "aliases", "role", "from", "to"}
_TOP_KEYS = {"actors", "blocked", "rebels", "replace", "credits"}


@dataclass
class Source:
    """A parsed source file."""

    entries: list[Entry]
    blocked: list[str]
    bare: list[str]
    replace: bool
    credits: list[str]


class _Where:
    """Line numbers of table headers in a TOML text, for messages."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.lines: dict[str, int] = {}
        for n, line in enumerate(text.splitlines(), 1):
            m = re.match(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?", line)
            if m:
                self.lines.setdefault(m.group(1).replace('"', ""), n)

    def __call__(self, table: str) -> str:
        line = self.lines.get(table)
        return f"{self.name}:{line}" if line else self.name


def _strings(value: object, where: str, key: str,
             required: bool = False) -> list[str]:
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise ActorDictionaryError(f"{where}: {key!r} must be a non-empty list of strings, "
                    f"found {type(value).__name__}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ActorDictionaryError(
                f"{where}: {key!r} must hold non-empty strings, found {item!r}")
    return [item.strip() for item in value]


def _date(value: object, where: str, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and DATE.fullmatch(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ActorDictionaryError(f"{where}: {key!r} must be a date YYYY-MM-DD, found {value!r}")


def parse_source(data: Mapping, name: str, text: str) -> Source:
    """Check a parsed TOML source; messages name ``name:LINE`` and the entry."""
    where = _Where(name, text)
    for key in data:
        if key not in _TOP_KEYS:
            raise ActorDictionaryError(f"{name}: top-level key {key!r}: unknown; expected one of "
                        f"{', '.join(sorted(_TOP_KEYS))}")
    replace = data.get("replace", False)
    if not isinstance(replace, bool):
        raise ActorDictionaryError(f"{name}: replace: must be true or false, found {replace!r}")
    actors = data.get("actors", {})
    if not isinstance(actors, dict):
        raise ActorDictionaryError(f"{name}: actors: must be a table of [actors.ID] entries")
    entries = [_parse_entry(actor, raw, where) for actor, raw in actors.items()]
    tables = {}
    for key in ("blocked", "rebels"):
        table = data.get(key, {})
        allowed = {"blocked": {"phrases"}, "rebels": {"nouns"}}[key]
        if not isinstance(table, dict) or set(table) - allowed:
            raise ActorDictionaryError(f"{where(key)}: {key}: must be a table with one key, "
                        f"{next(iter(allowed))!r}")
        tables[key] = _strings(table.get(next(iter(allowed))), where(key), key)
    credits = _strings(data.get("credits"), name, "credits")
    return Source(entries, tables["blocked"], tables["rebels"], replace, credits)


def _parse_entry(actor: str, raw: object, where: _Where) -> Entry:
    loc = f"{where('actors.' + actor)}: actor {actor!r}"
    if not ACTOR_ID.fullmatch(actor):
        raise ActorDictionaryError(f"{loc}: an actor ID is capital letters and digits "
                                   "(at most 12), "
                    "starting with a letter, optionally '-' and a suffix (AFG-REB)")
    if not isinstance(raw, dict):
        raise ActorDictionaryError(f"{loc}: must be a table with 'name' and 'aliases'")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise ActorDictionaryError(f"{loc}: unknown key {sorted(unknown)[0]!r}; expected "
                    f"{', '.join(sorted(_ENTRY_KEYS))}")
    name = raw.get("name", actor)
    kind = raw.get("kind", "actor")
    region = raw.get("region", "")
    for key, value in (("name", name), ("kind", kind), ("region", region)):
        if not isinstance(value, str):
            raise ActorDictionaryError(f"{loc}: {key!r} must be a string, found {value!r}")
    if kind not in KINDS:
        raise ActorDictionaryError(
            f"{loc}: 'kind' must be one of {', '.join(KINDS)}, found {kind!r}")
    people_raw = raw.get("people", [])
    if not isinstance(people_raw, list):
        raise ActorDictionaryError(
            f"{loc}: 'people' must be an array of tables ([[actors.{actor}.people]])")
    people = []
    for n, person in enumerate(people_raw, 1):
        ploc = f"{where('actors.' + actor + '.people')}: actor {actor!r}: person {n}"
        if not isinstance(person, dict) or not isinstance(person.get("name"), str) \
                or not person["name"].strip():
            raise ActorDictionaryError(f"{ploc}: must be a table with a 'name'")
        unknown = set(person) - _PERSON_KEYS
        if unknown:
            raise ActorDictionaryError(f"{ploc}: unknown key {sorted(unknown)[0]!r}; expected "
                        f"{', '.join(sorted(_PERSON_KEYS))}")
        role = person.get("role", "")
        if not isinstance(role, str):
            raise ActorDictionaryError(f"{ploc}: 'role' must be a string, found {role!r}")
        start = _date(person.get("from"), ploc, "from")
        end = _date(person.get("to"), ploc, "to")
        if start and end and end < start:
            raise ActorDictionaryError(f"{ploc}: 'to' {end} is before 'from' {start}")
        people.append(Person(person["name"].strip(),
                             tuple(_strings(person.get("aliases"), ploc, "aliases")),
                             role, start, end))
    aliases = _strings(raw.get("aliases"), loc, "aliases",
                       required=not people and not raw.get("demonyms"))
    entry = Entry(actor, name, kind, region, aliases,
                  _strings(raw.get("demonyms"), loc, "demonyms"),
                  _strings(raw.get("ambiguous"), loc, "ambiguous"),
                  _strings(raw.get("blocked"), loc, "blocked"), people,
                  where("actors." + actor))
    stray = set(entry.ambiguous) - set(entry.aliases) - set(entry.demonyms) - {
        a for p in people for a in (p.name, *p.aliases)}
    if stray:
        raise ActorDictionaryError(f"{loc}: 'ambiguous' names {sorted(stray)[0]!r}, "
                                   "which is not one of "
                    "its aliases")
    return entry


# --- compiling ---------------------------------------------------------------

def rebels_id(state: str) -> str:
    """The id of a state's armed opposition when no group is named."""
    return REB if state == "SYR" else state + REB_SUFFIX


def _overlap(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Whether two terms share a day; ``to`` is the day a term ended (not counted)."""
    return (a[0] or "") < (b[1] or "9999") and (b[0] or "") < (a[1] or "9999")


def _span(start: str | None, end: str | None) -> str:
    return "" if start is None and end is None else f" ({start or '...'} to {end or 'now'})"


def compile_index(sources: Sequence[Source]) -> dict:
    """The index (a JSON-ready dict) of ``sources``, later ones extending earlier ones.

    Raises :class:`ActorDictionaryError` naming the file and entry when an alias names two actors
    over overlapping dates.
    """
    entries: dict[str, Entry] = {}
    blocked: dict[str, str] = {}
    bare: list[str] = []
    credits: list[str] = []
    for source in sources:
        credits += source.credits
        bare += [n for n in source.bare if n not in bare]
        for phrase in source.blocked:
            blocked.setdefault(phrase, "blocked")
        for e in source.entries:
            old = entries.get(e.id)
            if old is None:
                entries[e.id] = Entry(e.id, e.name, e.kind, e.region, list(e.aliases),
                                      list(e.demonyms), list(e.ambiguous), list(e.blocked),
                                      list(e.people), e.where)
                continue
            if e.name != e.id:
                old.name = e.name
            old.kind = e.kind if e.kind != "actor" else old.kind
            old.region = e.region or old.region
            old.aliases += e.aliases
            old.demonyms += e.demonyms
            old.ambiguous += e.ambiguous
            old.blocked += e.blocked
            old.people += e.people
    for e in entries.values():
        for phrase in e.blocked:
            blocked.setdefault(phrase, e.where)

    actors = {e.id: [e.name, e.kind, e.region] for e in entries.values()}
    forms: dict[str, list[list]] = {}
    origin: dict[tuple[str, str | None], tuple[str, str, str | None, str | None, str]] = {}
    ambiguous: set[str] = set()

    def add(alias: str, actor: str, start: str | None, end: str | None, where: str) -> None:
        for form in variants(alias):
            key = normalise(form)
            for other_actor, s, t in forms.get(key, []):
                if other_actor != actor and _overlap((s, t), (start, end)):
                    o_alias, o_where = origin[(key, other_actor)][0], origin[(key, other_actor)][4]
                    raise ActorDictionaryError(
                        f"{where}: alias {alias!r} is given to both {other_actor}"
                        f"{_span(s, t)} and {actor}{_span(start, end)} "
                        f"(also {o_alias!r} at {o_where}); an alias must name one actor "
                        "at a time")
            cand = [actor, start, end]
            if cand not in forms.setdefault(key, []):
                forms[key].append(cand)
                origin.setdefault((key, actor), (alias, actor, start, end, where))

    # In source order, so that a conflict is reported where the later file
    # (a user's, say) gives an alias that an earlier one gave already.
    for source in sources:
        for e in source.entries:
            for alias in dict.fromkeys(e.aliases + e.demonyms):
                add(alias, e.id, None, None, e.where)
            for alias in e.ambiguous:
                ambiguous.update(normalise(f) for f in variants(alias))
            for p in e.people:
                for alias in dict.fromkeys((p.name, *p.aliases)):
                    add(alias, e.id, p.start, p.end, e.where)
    aliases_out: dict[str, list[str]] = {}
    people_out: dict[str, list[list]] = {}
    for e in sorted(entries.values(), key=lambda x: x.id):
        aliases_out[e.id] = list(dict.fromkeys(e.aliases + e.demonyms))
        if e.people:
            people_out[e.id] = [[p.name, p.role, p.start, p.end, list(p.aliases)]
                                for p in e.people]
    # A state's armed opposition, named by its demonym and a group noun.
    for e in sorted(entries.values(), key=lambda x: x.id):
        if e.kind != "state" or not e.demonyms:
            continue
        rid = rebels_id(e.id)
        if rid not in actors:
            actors[rid] = [f"{e.name}: armed opposition", "rebels", e.region]
        generated = [f"{d} {noun}" for d in e.demonyms for noun in bare]
        for alias in generated:
            key = normalise(alias)
            if not any(c[0] not in (rid,) for c in forms.get(key, [])):
                add(alias, rid, None, None, e.where)
        aliases_out.setdefault(rid, [])
        aliases_out[rid] = list(dict.fromkeys(aliases_out[rid] + generated))
    # A person's dated terms are more precise than an undated alias of the
    # same actor ("Obama" in the core file): the terms decide.
    for key, cands in forms.items():
        dated = {c[0] for c in cands if c[1] is not None or c[2] is not None}
        if dated:
            forms[key] = [c for c in cands
                          if not (c[0] in dated and c[1] is None and c[2] is None)]
    for noun in bare:
        for form in variants(noun):
            key = normalise(form)
            if key in forms:
                raise ActorDictionaryError(
                    f"rebels: noun {noun!r} is also an alias of {forms[key][0][0]}")
            forms[key] = [[BARE, None, None]]
    for phrase in blocked:
        for form in variants(phrase):
            forms[normalise(form)] = [[None, None, None]]
    ids = sorted(actors)
    number = {actor: n for n, actor in enumerate(ids)}
    number[None], number[BARE] = BLOCKED_CODE, BARE_CODE  # type: ignore[index]
    packed: dict[str, int | list[list]] = {}
    for key in forms:
        cands = forms[key]
        if len(cands) == 1 and cands[0][1] is None and cands[0][2] is None:
            packed[key] = number[cands[0][0]]
        else:
            packed[key] = [[number[a], s, t] for a, s, t in cands]
    # Every proper prefix of a form, at a token boundary, so that the matcher
    # stops extending a candidate as soon as no form can follow.
    for key in list(forms):
        tokens = list(TOKEN.finditer(key))
        for tok in tokens[:-1]:
            packed.setdefault(key[:tok.end()], PREFIX_CODE)
    starters = sorted({_first_token(key) for key in packed} - {""}, key=lambda t: (-len(t), t))
    return {
        "format": 2,
        "ids": ids,
        "actors": [actors[a] for a in ids],
        "forms": dict(sorted(packed.items())),
        "ambiguous": sorted(ambiguous),
        "starters": [t for t in starters if not t[:1].isupper()],
        "info": {
            "credits": credits,
            "rebel_nouns": bare,
            "aliases": dict(sorted(aliases_out.items())),
            "people": dict(sorted(people_out.items())),
        },
    }


# --- files -------------------------------------------------------------------

def read_source(path: Path) -> Source:
    """Parse one TOML source file; every problem names ``FILE:LINE``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ActorDictionaryError(f"{path}: cannot read actor dictionary: {reason}") from None
    try:
        data = _toml.loads(text)
    except _toml.TOMLDecodeError as exc:
        raise ActorDictionaryError(f"{path}: not valid TOML: {exc}") from None
    return parse_source(data, str(path), text)


def source_files(folder: Path) -> list[Path]:
    """The shipped dictionary's sources: ``core.toml`` first, then the rest by name."""
    files = sorted(folder.glob("*.toml"))
    return sorted(files, key=lambda p: (p.name != "core.toml", p.name))


def index_json(index: Mapping) -> tuple[str, str]:
    """The deterministic JSON texts the package ships: the matching index, and
    the information ``stance actors`` shows (aliases, people, credits)."""
    def dump(obj: object) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"

    return dump({k: v for k, v in index.items() if k != "info"}), dump(index["info"])


def build_index_json(paths: Sequence[Path]) -> tuple[str, str]:
    return index_json(compile_index([read_source(p) for p in paths]))
