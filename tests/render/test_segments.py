"""Cutting text into pieces at span, boilerplate and line boundaries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from propscope.document import Document, Span, split_paragraphs
from propscope.render.segments import document_lines, span_refs

TEXT = "alpha beta gamma\n\ndelta epsilon zeta eta\ntheta\n"


@st.composite
def spans(draw: st.DrawFn) -> list[Span]:
    out = []
    for _ in range(draw(st.integers(0, 8))):
        a = draw(st.integers(0, len(TEXT) - 1))
        b = draw(st.integers(a + 1, len(TEXT)))
        out.append(Span(a, b, draw(st.sampled_from(["Doubt", "Slogans", "Repetition"]))))
    return out


def build(found: list[Span]) -> Document:
    doc = Document(TEXT)
    doc.paragraphs = split_paragraphs(TEXT)
    doc.add_spans(found)
    return doc


@given(spans())
def test_pieces_tile_each_line_and_cover_exactly_their_spans(found: list[Span]) -> None:
    doc = build(found)
    first_seen = []
    for line in document_lines(doc):
        assert line.pieces[0].start == line.start and line.pieces[-1].end == line.end
        for a, b in zip(line.pieces, line.pieces[1:], strict=False):
            assert a.end == b.start
        for piece in line.pieces:
            assert {r.span for r in piece.spans} == {
                s for s in doc.spans if s.start < piece.end and piece.start < s.end}
            first_seen += [r.number for r in piece.starts]
    assert len(first_seen) == len(set(first_seen))  # each span's marker is placed once


@given(spans())
def test_overlapping_spans_never_share_a_level(found: list[Span]) -> None:
    refs = span_refs(build(found))
    for x in refs:
        for y in refs:
            if x is not y and x.span.overlaps(y.span.start, y.span.end):
                assert x.level != y.level


def test_nested_span_is_drawn_inside() -> None:
    outer, inner = Span(0, 16, "Doubt"), Span(6, 10, "Slogans")
    refs = {r.span: r for r in span_refs(build([outer, inner]))}
    assert refs[inner].level == 0 and refs[outer].level == 1
    piece = next(p for p in document_lines(build([outer, inner]))[0].pieces if p.start == 6)
    assert [r.span for r in piece.spans] == [outer, inner]  # outermost first
