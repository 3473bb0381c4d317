"""Threshold choice for pooled (micro) F1: checked against brute force on small cases."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.document import Document
from propscope.models.linear.calibration import (
    OFF,
    SpanOption,
    choose_span_options,
    f1_at,
    micro_thresholds,
)

GRID = (0.2, 0.4, 0.6, 0.8)


def _micro(y: np.ndarray, probs: np.ndarray, th: np.ndarray) -> float:
    pred = probs >= th
    return 2 * float((pred & y).sum()) / float(pred.sum() + y.sum())


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_micro_thresholds_reach_the_brute_force_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.random((30, 3)) < 0.3
    y[0] = True  # at least one positive
    probs = np.clip(y * 0.3 + rng.random((30, 3)) * 0.7, 0, 1).astype(np.float32)
    th, f = micro_thresholds(y, probs, GRID)
    best = max(_micro(y, probs, np.array(c)) for c in itertools.product(GRID, repeat=3))
    assert abs(f - best) < 1e-9
    assert abs(_micro(y, probs, th) - best) < 1e-9


def test_micro_thresholds_silence_a_label_that_only_adds_noise() -> None:
    # label 0 is easy; label 1's scores are unrelated to its (rare) gold
    y = np.zeros((40, 2), dtype=bool)
    y[:20, 0] = True
    y[[3, 30], 1] = True
    probs = np.zeros((40, 2), dtype=np.float32)
    probs[:20, 0] = 0.9
    probs[:, 1] = np.linspace(0.25, 0.3, 40)
    probs[3, 1] = 0.9  # one lucky hit above everything
    th, _ = micro_thresholds(y, probs, GRID)
    assert th[0] == 0.8
    # its own F1 is best at 0.2 (every row predicted, recall 1), which pooled F1 refuses
    assert f1_at(y[:, 1], probs[:, 1], 0.2) > 0 and th[1] == 0.8


def _opt(predicted: int, prec: float, rec: float, th: float = 0.5) -> SpanOption:
    return SpanOption(1.0, th, predicted, prec, rec)


def test_span_detectors_that_lower_the_pool_are_switched_off() -> None:
    n_gold = {"A": 10, "B": 10, "C": 10}
    options = {
        "A": [_opt(0, 0, 0, OFF), _opt(10, 9.5, 9.5)],  # precise
        # B: its best F1 (P .35, R .9) beats its other setting, but not switching it off
        "B": [_opt(0, 0, 0, OFF), _opt(20, 3.0, 9.0, 0.2), _opt(4, 0.4, 0.5, 0.8)],
        "C": [_opt(0, 0, 0, OFF), _opt(10, 6.0, 6.0)],  # worth keeping: P .6 > pooled F / 2
    }
    chosen, f = choose_span_options(options, n_gold)
    assert chosen["A"] is options["A"][1] and chosen["C"] is options["C"][1]
    assert chosen["B"].threshold == OFF
    p, r = 15.5 / 20, 15.5 / 30
    assert abs(f - 2 * p * r / (p + r)) < 1e-12


def test_a_span_detector_that_earned_nothing_out_of_fold_is_off() -> None:
    # D's settings predicted nothing out of fold (its gate was never reached there): on or
    # off, the pooled score is the same, and on it would fire on new text unmeasured.
    n_gold = {"A": 10, "D": 5}
    options = {"A": [_opt(0, 0, 0, OFF), _opt(10, 9.5, 9.5)],
               "D": [_opt(0, 0, 0, OFF), _opt(0, 0, 0, 0.05), _opt(0, 0, 0, 0.5)]}
    chosen, _ = choose_span_options(options, n_gold)
    assert chosen["A"] is options["A"][1]
    assert chosen["D"].threshold == OFF


def test_decode_runs_groups_units_and_drops_function_word_runs() -> None:
    from propscope.models.linear.spans import decode_runs
    from propscope.models.linear.text import is_content, tokenize

    text = "the corrupt elite and the press"
    toks = tokenize(text)
    ranges = np.array(toks, dtype=np.int64)
    words = [text[s:e] for s, e in toks]
    probs = np.array([0.9, 0.9, 0.2, 0.9, 0.9, 0.1], dtype=np.float32)
    group = np.zeros(len(toks), dtype=np.int64)
    spans, scores = decode_runs(ranges, group, probs, 0.5)
    assert [text[s:e] for s, e in spans] == ["the corrupt", "and the"]
    np.testing.assert_allclose(scores, [0.9, 0.9])
    content = np.array([is_content(w) for w in words])
    spans, _ = decode_runs(ranges, group, probs, 0.5, content)
    assert [text[s:e] for s, e in spans] == ["the corrupt"]  # "and the" carries nothing
    group[3:] = 1  # a paragraph boundary splits a run
    spans, _ = decode_runs(ranges, group, np.full(len(toks), 0.9, dtype=np.float32), 0.5)
    assert [text[s:e] for s, e in spans] == ["the corrupt elite", "and the press"]


def test_decode_runs_trims_runs_to_their_first_and_last_word() -> None:
    from propscope.models.linear.spans import decode_runs
    from propscope.models.linear.text import tokenize

    text = 'a "useless" deal , " .'
    toks = tokenize(text)
    ranges = np.array(toks, dtype=np.int64)
    words = np.array([any(c.isalnum() for c in text[a:b]) for a, b in toks])
    probs = np.array([0.1, 0.9, 0.8, 0.7, 0.1, 0.1, 0.9, 0.9], dtype=np.float32)[:len(toks)]
    group = np.zeros(len(toks), dtype=np.int64)
    plain, scores = decode_runs(ranges, group, probs, 0.5)
    assert [text[a:b] for a, b in plain] == ['"useless"', '" .']
    trimmed, trimmed_scores = decode_runs(ranges, group, probs, 0.5, edges=words)
    assert [text[a:b] for a, b in trimmed] == ["useless"]  # the run of marks alone is dropped
    np.testing.assert_allclose(trimmed_scores, scores[:1])  # the score is the whole run's mean


def test_token_runs_stop_at_sentence_ends_and_never_end_on_a_mark() -> None:
    from propscope.models.linear.spans import decode_runs
    from propscope.models.linear.units import build_units

    text = 'Corrupt liars lied. "Crooked thieves!" Calm day.\n\nNext paragraph here.'
    units = build_units([Document(text)])
    assert len(units.sent_texts) == 4 and len(set(units.tok_sent.tolist())) == 4
    probs = np.where(units.tok_sent <= 1, 0.9, 0.1).astype(np.float32)
    spans, _ = units.token_layout(max_gap=1).decode(probs, 0.5)  # as analysis and training cut
    assert [text[a:b] for a, b in spans] == ["Corrupt liars lied", "Crooked thieves"]
    # Adjacent selected sentences stay two spans, each the whole sentence.
    whole, _ = units.sentence_layout().decode(np.array([0.9, 0.9, 0.1, 0.1], dtype=np.float32), 0.5)
    assert [text[a:b] for a, b in whole] == ["Corrupt liars lied.", '"Crooked thieves!"']
    by_paragraph, _ = decode_runs(units.tok_ranges, units.tok_par, probs, 0.5, units.tok_content, 1)
    assert [text[a:b] for a, b in by_paragraph] == ['Corrupt liars lied. "Crooked thieves!"']


def test_decode_runs_joins_runs_across_a_small_gap() -> None:
    from propscope.models.linear.spans import decode_runs

    ranges = np.array([(0, 7), (8, 11), (12, 22), (23, 26), (27, 31), (32, 37)], dtype=np.int64)
    probs = np.array([0.9, 0.1, 0.8, 0.1, 0.1, 0.7], dtype=np.float32)
    group = np.zeros(6, dtype=np.int64)
    assert decode_runs(ranges, group, probs, 0.5)[0].tolist() == [[0, 7], [12, 22], [32, 37]]
    spans, scores = decode_runs(ranges, group, probs, 0.5, max_gap=1)
    assert spans.tolist() == [[0, 22], [32, 37]]  # a two-unit gap is not bridged
    np.testing.assert_allclose(scores, [0.85, 0.7], rtol=1e-6)  # gap units do not dilute
