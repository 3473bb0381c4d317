"""The index page of a folder of HTML reports: one row per article, most persuasion first.

A journalist who runs ``propscope analyze articles/ --format html`` on thousands of files
needs a way in: ``index.html`` lists every report with its title, outlet, date, genre and
how dense its techniques are, so the most loaded articles are one click away. Like the
reports, it is self-contained and rendered with autoescaping (titles are hostile input).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from propscope import __version__
from propscope.document import Document
from propscope.models.sensitivity import describe_sensitivity
from propscope.render.summary import expected_right
from propscope.taxonomy import CATEGORIES

INDEX_NAME = "index"  # the page's stem; an article with this id gets another name
TOP_TECHNIQUES = 3


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One report as the index lists it.

    Attributes:
        file: the report's file name, relative to the index.
        title: the article's title (or its id).
        per_1000: technique spans per 1,000 words of content (0 for an empty article).
        top: the most frequent techniques, ``(name, spans)``, most frequent first.
        expected_right: the spans' summed calibrated scores (``None`` for raw scores).
    """

    file: str
    title: str
    source: str | None
    outlet: str | None
    published: str | None
    genre: str | None
    words: int
    spans: int
    per_1000: float
    top: tuple[tuple[str, int], ...]
    expected_right: float | None


def index_entry(doc: Document, file: str) -> IndexEntry:
    """What the index shows of the analysed ``doc``, whose report is ``file``."""
    words = doc.word_count()
    counts = Counter(s.label for s in doc.spans)
    top = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TECHNIQUES])
    return IndexEntry(
        file=file, title=doc.metadata.title or doc.id, source=doc.source,
        outlet=doc.metadata.outlet, published=doc.metadata.published,
        genre=doc.genre.label if doc.genre else None, words=words, spans=len(doc.spans),
        per_1000=1000 * len(doc.spans) / words if words else 0.0, top=top,
        expected_right=expected_right(doc))


def render_index(entries: Sequence[IndexEntry], *, sensitivity: float | None = None) -> str:
    """The index page of ``entries``: densest articles first (ties in input order)."""
    from propscope.render.html import template

    ranked = sorted(entries, key=lambda e: -e.per_1000)
    return template("index.html.j2").render(
        entries=ranked,
        calibrated=any(e.expected_right is not None for e in entries),
        # Columns nobody has (plain-text files carry no outlet or date) are left out.
        show={k: any(getattr(e, k) for e in entries) for k in ("outlet", "published", "genre")},
        categories=list(CATEGORIES.values()),
        sensitivity=describe_sensitivity(sensitivity) if sensitivity is not None else None,
        version=__version__,
    )
