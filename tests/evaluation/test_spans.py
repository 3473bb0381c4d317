"""Partial-overlap span scoring on hand-made spans whose scores are worked out in comments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propscope.document import Span
from propscope.evaluation.spans import merge_intervals, overlap_sums, score_spans

A, B = "Loaded_Language", "Doubt"


def S(start: int, end: int, label: str = A) -> Span:
    return Span(start, end, label)


@pytest.mark.parametrize(("intervals", "merged"), [
    ([], []),
    ([(5, 9), (0, 3)], [(0, 3), (5, 9)]),  # sorted, disjoint: unchanged
    ([(0, 6), (4, 10)], [(0, 10)]),  # share 4..6
    ([(0, 10), (2, 4)], [(0, 10)]),  # nested
    ([(0, 5), (5, 10)], [(0, 5), (5, 10)]),  # touching: no shared character, kept apart
    ([(8, 12), (0, 3), (2, 9)], [(0, 12)]),  # a chain merges transitively
])
def test_merge_intervals(intervals: list[tuple[int, int]], merged: list[tuple[int, int]]) -> None:
    assert merge_intervals(intervals) == merged


@pytest.mark.parametrize(("gold", "pred", "p", "r"), [
    # gold [0,10), pred [5,15): 5 shared chars; P = 5/10, R = 5/10
    ([S(0, 10)], [S(5, 15)], 0.5, 0.5),
    # exact match
    ([S(0, 10)], [S(0, 10)], 1.0, 1.0),
    # pred inside gold: P = 4/4 = 1, R = 4/10
    ([S(0, 10)], [S(3, 7)], 1.0, 0.4),
    # one pred over two gold spans: P = (4 + 4)/10 = 0.8, R = (4/4 + 4/4)/2 = 1
    ([S(0, 4), S(6, 10)], [S(0, 10)], 0.8, 1.0),
    # no shared character
    ([S(0, 5)], [S(5, 10)], 0.0, 0.0),
    # pred [0,6) and [4,10) overlap, so they merge into [0,10) first: P = R = 1
    # (unmerged, R would be (6 + 6)/10 = 1.2)
    ([S(0, 10)], [S(0, 6), S(4, 10)], 1.0, 1.0),
    # the same merge on the gold side: gold becomes [0,10); pred [0,5): P = 1, R = 5/10
    ([S(0, 6), S(4, 10)], [S(0, 5)], 1.0, 0.5),
    # empty prediction: P is 0 by definition, R = 0
    ([S(0, 10)], [], 0.0, 0.0),
    # empty gold: R is 0 by definition, P = 0
    ([], [S(0, 10)], 0.0, 0.0),
    ([], [], 0.0, 0.0),
])
def test_technique_aware_single_article(gold: list[Span], pred: list[Span], p: float, r: float) -> None:
    report = score_spans([(gold, pred)])
    assert report.aware.precision == pytest.approx(p)
    assert report.aware.recall == pytest.approx(r)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    assert report.aware.f1 == pytest.approx(f1)


def test_touching_spans_are_not_merged() -> None:
    # gold [0,5) and [5,10) stay two spans; pred [0,10): P = (5 + 5)/10 = 1, R = (1 + 1)/2 = 1
    report = score_spans([([S(0, 5), S(5, 10)], [S(0, 10)])])
    assert (report.aware.support, report.aware.predicted) == (2, 1)
    assert report.aware.f1 == pytest.approx(1.0)


def test_label_mismatch_counts_only_technique_agnostic() -> None:
    report = score_spans([([S(0, 10, A)], [S(0, 10, B)])])
    assert (report.aware.precision, report.aware.recall, report.aware.f1) == (0.0, 0.0, 0.0)
    assert (report.agnostic.precision, report.agnostic.recall, report.agnostic.f1) == (1.0, 1.0, 1.0)
    assert report.per_technique[A].recall == 0.0
    assert report.per_technique[B].precision == 0.0


def test_agnostic_merges_across_labels_and_aware_keeps_them_apart() -> None:
    gold = [S(0, 10, A)]
    pred = [S(0, 6, A), S(4, 12, B)]
    report = score_spans([(gold, pred)])
    # aware: A pred [0,6) vs gold [0,10) gives 6/6 and 6/10; B pred [4,12) matches nothing.
    # P = (1 + 0)/2 = 0.5, R = 0.6/1 = 0.6, F1 = 2*.5*.6/1.1 = 6/11
    assert report.aware.precision == pytest.approx(0.5)
    assert report.aware.recall == pytest.approx(0.6)
    assert report.aware.f1 == pytest.approx(6 / 11)
    # agnostic: pred merges into [0,12): P = 10/12, R = 10/10
    assert report.agnostic.precision == pytest.approx(10 / 12)
    assert report.agnostic.recall == pytest.approx(1.0)
    assert (report.agnostic.support, report.agnostic.predicted) == (1, 1)


def test_spans_only_match_within_their_article() -> None:
    articles = [
        ([S(0, 10)], []),  # article 1: a gold span nobody found
        ([], [S(0, 10)]),  # article 2: same offsets predicted in another article: no credit
        ([S(0, 4)], [S(0, 8)]),  # article 3: p = 4/8, r = 4/4
    ]
    report = score_spans(articles)
    # |S| = 2, |T| = 2: P = (0 + 0.5)/2 = 0.25, R = (0 + 1)/2 = 0.5, F1 = 2*.25*.5/.75 = 1/3
    assert report.aware.precision == pytest.approx(0.25)
    assert report.aware.recall == pytest.approx(0.5)
    assert report.aware.f1 == pytest.approx(1 / 3)


def test_per_technique_scores_and_order() -> None:
    # A: gold [0,10), pred [0,5): P = 1, R = 0.5.  B: gold [20,30), pred [20,30): P = R = 1.
    report = score_spans([([S(0, 10, A), S(20, 30, B)], [S(0, 5, A), S(20, 30, B)])], order=[B, A])
    assert list(report.per_technique) == [B, A]
    assert report.per_technique[A].recall == pytest.approx(0.5)
    assert report.per_technique[B].f1 == pytest.approx(1.0)
    # overall: P = (1 + 1)/2 = 1, R = (0.5 + 1)/2 = 0.75
    assert report.aware.recall == pytest.approx(0.75)


def test_to_dict_is_plain_json() -> None:
    d = score_spans([([S(0, 10)], [S(5, 15)])]).to_dict()
    assert d["technique_aware"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 1, "predicted": 1}
    assert set(d["per_technique"]) == {A}


def test_many_spans_score_in_linear_time() -> None:
    # 20,000 spans per side in one article: a quadratic scorer would take minutes.
    gold = [S(10 * i, 10 * i + 6) for i in range(20_000)]
    pred = [S(10 * i + 3, 10 * i + 9) for i in range(20_000)]
    report = score_spans([(gold, pred)])
    assert report.aware.precision == pytest.approx(0.5)  # 3 of 6 predicted chars are gold


intervals = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15)).map(lambda t: (t[0], t[0] + t[1])),
                     max_size=12)
labelled = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15), st.sampled_from([A, B])).map(
    lambda t: Span(t[0], t[0] + t[1], t[2])), max_size=12)


@given(intervals, intervals)
def test_sweep_matches_brute_force(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> None:
    mp, mg = merge_intervals(pred), merge_intervals(gold)
    inter = [[max(0, min(pe, ge) - max(ps, gs)) for gs, ge in mg] for ps, pe in mp]
    p_sum = sum(inter[i][j] / (pe - ps) for i, (ps, pe) in enumerate(mp) for j in range(len(mg)))
    r_sum = sum(inter[i][j] / (ge - gs) for j, (gs, ge) in enumerate(mg) for i in range(len(mp)))
    assert overlap_sums(mp, mg) == pytest.approx((p_sum, r_sum))


@given(st.lists(st.tuples(labelled, labelled), max_size=4))
def test_scores_stay_in_unit_interval(articles: list[tuple[list[Span], list[Span]]]) -> None:
    report = score_spans(articles)
    for prf in (report.aware, report.agnostic, *report.per_technique.values()):
        for x in (prf.precision, prf.recall, prf.f1):
            assert 0.0 <= x <= 1.0 + 1e-9


@given(st.lists(labelled.filter(bool), min_size=1, max_size=4))
def test_perfect_prediction_scores_one(golds: list[list[Span]]) -> None:
    report = score_spans([(g, list(g)) for g in golds])
    for prf in (report.aware, report.agnostic, *report.per_technique.values()):
        assert prf.f1 == pytest.approx(1.0)
