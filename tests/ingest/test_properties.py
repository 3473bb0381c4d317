"""Invariants over arbitrary text: verbatim reading, whole-line regions, total conversion."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.document import iter_lines
from propscope.ingest import find_boilerplate, read_bytes
from propscope.ingest.markdown import markdown_to_text

# Text as files hold it: any character except control characters other than \t \n \r.
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=[
        *map(chr, range(0, 9)), "\x0b", "\x0c", *map(chr, range(14, 32)), "\x7f"]),
    max_size=400,
).filter(lambda t: bool(t.replace("\ufeff", "").strip()))
_LINES = st.lists(st.sampled_from([
    "", "Title Of Piece", "By Jane Doe", "Via Example Wire", "Share this story!", "plain prose line.",
    "**Disclaimer:** views are the author's.", "Tags: a, b", "\r", "  ", "Copyright © 2020 X",
]), max_size=12).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_txt_bytes_round_trip_exactly(text: str) -> None:
    [doc] = read_bytes(text.encode("utf-8"), name="any.txt")
    assert doc.text == text


@settings(max_examples=150, deadline=None)
@given(st.one_of(_TEXT, _LINES))
def test_regions_are_whole_lines_in_order(text: str) -> None:
    regions, _ = find_boilerplate(text)
    lines = {(s, e) for _, s, e in iter_lines(text)}
    assert all((r.start, r.end) in lines for r in regions)
    assert [r.start for r in regions] == sorted({r.start for r in regions})


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_markdown_conversion_is_total_and_line_clean(text: str) -> None:
    converted = markdown_to_text(text).text
    assert "\n\n\n" not in converted
    assert all(line == "" or line.strip() for line in converted.split("\n"))
