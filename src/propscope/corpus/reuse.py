"""Republication and near-copy detection across outlets: MinHash/LSH, then exact Jaccard.

Each article becomes the set of its word ``k``-shingles, taken from the text outside the
boilerplate regions the analysis found (share pleas, "originally published at" footers,
author boxes), so two copies of an op-ed that differ only in their site furniture compare
as near-identical. MinHash signatures (datasketch) indexed by LSH propose candidate pairs
cheaply; every candidate is then verified with the exact Jaccard similarity of the two
shingle sets, and only verified pairs are reported. Shared passages are aligned on the word
sequences of a pair on demand, since corpora with many copies would otherwise spend most of
the run on alignment nobody reads.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
from datasketch import MinHash, MinHashLSH

from propscope.corpus.articles import ArticleRef, article_refs, ref_select
from propscope.corpus.store import WORD_RE, CorpusStore

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True, slots=True)
class Passage:
    """A run of at least ``k`` words shared by two articles, with offsets into both texts."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    text: str
    words: int


@dataclass(slots=True)
class ReusePair:
    """Two articles with most of their content in common.

    Attributes:
        a, b: the two articles, named as the user gave them (``ArticleRef``); ``a`` is the
            earlier copy when that is known.
        estimated: Jaccard similarity estimated from the MinHash signatures.
        jaccard: exact Jaccard similarity of the two shingle sets (what is thresholded).
        containment: shared shingles over those of the shorter article (1.0 = excerpt).
        first: the article id of the copy that came first, or ``None`` when it cannot be told.
        reason: how ``first`` was decided: ``republished_from``, ``published`` or ``unknown``.
    """

    a: ArticleRef
    b: ArticleRef
    estimated: float
    jaccard: float
    containment: float
    first: str | None
    reason: str


@dataclass(slots=True)
class _Article:
    ref: ArticleRef
    republished_from: str | None
    shingles: np.ndarray

    @property
    def id(self) -> str:
        return self.ref.article_id

    @property
    def outlet(self) -> str | None:
        return self.ref.outlet

    @property
    def published(self) -> date | None:
        return self.ref.published


def content_tokens(text: str, boilerplate: list[tuple[int, int]]) -> list[re.Match[str]]:
    """Word tokens of ``text`` outside the boilerplate ranges, as regex matches (with offsets)."""
    regions = sorted(boilerplate)
    out, r = [], 0
    for m in WORD_RE.finditer(text):
        while r < len(regions) and regions[r][1] <= m.start():
            r += 1
        if r < len(regions) and regions[r][0] <= m.start() < regions[r][1]:
            continue
        out.append(m)
    return out


class Shingler:
    """Turns token lists into sorted arrays of 64-bit shingle hashes.

    Tokens get ids from a vocabulary built as articles arrive, and a ``k``-shingle's hash is
    a polynomial of its token ids, mixed (splitmix64): vectorised, and the same within a run.
    """

    def __init__(self, k: int) -> None:
        self.k = k
        self.vocab: dict[str, int] = {}

    def __call__(self, tokens: list[str]) -> np.ndarray:
        vocab = self.vocab
        ids = np.fromiter((vocab.setdefault(t, len(vocab) + 1) for t in tokens), dtype=np.uint64,
                          count=len(tokens))
        n = len(ids) - self.k + 1
        if n <= 0:
            return np.empty(0, dtype=np.uint64)
        with np.errstate(over="ignore"):  # wrap-around is the point of the hash
            h = np.zeros(n, dtype=np.uint64)
            for j in range(self.k):
                h = h * np.uint64(1_000_003) + ids[j:j + n]
            h ^= h >> np.uint64(30)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(27)
            h *= np.uint64(0x94D049BB133111EB)
            h ^= h >> np.uint64(31)
        return np.unique(h & _MASK)


def _load(store: CorpusStore, shingler: Shingler, *, batch: int = 500) -> Iterator[_Article]:
    cur = store.con.cursor()
    cur.execute(f"""
        SELECT {ref_select("a.")}, a.text, a.republished_from, b.starts, b.ends
        FROM articles a LEFT JOIN (
            SELECT article_id, list(start_char) AS starts, list(end_char) AS ends
            FROM boilerplate GROUP BY article_id) b USING (article_id)
        ORDER BY a.article_id""")
    while rows := cur.fetchmany(batch):
        for *ref, text, rep, starts, ends in rows:
            regions = list(zip(starts or [], ends or [], strict=True))
            toks = [m.group().lower() for m in content_tokens(text, regions)]
            yield _Article(ArticleRef(*ref), rep, shingler(toks))
    cur.close()


def _norm(s: str | None) -> str:
    return re.sub(r"^https?://(www\.)?|/.*$", "", (s or "").strip().lower())


def _first(x: _Article, y: _Article) -> tuple[_Article | None, str]:
    """Which copy came first: a syndication note beats dates; equal dates tell nothing."""
    for copy, orig in ((x, y), (y, x)):
        src = _norm(copy.republished_from)
        if src and orig.outlet and (src in _norm(orig.outlet) or _norm(orig.outlet) in src
                                    or src == _norm(orig.ref.url)):
            return orig, "republished_from"
    if x.published and y.published and x.published != y.published:
        return (x if x.published < y.published else y), "published"
    return None, "unknown"


def find_reuse(store: CorpusStore, *, threshold: float = 0.5, shingle_size: int = 5,
               num_perm: int = 128, same_outlet: bool = False,
               min_shingles: int = 10) -> list[ReusePair]:
    """Pairs of stored articles whose content shingles have Jaccard similarity >= ``threshold``.

    Args:
        store: the corpus.
        threshold: least exact Jaccard similarity reported.
        shingle_size: words per shingle.
        num_perm: MinHash permutations.
        same_outlet: also pair articles of the same (known) outlet.
        min_shingles: articles with fewer content shingles are too short to compare.

    Returns:
        Verified pairs, most similar first.
    """
    # Ask LSH for somewhat less similar candidates than we report: its banding has a soft
    # edge, and exact verification removes the extra candidates anyway.
    lsh = MinHashLSH(threshold=max(0.05, threshold * 0.8), num_perm=num_perm)
    arts: list[_Article] = []
    sigs: list[MinHash] = []
    for art in _load(store, Shingler(shingle_size)):
        if len(art.shingles) < min_shingles:
            continue
        m = MinHash(num_perm=num_perm, hashfunc=int, scheme="affine64")
        m.update_batch(art.shingles.tolist())
        lsh.insert(len(arts), m)
        arts.append(art)
        sigs.append(m)
    pairs: list[ReusePair] = []
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            if j <= i:
                continue
            x, y = arts[i], arts[j]
            if not same_outlet and x.outlet and y.outlet and x.outlet == y.outlet:
                continue
            inter = len(np.intersect1d(x.shingles, y.shingles, assume_unique=True))
            jac = inter / (len(x.shingles) + len(y.shingles) - inter)
            if jac < threshold:
                continue
            first, reason = _first(x, y)
            a, b = (y, x) if first is not None and first.id == y.id else (x, y)
            pairs.append(ReusePair(
                a.ref, b.ref, estimated=round(m.jaccard(sigs[j]), 4), jaccard=round(jac, 4),
                containment=round(inter / min(len(x.shingles), len(y.shingles)), 4),
                first=first.id if first else None, reason=reason))
    pairs.sort(key=lambda p: (-p.jaccard, p.a.article_id, p.b.article_id))
    return pairs


def shared_passages(store: CorpusStore, a: str, b: str, *, min_words: int = 5,
                    limit: int = 10) -> list[Passage]:
    """The longest word runs articles ``a`` and ``b`` share (outside boilerplate)."""
    texts = {}
    for aid in (a, b):
        row = store.query("SELECT text FROM articles WHERE article_id = ?", [aid])
        bps = store.query("SELECT start_char, end_char FROM boilerplate WHERE article_id = ?", [aid])
        if not row:
            raise KeyError(f"No article {aid!r} in {store.path}.")
        texts[aid] = (row[0][0], content_tokens(row[0][0], [(s, e) for s, e in bps]))
    (ta, ma), (_, mb) = texts[a], texts[b]
    sm = difflib.SequenceMatcher(None, [m.group().lower() for m in ma],
                                 [m.group().lower() for m in mb], autojunk=False)
    out = [Passage(ma[i].start(), ma[i + n - 1].end(), mb[j].start(), mb[j + n - 1].end(),
                   ta[ma[i].start():ma[i + n - 1].end()], n)
           for i, j, n in sm.get_matching_blocks() if n >= min_words]
    out.sort(key=lambda p: -p.words)
    return out[:limit]


def save_pairs(store: CorpusStore, pairs: list[ReusePair]) -> None:
    """Replace the stored result of the last reuse run (read by reports)."""
    store.con.execute("BEGIN TRANSACTION")
    try:
        store.con.execute("DELETE FROM reuse_pairs")
        if pairs:
            store.con.executemany(
                "INSERT INTO reuse_pairs VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(p.a.article_id, p.b.article_id, p.estimated, p.jaccard, p.containment, p.first,
                  p.reason) for p in pairs])
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise


def load_pairs(store: CorpusStore) -> list[ReusePair]:
    """The pairs saved by the last ``save_pairs``, with their articles named."""
    rows = store.query("""
        SELECT article_a, article_b, estimated, jaccard, containment, first_id, first_reason
        FROM reuse_pairs ORDER BY jaccard DESC, 1, 2""")
    refs = article_refs(store, [i for r in rows for i in r[:2]])
    # A pair whose article is gone (a store edited by hand) cannot be named: left out.
    return [ReusePair(refs[a], refs[b], *rest) for a, b, *rest in rows if a in refs and b in refs]
