"""Whose voice: the speaker tag after a quotation, the Voices table and each span's voice, in
the terminal view and the HTML report, escaped like every other piece of the article."""

from __future__ import annotations

from rich.console import Console

from propscope.document import Document, Quote, Span, split_paragraphs
from propscope.render.html import render_html
from propscope.render.terminal import terminal_view
from propscope.render.voices import OUTLET, tag_positions, voices

TEXT = ("“These traitors must go,” says Jane <b>Roe</b>.\n"
        "\n"
        "The outlet calls it a scandal.\n")


def _doc() -> Document:
    doc = Document(TEXT, id="v1")
    doc.paragraphs = split_paragraphs(TEXT)
    speaker = TEXT.index("Jane")
    end = TEXT.index("”")
    doc.add_quotes([Quote(1, end, "Jane <b>Roe</b>", speaker, speaker + 15, "says", 0.9)])
    traitors = TEXT.index("traitors")
    scandal = TEXT.index("scandal")
    doc.add_spans([Span(traitors, traitors + 8, "Name_Calling-Labeling", 0.8),
                   Span(scandal, scandal + 7, "Loaded_Language", 0.6)])
    doc.paragraphs[0].techniques = ["Name_Calling-Labeling"]
    doc.paragraphs[0].evidence = {"Name_Calling-Labeling": [(traitors, traitors + 8)]}
    return doc


def test_voices_count_the_outlet_and_each_speaker() -> None:
    outlet, roe = voices(_doc())
    assert (outlet.voice, outlet.quoted, outlet.labels) == (OUTLET, False, ())
    assert outlet.spans == (("Loaded_Language", 1),)
    assert (roe.voice, roe.quotes, roe.spans) == ("Jane <b>Roe</b>", 1, (("Name_Calling-Labeling", 1),))
    assert roe.labels == (("Name_Calling-Labeling", 1),)
    after_mark = TEXT.index("”") + 1
    assert tag_positions(_doc()) == {after_mark: ("Jane <b>Roe</b>",)}


def test_the_terminal_tags_the_quotation_and_counts_voices() -> None:
    console = Console(width=140, color_system=None, record=True)
    console.print(terminal_view(_doc(), plain=True))
    out = console.export_text()
    assert "“These [1 traitors 1] must go,” ‹Jane <b>Roe</b>› says" in out
    assert "Voices" in out and OUTLET in out
    spans = out[out.index("Spans"):]
    assert "Jane <b>Roe</b>" in spans and "outlet" in spans


def test_the_report_tags_the_quotation_escaped() -> None:
    html = render_html(_doc())
    name = "Jane &lt;b&gt;Roe&lt;/b&gt;"
    assert f'<span class="spk" title="quoted: {name}">{name}</span>' in html
    assert "<b>Roe</b>" not in html
    assert "<h3>Voices</h3>" in html and "the outlet&#39;s own words" in html
