"""Quote and speaker scores: exact and overlapping matches, speakers on the matches."""

from __future__ import annotations

import pytest

from propscope.evaluation.quotes import GoldQuote, PredictedQuote, match, same_speaker, score_quotes


@pytest.mark.parametrize(("predicted", "gold", "right"), [
    ("Peskov", ("Dmitry Peskov",), True),
    ("Kremlin spokesman Dmitry Peskov", ("Dmitry Peskov",), True),
    ("State Department", ("Dmitry Peskov", "Peskov"), False),
    ("the Russian Embassy", ("Russian Embassy",), True),
    (None, (), True),
    ("Someone", (), False),
    (None, ("Jane Roe",), False),
])
def test_same_speaker(predicted: str | None, gold: tuple[str, ...], right: bool) -> None:
    assert same_speaker(predicted, gold) is right


def test_overlap_matches_one_to_one_largest_first() -> None:
    assert match([(0, 10), (20, 30)], [(8, 25)], exact=False) == [(1, 0)]  # 5 shared beat 2
    assert match([(0, 10)], [(0, 4), (2, 10)], exact=False) == [(0, 1)]
    assert match([(0, 10)], [(0, 10)], exact=True) == [(0, 0)]
    assert match([(0, 10)], [(0, 9)], exact=True) == []


def test_scores_count_spans_and_speakers() -> None:
    gold = [GoldQuote(0, 10, ("Jane Roe",)), GoldQuote(20, 30, ("John Doe",)), GoldQuote(40, 50)]
    pred = [PredictedQuote(0, 10, "Roe"), PredictedQuote(21, 30, "Jane Roe"), PredictedQuote(60, 70)]
    s = score_quotes([(gold, pred)])
    assert (s.exact.precision, s.exact.recall) == (1 / 3, 1 / 3)
    assert (s.overlap.precision, s.overlap.recall) == (2 / 3, 2 / 3)
    assert (s.speakers_right, s.speakers_scored, s.articles) == (1, 2, 1)
    assert s.to_dict()["speaker_accuracy"] == 0.5
