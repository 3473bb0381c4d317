"""Document, Span and paragraph segmentation: offsets are validated and exact."""

from __future__ import annotations

import pytest

from propscope.document import Document, Region, Span, iter_lines, split_paragraphs
from propscope.errors import SpanError


@pytest.mark.parametrize(("start", "end", "score"), [(-1, 3, 0.5), (4, 4, 0.5), (5, 2, 0.5), (0, 2, 1.5)])
def test_span_rejects_bad_values(start: int, end: int, score: float) -> None:
    with pytest.raises(SpanError):
        Span(start, end, "Loaded_Language", score)


def test_add_spans_rejects_span_past_end_and_keeps_order() -> None:
    doc = Document("abcdef", id="d")
    doc.add_spans([Span(3, 5, "Doubt"), Span(0, 2, "Loaded_Language")])
    assert [s.start for s in doc.spans] == [0, 3]
    with pytest.raises(SpanError, match="runs past the end"):
        doc.add_spans([Span(4, 7, "Doubt")])


def test_text_is_read_only() -> None:
    doc = Document("x")
    with pytest.raises(AttributeError):
        doc.text = "y"  # type: ignore[misc]


def test_paragraphs_use_one_based_line_numbers_counting_blank_lines() -> None:
    text = "Title\n\nFirst para.\n   \nSecond, with CRLF.\r\nLast"
    paras = split_paragraphs(text)
    assert [p.line for p in paras] == [1, 3, 5, 6]
    assert [text[p.start:p.end] for p in paras] == ["Title", "First para.", "Second, with CRLF.", "Last"]


def test_iter_lines_covers_trailing_empty_line() -> None:
    assert [ln for ln, _, _ in iter_lines("a\nb\n")] == [1, 2, 3]


def test_content_paragraphs_skip_boilerplate() -> None:
    doc = Document("Body text.\n\nShare this article!")
    doc.paragraphs = split_paragraphs(doc.text)
    doc.boilerplate = [Region(12, 31, "share_plea")]
    assert [doc.span_text(p) for p in doc.content_paragraphs()] == ["Body text."]
    assert doc.word_count() == 2


def test_display_title_is_the_title_else_the_first_line_else_the_id() -> None:
    # The page named an untitled text by its first line, the reports by its file id.
    from propscope.document import Metadata

    assert Document("\n  Senate vote  \n\nBody.", id="002_x").display_title() == "Senate vote"
    assert Document("Body.", id="a", metadata=Metadata(title="Given")).display_title() == "Given"
    assert Document("x" * 300, id="a").display_title() == "x" * 120
    assert Document("\n \n", id="the-id").display_title() == "the-id"


def test_quotes_are_checked_and_give_the_voice_of_a_range() -> None:
    from propscope.document import Quote

    text = "“These traitors must go,” says Jane Roe.\nThe outlet calls it a scandal."
    doc = Document(text)
    doc.add_quotes([Quote(1, 23, "Jane Roe", 31, 39, "says", 0.9)])
    assert doc.voice(7, 15) == "Jane Roe" and doc.voice(62, 70) is None
    assert doc.voice(20, 30) is None  # most of the range lies past the closing mark
    assert doc.quote_at(1, 23) is doc.quotes[0]
    doc.add_quotes([Quote(45, 52)])  # a quotation the text names no speaker for
    assert doc.voice(46, 50) == ""
    doc.paragraphs = split_paragraphs(text)
    doc.paragraphs[0].evidence = {"Loaded_Language": [(8, 15)]}
    assert doc.label_quote(doc.paragraphs[0], "Loaded_Language") is doc.quotes[0]
    assert doc.label_quote(doc.paragraphs[1], "Loaded_Language") is None
    for bad in [dict(start=5, end=5), dict(start=0, end=3, speaker_start=1),
                dict(start=0, end=3, confidence=1.5)]:
        with pytest.raises(SpanError):
            Quote(**bad)  # type: ignore[arg-type]
    with pytest.raises(SpanError, match="runs past"):
        doc.add_quotes([Quote(0, 500)])
