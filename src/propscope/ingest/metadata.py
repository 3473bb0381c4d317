"""Metadata that is evident from an article's own text: title, author, date, outlet.

Only the header lines are read (the first few non-empty lines), each matched as a whole, so
guesses stay conservative: a field is left ``None`` rather than filled with a doubtful value.
The text itself is never changed.
"""

from __future__ import annotations

from propscope.document import (
    BYLINE,
    DATELINE,
    SYNDICATION_FOOTER,
    SYNDICATION_HEADER,
    TITLE_LINE,
    Metadata,
    iter_lines,
)
from propscope.ingest.boilerplate import scan_boilerplate
from propscope.ingest.header import parse_byline, parse_dateline
from propscope.ingest.markdown import plain_line

HEADER_LINES = 6  # non-empty lines searched for a byline and a dateline
MAX_TITLE_CHARS = 200  # a longer first line is a paragraph, not a title
# Where a value read from a boilerplate line came from, by the line's kind.
LINE_SOURCES = {"syndication_header": SYNDICATION_HEADER, "syndication_footer": SYNDICATION_FOOTER}


def guess_metadata(text: str) -> Metadata:
    """Metadata evident from ``text`` (plain or markdown-like), each value with its source
    (``Metadata.sources``).

    - ``title``: the first non-empty line that is not boilerplate (markdown ``#`` and markup
      removed), when it is at most 200 characters; else the title named by a "The post TITLE
      appeared first on SITE." footer.
    - ``author``: from a whole-line byline near the top ("By NAME", "By [NAME](#)").
    - ``published`` (ISO date) and ``outlet``: from a whole-line dateline near the top
      ("Global Research, April 03, 2020").
    - ``outlet``, where no dateline names one: the SITE of a "The post TITLE appeared first on
      SITE." footer, which a site's own feed adds to its posts.
    - ``republished_from``: the site a syndication line ("Via Site") names; or that footer's
      SITE where the dateline names another outlet (a copy taken from the site's feed).
    """
    scan = scan_boilerplate(text)
    skip = {r.start for r in scan.regions}
    meta = Metadata()
    header = [(s, e) for _, s, e in iter_lines(text) if text[s:e].strip()][:HEADER_LINES]
    for start, end in header:
        plain = plain_line(text[start:end])
        if meta.author is None and (author := parse_byline(plain)):
            meta.fill_from(BYLINE, author=author)
        elif meta.published is None and (dateline := parse_dateline(plain)):
            meta.fill_from(DATELINE, published=dateline.published, outlet=dateline.outlet)
    meta.fill_from(SYNDICATION_FOOTER, outlet=scan.feed_site)
    origin, kind = scan.origin_for(meta.outlet)
    if origin and kind:
        meta.fill_from(LINE_SOURCES[kind], republished_from=origin)
    # The title is the first line that is not boilerplate, and only that line.
    first = next(((s, e) for s, e in header if s not in skip), None)
    if first is not None:
        plain = plain_line(text[first[0]:first[1]])
        if len(plain) <= MAX_TITLE_CHARS and any(c.isalnum() for c in plain):
            meta.fill_from(TITLE_LINE, title=plain)
    meta.fill_from(SYNDICATION_FOOTER, title=scan.original_title)
    return meta
