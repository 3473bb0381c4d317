"""Profiles: pooled rates per 1,000 words, interval methods, genre/frame shares, grouping."""

from __future__ import annotations

import math

import numpy as np
import pytest
from corpus_fixtures import ARTICLES, annotated, store_docs

from propscope.corpus.profile import (
    bootstrap_rates,
    compute_profile,
    poisson_interval,
    wilson,
)
from propscope.corpus.store import CorpusStore
from propscope.document import ModelInfo

LOADED = (("smother the mussel beds", "Loaded_Language"),
          ("strict monitoring", "Loaded_Language"),
          ("Fishermen from the old quay", "Name_Calling-Labeling"))


@pytest.fixture
def profiled(store: CorpusStore) -> CorpusStore:
    docs = []
    # Outlet A: six articles, three spans in the odd ones, none in the even ones.
    for i in range(6):
        text = ARTICLES["harbour"] + f"\nIssue {i}."
        docs.append(annotated(text, id=f"a{i}", outlet="A", author="Kim" if i < 3 else None,
                              published=f"2021-0{1 + i % 2}-15", spans=LOADED if i % 2 else (),
                              genre="opinion" if i < 4 else "reporting",
                              frames=("Economic",) if i < 3 else ()))
    # Outlet B: two articles without spans.
    for i, key in enumerate(("orchard", "rail")):
        docs.append(annotated(ARTICLES[key], id=f"b{i}", outlet="B", published="2021-02-01",
                              genre="reporting"))
    store_docs(store, docs)
    return store


def test_rates_are_pooled_spans_per_thousand_words(profiled: CorpusStore) -> None:
    prof = compute_profile(profiled, n_boot=300)
    words = profiled.query("SELECT sum(words) FROM articles WHERE outlet = 'A'")[0][0]
    r = prof.rate(("A",), "Loaded_Language")
    assert r is not None
    assert (r.articles, r.count, r.words) == (6, 6, words)
    assert r.rate == pytest.approx(6 / words * 1000)
    assert r.method == "bootstrap"
    assert r.low < r.rate < r.high  # spans cluster in half of the articles: a real interval
    cat = prof.rate(("A",), "Manipulative_Wording")
    assert cat is not None and cat.count == 6
    assert prof.rate(("A",), "Attack_on_Reputation").count == 3  # type: ignore[union-attr]


def test_small_groups_get_a_poisson_interval(profiled: CorpusStore) -> None:
    r = compute_profile(profiled, n_boot=100).rate(("B",), "Loaded_Language")
    assert r is not None and r.method == "poisson" and r.count == 0
    assert r.low == 0 and r.high == pytest.approx(poisson_interval(0)[1] / r.words * 1000)


def test_genre_and_frame_shares_count_articles(profiled: CorpusStore) -> None:
    prof = compute_profile(profiled, n_boot=100)
    shares = {(s.group, s.kind, s.label): s for s in prof.shares}
    opinion = shares[(("A",), "genre", "opinion")]
    assert (opinion.count, opinion.articles) == (4, 6)
    assert opinion.share == pytest.approx(4 / 6)
    assert (opinion.low, opinion.high) == pytest.approx(wilson(4, 6))
    assert shares[(("A",), "frame", "Economic")].count == 3
    assert shares[(("B",), "genre", "reporting")].share == 1.0


@pytest.mark.parametrize(("by", "groups"), [
    (("author",), {("Kim",): 3, ("(unknown)",): 5}),
    (("month",), {("2021-01",): 3, ("2021-02",): 5}),
    (("outlet", "month"), {("A", "2021-01"): 3, ("A", "2021-02"): 3, ("B", "2021-02"): 2}),
])
def test_grouping_dimensions(profiled: CorpusStore, by: tuple[str, ...],
                             groups: dict[tuple[str, ...], int]) -> None:
    assert compute_profile(profiled, by=by, n_boot=50).groups == groups


def test_articles_group_by_the_language_their_analysis_records(store: CorpusStore) -> None:
    docs = [annotated(ARTICLES[key], id=key) for key in ("harbour", "orchard", "rail")]
    docs[0].language, docs[1].language = "fr", "fr"  # the third: none could be told
    store_docs(store, docs)
    assert compute_profile(store, by=("language",), n_boot=50).groups == {("fr",): 2, ("(unknown)",): 1}


def test_filters_restrict_the_articles(profiled: CorpusStore) -> None:
    prof = compute_profile(profiled, by=("outlet",), since="2021-02-01", n_boot=50)
    assert prof.groups == {("A",): 3, ("B",): 2}
    assert compute_profile(profiled, outlet="B", n_boot=50).groups == {("B",): 2}


def test_unknown_dimension_is_refused(profiled: CorpusStore) -> None:
    with pytest.raises(ValueError, match="outlet, author, month"):
        compute_profile(profiled, by=("colour",))


def test_bootstrap_is_reproducible_and_covers_the_estimate() -> None:
    rng_counts = np.array([[0.0], [4.0], [1.0], [0.0], [7.0], [2.0]])
    words = np.array([100.0, 300.0, 120.0, 80.0, 500.0, 200.0])
    lo1, hi1 = bootstrap_rates(rng_counts, words, n_boot=500, confidence=0.95,
                               rng=np.random.default_rng(1))
    lo2, hi2 = bootstrap_rates(rng_counts, words, n_boot=500, confidence=0.95,
                               rng=np.random.default_rng(1))
    assert (lo1, hi1) == (lo2, hi2)
    point = rng_counts.sum() / words.sum() * 1000
    assert lo1[0] < point < hi1[0]


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (10, 10, 0.7225, 1.0)])
def test_wilson_interval_known_values(k: int, n: int, low: float, high: float) -> None:
    assert wilson(k, n) == pytest.approx((low, high), abs=1e-4)


def test_poisson_interval_known_values() -> None:
    assert poisson_interval(0) == pytest.approx((0.0, 3.6889), abs=1e-4)
    lo, hi = poisson_interval(10)
    assert (lo, hi) == pytest.approx((4.7954, 18.3904), abs=1e-4)
    assert not math.isnan(lo)


PHRASE_SCORES = {"smother the mussel beds": 0.2, "strict monitoring": 0.5,
                 "Fishermen from the old quay": 0.8}


def _calibrated(store: CorpusStore, outlets: dict[str, int], raw: str | None = None) -> CorpusStore:
    """``outlets[name]`` articles each, every second one with the LOADED spans scored by
    PHRASE_SCORES, from a model with calibrated scores; one article of outlet ``raw`` comes
    from a model with raw scores."""
    docs = []
    for outlet, n in outlets.items():
        for i in range(n):
            doc = annotated(ARTICLES["harbour"] + f"\n{outlet} {i}.", id=f"{outlet}{i}",
                            outlet=outlet, spans=LOADED if i % 2 else ())
            doc.spans = [type(x)(x.start, x.end, x.label, PHRASE_SCORES[doc.text[x.start:x.end]])
                         for x in doc.spans]
            doc.model = ModelInfo("m", "1", "data", calibrated=outlet != raw or i > 0)
            docs.append(doc)
    store_docs(store, docs)
    return store


def test_expected_rates_sum_calibrated_scores_and_stay_empty_for_raw_ones(store: CorpusStore) -> None:
    prof = compute_profile(_calibrated(store, {"Cal": 6, "Mixed": 6}, raw="Mixed"), n_boot=300)
    r = prof.rate(("Cal",), "Loaded_Language")
    assert r is not None and r.count == 6 and r.expected is not None
    # three articles with two Loaded_Language spans each, scored 0.2 and 0.5
    assert r.expected == pytest.approx(3 * 0.7 / r.words * 1000)
    assert r.expected < r.rate  # a score below 1 is a detection that may be wrong
    assert r.expected_low is not None and r.expected_high is not None
    assert r.expected_low < r.expected < r.expected_high
    cat = prof.rate(("Cal",), "Attack_on_Reputation")  # Name_Calling's category, score 0.8
    assert cat is not None and cat.expected == pytest.approx(3 * 0.8 / cat.words * 1000)
    mixed = prof.rate(("Mixed",), "Loaded_Language")
    assert mixed is not None and mixed.count == 6  # counted as before
    assert (mixed.expected, mixed.expected_low, mixed.expected_high) == (None, None, None)


def test_expected_rates_of_small_groups_have_no_interval(store: CorpusStore) -> None:
    r = compute_profile(_calibrated(store, {"Few": 2}), n_boot=50).rate(("Few",), "Loaded_Language")
    assert r is not None and r.method == "poisson"
    assert r.expected == pytest.approx(0.7 / r.words * 1000)
    assert (r.expected_low, r.expected_high) == (None, None)
