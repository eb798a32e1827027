"""The actor dictionary: finding and resolving mentions.

Sources are TOML files (``tools/actors/*.toml`` for the shipped dictionary, or
a user's ``--actors FILE``).  They are compiled into an *index*: every written
form an alias matches, keyed by its normalised text, with the actors it may
name and the dates between which it names them.  The shipped index is
``stance/data/actors.json``, built by ``tools/build_actors.py``; loading it is
a JSON read, and matching is a walk over the sentence's tokens with dictionary
look-ups, so its cost grows with the sentence, not with the dictionary.

Matching rules (tested in ``tests/actors``):

* Case matters: an alias matches as written, in all capitals, and, when it
  starts in lower case, capitalised.
* Whole tokens; a hyphen, slash or apostrophe is a boundary ("US-led",
  "Syria's"); whitespace inside an alias matches any run of whitespace; a
  straight apostrophe matches a curly one.
* The longest form wins, leftmost first; blocked phrases win the same way and
  name nobody.
* A person's alias names the actor they spoke for on the document's date; out
  of office they name nobody.  Without a date, a person names an actor only
  when every term they held was for that actor.
* An *ambiguous* alias ("Jordan", "Chad", "Georgia") does not match as part
  of a longer capitalised name ("Michael Jordan", "Jordan River").
* A bare group noun ("rebels", "insurgents") names the armed opposition of the
  state the document is about: ``REB`` for Syria, ``<ISO3>-REB`` otherwise;
  right after another form in its sentence ("Houthi rebels", "M23 rebels") it
  only repeats that name and names nobody.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..schema import Mention
from .sources import BARE_CODE, PREFIX_CODE, rebels_id

# Capitalised words that may stand before an ambiguous alias without making
# it part of a longer name ("In Jordan", "Monday Chad said").
_NOT_NAMES = frozenset(
    "A An And As At But By During For From If In Into Of On Or Since The Then To "
    "When While With Without Why What Where After Before Between Both Neither "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
    "April May June July August September October November December President Prime "
    "Minister King Queen Emir Sultan Government Army".split())
_CAPITAL = "[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f]"
_NEXT = re.compile(r"\s*(\w+|[^\w\s])")
# The word before a match (group 2) and the token before that word (group 1,
# empty at the start of the text); the word after a match.
_BEFORE = re.compile(r"(?:((?<!\w)\w+|[^\w\s])\s*|^)(?<!\w)(\w+)\s+$")
_AFTER = re.compile(r"\s+(\w+)")
_OPENERS = frozenset('.:;!?"\'\u201c\u2018(\u2014\u2013-')

@dataclass(frozen=True)
class Match:
    """A dictionary form found in a text, before it is resolved to an actor."""

    start: int
    end: int
    key: str


#: A form found in a sentence, the actor it names there (None: nobody) and whether it
#: is a group noun that only repeats the name before it.  A plain tuple: one is made
#: per form on prediction's hot path.
Resolved = tuple[Match, "str | None", bool]


class ActorDictionary:
    """A compiled actor dictionary that finds mentions and resolves them.

    Parameters
    ----------
    index : dict
        An index as :func:`stance.actors.sources.compile_index` returns it.
    info : dict, optional
        Aliases, people and credits, for display (``stance actors``).

    Examples
    --------
    >>> from stance.actors.sources import compile_index, parse_source
    >>> source = parse_source({"actors": {"EGY": {"name": "Egypt", "kind": "state",
    ...                                           "aliases": ["Egypt", "Cairo"]}}}, "x.toml", "")
    >>> actors = ActorDictionary(compile_index([source]))
    >>> [(m.actor, m.text) for m in actors.find("Cairo said so.")]
    [('EGY', 'Cairo')]
    """

    def __init__(self, index: Mapping, info: Mapping | None = None) -> None:
        self.index = index
        self._info = info if info is not None else index.get("info")
        self.ids: list[str] = list(index["ids"])
        self.forms: dict[str, int | list[list]] = index["forms"]
        self.ambiguous = frozenset(index["ambiguous"])
        lower = "".join(f"|{re.escape(t)}" + (r"(?!\w)" if t[-1:].isalnum() else "")
                        for t in index["starters"])
        self._start = re.compile(rf"(?<![\w'\u2019])({_CAPITAL}\w*{lower})")
        self.actors: dict[str, list[str]] = dict(zip(self.ids, index["actors"], strict=True))

    #: True for the packaged dictionary, which pickles as a reference to
    #: itself (a trained model does not carry a copy of it).
    packaged = False

    @classmethod
    def from_json(cls, text: str, info: Mapping | None = None) -> ActorDictionary:
        return cls(json.loads(text), info)

    def __reduce__(self) -> tuple:
        if self.packaged:
            return (_packaged_dictionary, ())
        return (ActorDictionary, (self.index, self._info))

    @property
    def info(self) -> Mapping:
        """Aliases, people and credits (loaded when first asked for)."""
        if self._info is None:
            from .loaders import default_info

            self._info = default_info()
        return self._info

    @property
    def actor_ids(self) -> list[str]:
        return list(self.ids)

    def name(self, actor: str) -> str:
        return self.actors[actor][0]

    def kind(self, actor: str) -> str:
        return self.actors[actor][1]

    def region(self, actor: str) -> str:
        return self.actors[actor][2]

    def scan(self, text: str) -> list[Match]:
        """Leftmost-longest dictionary forms in ``text`` (blocked ones included).

        Candidates are the tokens that start with a capital letter or with one
        of the few lower-case first tokens of the dictionary (``al``,
        ``rebels``, ...), found by one regex; from each, tokens are added
        while the text so far is a form or the prefix of one.
        """
        forms, nxt = self.forms, _NEXT.match
        out: list[Match] = []
        cursor = 0
        for start_match in self._start.finditer(text):
            begin = start_match.start()
            if begin < cursor:
                continue
            key = start_match.group(1)
            code = forms.get(key)
            if code is None:
                continue
            last = start_match.end()
            best_end, best_key = (last, key) if code != PREFIX_CODE else (-1, key)
            while True:
                m = nxt(text, last)
                if m is None:
                    break
                tok = m.group(1)
                key += (" " if m.start(1) > last else "") + ("'" if tok == "\u2019" else tok)
                last = m.end()
                code = forms.get(key)
                if code is None:
                    break
                if code != PREFIX_CODE:
                    best_end, best_key = last, key
            if best_end < 0 or (best_key in self.ambiguous
                                and _inside_name(text, begin, best_end)):
                continue
            out.append(Match(begin, best_end, best_key))
            cursor = best_end
        return out

    def resolve(self, key: str, day: str | None, country: str | None) -> str | None:
        """The actor the form ``key`` names on ``day`` (ISO date, or None for
        unknown) in a document about ``country``; None for nobody."""
        entry = self.forms[key]
        if isinstance(entry, int):
            if entry >= 0:
                return self.ids[entry]
            if entry == BARE_CODE and country is not None:
                rid = rebels_id(country)
                return rid if rid in self.actors else None
            return None
        found = set()
        for number, start, end in entry:
            if number < 0:
                return None
            if day is None or ((start is None or start <= day) and (end is None or day < end)):
                found.add(number)
        return self.ids[found.pop()] if len(found) == 1 else None

    def find(self, text: str, offset: int = 0, date: datetime.date | None = None,
             country: str | None = None) -> list[Mention]:
        """Mentions in ``text``, offsets shifted by ``offset``.

        ``date`` is the document's date (None: unknown); ``country`` the state
        the document is about (None: the state ``text`` names most).
        """
        return self.find_document([text], [offset], date, country)[0]

    def find_document(self, texts: Sequence[str], offsets: Sequence[int],
                      date: datetime.date | None = None,
                      country: str | None = None) -> list[list[Mention]]:
        """Mentions in the sentences of one document, resolved together.

        With no ``country``, bare group nouns ("rebels") name the armed
        opposition of the state the document names most (ties: first named).
        """
        _, resolved = self.resolve_document(texts, date, country)
        return [[Mention(actor, text[m.start:m.end], m.start + off, m.end + off)
                 for m, actor, _ in found if actor is not None]
                for text, found, off in zip(texts, resolved, offsets, strict=True)]

    def resolve_document(self, texts: Sequence[str], date: datetime.date | None = None,
                         country: str | None = None
                         ) -> tuple[str | None, list[list[Resolved]]]:
        """The country bare group nouns were read for (``country``, else the state
        the document names most, when it has such nouns), and every form found in
        each sentence with the actor it names there."""
        day = date.isoformat() if date else None
        forms, resolve = self.forms, self.resolve
        scanned = [self.scan(t) for t in texts]
        # Resolve every form but the bare group nouns, which wait for the country.
        resolved = [[None if forms[m.key] == BARE_CODE else resolve(m.key, day, None)
                     for m in ms] for ms in scanned]
        if country is None and any(forms[m.key] == BARE_CODE for ms in scanned for m in ms):
            country = self.main_state(a for actors in resolved for a in actors)
        result = []
        for text, ms, actors in zip(texts, scanned, resolved, strict=True):
            found = []
            prev_end = -1
            for m, actor in zip(ms, actors, strict=True):
                repeats = False
                if forms[m.key] == BARE_CODE:
                    # "Houthi rebels", "M23 rebels": the noun only repeats the group.
                    repeats = 0 <= prev_end < m.start and text[prev_end:m.start].isspace()
                    actor = None if repeats else resolve(m.key, day, country)
                prev_end = m.end
                found.append((m, actor, repeats))
            result.append(found)
        return country, result

    def main_state(self, actors: Iterable[str | None]) -> str | None:
        """The state named most often (ties: the first named), or None."""
        counts: Counter[str] = Counter()
        order: dict[str, int] = {}
        for actor in actors:
            if actor is not None and self.actors[actor][1] == "state":
                counts[actor] += 1
                order.setdefault(actor, len(order))
        if not counts:
            return None
        return min(counts, key=lambda a: (-counts[a], order[a]))


def _inside_name(text: str, begin: int, end: int) -> bool:
    """Whether ``text[begin:end]`` stands inside a longer capitalised name.

    A capitalised word before it counts unless it opens the text or a new
    clause (it is capitalised by position: "Can Turkey ...", "Analysis: How
    Turkey ..."); a capitalised word after it always counts.
    """
    window = max(0, begin - 200)
    before = _BEFORE.search(text[window:begin])
    if before and before.group(2)[:1].isupper() and before.group(2) not in _NOT_NAMES \
            and before.group(1) is not None and before.group(1) not in _OPENERS:
        return True
    after = _AFTER.match(text, end)
    return bool(after and after.group(1)[:1].isupper() and after.group(1) not in _NOT_NAMES)


def _packaged_dictionary() -> ActorDictionary:
    """The packaged dictionary (what a pickled reference to it loads)."""
    from .loaders import default_actors

    return default_actors()
