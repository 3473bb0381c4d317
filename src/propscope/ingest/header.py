"""Parsers for an article's header lines: the byline ("By NAME") and the dateline.

Both work on one line already reduced to plain text (see ``markdown.plain_line``) and match
the *whole* line, so an ordinary sentence that starts with "By" or holds a date never counts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    name: i
    for i, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")),
        start=1)
    for name in names
}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}

_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,5})?)?"
_DATE = (
    r"(?:" + _WEEKDAY + r"(?P<mon1>[A-Za-z]{3,9})\.?\s+(?P<day1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year1>\d{4})"
    r"|" + _WEEKDAY + r"(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon2>[A-Za-z]{3,9})\.?,?\s+(?P<year2>\d{4})"
    r"|(?P<year3>\d{4})-(?P<mon3>\d{2})-(?P<day3>\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r")" + _TIME
)
_OUTLET = r"(?P<outlet>[A-Z][\w&'’.-]*(?:\s+[\w&'’.-]+){0,5})"
_DATELINE_RE = re.compile(
    r"(?:" + _OUTLET + r",\s+)?(?:(?:Published|Posted|First published)(?:\s+on)?:?\s+)?" + _DATE
    + r"\s*\.?"
)

_NAME = (r"[A-Z][^\W\d_]*(?:['’.-][^\W\d_]+)*\.?"
         r"(?:\s+(?:[A-Z][^\W\d_]*(?:['’.-][^\W\d_]+)*\.?|de|da|di|del|der|van|von|bin|al|la|le)){0,4}")
_BYLINE_RE = re.compile(r"(?:By|BY|by):?\s+(?P<names>" + _NAME + r"(?:\s*,?\s+(?:and|&)\s+" + _NAME
                        + r")?)")


_MAX_LINE = 200  # header lines are short; longer ones are prose


@dataclass(frozen=True)
class Dateline:
    """A date found on a header line, as ISO ``YYYY-MM-DD``, and the outlet named before it."""

    published: str
    outlet: str | None


def parse_byline(line: str) -> str | None:
    """The author named by a whole-line byline such as ``By Jane Doe``, else ``None``.

    At least two name words are required and the first may not be a day or month name, so
    "By Monday" or "By March 2020" are not bylines.
    """
    m = _BYLINE_RE.fullmatch(line.strip()) if len(line) <= _MAX_LINE else None
    if not m:
        return None
    words = m.group("names").split()
    first = words[0].lower().rstrip(".")
    if len(words) < 2 or first in _WEEKDAYS or first in _MONTHS:
        return None
    return m.group("names")


def _iso(year: str, month: str, day: str) -> str | None:
    mon = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
    if mon is None:
        return None
    try:
        return dt.date(int(year), mon, int(day)).isoformat()
    except ValueError:
        return None


def parse_dateline(line: str) -> Dateline | None:
    """Parse a whole line that is a date, optionally after an outlet name.

    ``"Global Research, April 03, 2020"`` gives ``Dateline("2020-04-03", "Global Research")``;
    ``"Published: 3 April 2020"`` gives ``Dateline("2020-04-03", None)``. Anything else on the
    line, or an impossible date, gives ``None``.
    """
    m = _DATELINE_RE.fullmatch(line.strip()) if len(line) <= _MAX_LINE else None
    if not m:
        return None
    iso = None
    for i in "123":
        if m.group("year" + i):
            iso = _iso(m.group("year" + i), m.group("mon" + i), m.group("day" + i))
            break
    if iso is None:
        return None
    outlet = m.group("outlet")
    if outlet and (outlet.lower().rstrip(".") in _WEEKDAYS or outlet.lower().startswith("by ")):
        outlet = None  # "Friday, April 3, 2020" or "By Jane Doe, April 3, 2020": not an outlet
    return Dateline(iso, outlet)
