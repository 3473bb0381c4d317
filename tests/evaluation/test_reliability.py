"""Reliability of confidences: bins, ECE and Brier by hand, and the spans/paragraph-label
pairs drawn from gold and predicted documents."""

from __future__ import annotations

import pytest

from propscope.document import Document, Paragraph, Span
from propscope.evaluation import evaluate
from propscope.evaluation.reliability import confidence_report, reliability


def test_reliability_bins_ece_and_brier_by_hand() -> None:
    r = reliability([0.95, 0.85, 0.15, 0.15], [True, False, False, True])
    assert r.count == 4 and r.observed == 0.5
    assert [(b.low, b.count) for b in r.bins] == [(0.1, 2), (0.8, 1), (0.9, 1)]
    # |0.15 - 0.5| * 2 + |0.85 - 0| + |0.95 - 1|, over 4
    assert r.ece == pytest.approx((0.7 + 0.85 + 0.05) / 4)
    assert r.brier == pytest.approx((0.05**2 + 0.85**2 + 0.15**2 + 0.85**2) / 4)
    assert reliability([1.0], [True]).bins[0].low == 0.9  # 1.0 falls in the last bin


def test_reliability_of_nothing_and_bad_lengths() -> None:
    assert reliability([], []).count == 0
    with pytest.raises(ValueError, match="differ in length"):
        reliability([0.5], [True, False])


def _pair() -> tuple[Document, Document]:
    text = "Title\n\nThey are traitors and liars, and the plan is a disaster."
    gold, pred = Document(text, id="a"), Document(text, id="a")
    start = text.index("traitors")
    gold.spans = [Span(start, start + 8, "Name_Calling-Labeling")]
    gold.paragraphs = [Paragraph(1, 0, 5), Paragraph(3, 7, len(text), ["Name_Calling-Labeling"])]
    liars = text.index("liars")
    pred.spans = [Span(start, start + 8, "Name_Calling-Labeling", 0.8),   # right
                  Span(start, start + 8, "Loaded_Language", 0.4),        # wrong technique
                  Span(liars, liars + 5, "Name_Calling-Labeling", 0.3)]  # no gold there
    pred.paragraphs = [Paragraph(1, 0, 5), Paragraph(3, 7, len(text), ["Doubt", "Name_Calling-Labeling"],
                                                      {"Doubt": 0.2, "Name_Calling-Labeling": 0.9})]
    return gold, pred


def test_confidence_report_counts_right_spans_and_labels() -> None:
    gold, pred = _pair()
    rep = confidence_report([(gold, pred)])
    assert rep.spans.count == 3 and rep.spans.observed == pytest.approx(1 / 3)
    assert rep.spans.mean_confidence == pytest.approx(0.5)
    assert rep.paragraphs.count == 2 and rep.paragraphs.observed == 0.5
    assert confidence_report([(gold, None)]).spans.count == 0


def test_evaluation_report_carries_the_confidence_report() -> None:
    gold, pred = _pair()
    d = evaluate([gold], [pred]).to_dict()
    assert d["confidence"]["spans"]["count"] == 3
    assert d["confidence"]["paragraphs"]["observed"] == 0.5


def test_confidence_report_scores_the_genre_label_shown() -> None:
    from propscope.document import Genre

    gold, pred = _pair()
    assert confidence_report([(gold, pred)]).genre.count == 0  # no genre on either side
    gold.genre = Genre("opinion", {})
    pred.genre = Genre("reporting", {"opinion": 0.3, "reporting": 0.6, "satire": 0.1})
    other_gold, other_pred = _pair()
    other_gold.genre = Genre("opinion", {})
    other_pred.genre = Genre("opinion", {"opinion": 0.8, "reporting": 0.1, "satire": 0.1})
    rep = confidence_report([(gold, pred), (other_gold, other_pred)]).genre
    assert rep.count == 2 and rep.observed == 0.5
    assert rep.mean_confidence == pytest.approx(0.7)
    assert rep.brier == pytest.approx((0.6 ** 2 + 0.2 ** 2) / 2)
