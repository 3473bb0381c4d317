"""``evaluate`` on hand-made documents: paragraphs, genre, frames, missing and mismatched input."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propscope.document import Document, Frame, Genre, Paragraph, Span, split_paragraphs
from propscope.errors import DataError
from propscope.evaluation import evaluate, score_labels
from propscope.taxonomy import GENRES

A, B = "Loaded_Language", "Doubt"
TEXT = "First line.\n\nSecond line.\n\nThird line.\n\nFourth line.\n"  # paragraphs on lines 1, 3, 5, 7


def doc(id: str = "1", *, labels: Sequence[Sequence[str]] = (), genre: str | None = None,
        frames: Sequence[str] = (), spans: Sequence[Span] = (), text: str = TEXT) -> Document:
    """A document of ``text`` whose i-th paragraph carries ``labels[i]``."""
    d = Document(text, id=id)
    d.paragraphs = split_paragraphs(text)
    for p, techniques in zip(d.paragraphs, labels, strict=False):
        p.techniques = list(techniques)
    d.genre = Genre(genre, {g: float(g == genre) for g in GENRES}) if genre else None
    d.frames = [Frame(f, 1.0) for f in frames]
    d.add_spans(spans)
    return d


def test_paragraph_micro_versus_macro() -> None:
    gold = doc(labels=[[A], [A], [A], [B]])
    pred = doc(labels=[[A], [A], [A], []])
    r = evaluate([gold], [pred]).paragraphs
    # A: tp 3 -> F1 1.  B: fn 1 -> F1 0.
    # micro: tp 3, fp 0, fn 1 -> P 1, R 3/4, F1 = 1.5/1.75 = 6/7; macro = (1 + 0)/2 = 1/2
    assert r.micro_f1 == pytest.approx(6 / 7)
    assert r.macro_f1 == pytest.approx(0.5)
    assert r.scores.macro_labels == (B, A)  # taxonomy order: Doubt comes before Loaded_Language
    assert r.scores.units == 4
    assert r.scores.per_label[B].support == 1


def test_paragraphs_matched_by_line_missing_empty_and_extra_ignored() -> None:
    gold = doc(labels=[[A], [], [B], []])
    pred = Document(TEXT, id="1")
    # Line 1 right, line 3 predicted A on an unlabelled paragraph (fp), line 5 absent from the
    # prediction (so predicted empty: fn for B), line 99 not in the gold (ignored).
    pred.paragraphs = [Paragraph(1, 0, 11, [A]), Paragraph(3, 13, 25, [A]), Paragraph(99, 0, 1, [B])]
    r = evaluate([gold], [pred]).paragraphs
    # tp 1 (A line 1), fp 1 (A line 3), fn 1 (B line 5): P = R = F1 = 1/2, over 4 gold paragraphs
    assert r.scores.units == 4
    assert (r.scores.micro.precision, r.scores.micro.recall) == (pytest.approx(0.5), pytest.approx(0.5))
    # A: P 1/2, R 1, F1 2/3; B: 0 -> macro F1 = 1/3
    assert r.macro_f1 == pytest.approx(1 / 3)


def test_trainable_macro_counts_absent_techniques_as_zero() -> None:
    gold = doc(labels=[[A], [B]])
    r = evaluate([gold], [gold]).paragraphs
    assert r.macro_f1 == pytest.approx(1.0)
    assert r.macro_f1_trainable == pytest.approx(2 / 19)  # 2 of the 19 trainable techniques


def test_genre_macro_with_a_class_never_predicted() -> None:
    golds = ["opinion", "opinion", "reporting", "satire"]
    preds = ["opinion", "opinion", "reporting", "reporting"]
    gold = [doc(str(i), genre=g) for i, g in enumerate(golds)] + [doc("x")]  # "x": no gold genre
    pred = [doc(str(i), genre=g) for i, g in enumerate(preds)] + [doc("x", genre="satire")]
    r = evaluate(gold, pred).genre
    # opinion: F1 1; reporting: tp 1, fp 1 -> P 1/2, R 1, F1 2/3; satire: never predicted -> 0.
    # macro = (1 + 2/3 + 0)/3 = 5/9; accuracy = micro-F1 = 3/4; "x" is skipped.
    assert r.macro_f1 == pytest.approx(5 / 9)
    assert r.accuracy == pytest.approx(0.75)
    assert r.micro_f1 == pytest.approx(0.75)
    assert r.scores.units == 4
    assert r.scores.per_label["satire"].f1 == 0.0
    assert list(r.scores.per_label) == ["opinion", "reporting", "satire"]


def test_genre_missing_prediction_lowers_recall_not_precision() -> None:
    gold = [doc("1", genre="opinion"), doc("2", genre="opinion")]
    pred = [doc("1", genre="opinion"), doc("2")]  # no genre predicted for "2"
    r = evaluate(gold, pred).genre
    # tp 1, fn 1, fp 0: micro P 1, R 1/2, F1 2/3; accuracy 1/2
    assert r.scores.micro.precision == pytest.approx(1.0)
    assert r.micro_f1 == pytest.approx(2 / 3)
    assert r.accuracy == pytest.approx(0.5)


def test_frames_micro_and_macro() -> None:
    gold = [doc("1", frames=["Economic", "Political"]), doc("2", frames=["Political"]), doc("3")]
    pred = [doc("1", frames=["Economic"]), doc("2", frames=["Political", "Morality"]),
            doc("3", frames=["Economic"])]  # "3" has no gold frames: skipped
    r = evaluate(gold, pred).frames
    # Economic tp 1 -> 1; Political tp 1, fn 1 -> P 1, R 1/2, F1 2/3; Morality fp 1 -> 0.
    # micro: tp 2, fp 1, fn 1 -> 2/3; macro = (1 + 2/3 + 0)/3 = 5/9
    assert r.micro_f1 == pytest.approx(2 / 3)
    assert r.macro_f1 == pytest.approx(5 / 9)
    assert r.scores.units == 2


def test_missing_prediction_scores_as_empty() -> None:
    full = doc("1", labels=[[A]], genre="opinion", frames=["Economic"], spans=[Span(0, 5, A)])
    other = doc("2", labels=[[B]], genre="reporting", frames=["Political"], spans=[Span(0, 5, B)])
    report = evaluate([full, other], [full, doc("zzz")])
    assert report.missing == ["2"]
    assert report.unmatched == 1
    assert report.documents == 2
    # half of each task is right and nothing wrong was predicted: recall 1/2, precision 1
    assert report.paragraphs.scores.micro.recall == pytest.approx(0.5)
    assert report.spans.aware.precision == pytest.approx(1.0)
    assert report.spans.aware.recall == pytest.approx(0.5)
    assert report.genre.accuracy == pytest.approx(0.5)
    assert report.frames.micro_f1 == pytest.approx(2 / 3)


def test_empty_prediction_scores_zero_and_empty_gold_is_not_an_error() -> None:
    gold = doc(labels=[[A]], genre="opinion", frames=["Economic"], spans=[Span(0, 5, A)])
    report = evaluate([gold], [])
    assert report.missing == ["1"]
    assert report.paragraphs.micro_f1 == report.spans.aware.f1 == report.genre.macro_f1 == 0.0
    nothing = evaluate([], [])
    assert nothing.documents == 0
    assert nothing.paragraphs.micro_f1 == nothing.spans.agnostic.f1 == 0.0


@pytest.mark.parametrize(("gold", "pred", "message"), [
    ([doc("1"), doc("1")], [], "twice"),
    ([doc("1")], [doc("1"), doc("1")], "twice"),
    ([doc("1")], [doc("1", text=TEXT + "more")], "different text"),
])
def test_inconsistent_input_raises_data_error(gold: list[Document], pred: list[Document],
                                              message: str) -> None:
    with pytest.raises(DataError, match=message):
        evaluate(gold, pred)


def test_report_to_dict_is_plain_json() -> None:
    gold = doc(labels=[[A], [B]], genre="satire", frames=["Morality"], spans=[Span(0, 5, A)])
    d = evaluate([gold], [gold]).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["paragraphs"]["micro_f1"] == d["spans"]["technique_aware"]["f1"] == 1.0
    assert d["genre"]["scores"]["per_label"]["satire"]["support"] == 1


label_sets = st.lists(st.sets(st.sampled_from([A, B, "Slogans"])), max_size=8)


@given(label_sets, label_sets)
def test_label_scores_stay_in_unit_interval(gold: list[set[str]], pred: list[set[str]]) -> None:
    scores = score_labels(zip(gold, pred, strict=False))
    for prf in (scores.micro, scores.macro, *scores.per_label.values()):
        assert all(0.0 <= x <= 1.0 for x in (prf.precision, prf.recall, prf.f1))


@given(label_sets.filter(lambda sets: any(sets)))
def test_label_scores_perfect_prediction_is_one(gold: list[set[str]]) -> None:
    scores = score_labels((g, g) for g in gold)
    assert scores.micro.f1 == pytest.approx(1.0)
    assert scores.macro.f1 == pytest.approx(1.0)


def test_gold_against_itself_scores_one_on_shared_data(semeval_dir: Path) -> None:
    from propscope.datasets import load_semeval

    docs = load_semeval(semeval_dir).documents[:30]
    r = evaluate(docs, docs)
    assert r.missing == [] and r.documents == 30
    for value in (r.paragraphs.micro_f1, r.paragraphs.macro_f1, r.spans.aware.precision,
                  r.spans.aware.recall, r.spans.agnostic.f1, r.genre.macro_f1, r.genre.accuracy,
                  r.frames.micro_f1, r.frames.macro_f1,
                  *(s.f1 for s in r.spans.per_technique.values()),
                  *(s.f1 for s in r.paragraphs.scores.per_label.values())):
        assert value == pytest.approx(1.0)
    assert r.spans.aware.support > 100
