"""Profiles of groups of articles (outlet, author, month, genre, language): technique rates,
genre and frame mix.

Technique and category rates are spans per 1,000 words outside boilerplate, pooled over the
group's articles (total spans / total words). Their confidence intervals are percentile
bootstraps over articles: articles are resampled with replacement, which keeps the
clustering of spans within articles (one heavily loaded op-ed moves a small outlet's rate a
lot) that a Poisson interval on the pooled count would ignore. Groups of fewer than
``MIN_BOOTSTRAP`` articles get an exact Poisson interval on the count instead, because a
bootstrap over two or three articles is overconfident. Genre and frame mixes are shares of
articles with Wilson score intervals. Every figure carries the number of articles behind it.

Most detected spans are not right (out of fold, about one in five overlaps a gold span of
its technique), and how many are differs by technique and by text. Where every article of a
group was analysed by a model with calibrated scores (``ModelInfo.calibrated``), each span's
score estimates the chance that it is right, so the group's summed scores per 1,000 words
(``Rate.expected``) estimate the rate of *correct* detections: the figure to compare
outlets by. It gets the same bootstrap interval; small groups and groups with raw scores
(analyses from before calibration) get ``None``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from propscope.corpus.store import CorpusStore, article_filter
from propscope.taxonomy import CATEGORIES, FRAMES, GENRES, TECHNIQUES

DIMENSIONS = ("outlet", "author", "month", "genre", "language")
MIN_BOOTSTRAP = 5
UNKNOWN = "(unknown)"
_SQL_DIM = {
    "outlet": f"coalesce(outlet, '{UNKNOWN}')",
    "author": f"coalesce(author, '{UNKNOWN}')",
    "month": f"coalesce(strftime(published_date, '%Y-%m'), '{UNKNOWN}')",
    "genre": f"coalesce(genre, '{UNKNOWN}')",
    # The language an analysis records (JSON contract 1.1; older analyses have none).
    "language": f"coalesce(json_extract_string(analysis, '$.language.code'), '{UNKNOWN}')",
}


@dataclass(frozen=True, slots=True)
class Rate:
    """A technique's (or category's) spans per 1,000 words in one group, with its interval."""

    group: tuple[str, ...]
    kind: str  # "technique" or "category"
    label: str
    articles: int
    words: int
    count: int
    rate: float
    low: float
    high: float
    method: str  # "bootstrap" or "poisson"
    # Summed calibrated span scores per 1,000 words: the expected rate of correct detections
    # (None where a group's scores are not all calibrated); the interval is bootstrapped.
    expected: float | None = None
    expected_low: float | None = None
    expected_high: float | None = None


@dataclass(frozen=True, slots=True)
class Share:
    """The share of a group's articles with a genre or frame, with a Wilson interval."""

    group: tuple[str, ...]
    kind: str  # "genre" or "frame"
    label: str
    articles: int  # articles in the group with this kind of label at all
    count: int
    share: float
    low: float
    high: float


@dataclass
class Profile:
    """Rates and shares for every group along ``dims``."""

    dims: tuple[str, ...]
    confidence: float
    rates: list[Rate] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    groups: dict[tuple[str, ...], int] = field(default_factory=dict)  # articles per group

    def rate(self, group: tuple[str, ...], label: str) -> Rate | None:
        """The rate of ``label`` (a technique or category) in ``group``."""
        return next((r for r in self.rates if r.group == group and r.label == label), None)


def wilson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``k / n``."""
    if n == 0:
        return 0.0, 1.0
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def poisson_interval(k: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count ``k``."""
    a = 1 - confidence
    low = 0.0 if k == 0 else float(stats.chi2.ppf(a / 2, 2 * k)) / 2
    return low, float(stats.chi2.ppf(1 - a / 2, 2 * k + 2)) / 2


def bootstrap_rates(counts: np.ndarray, words: np.ndarray, *, n_boot: int, confidence: float,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap over articles of pooled rates per 1,000 words, per column.

    Resamples are drawn as multinomial article weights in blocks, so memory stays at about
    two million numbers whatever the group's size.
    """
    g = len(words)
    block = max(1, 2_000_000 // max(g, 1))
    draws = []
    for start in range(0, n_boot, block):
        w = rng.multinomial(g, np.full(g, 1 / g), size=min(block, n_boot - start)).astype(float)
        tot = w @ words
        draws.append((w @ counts) / np.maximum(tot, 1)[:, None] * 1000)
    boot = np.vstack(draws)
    a = (1 - confidence) / 2
    return np.quantile(boot, a, axis=0), np.quantile(boot, 1 - a, axis=0)


def _where(since: str | None, until: str | None, outlet: str | None) -> tuple[str, list[object]]:
    conds, params = article_filter(outlet=outlet, since=since, until=until)
    return " AND ".join(["TRUE", *conds]), params


def compute_profile(store: CorpusStore, *, by: tuple[str, ...] = ("outlet",), n_boot: int = 1000,
                    confidence: float = 0.95, seed: int = 0, since: str | None = None,
                    until: str | None = None, outlet: str | None = None) -> Profile:
    """Profile the stored articles grouped by ``by`` (any of ``DIMENSIONS``).

    Args:
        store: the corpus.
        by: grouping dimensions, e.g. ``("outlet",)`` or ``("outlet", "month")``.
        n_boot: bootstrap resamples per group.
        confidence: interval coverage.
        seed: bootstrap seed (results are reproducible).
        since, until, outlet: restrict to articles published in a date range / one outlet.
    """
    bad = [d for d in by if d not in DIMENSIONS]
    if bad or not by:
        raise ValueError(f"Cannot group by {bad or 'nothing'}; choose from {', '.join(DIMENSIONS)}.")
    where, params = _where(since, until, outlet)
    dims_sql = ", ".join(_SQL_DIM[d] for d in by)
    rows = store.query(
        "SELECT article_id, words, genre, "
        "coalesce(json_extract_string(analysis, '$.model.calibrated') = 'true', false), "
        f"{dims_sql} FROM articles WHERE {where} ORDER BY article_id", params)
    index = {r[0]: i for i, r in enumerate(rows)}
    labels = list(TECHNIQUES) + list(CATEGORIES)
    col = {lab: j for j, lab in enumerate(labels)}
    n_lab = len(labels)
    # Span counts, then summed span scores, per article: articles x (2 * labels).
    counts = np.zeros((len(rows), 2 * n_lab))
    for aid, tech, cat, n, score in store.query(
            f"SELECT s.article_id, s.technique, s.category, count(*), sum(s.score) FROM spans s "
            f"JOIN articles a USING (article_id) WHERE {where} GROUP BY ALL", params):
        if tech in col:
            for j in (col[tech], col[cat]):
                counts[index[aid], j] += n
                counts[index[aid], n_lab + j] += score
    frames: dict[str, set[str]] = defaultdict(set)
    for aid, frame in store.query(f"SELECT f.article_id, f.frame FROM frames f JOIN articles a "
                                  f"USING (article_id) WHERE {where}", params):
        frames[aid].add(frame)
    words = np.array([r[1] or 0 for r in rows], dtype=float)
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    calibrated = np.array([bool(r[3]) for r in rows], dtype=bool)
    for i, r in enumerate(rows):
        groups[tuple(r[4:])].append(i)
    prof = Profile(dims=tuple(by), confidence=confidence)
    rng = np.random.default_rng(seed)
    for key in sorted(groups):
        idx = np.array(groups[key])
        prof.groups[key] = len(idx)
        c, w = counts[idx], words[idx]
        total_w, totals = float(w.sum()), c.sum(axis=0)
        exp_low = exp_high = None
        if len(idx) >= MIN_BOOTSTRAP and total_w > 0:
            low, high = bootstrap_rates(c, w, n_boot=n_boot, confidence=confidence, rng=rng)
            exp_low, exp_high = low[n_lab:], high[n_lab:]
            method = "bootstrap"
        else:
            bounds = np.array([poisson_interval(int(k), confidence) for k in totals[:n_lab]])
            low, high = (bounds / max(total_w, 1) * 1000).T
            method = "poisson"
        with_expected = bool(calibrated[idx].all()) and total_w > 0
        for j, lab in enumerate(labels):
            expected = float(totals[n_lab + j] / total_w * 1000) if with_expected else None
            prof.rates.append(Rate(
                key, "technique" if lab in TECHNIQUES else "category", lab, len(idx), int(total_w),
                int(totals[j]), float(totals[j] / total_w * 1000) if total_w else 0.0,
                float(low[j]), float(high[j]), method, expected,
                float(exp_low[j]) if with_expected and exp_low is not None else None,
                float(exp_high[j]) if with_expected and exp_high is not None else None))
        with_genre = [rows[i][2] for i in idx if rows[i][2]]
        for g in GENRES:
            k = sum(1 for x in with_genre if x == g)
            prof.shares.append(Share(key, "genre", g, len(with_genre), k,
                                     k / len(with_genre) if with_genre else 0.0,
                                     *wilson(k, len(with_genre), confidence)))
        for f in FRAMES:
            k = sum(1 for i in idx if f in frames[rows[i][0]])
            prof.shares.append(Share(key, "frame", f, len(idx), k, k / len(idx),
                                     *wilson(k, len(idx), confidence)))
    return prof
