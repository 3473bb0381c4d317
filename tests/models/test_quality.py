"""Per-technique detection rates read from an artifact's recorded scores (``models/quality.py``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from propscope.errors import ModelError
from propscope.models import DEFAULT_MODEL_DIR
from propscope.models.quality import add_quality, load_quality
from propscope.taxonomy import TECHNIQUES, UNTRAINABLE_TECHNIQUES, taxonomy_json


def _rates(p: float, r: float, support: int, predicted: int) -> dict[str, Any]:
    return {"precision": p, "recall": r, "f1": 0.0, "support": support, "predicted": predicted}


def _artifact(tmp_path: Path, scored_by: dict[str, Any] | None) -> Path:
    """A model folder holding only what the rates are read from: the manifest and scores."""
    (tmp_path / "model.json").write_text(json.dumps({"kind": "linear", "name": "tiny", "version": "9.1"}))
    scores = {
        "documents": 40,
        "paragraphs": {"scores": {"per_label": {
            "Loaded_Language": _rates(0.4231, 0.746, 1809, 3190),
            "Guilt_by_Association": _rates(0.625, 0.0847, 59, 8),
            "Straw_Man": _rates(0.0, 0.0, 15, 0),
            "Flag_Waving": _rates(0.0, 0.0, 287, 0)}}},
        "spans": {"per_technique": {"Loaded_Language": _rates(0.23, 0.305, 2445, 3100),
                                    "Guilt_by_Association": _rates(0.0, 0.0, 63, 0),
                                    "Straw_Man": _rates(0.0, 0.0, 16, 0),
                                    "Flag_Waving": _rates(0.16, 0.3, 316, 630)}},
    }
    record: dict[str, Any] = {"all": scores} | ({"scored_by": scored_by} if scored_by else {})
    (tmp_path / "validation.json").write_text(json.dumps(record))
    return tmp_path


CV = {"method": "cross-validation", "folds": 3, "folds_by": "article", "articles": 40}


def test_rates_and_sentences_say_what_was_measured(tmp_path: Path) -> None:
    q = load_quality(_artifact(tmp_path, CV))
    assert q is not None and q.model == "tiny 9.1" and q.articles == 40
    assert q.header() == ("How well tiny 9.1 finds each technique, on articles it had not seen "
                          "(3-fold cross-validation by article over 40 articles).")
    loaded = q.describe("Loaded_Language")
    assert loaded == ("Paragraph labels right 42% of the time; it found 75% of the 1,809 annotated "
                      "paragraphs; its spans overlap annotated ones by 23% on average.")
    # Few labels: a count, not a percentage that would overstate what it rests on.
    guilt = q.describe("Guilt_by_Association")
    assert guilt is not None and guilt.startswith("Paragraph labels right 5 of 8 times;")
    assert guilt.endswith("it marks no spans of it, only paragraphs.")
    assert not q.techniques["Straw_Man"].found
    assert q.describe("Straw_Man") == ("Labelled nowhere in the 40 scored articles (15 annotated "
                                       "paragraphs): expect it almost never.")
    assert q.techniques["Flag_Waving"].found  # by its spans alone
    assert q.describe("Flag_Waving") == ("No paragraph labels of it (287 annotated paragraphs); its "
                                         "spans overlap annotated ones by 16% on average.")
    assert q.describe("Slogans") is None  # not scored


def test_held_out_scores_and_older_artifacts_name_the_articles(tmp_path: Path) -> None:
    q = load_quality(_artifact(tmp_path, {"method": "held-out", "articles": 40}))
    assert q is not None and q.scored_by == "40 held-out articles"
    (tmp_path / "validation.json").write_text(json.dumps(
        {"all": json.loads((tmp_path / "validation.json").read_text())["all"]}))
    older = load_quality(tmp_path)  # before scored_by was recorded
    assert older is not None and older.scored_by == "40 held-out articles"


def test_missing_or_empty_scores_mean_no_rates(tmp_path: Path) -> None:
    _artifact(tmp_path, CV)
    (tmp_path / "validation.json").write_text(json.dumps({"scored_by": {"method": "none"}, "all": {}}))
    assert load_quality(tmp_path) is None
    (tmp_path / "validation.json").unlink()
    assert load_quality(tmp_path) is None
    data = add_quality(taxonomy_json(), None)
    assert data["quality"] is None and all(t["quality"] is None for t in data["techniques"])


@pytest.mark.parametrize("content", ["{not json", '{"all": {"documents": 3}}', "[1, 2]"])
def test_unreadable_scores_are_a_clear_model_error(tmp_path: Path, content: str) -> None:
    _artifact(tmp_path, CV)
    (tmp_path / "validation.json").write_text(content)
    with pytest.raises(ModelError, match=r"Unreadable scores in .*validation\.json"):
        load_quality(tmp_path)


def test_no_artifact_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="No model artifact"):
        load_quality(tmp_path / "nowhere")


def test_add_quality_attaches_rates_to_scored_techniques_only(tmp_path: Path) -> None:
    data = add_quality(taxonomy_json(), load_quality(_artifact(tmp_path, CV)))
    assert [t["name"] for t in data["techniques"]] == list(TECHNIQUES)
    by_name = {t["name"]: t for t in data["techniques"]}
    assert by_name["Loaded_Language"]["quality"]["paragraphs"] == {
        "precision": 0.4231, "recall": 0.746, "support": 1809, "predicted": 3190}
    assert by_name["Straw_Man"]["quality"]["found"] is False
    assert by_name["Slogans"]["quality"] is None
    assert data["quality"]["summary"].startswith("How well tiny 9.1")


def test_shipped_rates_agree_with_its_model_card() -> None:
    if not (DEFAULT_MODEL_DIR / "validation.json").is_file():
        pytest.skip("shipped artifact not built")
    q = load_quality()
    assert q is not None
    assert set(q.techniques) == set(TECHNIQUES) - UNTRAINABLE_TECHNIQUES
    card = (DEFAULT_MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    for t, tq in q.techniques.items():
        row = re.search(rf"^\| {re.escape(t)} \| ([\d.]+) \| ([\d.]+) \| [\d.]+ \| (\d+) \|", card, re.M)
        assert row is not None, t
        assert float(row[1]) == pytest.approx(100 * tq.paragraphs.precision, abs=0.051)
        assert float(row[2]) == pytest.approx(100 * tq.paragraphs.recall, abs=0.051)
        assert int(row[3]) == tq.paragraphs.support
        assert 0 <= tq.paragraphs.precision <= 1 and 0 <= tq.paragraphs.recall <= 1
