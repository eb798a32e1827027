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
  state the document is about: ``REB`` for Syria, ``<ISO3>-REB`` otherwise.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..schema import Mention
from .sources import BARE_CODE, TOKEN, rebels_id

# Capitalised words that may stand before an ambiguous alias without making
# it part of a longer name ("In Jordan", "Monday Chad said").
_NOT_NAMES = frozenset(
    "A An And As At But By During For From If In Into Of On Or Since The Then To "
    "When While With Without Why What Where After Before Between Both Neither "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
    "April May June July August September October November December President Prime "
    "Minister King Queen Emir Sultan Government Army".split())
_OPENERS = frozenset('.:;!?"\'\u201c\u2018(\u2014\u2013-')

@dataclass(frozen=True)
class Match:
    """A dictionary form found in a text, before it is resolved to an actor."""

    start: int
    end: int
    key: str


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
        self.first: dict[str, int] = index["first"]
        self.ambiguous = frozenset(index["ambiguous"])
        self.actors: dict[str, list[str]] = dict(zip(self.ids, index["actors"], strict=True))

    @classmethod
    def from_json(cls, text: str, info: Mapping | None = None) -> ActorDictionary:
        return cls(json.loads(text), info)

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
        """Leftmost-longest dictionary forms in ``text`` (blocked ones included)."""
        toks = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        forms, first = self.forms, self.first
        out: list[Match] = []
        n, i = len(toks), 0
        while i < n:
            start, end, tok = toks[i]
            if tok == "’":
                tok = "'"
            longest = first.get(tok)
            if not longest:
                i += 1
                continue
            best = i + 1 if tok in forms else 0
            best_key, key, last = tok, tok, end
            for j in range(i + 1, min(n, i + longest)):
                s, e, t = toks[j]
                key += (" " if s > last else "") + ("'" if t == "’" else t)
                last = e
                if key in forms:
                    best, best_key = j + 1, key
            if best and not (best_key in self.ambiguous
                             and _inside_name(text, toks, i, best)):
                out.append(Match(start, toks[best - 1][1], best_key))
                i = best
            else:
                i += 1
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
        day = date.isoformat() if date else None
        scanned = [self.scan(t) for t in texts]
        if country is None:
            country = self.main_state(
                self.resolve(m.key, day, None) for ms in scanned for m in ms)
        result = []
        for text, ms, off in zip(texts, scanned, offsets, strict=True):
            found = []
            prev_end = -1
            for m in ms:
                # "Houthi rebels", "M23 rebels": the noun only repeats the group.
                after_name = 0 <= prev_end < m.start and text[prev_end:m.start].isspace()
                prev_end = m.end
                if after_name and self.forms[m.key] == BARE_CODE:
                    continue
                actor = self.resolve(m.key, day, country)
                if actor is not None:
                    found.append(Mention(actor, text[m.start:m.end], m.start + off, m.end + off))
            result.append(found)
        return result

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


def _inside_name(text: str, toks: list[tuple[int, int, str]], i: int, j: int) -> bool:
    """Whether tokens ``i:j`` stand inside a longer capitalised name.

    A capitalised word before them counts unless it opens the text or a new
    clause (it is capitalised by position: "Can Turkey ...", "Analysis: How
    Turkey ...").
    """
    if i > 0:
        s, e, t = toks[i - 1]
        opens = i == 1 or toks[i - 2][2] in _OPENERS
        if t[:1].isupper() and not opens and t not in _NOT_NAMES \
                and text[e:toks[i][0]].isspace():
            return True
    if j < len(toks):
        s, e, t = toks[j]
        if t[:1].isupper() and t not in _NOT_NAMES and text[toks[j - 1][1]:s].isspace():
            return True
    return False


