"""`propscope techniques`: the taxonomy as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.cli.main import main
from propscope.taxonomy import UNTRAINABLE_TECHNIQUES


def test_json_lists_23_techniques_in_6_categories(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["techniques", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["categories"]) == 6 and len(data["techniques"]) == 23
    assert {t["category"] for t in data["techniques"]} == {c["name"] for c in data["categories"]}
    assert all(c["color"].startswith("#") for c in data["categories"])
    unpredicted = {t["name"] for t in data["techniques"] if not t["predicted"]}
    assert unpredicted == UNTRAINABLE_TECHNIQUES
    assert all(t["definition"] and t["example"] for t in data["techniques"])


@pytest.mark.parametrize("name", ["Call", "call", "Manipulative wording", "manipulative_wording"])
def test_category_filter_accepts_names_and_titles(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["techniques", "--format", "json", "--category", name]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["categories"]) == 1
    assert {t["category"] for t in data["techniques"]} == {data["categories"][0]["name"]}


def test_unknown_category_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["techniques", "--category", "Nonsense"]) == 2
    assert "Attack_on_Reputation" in capsys.readouterr().err


def test_text_marks_untrainable_techniques(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["techniques", "--category", "Call"]) == 0
    out = capsys.readouterr().out
    assert "Slogans" in out and "Appeal_to_Time" in out
    assert out.count("Not predicted yet (no English training examples)") == 1


def _shipped_scores() -> None:
    from propscope.models import DEFAULT_MODEL_DIR

    if not (DEFAULT_MODEL_DIR / "validation.json").is_file():
        pytest.skip("shipped artifact not built")


def test_json_carries_the_shipped_models_rates(capsys: pytest.CaptureFixture[str]) -> None:
    _shipped_scores()
    assert main(["techniques", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["quality"]["scored_by"].endswith("articles")
    for t in data["techniques"]:
        if t["name"] in UNTRAINABLE_TECHNIQUES:
            assert t["quality"] is None
        else:
            q = t["quality"]
            assert q["paragraphs"]["support"] > 0 and q["summary"]
            assert q["found"] == (q["paragraphs"]["predicted"] > 0
                                  or bool(q["spans"] and q["spans"]["predicted"] > 0))


def test_text_says_how_well_each_technique_is_found(capsys: pytest.CaptureFixture[str]) -> None:
    _shipped_scores()
    assert main(["techniques", "--category", "Manipulative wording"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # undo rich's line wrapping
    assert out.startswith("How well hybrid-v1")
    assert "Paragraph labels right" in out and "annotated paragraphs" in out
    assert main(["techniques", "--category", "Manipulative wording", "--no-quality"]) == 0
    plain = capsys.readouterr().out
    assert "How well" not in plain and "Paragraph labels right" not in plain


def test_unknown_model_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["techniques", "--model", str(tmp_path / "nowhere")]) == 1
    assert "No model artifact" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_reader_that_stops_early_ends_the_run_quietly(fmt: str) -> None:
    # `propscope techniques --format json | head -c 0`: the pipe's reader is gone before the
    # first write; the run must end without a traceback (exit 1, as rich's tables do).
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "propscope.cli.main", "techniques",
                               "--format", fmt], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
