"""Full-text search over the corpus with technique, outlet and date filters, ranked by BM25.

DuckDB's ``fts`` extension is not bundled with the Python wheel and must be downloaded from
extensions.duckdb.org on first use, which fails offline (and the corpus must work offline).
Search therefore runs on the store's own ``terms`` table (article, lower-cased word, count),
filled at ingest with the same tokenizer used for queries: every query word must occur,
articles are ranked by BM25 computed in SQL, and quoted phrases are checked with ``ILIKE``
on the article text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from propscope.corpus.articles import ArticleRef, ref_select
from propscope.corpus.store import CorpusStore, article_filter, tokenize
from propscope.errors import PropscopeError
from propscope.taxonomy import UnknownNameError, resolve_category, resolve_technique

_PHRASE_RE = re.compile(r'"([^"]+)"')
BM25_K1 = 1.2
BM25_B = 0.75


class QueryError(PropscopeError, ValueError):
    """A search or filter names something the corpus cannot match (unknown technique...)."""


@dataclass(frozen=True, slots=True)
class SpanHit:
    """A technique span in a found article."""

    technique: str
    category: str
    start: int
    end: int
    text: str
    score: float


@dataclass(slots=True)
class SearchHit:
    """A found article: which one (named as the user gave it), how well it matches, a
    snippet and its spans."""

    article: ArticleRef
    score: float
    snippet: str
    spans: list[SpanHit] = field(default_factory=list)

    @property
    def article_id(self) -> str:
        return self.article.article_id


def _resolved(resolve: Callable[[str], str], name: str) -> str:
    try:
        return resolve(name)
    except UnknownNameError as exc:
        raise QueryError(str(exc)) from None


def _like(s: str) -> str:
    return "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def snippet(text: str, terms: list[str], *, width: int = 90) -> str:
    """About ``2 * width`` characters of ``text`` around the first query term (or its start)."""
    pos = -1
    for t in terms:
        m = re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text, flags=re.IGNORECASE)
        if m and (pos < 0 or m.start() < pos):
            pos = m.start()
    start = max(0, pos - width) if pos >= 0 else 0
    end = min(len(text), (pos if pos >= 0 else 0) + width)
    out = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")


def search(store: CorpusStore, query: str = "", *, technique: str | None = None,
           category: str | None = None, outlet: str | None = None, since: str | None = None,
           until: str | None = None, limit: int = 20, spans_per_hit: int = 5) -> list[SearchHit]:
    """Articles matching every word (and quoted phrase) of ``query`` and all filters.

    Args:
        store: the corpus.
        query: words (all must occur) and ``"quoted phrases"``; may be empty if a filter is
            given, then articles are ranked by how many matching spans they hold.
        technique, category: only articles with at least one span of it, by the shared
            task's name or the title reports show, in any case (``taxonomy.names``).
        outlet: only this outlet's articles.
        since, until: ISO dates bounding the publication date (inclusive).
        limit: most articles returned.
        spans_per_hit: most spans listed per article.
    """
    phrases = [p.strip() for p in _PHRASE_RE.findall(query) if p.strip()]
    terms = sorted(set(tokenize(query)))
    filtered = bool(technique or category or outlet or since or until)
    if not terms and query.strip():
        # Words were given, but only symbols or emoji: say so, rather than answer "give words"
        # or, with a filter, list the filter's articles as if the query had matched.
        instead = ("leave the query out to list every article the filters select" if filtered
                   else "give a word or a filter (--technique, --outlet, --since)")
        raise QueryError(f"The query {query!r} holds no searchable word (words are letters and "
                         f"digits; symbols and emoji are not indexed); {instead}.")
    if not terms and not filtered:
        raise QueryError("Give search words or at least one filter (--technique, --outlet, --since).")
    tech = _resolved(resolve_technique, technique) if technique else None
    category = _resolved(resolve_category, category) if category else None
    conds, params = article_filter(outlet=outlet, since=since, until=until, alias="a.")
    conds.insert(0, "TRUE")
    for col, val in (("technique", tech), ("category", category)):
        if val:
            conds.append(f"EXISTS (SELECT 1 FROM spans s WHERE s.article_id = a.article_id "
                         f"AND s.{col} = ?)")
            params.append(val)
    for p in phrases:
        conds.append("a.text ILIKE ? ESCAPE '\\'")
        params.append(_like(p))
    where = " AND ".join(conds)
    if terms:
        sql = f"""
            WITH n AS (SELECT count(*) AS n, avg(words) AS avgdl FROM articles),
            df AS (SELECT term, count(*) AS df FROM terms WHERE term IN (SELECT unnest(?))
                   GROUP BY term)
            SELECT a.article_id, sum(ln(1 + (n.n - df.df + 0.5) / (df.df + 0.5)) * t.tf * {BM25_K1 + 1}
                       / (t.tf + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * a.words / greatest(n.avgdl, 1))))
                   AS score
            FROM terms t JOIN df USING (term) JOIN articles a USING (article_id), n
            WHERE {where}
            GROUP BY a.article_id HAVING count(DISTINCT t.term) = ?
            ORDER BY score DESC, a.article_id LIMIT ?"""
        ranked = store.query(sql, [terms, *params, len(terms), limit])
    else:
        label = ("technique", tech) if tech else ("category", category) if category else None
        count = (f"(SELECT count(*) FROM spans s WHERE s.article_id = a.article_id "
                 f"AND s.{label[0]} = ?)" if label else "0")
        ranked = store.query(
            f"SELECT a.article_id, {count} AS score FROM articles a WHERE {where} "
            "ORDER BY score DESC, a.published_date DESC NULLS LAST, a.article_id LIMIT ?",
            [*([label[1]] if label else []), *params, limit])
    return [_hit(store, aid, float(score), terms + phrases, tech, category, spans_per_hit)
            for aid, score in ranked]


def _hit(store: CorpusStore, aid: str, score: float, terms: list[str], tech: str | None,
         category: str | None, n_spans: int) -> SearchHit:
    *ref, text = store.query(f"SELECT {ref_select()}, text FROM articles WHERE article_id = ?",
                             [aid])[0]
    conds, params = ["article_id = ?"], [aid]
    if tech:
        conds.append("technique = ?")
        params.append(tech)
    elif category:
        conds.append("category = ?")
        params.append(category)
    # Spans that contain a query word first, then by confidence.
    match = " OR ".join(["lower(text) LIKE ? ESCAPE '\\'"] * len(terms))
    order = f"({match}) DESC, " if terms else ""
    rows = store.query(
        f"SELECT technique, category, start_char, end_char, text, score FROM spans "
        f"WHERE {' AND '.join(conds)} ORDER BY {order}score DESC, start_char LIMIT ?",
        [*params, *(_like(t.lower()) for t in terms), n_spans])
    if terms and not (tech or category):
        rows = [r for r in rows if any(t.lower() in r[4].lower() for t in terms)]
    return SearchHit(ArticleRef(*ref), round(score, 4), snippet(text, terms),
                     [SpanHit(*r) for r in rows])
