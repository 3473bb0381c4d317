"""The terminal tables show the headline scores and the per-technique rows."""

from __future__ import annotations

import pytest
from rich.console import Console

from propscope.document import Document, Genre, Span, split_paragraphs
from propscope.evaluation import evaluate, render_report

TEXT = "A shameful plan.\n\nCan we trust him?\n"


def report_text(*, per_technique: bool) -> str:
    gold = Document(TEXT, id="1")
    gold.paragraphs = split_paragraphs(TEXT)
    gold.paragraphs[0].techniques = ["Loaded_Language"]
    gold.add_spans([Span(2, 10, "Loaded_Language")])
    gold.genre = Genre("opinion", {})
    pred = Document(TEXT, id="1")
    pred.paragraphs = split_paragraphs(TEXT)
    pred.paragraphs[0].techniques = ["Loaded_Language"]
    pred.add_spans([Span(2, 6, "Loaded_Language")])  # half of the gold span: P 1, R 1/2
    console = Console(record=True, width=120)
    render_report(evaluate([gold], [pred]), console, title="Tiny run", per_technique=per_technique)
    return console.export_text()


@pytest.mark.parametrize("per_technique", [True, False])
def test_render_report_shows_headline_and_optional_technique_table(per_technique: bool) -> None:
    text = report_text(per_technique=per_technique)
    assert "Tiny run" in text and "micro (official)" in text and "technique-agnostic" in text
    assert "66.7" in text  # span F1 = 2 * 1 * 0.5 / 1.5
    assert ("Per technique" in text) is per_technique
    assert ("Loaded_Language" in text) is per_technique
