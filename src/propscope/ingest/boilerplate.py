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

from propscope.document import Region, iter_lines
from propscope.ingest.header import parse_byline, parse_dateline
from propscope.ingest.markdown import plain_line

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


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# (priority, pattern with a <site> group): a lower priority names the origin more directly.
_ORIGIN_LINES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, _rx(r"(?:This (?:article|piece|story|post|essay|column|commentary|op-ed|report|interview) "
            r"(?:was|has been|is) (?:originally |first )?|(?:originally|first) )"
            r"(?:published|posted|appeared) (?:originally |first )?(?:on|in|at|by) (?P<site>.+?)\.?")),
    (1, _rx(r"(?:Republished|Reprinted|Reposted|Cross-?posted)(?: with (?:kind )?permission)? "
            r"(?:from|by|on) (?P<site>.+?)\.?")),
    (2, _rx(r"(?:The )?original source of this article is (?P<site>.+?)\.?")),
)
_POST_FIRST_RE = _rx(r"The post (?P<title>.+) appeared first on (?P<site>.+?)\.?")
_VIA_RE = _rx(r"(?:Via|Source|Republished from|Reprinted from):?\s+(?P<site>.+?)\.?")

# Patterns below are matched at the start of the line (``re.match``) unless named *_ANYWHERE.
_SHARE_ANYWHERE_RE = _rx(r"\b(?:please (?:click|use|hit|tap) the share buttons?|(?:click|use) the "
                         r"share buttons? (?:above|below))\b")
_SHARE_RE = _rx(
    r"(?:please\s+)?(?:share|forward|repost|retweet|cross-?post) this "
    r"(?:article|post|story|page|video|report)\b"
    r"|(?:like|follow) us on\b"
    r"|if you (?:enjoyed|liked|appreciated|found value in) this (?:article|post|piece|story)\b"
)
# Only on short lines: longer ones could be prose.
_SHARE_SHORT_RE = _rx(r"Comment on .*\b(?:Facebook|Twitter|Telegram)\b"
                      r"|Share (?:this|on (?:Facebook|Twitter|X|Telegram|WhatsApp|LinkedIn))\b")
_SUBSCRIBE_RE = _rx(
    r"(?:Subscribe (?:to (?:our|my|this)|now|today|here|for (?:free|updates))\b"
    r"|Sign up (?:for|to) (?:our|the|my) (?:free )?(?:newsletter|mailing list|daily|weekly|e-?mail)"
    r"|Become an? (?:member|patron|subscriber|supporter|paid subscriber)\b"
    r"|Donate (?:now|today|to|here)\b"
    r"|Support (?:us|our (?:work|journalism|reporting)|independent (?:media|journalism))\b"
    r"|Please (?:consider )?(?:support|donat|subscrib))"
)
_WRAPPED_RE = re.compile(r"(?:<<|«)\s*(?P<inner>.+?)\s*(?:>>|»)")
_CALL_WORDS_RE = _rx(r"\b(?:support|donate|subscribe|membership|patreon)\b")
_DISCLAIMER_RE = _rx(
    r"Disclaimer\b"
    r"|(?:The |All )?(?:views|opinions|statements)(?: and (?:views|opinions))? expressed "
    r"(?:in this|herein|here\b|by (?:the )?(?:authors?|contributors?|guest|writers?))"
)
_DISCLAIMER_ANYWHERE_RE = _rx(r"\bcontains copyrighted material\b"
                              r"|\b(?:are|is) (?:of )?(?:the )?sole responsibility of the authors?\b")
# A notice, not a photo credit: "© AFP Protesters gather..." is a caption readers read.
_COPYRIGHT_RE = _rx(r"(?:©|\(c\))\s*\d{4}|Copyright\s*(?:©|\(c\)|\d{4})")
_RIGHTS_RE = _rx(r"All rights reserved\.?")
_ABOUT_AUTHOR_RE = _rx(r"About the authors?\s*:?")
_ARTICLES_BY_RE = _rx(r"(?:More )?(?:Articles|Posts|Stories|Columns) by\s*:?\s+.{1,80}")
_AUTHOR_BIO_RE = re.compile(
    r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3} is (?:a|an|the)\b.*\b(?:(?:frequent|regular) "
    r"contributor to|(?:his|her|their) (?:website|blog|Substack|latest book)|follow (?:him|her|them) on)\b.*"
)
_CONTACT_RE = _rx(r"(?:For (?:media|press|general|editorial) (?:inquiries|enquiries)|(?:Media|Press) "
                  r"contact|Contact us)\s*:.*")
_NAV_RE = _rx(r"(?:Region|Theme|Tags?|Topics?|Categor(?:y|ies)|Filed under|Keywords)\s*:\s*(?P<items>.+)")
_NAV_ITEM_RE = re.compile(r"[^!?;:]{1,50}")
_LINKS_ONLY_RE = re.compile(r"[\s*_#>•·|,-]*(?:!?\[[^\]]*\]\([^)\s]*\)[\s*_•·|,.-]*)+")


@dataclass
class BoilerplateScan:
    """Everything found while scanning a text for boilerplate.

    Attributes:
        regions: one region per boilerplate line, in text order.
        republished_from: the site a syndication line names as the original publisher.
        original_title: the title named by a "The post TITLE appeared first on SITE." footer.
    """

    regions: list[Region]
    republished_from: str | None = None
    original_title: str | None = None


def _site(raw: str) -> str | None:
    site = raw.strip().strip("*_\"'“”‘’").rstrip(".").strip()
    words = site.split()
    # A bare number is a year or a date ("first published in 2016"), not a site.
    if (len(site) <= 60 and len(words) <= 8 and _SITE_RE.fullmatch(site)
            and not any(w.isdigit() for w in words)):
        return site
    return None


def _nav_items(items: str) -> bool:
    """Whether ``items`` reads as a list of tags, not a sentence ("the war is over, and ...")."""
    if items.rstrip().endswith("."):
        return False
    parts = [it.strip() for it in re.split(r"[,|]", items)]
    return all(_NAV_ITEM_RE.fullmatch(it) and len(it.split()) <= 6
               and it.split()[0] not in ("and", "but", "or", "so") for it in parts)


def _kind(plain: str, raw: str, *, k: int, n: int, author: str | None,
          origins: list[tuple[int, str]], scan: BoilerplateScan) -> str | None:
    """The boilerplate kind of one non-empty line (the k-th of n), or ``None``."""
    size = len(plain)
    if size > _LONGEST:
        return None
    if size <= 400 and (m := _POST_FIRST_RE.fullmatch(plain)):
        scan.original_title = m.group("title").strip()
        if site := _site(m.group("site")):
            origins.append((3, site))
        return "syndication_footer"
    if ((k < _TOP or k >= n - _BOTTOM) and size <= 80 and (m := _VIA_RE.fullmatch(plain))
            and (site := _site(m.group("site")))):
        origins.append((0, site))
        return "syndication_header" if k < _TOP else "syndication_footer"
    if size <= 300:
        for prio, rx in _ORIGIN_LINES:
            if (m := rx.fullmatch(plain)) and (site := _site(m.group("site"))):
                origins.append((prio, site))
                return "syndication_footer"
    if (_DISCLAIMER_RE.match(plain) or _DISCLAIMER_ANYWHERE_RE.search(plain)):
        return "disclaimer"
    if size <= 500 and (_SHARE_RE.match(plain) or _SHARE_ANYWHERE_RE.search(plain)
                        or (size <= 120 and _SHARE_SHORT_RE.match(plain))):
        return "share_plea"
    wrapped = _WRAPPED_RE.fullmatch(plain)
    if size <= 300 and (_SUBSCRIBE_RE.match(plain)
                        or (wrapped and _CALL_WORDS_RE.search(wrapped.group("inner")))):
        return "subscribe"
    if size <= 250 and (_COPYRIGHT_RE.match(plain) or _RIGHTS_RE.fullmatch(plain)):
        return "copyright"
    if size <= 200 and _CONTACT_RE.fullmatch(plain):
        return "contact"
    if _ABOUT_AUTHOR_RE.fullmatch(plain) or _ARTICLES_BY_RE.fullmatch(plain):
        return "author_box"
    if k >= n // 2 and size <= 1000 and (
            (author and plain.startswith(f"{author} is ")) or _AUTHOR_BIO_RE.fullmatch(plain)):
        return "author_box"
    if ((m := _NAV_RE.fullmatch(plain)) and _nav_items(m.group("items"))) or wrapped:
        return "navigation"
    if k > 0 and _LINKS_ONLY_RE.fullmatch(raw):
        return "navigation"
    if k < _HEADER and parse_byline(plain):
        return "byline"
    if k < _HEADER and parse_dateline(plain):
        return "dateline"
    return None


def scan_boilerplate(text: str) -> BoilerplateScan:
    """Find boilerplate lines, the republication source and a syndicated title in ``text``."""
    lines = [(s, e) for _, s, e in iter_lines(text) if text[s:e].strip()]
    n = len(lines)
    author = next((a for s, e in lines[:_HEADER] if (a := parse_byline(plain_line(text[s:e])))), None)
    scan = BoilerplateScan(regions=[])
    origins: list[tuple[int, str]] = []
    after_about = False
    for k, (start, end) in enumerate(lines):
        raw = text[start:end]
        if len(raw) > 4 * _LONGEST:  # far too long even with markup: prose, skip the parsing
            after_about = False
            continue
        plain = plain_line(raw)
        kind = _kind(plain, raw, k=k, n=n, author=author, origins=origins, scan=scan)
        if kind is None and after_about and len(plain) <= 1000:
            kind = "author_box"  # the paragraph under an "About the author" heading
        after_about = kind == "author_box" and bool(_ABOUT_AUTHOR_RE.fullmatch(plain))
        if kind is not None:
            scan.regions.append(Region(start, end, kind))
    if origins:
        scan.republished_from = min(origins, key=lambda o: o[0])[1]
    return scan


def find_boilerplate(text: str) -> tuple[list[Region], str | None]:
    """Regions of site boilerplate in ``text`` and the republication source, if one is named.

    Returns:
        ``(regions, republished_from)``: whole-line regions in text order, and the original
        publisher named by a syndication line ("Via Strategic Culture" -> "Strategic Culture";
        "The post X appeared first on Site." -> "Site"), or ``None``. When several lines name
        one, "Via"/"Source" lines win over "originally published on", which wins over "The
        original source of this article is", which wins over "appeared first on".
    """
    scan = scan_boilerplate(text)
    return scan.regions, scan.republished_from
