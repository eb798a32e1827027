"""Page-furniture filter: which lines of a scraped page are not article text.

The rules are data (``stance/data/furniture.toml``); each is a pattern that
must match a whole trimmed line.  Two rules are code: ``repeat`` drops a line
identical to an earlier kept line (a headline printed twice) and ``no-words``
drops a line without letters.  :func:`classify_lines` names the rule that drops
each line, so the choice can be listed and tested.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .. import _toml
from .._resources import read_text

_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class FurnitureRule:
    """A named pattern; ``section`` rules drop the rest of the document too."""

    name: str
    pattern: re.Pattern[str]
    description: str = ""
    section: bool = False
    requires: tuple[str, ...] = ()

    def matches(self, line: str) -> bool:
        return self.pattern.fullmatch(line) is not None


@lru_cache(maxsize=8)
def combined_pattern(rules: tuple[FurnitureRule, ...]) -> re.Pattern[str]:
    """The rules without ``requires`` in one regex, one named group per rule, in order.

    One ``fullmatch`` per line instead of one per rule; the group that matched
    names the rule.
    """
    parts = []
    for i, rule in enumerate(rules):
        if rule.requires:
            continue
        flag = "i" if rule.pattern.flags & re.IGNORECASE else "-i"
        parts.append(f"(?P<r{i}>(?{flag}:{rule.pattern.pattern}))")
    return re.compile("|".join(parts))


@lru_cache(maxsize=1)
def default_rules() -> tuple[FurnitureRule, ...]:
    """The packaged rules, compiled once."""
    data = _toml.loads(read_text("furniture.toml"))
    rules = []
    for entry in data["rule"]:
        flags = 0 if entry.get("case", False) else re.IGNORECASE
        rules.append(
            FurnitureRule(
                name=entry["name"],
                pattern=re.compile(entry["pattern"], flags),
                description=entry.get("description", ""),
                section=entry.get("section", False),
                requires=tuple(entry.get("requires", ())),
            )
        )
    return tuple(rules)


def _first_match(line: str, rules: tuple[FurnitureRule, ...],
                 combined: re.Pattern[str]) -> FurnitureRule | None:
    """The first rule, in file order, that matches the whole line."""
    m = combined.fullmatch(line)
    first = int(m.lastgroup[1:]) if m and m.lastgroup else len(rules)
    lowered = line.lower()
    for rule in rules[:first]:
        if rule.requires and any(w in lowered for w in rule.requires) and rule.matches(line):
            return rule
    return rules[first] if m else None


def classify_lines(
    lines: Sequence[str], rules: Sequence[FurnitureRule] | None = None
) -> list[str | None]:
    """For each line, the name of the rule that drops it, or None to keep it.

    Blank lines are neither kept nor dropped: they get None and carry no text.
    """
    rules = default_rules() if rules is None else tuple(rules)
    combined = combined_pattern(rules)
    verdicts: list[str | None] = []
    seen: set[str] = set()
    section: str | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            verdicts.append(None)
            continue
        if section is not None:
            verdicts.append(section)
            continue
        verdict = None
        if not _LETTER.search(line):
            verdict = "no-words"
        elif line in seen:
            verdict = "repeat"
        else:
            rule = _first_match(line, rules, combined)
            if rule is not None:
                verdict = rule.name
                if rule.section:
                    section = rule.name
        if verdict is None:
            seen.add(line)
        verdicts.append(verdict)
    return verdicts
