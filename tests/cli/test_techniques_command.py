"""`propscope techniques`: the taxonomy as text and JSON."""

from __future__ import annotations

import json

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
