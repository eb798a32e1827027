"""What ``stance actors`` shows: an actor's entry, how mentions resolve, and
which capitalised names in a set of documents no actor matched."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from ..io.documents import Document
from ..text.segment import segment_document
from .dictionary import ActorDictionary
from .sources import BARE_CODE, BLOCKED_CODE, PREFIX_CODE, rebels_id


def actor_table(actors: ActorDictionary) -> list[dict[str, Any]]:
    """One row per actor: id, name, kind, region, number of aliases and people."""
    info = actors.info
    return [{"id": a, "name": actors.name(a), "kind": actors.kind(a), "region": actors.region(a),
             "aliases": len(info["aliases"].get(a, [])), "people": len(info["people"].get(a, []))}
            for a in actors.actor_ids]


def actor_entry(actors: ActorDictionary, actor: str) -> dict[str, Any]:
    """Everything the dictionary knows of one actor."""
    if actor not in actors.actors:
        raise UsageError(f"unknown actor {actor!r}; 'stance actors list' shows the ids")
    info = actors.info
    people = [{"name": p[0], "role": p[1], "from": p[2], "to": p[3], "aliases": p[4]}
              for p in info["people"].get(actor, [])]
    return {"id": actor, "name": actors.name(actor), "kind": actors.kind(actor),
            "region": actors.region(actor), "aliases": info["aliases"].get(actor, []),
            "people": people}


@dataclass(frozen=True)
class Resolution:
    """How one dictionary form in a text resolved."""

    text: str
    start: int
    end: int
    actor: str | None
    why: str


def explain(actors: ActorDictionary, text: str, date: datetime.date | None = None,
            country: str | None = None) -> list[Resolution]:
    """Each dictionary form found in ``text``, the actor it names and why, resolved
    as ``stance segment`` resolves a document of that text: sentence by sentence,
    with no furniture pattern applied (a line repeating an earlier one is still
    skipped, as segmentation skips it)."""
    day = date.isoformat() if date else None
    sentences = segment_document(Document("text", text, "-"), rules=()).sentences
    country, resolved = actors.resolve_document([s.text for s in sentences], date, country)
    out = []
    for sent, found in zip(sentences, resolved, strict=True):
        for m, actor, repeats in found:
            entry = actors.forms[m.key]
            if entry == BLOCKED_CODE:
                why = "blocked phrase: names nobody"
            elif repeats:
                why = "group noun after a name: repeats that name, names nobody"
            elif entry == BARE_CODE:
                why = (f"group noun: the armed opposition of {country} ({rebels_id(country)})"
                       if country else "group noun: no country known, names nobody")
            elif isinstance(entry, int):
                why = f"alias of {actor}"
            else:
                terms = ", ".join(f"{actors.ids[n]} {s or '...'} to {e or 'now'}"
                                  for n, s, e in entry if n >= 0)
                when = f"on {day}" if day else "with no date"
                why = f"person ({terms}); {when}: " + (actor or "nobody")
            start, end = sent.start + m.start, sent.start + m.end
            out.append(Resolution(text[start:end], start, end, actor, why))
    return out


_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:al|el|bin|ibn|de|du|da|del|van|von|of|the)"
                   r"[\s-]+)?[A-Z][\w'’.-]*)*")
_COMMON = frozenset(
    "A An The In On At For From By With And But Of To As After Before During Since While "
    "When Where What Why How If It Its He She They We I This That These Those There Here "
    "Mr Mrs Ms Dr President Prime Minister Foreign Defence Defense General Gen Lieutenant "
    "Colonel King Prince Sheikh Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "January February March April May June July August September October November "
    "December Read Share Photo Tags Related Comments Advertisement".split())


def coverage(documents: Iterable[Document], actors: ActorDictionary,
             limit: int | None = None) -> list[tuple[str, int]]:
    """Capitalised names in the documents' sentences that no dictionary form
    covers, most frequent first (ties by name): what a user may want to add."""
    counts: Counter[str] = Counter()
    for doc in documents:
        for sent in segment_document(doc).sentences:
            covered = [(m.start, m.end) for m in actors.scan(sent.text)]
            for m in _NAME.finditer(sent.text):
                if any(s < m.end() and m.start() < e for s, e in covered):
                    continue
                words = m.group(0).rstrip(".'’-").split()
                while words and words[0] in _COMMON:      # "In Zenda": Zenda
                    words.pop(0)
                if words:
                    counts[" ".join(words)] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:limit] if limit else ranked


def summary(actors: ActorDictionary) -> Mapping[str, int]:
    """Counts for ``stance actors list --summary`` and the README."""
    info = actors.info
    kinds = Counter(actors.kind(a) for a in actors.actor_ids)
    return {"actors": len(actors.actor_ids), **{f"kind:{k}": n for k, n in sorted(kinds.items())},
            "aliases": sum(len(v) for v in info["aliases"].values()),
            "people": sum(len(v) for v in info["people"].values()),
            "forms": sum(1 for code in actors.forms.values() if code != PREFIX_CODE)}
