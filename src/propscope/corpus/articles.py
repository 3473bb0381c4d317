"""How every corpus output names an article: as the user gave it, plus the store's own id.

The store keys articles by a content hash (``article_id``), which is stable and joins every
table and export, but means nothing to a reader. So reuse pairs, search hits, reports and
exports carry an ``ArticleRef``: that id together with what the user knows the article by,
the document id, the file or URL it came from, its title, outlet and date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from propscope.corpus.store import CorpusStore

# The articles columns an ArticleRef is read from, in its fields' order.
REF_COLUMNS = ("article_id", "doc_id", "source", "url", "title", "outlet", "published_date")


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """One stored article, named every way a user may know it.

    Attributes:
        article_id: the store's key (a content hash): the same in every table and export.
        doc_id: the document id given at ingest (a JSONL record's ``id``, a file's name).
        source: where it was read from: a file path (a JSONL file's ``path:line``) or a URL.
        url: the page's address as the article names it, if any.
        title, outlet: as ingested (``None`` where unknown).
        published: the publication date, if known.
    """

    article_id: str
    doc_id: str | None
    source: str | None
    url: str | None
    title: str | None
    outlet: str | None
    published: date | None

    @property
    def places(self) -> list[str]:
        """Where the article is: the file or URL it was read from, and the page's URL where
        that is another (a JSONL record's ``url``)."""
        return list(dict.fromkeys(p for p in (self.source, self.url) if p))

    def row(self) -> dict[str, Any]:
        """The flat fields of a CSV or JSON row; ``published`` as an ISO date."""
        return {"article_id": self.article_id, "doc_id": self.doc_id, "source": self.source,
                "url": self.url, "title": self.title, "outlet": self.outlet,
                "published": self.published.isoformat() if self.published else None}


def ref_select(alias: str = "") -> str:
    """The SQL select list of an ArticleRef's columns, with table ``alias`` (``"a."``)."""
    return ", ".join(f"{alias}{c}" for c in REF_COLUMNS)


def article_refs(store: CorpusStore, ids: Iterable[str]) -> dict[str, ArticleRef]:
    """The ArticleRef of each stored article in ``ids``, by id (unknown ids are left out)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = store.query(f"SELECT {ref_select()} FROM articles WHERE article_id IN "
                       "(SELECT unnest(?))", [wanted])
    return {r[0]: ArticleRef(*r) for r in rows}
