"""The terminal view at 80 columns, with and without colour."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from ratings import rated
from rich.console import Console

from propscope.document import Document
from propscope.model_info import ModelQuality
from propscope.render.terminal import print_document

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render(doc: Document, *, colour: bool, show_text: bool = True,
           quality: ModelQuality | None = None) -> str:
    out = io.StringIO()
    if colour:
        console = Console(file=out, width=80, force_terminal=True, color_system="truecolor")
    else:
        console = Console(file=out, width=80, force_terminal=False, no_color=True)
    print_document(rated(doc, quality) if quality is not None else doc, console, show_text=show_text)
    return out.getvalue()


@pytest.mark.parametrize("colour", [True, False])
def test_fits_80_columns(doc: Document, colour: bool) -> None:
    text = ANSI.sub("", render(doc, colour=colour))
    assert max(len(line) for line in text.splitlines()) <= 80


def test_plain_view_brackets_nested_spans(doc: Document) -> None:
    text = render(doc, colour=False)
    assert "\x1b[" not in text
    assert "[2 reckless, [3 shameful decision 3] devastated 2]" in text
    assert "~7 Share this article!" in text  # boilerplate marked without colour


def test_colour_view_uses_category_colours_and_underlines_overlap(doc: Document) -> None:
    text = render(doc, colour=True)
    # Name calling (Attack on reputation, #f4a6a6) sits inside Loaded language: underlined.
    assert "\x1b[4;30;48;2;244;166;166mshameful decision" in text
    assert "48;2;166;200;244mEvery true patriot" in text  # Justification blue
    assert "²" in text and "³" in text  # span numbers as superscripts
    assert "\x1b[2mShare this article! Subscribe now." in text  # boilerplate dimmed


def test_summary_lists_techniques_genre_frames_and_paragraphs(doc: Document) -> None:
    text = render(doc, colour=False, show_text=False)
    assert "Shameful Deal" not in text.split("Daily Example")[1]  # no article text
    assert re.search(r"Loaded language\s+Manipulative wording\s+2\s+0\.73", text)
    assert "Genre: opinion  (opinion 0.70, reporting 0.25, satire 0.05)" in text
    assert "Frames: Political 0.80, Morality 0.55" in text
    assert re.search(r"\n\s+3\s+Flag waving, Loaded language, Name calling / labeling", text)


def test_rich_markup_in_the_article_is_shown_literally(make_doc) -> None:  # type: ignore[no-untyped-def]
    text = "[bold red]Not markup[/] and [link=http://x]no link[/link]\n"
    out = render(make_doc(text, [("Not markup", "Loaded_Language", 0.5)]), colour=False)
    assert "[bold red][1 Not markup 1][/] and [link=http://x]no link[/link]" in out


def test_markup_and_control_characters_in_a_span_are_shown_as_text(make_doc) -> None:  # type: ignore[no-untyped-def]
    # The span table's excerpt was a markup string: "[/]" in a span was a MarkupError, and an
    # ESC in the article reached the terminal as the start of an escape sequence.
    text = "Traitors [/] rule \x1b]0;PWNED\x07 us.\n"
    out = render(make_doc(text, [("Traitors [/] rule", "Name_Calling-Labeling", 0.5)]), colour=True)
    assert "Traitors [/] rule" in ANSI.sub("", out)
    assert "\x1b]" not in out and "\x07" not in out and "\ufffd]0;PWNED\ufffd" in out


def test_evidence_words_are_shown_as_text(make_doc) -> None:  # type: ignore[no-untyped-def]
    # Two evidence words take the text between them along: "[/]" there was a MarkupError in
    # the paragraph table, which plain `propscope analyze FILE` printed.
    text = "Can this government be [/] \x1b]0;x\x07 trusted at all?\n"
    doc = make_doc(text, [("Can this government", "Doubt", 0.5)])
    start = text.index("be")
    doc.paragraphs[0].evidence = {"Doubt": [(start, text.index(" at all"))]}
    out = render(doc, colour=True)
    assert "[/]" in ANSI.sub("", out) and "\x1b]" not in out and "\x07" not in out


def test_document_without_spans(make_doc) -> None:  # type: ignore[no-untyped-def]
    out = render(make_doc("A calm report.\n", []), colour=False)
    assert "(no technique found)" in out and "(none of 1 paragraphs labelled)" in out


def test_spans_caption_says_how_many_are_expected_right_only_for_calibrated_scores(doc: Document) -> None:
    from dataclasses import replace

    from propscope.render.html import render_html

    raw = " ".join(render(doc, colour=False, show_text=False).split())
    assert "expected to match" not in raw and "expected to match" not in render_html(doc)
    doc.model = replace(doc.model, calibrated=True)  # type: ignore[arg-type]
    total = sum(s.score for s in doc.spans)
    text = " ".join(render(doc, colour=False, show_text=False).split())
    assert f"about {total:.0f} of these {len(doc.spans)} spans are expected to match" in text
    page = " ".join(render_html(doc).split())
    assert f"{len(doc.spans)} technique spans of" in page
    assert f"(about {total:.0f} expected to match an annotator's" in page


def test_summary_says_how_often_the_models_labels_were_right(
        doc: Document, rates: ModelQuality, rates_of: Callable[[str], ModelQuality]) -> None:
    text = render(doc, colour=False, show_text=False, quality=rates)
    assert max(len(line) for line in text.splitlines()) <= 80
    header = re.search(r"^\s*Technique\s+Category\s+Count\s+Mean conf\.\s+Labels right\s*$", text, re.M)
    assert header is not None, text
    assert re.search(r"^\s*Loaded language .* 42%\s*$", text, re.M), text
    assert re.search(r"^\s*Flag waving .* 5 of 8\s*$", text, re.M), text  # few labels: a count
    assert " ".join(rates.header().split()) in " ".join(text.split())
    # No rates, or another model's: the table is as before.
    assert render(doc, colour=False, show_text=False, quality=rates_of("hybrid-v1 0.4.0")) == \
        render(doc, colour=False, show_text=False)
    assert "Labels right" not in render(doc, colour=False, show_text=False)


def test_a_genre_chosen_below_the_top_score_is_explained(doc: Document) -> None:
    from propscope.document import Genre

    assert "is chosen although" not in render(doc, colour=False)
    doc.genre = Genre("reporting", {"opinion": 0.54, "reporting": 0.46, "satire": 0.0})
    text = " ".join(render(doc, colour=False).split())
    assert "Genre: reporting (opinion 0.54, reporting 0.46, satire 0.00) reporting is chosen although " \
        "opinion scores higher" in text


ARABIC = ("هؤلاء الخونة الفاسدون يكذبون على الشعب كل يوم ويدمرون كل ما نحب في هذا البلد العظيم. "
          "لا تصدقوا وسائل الإعلام.\n")


def test_a_language_the_model_does_not_read_is_said_not_analysed(make_doc) -> None:  # type: ignore[no-untyped-def]
    # Arabic news got "(no technique found)" and a confident genre, as if that were a finding.
    shown = " ".join(render(make_doc(ARABIC, [], language="ar"), colour=False).split())
    assert "This text is in Arabic, which linear-v0 does not read (it reads English): it was not " \
           "analysed" in shown
    calm = render(make_doc("A calm report about the weather.\n", []), colour=False)
    assert "does not read" not in calm
