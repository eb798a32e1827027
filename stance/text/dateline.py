"""The date of a document from its dateline.

News pages carry their date on a line of its own ("Published: 24 March
2013", "Last updated 09:50 GMT, 25 November 2015", "Jan 29, 2022 7:15 AM",
"18-05-2017"), which the segmenter drops as furniture.  :func:`find_date`
reads the first such date, so that actor resolution knows who held which
office when the article was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

_MONTHS = {m[:3].lower(): n for n, m in enumerate(
    "January February March April May June July August September October November "
    "December".split(), 1)}
_MONTH = r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_PATTERNS = [
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
    re.compile(r"\b(?P<day>\d\d)[-./](?P<month>\d\d)[-./](?P<year>(?:19|20)\d\d)\b"),
]


def parse_date(line: str) -> date | None:
    """The first date written in ``line``, or None."""
    found: list[tuple[int, date]] = []
    for pattern in _PATTERNS:
        m = pattern.search(line)
        if not m:
            continue
        month = m.group("month")
        number = int(month) if month.isdigit() else _MONTHS[month[:3].lower()]
        try:
            found.append((m.start(), date(int(m.group("year")), number, int(m.group("day")))))
        except ValueError:
            continue
    return min(found)[1] if found else None


def find_date(lines: Iterable[str]) -> date | None:
    """The first date on any of ``lines`` (the document's dropped furniture)."""
    for line in lines:
        day = parse_date(line)
        if day is not None:
            return day
    return None
