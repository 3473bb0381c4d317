"""Markdown conversion rules and HTML extraction, hostile markup included."""

from __future__ import annotations

import pytest

from propscope.document import split_paragraphs
from propscope.ingest import find_boilerplate, read_text
from propscope.ingest.markdown import inline_to_text, markdown_to_text, plain_line


@pytest.mark.parametrize(("markdown", "text"), [
    ("[link text](https://example.org/a_(b) \"title\")", "link text"),
    ("[outer [inner] text](#)", "outer [inner] text"),
    ("[ref link][1]", "ref link"),
    ("before ![an image](pic.png) after", "before after"),
    ("*em* **strong** ***both*** _under_ __double__ ~~gone~~", "em strong both under double gone"),
    ("**_nested_ marks**", "nested marks"),
    ("snake_case_name and 2*3*4", "snake_case_name and 234"),
    ("5 * 3 * 2 and F*** it", "5 * 3 * 2 and F*** it"),
    (r"\*literal stars\* and \_underscores\_", "*literal stars* and _underscores_"),
    ("`code *not emphasis*`", "code *not emphasis*"),
    ("<https://example.org/x_y_z> and <mail@example.org>", "https://example.org/x_y_z and mail@example.org"),
    ("a <b>bold</b> and <span class='x'>span</span>", "a bold and span"),
    ("<< Support The Site >>", "<< Support The Site >>"),
    ("x < y > z", "x < y > z"),
])
def test_inline_markup_is_removed(markdown: str, text: str) -> None:
    assert inline_to_text(markdown) == text


@pytest.mark.parametrize(("markdown", "text"), [
    ("# Heading #\n\nPara", "Heading\n\nPara"),
    ("Setext\n===\n\nUnder\n---", "Setext\n\nUnder"),
    ("one line\nsoft-wrapped\n\nnext", "one line soft-wrapped\n\nnext"),
    ("hard  \nbreak", "hard\n\nbreak"),
    ("- a\n- b\n+ c\n\n1. first\n2) second", "- a\n- b\n- c\n\n1. first\n2) second"),
    ("* item\n  continued", "- item continued"),
    ("> quoted\n> text", "quoted text"),
    ("text\n\n---\n\n\\*\n\n***\n\nmore", "text\n\nmore"),
    ("[1]: https://example.org\n\nbody", "body"),
    ("```\ncode line 1\n\ncode line 2\n```\n\nafter", "code line 1\ncode line 2\n\nafter"),
    ("#hashtag is not a heading", "#hashtag is not a heading"),
])
def test_blocks_become_one_paragraph_per_line(markdown: str, text: str) -> None:
    assert markdown_to_text(markdown).text == text


def test_markdown_title_is_the_first_heading() -> None:
    assert markdown_to_text("intro\n\n## First *Heading*\n\n# Second").title == "First Heading"
    assert markdown_to_text("no heading here").title is None


def test_markdown_paragraphs_match_the_paragraph_splitter() -> None:
    text = markdown_to_text("# T\n\nA para\nwrapped.\n\n- x\n- y\n").text
    assert [text[p.start:p.end] for p in split_paragraphs(text)] == ["T", "A para wrapped.", "- x", "- y"]


@pytest.mark.parametrize(("line", "plain"), [
    ("#### About the author:", "About the author:"),
    ("> **Disclaimer:** text", "Disclaimer: text"),
    ("\ufeffTitle", "Title"),
    ("By [Jane Doe](#)", "By Jane Doe"),
])
def test_plain_line(line: str, plain: str) -> None:
    assert plain_line(line) == plain


HOSTILE = [
    "<script>alert('owned')</script>",
    "<script type='text/javascript'>\nvar stolen = document.cookie;\n</script>",
    "<style>body { background: url(javascript:alert(1)) }</style>",
    "<img src=x onerror=\"alert('img')\">",
    "<a href=\"javascript:alert('link')\">a harmless link text</a>",
    "<iframe src=\"javascript:alert('frame')\"></iframe>",
    "<svg onload=\"alert('svg')\"><circle r=1 /></svg>",
    "<!-- <script>alert('comment')</script> -->",
]
_PAYLOAD_MARKERS = ("alert", "document.cookie", "onerror", "onload", "javascript:", "<script",
                    "background:", "<iframe", "<svg")


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markup_never_reaches_the_text(fmt: str, payload: str) -> None:
    body = "The council voted on the new budget after a long debate about spending."
    if fmt == "html":
        page = (f"<html><head>{payload}</head><body><article><p>{body}</p>{payload}<p>{body}</p>"
                "</article></body></html>")
    else:
        page = f"# Budget vote\n\n{body}\n\n{payload}\n\n{body}\n"
    doc = read_text(page, fmt=fmt)
    assert body in doc.text
    for marker in _PAYLOAD_MARKERS:
        assert marker not in doc.text
    assert "owned" not in doc.text and "stolen" not in doc.text


def test_html_fallback_when_no_main_text_is_found() -> None:
    doc = read_text("<html><head><title>Short page</title><script>x()</script></head>"
                    "<body><div>Tiny note.</div><ul><li>one</li><li>two</li></ul></body></html>",
                    fmt="html")
    assert doc.text.startswith("Short page\n\n")
    assert "Tiny note." in doc.text
    assert "x()" not in doc.text
    assert doc.metadata.title == "Short page"


_STORY = ("<p>In 1999 the war ended and everybody was happy about the outcome of the talks in "
          "Paris.</p><p>Critics say this was a disaster for the region and its people.</p>")


@pytest.mark.parametrize(("head", "published"), [
    ("", None),  # a year in the text is no publication date
    ('<meta property="article:published_time" content="2021-03-04T10:00:00Z">', "2021-03-04"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-02-03"}'
     "</script>", "2019-02-03"),
])
def test_html_publication_date_only_where_the_page_states_it(head: str, published: str | None) -> None:
    doc = read_text(f"<html><head>{head}</head><body><article>{_STORY}</article></body></html>",
                    fmt="html")
    assert doc.metadata.published == published
    timed = read_text(f'<html><body><article><time datetime="2020-05-06">6 May</time>{_STORY}'
                      "</article></body></html>", fmt="html")
    assert timed.metadata.published == "2020-05-06"


def test_html_title_is_not_repeated_when_already_first() -> None:
    body = " ".join(["The delegation arrived in the capital for two days of talks."] * 4)
    doc = read_text(f"<html><body><article><h1>Talks Begin</h1><p>{body}</p></article></body></html>",
                    fmt="html")
    assert doc.text.count("Talks Begin") == 1
    assert doc.text == f"Talks Begin\n\n{body}"


@pytest.mark.parametrize("line", ["*a " * 20000, "_a " * 20000, "[a](" * 20000, "``a `" * 20000,
                                  "[" * 30000 + "]" * 30000, ">" * 400000])
def test_pathological_markup_converts_in_linear_time(line: str) -> None:
    import time

    start = time.perf_counter()
    find_boilerplate(markdown_to_text(line).text)
    find_boilerplate(line)
    # A backtracking emphasis regex took about a minute on the first of these lines.
    assert time.perf_counter() - start < 5.0
