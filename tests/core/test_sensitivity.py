"""Sensitivity: one shift of every span and paragraph-label threshold, on the real model."""

from __future__ import annotations

import math

import pytest

from propscope.analyzer import Analyzer
from propscope.config import from_env
from propscope.document import Document, ModelInfo
from propscope.errors import SettingError
from propscope.model_info import ModelQuality
from propscope.models import DEFAULT_MODEL_DIR
from propscope.sensitivity import (
    LEVELS,
    describe_sensitivity,
    levels_text,
    resolve_sensitivity,
    sensitivity_name,
    shift_threshold,
)

TEXT = ("The Harbour Deal\n\n"
        "Once again the reckless, spineless bureaucrats of the council have shown their utter "
        "contempt for ordinary families. This so-called plan is a disgrace.\n\n"
        "Either we stop this madness today, or our children will pay for it forever. There is "
        "no other way.\n\n"
        "True patriots will not stand by while our town is sold off. Save our harbour!\n\n"
        "The council meets on Tuesday at 7 p.m. in the town hall.\n")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not (DEFAULT_MODEL_DIR / "model.json").is_file():
        pytest.skip("shipped model not built")
    return Analyzer()


@pytest.fixture(scope="module")
def by_level(analyzer: Analyzer) -> dict[str, Document]:
    return {name: analyzer.with_sensitivity(name).analyze(TEXT) for name in LEVELS}


def test_levels_and_numbers_resolve() -> None:
    assert resolve_sensitivity(None) == 0.0
    assert resolve_sensitivity("broad") == 0.5
    assert resolve_sensitivity(" Precise ") == -1.0
    assert resolve_sensitivity("0.8") == 0.8
    assert resolve_sensitivity(-2) == -2.0
    assert math.copysign(1.0, resolve_sensitivity("-0")) == 1.0  # no "-0" in outputs
    assert sensitivity_name(0.5) == "broad" and sensitivity_name(0.8) == "0.8"
    assert levels_text([]) is None and levels_text([0.0]) is None
    assert levels_text([0.0, 0.5]) == "balanced, broad" and levels_text([0.8]) == "0.8"


@pytest.mark.parametrize("bad", ["loud", "", "3.5", "-4", "nan", "inf", float("nan")])
def test_bad_sensitivity_names_the_levels(bad: str | float) -> None:
    with pytest.raises(SettingError, match="precise, balanced, broad, exhaustive"):
        resolve_sensitivity(bad)


def test_shift_moves_thresholds_monotonically_and_keeps_disabled_ones() -> None:
    assert shift_threshold(0.3, 0.0) == 0.3
    assert shift_threshold(0.3, 0.5) < 0.3 < shift_threshold(0.3, -0.5)
    assert shift_threshold(0.3, 1.0) < shift_threshold(0.3, 0.5)
    assert shift_threshold(1.01, 3.0) == 1.01  # a technique the model never gives stays off
    assert shift_threshold(0.0, -3.0) == 0.0  # no gate stays no gate
    assert math.isclose(shift_threshold(shift_threshold(0.42, 0.7), -0.7), 0.42)


def test_more_sensitive_levels_give_more_and_cover_the_fewer(by_level: dict[str, Document]) -> None:
    counts = [len(by_level[n].spans) for n in ("precise", "balanced", "broad", "exhaustive")]
    assert counts == sorted(counts) and counts[-1] > counts[1], counts
    # Lower thresholds only grow runs of tokens: every span of a stricter level lies inside a
    # span of the same technique at the next level.
    for strict, loose in (("precise", "balanced"), ("balanced", "broad"), ("broad", "exhaustive")):
        for s in by_level[strict].spans:
            assert any(t.label == s.label and t.start <= s.start and s.end <= t.end
                       for t in by_level[loose].spans), (strict, s)
        for p, q in zip(by_level[strict].paragraphs, by_level[loose].paragraphs, strict=True):
            assert set(p.techniques) <= set(q.techniques)
            assert p.scores == q.scores  # a label's score does not depend on the level


def test_genre_frames_and_text_do_not_move(by_level: dict[str, Document]) -> None:
    base = by_level["balanced"]
    for doc in by_level.values():
        assert doc.genre == base.genre and doc.frames == base.frames
        assert [(p.start, p.end) for p in doc.paragraphs] == [(p.start, p.end) for p in base.paragraphs]


def test_the_level_is_recorded_and_described(by_level: dict[str, Document]) -> None:
    for name, doc in by_level.items():
        assert doc.model is not None and doc.model.sensitivity == LEVELS[name]
    assert describe_sensitivity(0.0) is None
    assert describe_sensitivity(0.5) == ("broad: more spans and paragraph labels than the "
                                         "calibrated thresholds give")
    assert (describe_sensitivity(-1.0) or "").startswith("precise: fewer")


def test_analyzer_takes_the_level_from_settings_or_argument(analyzer: Analyzer) -> None:
    config = from_env({"PROPSCOPE_SENSITIVITY": "exhaustive"}).analyzer
    assert Analyzer(analyzer.model, config=config).sensitivity == 1.0
    assert Analyzer(analyzer.model, config=config, sensitivity="precise").sensitivity == -1.0
    broad = analyzer.with_sensitivity("broad")
    assert broad.model is analyzer.model and broad.model_path == analyzer.model_path
    assert analyzer.sensitivity == 0.0  # the original is unchanged
    assert analyzer.with_sensitivity(None) is analyzer
    with pytest.raises(SettingError, match="out of range"):
        Analyzer(analyzer.model, sensitivity=9)


def test_batches_and_single_documents_agree(analyzer: Analyzer, by_level: dict[str, Document]) -> None:
    broad = analyzer.with_sensitivity("broad")
    (many,) = broad.analyze_many([Document(TEXT)])
    assert many.spans == by_level["broad"].spans


def test_recorded_rates_apply_only_at_the_calibrated_thresholds() -> None:
    quality = ModelQuality(model="m 1", scored_by="3-fold cross-validation", articles=10, techniques={})
    assert quality.matches(ModelInfo("m", "1", "data"))
    assert not quality.matches(ModelInfo("m", "1", "data", sensitivity=0.5))


def test_analyze_reads_the_texts_own_metadata_as_the_readers_do(analyzer: Analyzer) -> None:
    from propscope.document import Metadata
    from propscope.ingest.readers import read_text

    text = "The Harbour Deal\n\nBy Jane Doe\n\n" + TEXT.split("\n\n", 1)[1]
    doc = analyzer.analyze(text)
    assert (doc.metadata.title, doc.metadata.author) == ("The Harbour Deal", "Jane Doe")
    assert doc.metadata == read_text(text).metadata
    assert analyzer.analyze(text, metadata=Metadata()).metadata.title is None
