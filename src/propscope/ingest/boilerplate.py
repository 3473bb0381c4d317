"""Recognising site boilerplate inside an article: share pleas, disclaimers, author boxes...

Each line is judged on its own, after reducing it to what a reader sees (markdown links,
emphasis and heading hashes removed), against patterns anchored to the whole line or to its
start. Precision comes first: an ordinary sentence that mentions sharing, a source, a
publication or copyright is never marked; a line is marked only when its form is that of a
widget or notice (a call to action at the start of a short line, a "Via Site" line at the top
or bottom, a standard disclaimer formula). Regions cover whole lines, from the first
character to the last before the newline (a CRLF's ``\\r`` excluded).

Kinds: ``syndication_header``, ``syndication_footer``, ``share_plea``, ``subscribe``,
``disclaimer``, ``copyright``, ``author_box``, ``contact``, ``navigation``, ``byline``,
``dateline``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from propscope.document import Region, iter_lines
from propscope.ingest.header import parse_byline, parse_dateline
from propscope.ingest.markdown import plain_line
from propscope.languages import DEFAULT_LANGUAGE, get_language

KINDS = ("syndication_header", "syndication_footer", "share_plea", "subscribe", "disclaimer",
         "copyright", "author_box", "contact", "navigation", "byline", "dateline")

_TOP = 3  # non-empty lines at the top where a "Via Site" header may stand
_HEADER = 6  # non-empty lines at the top where a byline/dateline may stand
_BOTTOM = 3  # non-empty lines at the bottom where a "Via Site" footer may stand
_LONGEST = 1500  # no boilerplate line is longer (the longest are disclaimers)

_SITE_RE = re.compile(
    r"(?:[A-Z0-9][\w&'’.!-]*|[a-z0-9-]+(?:\.[a-z0-9-]+)+)"
    r"(?:\s+(?:[A-Z0-9&][\w&'’.!-]*|of|the|for|and|on|de|la|du|in|[a-z0-9-]+\.[a-z]{2,}))*"
)


_WRAPPED_RE = re.compile(r"(?:<<|«)\s*(?P<inner>.+?)\s*(?:>>|»)")
# A notice, not a photo credit: "© AFP Protesters gather..." is a caption readers read.
_COPYRIGHT_RE = re.compile(r"(?:©|\(c\))\s*\d{4}|Copyright\s*(?:©|\(c\)|\d{4})", re.I)
_NAV_ITEM_RE = re.compile(r"[^!?;:]{1,50}")
_LINKS_ONLY_RE = re.compile(r"[\s*_#>•·|,-]*(?:!?\[[^\]]*\]\([^)\s]*\)[\s*_•·|,.-]*)+")

_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class _Patterns:
    """A language's boilerplate phrases (``languages``), compiled; a phrase the language has
    no table for never matches."""

    origin_lines: tuple[tuple[int, re.Pattern[str]], ...]
    post_first: re.Pattern[str]
    via: re.Pattern[str]
    share_anywhere: re.Pattern[str]
    share: re.Pattern[str]
    share_short: re.Pattern[str]
    subscribe: re.Pattern[str]
    call_words: re.Pattern[str]
    disclaimer: re.Pattern[str]
    disclaimer_anywhere: re.Pattern[str]
    rights: re.Pattern[str]
    about_author: re.Pattern[str]
    articles_by: re.Pattern[str]
    author_bio: re.Pattern[str]
    contact: re.Pattern[str]
    navigation: re.Pattern[str]
    list_words: tuple[str, ...]


@cache
def _patterns(language: str) -> _Patterns:
    b = get_language(language).boilerplate

    def rx(pattern: str, flags: int = re.I) -> re.Pattern[str]:
        return re.compile(pattern, flags) if pattern else _NEVER

    return _Patterns(
        tuple((prio, rx(p)) for prio, p in b.origin_lines), rx(b.post_first), rx(b.via),
        rx(b.share_anywhere), rx(b.share), rx(b.share_short), rx(b.subscribe), rx(b.call_words),
        rx(b.disclaimer), rx(b.disclaimer_anywhere), rx(b.rights), rx(b.about_author),
        rx(b.articles_by), rx(b.author_bio, 0), rx(b.contact), rx(b.navigation), b.list_words)


@dataclass
class BoilerplateScan:
    """Everything found while scanning a text for boilerplate.

    Attributes:
        regions: one region per boilerplate line, in text order.
        republished_from: the site a syndication line ("Via Site", "originally published
            on Site") names as the original publisher.
        origin_kind: the kind of that line (``syndication_header`` or ``syndication_footer``).
        original_title: the title named by a "The post TITLE appeared first on SITE." footer.
        feed_site: the SITE of that footer. A site's own feed adds it to every post, so it
            names the outlet that published this copy; it is a republication source only
            where the copy's outlet is known to be another (``origin_for``).
    """

    regions: list[Region]
    republished_from: str | None = None
    origin_kind: str | None = None
    original_title: str | None = None
    feed_site: str | None = None

    def origin_for(self, outlet: str | None) -> tuple[str | None, str | None]:
        """Where a copy published by ``outlet`` was republished from, and the kind of line
        that says so: a "Via"/"originally published" line, else a feed footer naming a site
        other than ``outlet`` (a copy taken from that site's feed); ``(None, None)``."""
        if self.republished_from:
            return self.republished_from, self.origin_kind
        if self.feed_site and outlet and not same_site(self.feed_site, outlet):
            return self.feed_site, "syndication_footer"
        return None, None


def same_site(a: str, b: str) -> bool:
    """Whether two names of sites are one site's ("The Duran", "theduran.com")."""
    x, y = ("".join(ch for ch in s.casefold() if ch.isalnum()) for s in (a, b))
    return bool(x and y) and (x in y or y in x)


def _site(raw: str) -> str | None:
    site = raw.strip().strip("*_\"'“”‘’").rstrip(".").strip()
    words = site.split()
    # A bare number is a year or a date ("first published in 2016"), not a site.
    if (len(site) <= 60 and len(words) <= 8 and _SITE_RE.fullmatch(site)
            and not any(w.isdigit() for w in words)):
        return site
    return None


def _nav_items(items: str, list_words: tuple[str, ...]) -> bool:
    """Whether ``items`` reads as a list of tags, not a sentence ("the war is over, and ...")."""
    if items.rstrip().endswith("."):
        return False
    parts = [it.strip() for it in re.split(r"[,|]", items)]
    return all(_NAV_ITEM_RE.fullmatch(it) and len(it.split()) <= 6
               and it.split()[0] not in list_words for it in parts)


def _kind(plain: str, raw: str, *, k: int, n: int, author: str | None,
          origins: list[tuple[int, str, str]], scan: BoilerplateScan, language: str) -> str | None:
    """The boilerplate kind of one non-empty line (the k-th of n), or ``None``."""
    rx = _patterns(language)
    size = len(plain)
    if size > _LONGEST:
        return None
    if size <= 400 and (m := rx.post_first.fullmatch(plain)):
        scan.original_title = m.group("title").strip()
        scan.feed_site = _site(m.group("site"))
        return "syndication_footer"
    if ((k < _TOP or k >= n - _BOTTOM) and size <= 80 and (m := rx.via.fullmatch(plain))
            and (site := _site(m.group("site")))):
        kind = "syndication_header" if k < _TOP else "syndication_footer"
        origins.append((0, site, kind))
        return kind
    if size <= 300:
        for prio, origin in rx.origin_lines:
            if (m := origin.fullmatch(plain)) and (site := _site(m.group("site"))):
                origins.append((prio, site, "syndication_footer"))
                return "syndication_footer"
    if (rx.disclaimer.match(plain) or rx.disclaimer_anywhere.search(plain)):
        return "disclaimer"
    if size <= 500 and (rx.share.match(plain) or rx.share_anywhere.search(plain)
                        or (size <= 120 and rx.share_short.match(plain))):
        return "share_plea"
    wrapped = _WRAPPED_RE.fullmatch(plain)
    if size <= 300 and (rx.subscribe.match(plain)
                        or (wrapped and rx.call_words.search(wrapped.group("inner")))):
        return "subscribe"
    if size <= 250 and (_COPYRIGHT_RE.match(plain) or rx.rights.fullmatch(plain)):
        return "copyright"
    if size <= 200 and rx.contact.fullmatch(plain):
        return "contact"
    if rx.about_author.fullmatch(plain) or rx.articles_by.fullmatch(plain):
        return "author_box"
    if k >= n // 2 and size <= 1000 and (
            (author and plain.startswith(f"{author} is ")) or rx.author_bio.fullmatch(plain)):
        return "author_box"
    if ((m := rx.navigation.fullmatch(plain)) and _nav_items(m.group("items"), rx.list_words)) or wrapped:
        return "navigation"
    if k > 0 and _LINKS_ONLY_RE.fullmatch(raw):
        return "navigation"
    if k < _HEADER and parse_byline(plain, language):
        return "byline"
    if k < _HEADER and parse_dateline(plain, language):
        return "dateline"
    return None


def scan_boilerplate(text: str, language: str = DEFAULT_LANGUAGE) -> BoilerplateScan:
    """Find boilerplate lines, the republication source and a syndicated title in ``text``,
    by the phrases of ``language`` (``languages``)."""
    lines = [(s, e) for _, s, e in iter_lines(text) if text[s:e].strip()]
    n = len(lines)
    author = next((a for s, e in lines[:_HEADER]
                   if (a := parse_byline(plain_line(text[s:e]), language))), None)
    scan = BoilerplateScan(regions=[])
    origins: list[tuple[int, str, str]] = []
    after_about = False
    for k, (start, end) in enumerate(lines):
        raw = text[start:end]
        if len(raw) > 4 * _LONGEST:  # far too long even with markup: prose, skip the parsing
            after_about = False
            continue
        plain = plain_line(raw)
        kind = _kind(plain, raw, k=k, n=n, author=author, origins=origins, scan=scan, language=language)
        if kind is None and after_about and len(plain) <= 1000:
            kind = "author_box"  # the paragraph under an "About the author" heading
        after_about = kind == "author_box" and bool(_patterns(language).about_author.fullmatch(plain))
        if kind is not None:
            scan.regions.append(Region(start, end, kind))
    if origins:
        _, scan.republished_from, scan.origin_kind = min(origins, key=lambda o: o[0])
    return scan


def find_boilerplate(text: str, language: str = DEFAULT_LANGUAGE) -> tuple[list[Region], str | None]:
    """Regions of site boilerplate in ``text`` and the republication source, if one is named.

    Returns:
        ``(regions, republished_from)``: whole-line regions in text order, and the original
        publisher named by a syndication line ("Via Strategic Culture" -> "Strategic
        Culture"), or ``None``. When several lines name one, "Via"/"Source" lines win over
        "originally published on", which wins over "The original source of this article
        is". A "The post X appeared first on Site." footer names the copy's own outlet, not
        an original (``BoilerplateScan.feed_site``).
    """
    scan = scan_boilerplate(text, language)
    return scan.regions, scan.republished_from
