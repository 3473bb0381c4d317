"""Parsers for an article's header lines: the byline ("By NAME") and the dateline.

Both work on one line already reduced to plain text (see ``markdown.plain_line``) and match
the *whole* line, so an ordinary sentence that starts with "By" or holds a date never counts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from propscope.languages import DEFAULT_LANGUAGE, get_language


@dataclass(frozen=True)
class _Patterns:
    """A language's header words (``languages``), compiled."""

    months: dict[str, int]
    weekdays: frozenset[str]
    dateline: re.Pattern[str]
    byline: re.Pattern[str]


@cache
def _patterns(language: str) -> _Patterns:
    h = get_language(language).header
    weekday = r"(?:(?:" + h.weekday_pattern + r")\.?,?\s+)?" if h.weekday_pattern else ""
    ordinal = r"(?:" + "|".join(h.ordinal_suffixes) + r")?" if h.ordinal_suffixes else ""
    time = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,5})?)?"
    iso = (r"(?P<year3>\d{4})-(?P<mon3>\d{2})-(?P<day3>\d{2})"
           r"(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?")
    date = (
        r"(?:" + weekday + r"(?P<mon1>[A-Za-z]{3,9})\.?\s+(?P<day1>\d{1,2})" + ordinal
        + r",?\s+(?P<year1>\d{4})"
        r"|" + weekday + r"(?P<day2>\d{1,2})" + ordinal + r"\s+(?P<mon2>[A-Za-z]{3,9})\.?,?\s+"
        r"(?P<year2>\d{4})|" + iso + r")" + time
    )
    outlet = r"(?P<outlet>[A-Z][\w&'’.-]*(?:\s+[\w&'’.-]+){0,5})"
    published = r"(?:" + h.published + r":?\s+)?" if h.published else ""
    dateline = re.compile(r"(?:" + outlet + r",\s+)?" + published + date + r"\s*\.?")
    name = (r"[A-Z][^\W\d_]*(?:['’.-][^\W\d_]+)*\.?"
            r"(?:\s+(?:[A-Z][^\W\d_]*(?:['’.-][^\W\d_]+)*\.?|" + "|".join(h.name_particles) + r")){0,4}")
    joiner = r"(?:" + "|".join(map(re.escape, h.name_joiners)) + r")"
    byline = re.compile(r"(?:" + h.byline + r"):?\s+(?P<names>" + name + r"(?:\s*,?\s+" + joiner + r"\s+"
                        + name + r")?)") if h.byline else re.compile(r"(?!)")
    return _Patterns(h.months, h.weekdays, dateline, byline)


_MAX_LINE = 200  # header lines are short; longer ones are prose


@dataclass(frozen=True)
class Dateline:
    """A date found on a header line, as ISO ``YYYY-MM-DD``, and the outlet named before it."""

    published: str
    outlet: str | None


def parse_byline(line: str, language: str = DEFAULT_LANGUAGE) -> str | None:
    """The author named by a whole-line byline such as ``By Jane Doe``, else ``None``.

    At least two name words are required and the first may not be a day or month name, so
    "By Monday" or "By March 2020" are not bylines.
    """
    words_of = _patterns(language)
    m = words_of.byline.fullmatch(line.strip()) if len(line) <= _MAX_LINE else None
    if not m:
        return None
    words = m.group("names").split()
    first = words[0].lower().rstrip(".")
    if len(words) < 2 or first in words_of.weekdays or first in words_of.months:
        return None
    return m.group("names")


def _iso(year: str, month: str, day: str, months: dict[str, int]) -> str | None:
    mon = int(month) if month.isdigit() else months.get(month.lower().rstrip("."))
    if mon is None:
        return None
    try:
        return dt.date(int(year), mon, int(day)).isoformat()
    except ValueError:
        return None


def parse_dateline(line: str, language: str = DEFAULT_LANGUAGE) -> Dateline | None:
    """Parse a whole line that is a date, optionally after an outlet name.

    ``"Global Research, April 03, 2020"`` gives ``Dateline("2020-04-03", "Global Research")``;
    ``"Published: 3 April 2020"`` gives ``Dateline("2020-04-03", None)``. Anything else on the
    line, or an impossible date, gives ``None``.
    """
    words_of = _patterns(language)
    m = words_of.dateline.fullmatch(line.strip()) if len(line) <= _MAX_LINE else None
    if not m:
        return None
    iso = None
    for i in "123":
        if m.group("year" + i):
            iso = _iso(m.group("year" + i), m.group("mon" + i), m.group("day" + i), words_of.months)
            break
    if iso is None:
        return None
    outlet = m.group("outlet")
    if outlet and (outlet.lower().rstrip(".") in words_of.weekdays or outlet.lower().startswith("by ")):
        outlet = None  # "Friday, April 3, 2020" or "By Jane Doe, April 3, 2020": not an outlet
    return Dateline(iso, outlet)
