"""Confidence maps: Platt fits recover known calibrations, stay monotone, fall back sensibly
and survive a save/load round trip."""

from __future__ import annotations

import numpy as np
import pytest

from propscope.models.linear.confidence import (
    IDENTITY,
    MIN_UNITS,
    ConfidenceMaps,
    PlattMap,
    fit_platt,
)
from propscope.models.linear.heads import logit, sigmoid


def _sample(slope: float, bias: float, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    raw = rng.uniform(0.05, 0.95, n)
    hit = rng.random(n) < sigmoid(slope * logit(raw) + bias)
    return raw, hit


def test_fit_platt_recovers_a_known_map() -> None:
    raw, hit = _sample(0.8, -1.5, 40000)
    m = fit_platt(raw, hit)
    assert m.slope == pytest.approx(0.8, abs=0.06)
    assert m.bias == pytest.approx(-1.5, abs=0.06)


def test_overconfident_scores_are_pulled_down_to_observed_rates() -> None:
    raw, hit = _sample(1.0, -2.0, 20000)  # raw 0.7 is right about 24% of the time
    m = fit_platt(raw, hit)
    near = (raw > 0.65) & (raw < 0.75)
    assert float(m(0.7)) == pytest.approx(hit[near].mean(), abs=0.04)
    assert float(m(0.7)) < 0.35


def test_negative_or_constant_evidence_gives_the_base_rate() -> None:
    raw, hit = _sample(-1.0, 0.0, 5000)
    m = fit_platt(raw, hit)
    assert m.slope == 0.0
    assert float(m(0.1)) == pytest.approx(hit.mean(), abs=1e-6) == pytest.approx(float(m(0.9)))
    always = fit_platt(np.array([0.6, 0.7, 0.9]), np.array([True, True, True]))
    assert 0.5 < float(always(0.8)) < 1.0  # smoothed: never claims certainty from 3 cases


def test_maps_are_monotone_so_they_never_reorder_a_labels_scores() -> None:
    m = PlattMap(0.6, -1.2)
    p = np.linspace(0.0, 1.0, 101)
    assert np.all(np.diff(m(p)) >= 0)
    assert np.all((m(p) >= 0) & (m(p) <= 1))


def test_labels_with_little_evidence_borrow_the_pooled_map() -> None:
    big = _sample(1.0, -2.0, 3000, seed=1)
    small = (np.array([0.9] * (MIN_UNITS - 1)), np.array([True] * (MIN_UNITS - 1)))
    maps = ConfidenceMaps()
    maps.fit_kind("span", {"Loaded_Language": big, "Straw_Man": small})
    assert "Loaded_Language" in maps.by_label["span"] and "Straw_Man" not in maps.by_label["span"]
    assert maps.get("span", "Straw_Man") == maps.default["span"]
    assert maps.get("paragraph", "Doubt") == IDENTITY  # nothing fitted for that kind


def test_apply_and_json_round_trip() -> None:
    maps = ConfidenceMaps()
    maps.fit_kind("paragraph", {"Doubt": _sample(0.7, -1.0, 2000), "Slogans": _sample(1.2, -2.5, 2000, 3)})
    probs = np.random.default_rng(2).uniform(size=(50, 2)).astype(np.float32)
    out = maps.apply("paragraph", ["Doubt", "Slogans"], probs)
    again = ConfidenceMaps.from_json(maps.to_json()).apply("paragraph", ["Doubt", "Slogans"], probs)
    assert out.dtype == np.float32 and out.shape == probs.shape
    np.testing.assert_allclose(out, again, atol=1e-5)
    assert not np.allclose(out[:, 0], out[:, 1])  # each label its own map
    assert ConfidenceMaps.from_json(None).get("span", "Doubt") == IDENTITY
