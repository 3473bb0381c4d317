"""Reading each supported format from real files, uploads, pasted text and directories."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from propscope.document import Document
from propscope.errors import InputError
from propscope.ingest import (
    IngestFailure,
    format_of,
    iter_documents,
    read_bytes,
    read_path,
    read_text,
)

ARTICLE = (
    "# Leaders Meet In Paris\n"
    "\n"
    "By [Jane Doe](#)\n"
    "\n"
    "Example Times, March 5, 2019\n"
    "\n"
    "The two presidents met on Monday. Talks lasted *three* hours.\n"
)


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_bytes(content.encode("utf-8"))
    return p


@pytest.mark.parametrize("text", [
    "Title\n\nFirst paragraph.\n\nSecond one.\n",
    "Title\r\n\r\nCRLF paragraph kept as is.\r\n",
    "No trailing newline — “curly” quotes, café, emoji 🙂",
    "  leading spaces and\ttabs\n\n\n\nmany blank lines\n",
])
def test_txt_is_read_verbatim(tmp_path: Path, text: str) -> None:
    p = _write(tmp_path, "story.txt", text)
    [doc] = read_path(p)
    assert doc.text == text
    assert doc.text == p.read_bytes().decode("utf-8")
    assert doc.id == "story"
    assert doc.source == str(p)


def test_txt_keeps_a_utf8_bom_so_offsets_match_the_file(tmp_path: Path) -> None:
    p = _write(tmp_path, "bom.txt", b"\xef\xbb\xbfHeadline\n\nBody text here.\n")
    [doc] = read_path(p)
    assert doc.text == p.read_text(encoding="utf-8")
    assert doc.text.index("Body") == p.read_text(encoding="utf-8").index("Body")
    assert doc.metadata.title == "Headline"


def test_txt_metadata_is_evident_from_the_header(tmp_path: Path) -> None:
    [doc] = read_path(_write(tmp_path, "a.txt", ARTICLE))
    assert doc.text == ARTICLE
    m = doc.metadata
    assert (m.title, m.author, m.published, m.outlet) == (
        "Leaders Meet In Paris", "Jane Doe", "2019-03-05", "Example Times")


@pytest.mark.parametrize(("first_line", "title"), [
    ("A Plain Headline", "A Plain Headline"),
    ("## Markdown **Headline**", "Markdown Headline"),
    ("x" * 201, None),  # a paragraph, not a title
])
def test_txt_title_is_the_first_line_when_it_looks_like_one(tmp_path: Path, first_line: str,
                                                             title: str | None) -> None:
    [doc] = read_path(_write(tmp_path, "t.txt", f"\n{first_line}\n\nBody.\n"))
    assert doc.metadata.title == title


def test_txt_without_header_lines_leaves_metadata_empty(tmp_path: Path) -> None:
    text = "The minister spoke by phone on Tuesday. By then, April 3, 2020 had passed.\n"
    [doc] = read_path(_write(tmp_path, "plain.txt", text))
    assert (doc.metadata.author, doc.metadata.published, doc.metadata.outlet) == (None, None, None)


def test_markdown_file_is_converted_and_titled(tmp_path: Path) -> None:
    md = ("Leaders Meet\n============\n\nBy Jane Doe\n\nThe [talks](http://x.org) were "
          "**long**\nand _tense_.\n\n![photo](p.jpg)\n\n* one\n* two\n")
    [doc] = read_path(_write(tmp_path, "news.md", md))
    assert doc.text == "Leaders Meet\n\nBy Jane Doe\n\nThe talks were long and tense.\n\n- one\n- two"
    assert doc.metadata.title == "Leaders Meet"
    assert doc.metadata.author == "Jane Doe"
    assert doc.id == "news"


@pytest.mark.parametrize("name", ["page.html", "page.htm", "PAGE.HTML"])
def test_html_file_gives_main_text_and_metadata(tmp_path: Path, name: str) -> None:
    body = " ".join(["The delegation arrived in the capital for two days of talks."] * 4)
    html = (
        "<html><head><title>Talks Begin | Example News</title>"
        '<meta name="author" content="Jane Doe">'
        '<meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2020-04-03T10:00:00Z">'
        '<link rel="canonical" href="https://example.org/talks"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>Talks Begin</h1><p>{body}</p>"
        f"<p>Second paragraph of the report, also long enough to be kept as text.</p>"
        "</article></body></html>"
    )
    [doc] = read_path(_write(tmp_path, name, html))
    lines = doc.text.split("\n\n")
    assert lines[0] == "Talks Begin"
    assert lines[1] == body
    assert "Home" not in doc.text
    m = doc.metadata
    assert (m.title, m.author, m.published, m.outlet, m.url) == (
        "Talks Begin", "Jane Doe", "2020-04-03", "Example News", "https://example.org/talks")


def test_html_declared_charset_is_used_when_not_utf8(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 talks resumed.</p></body></html>'
    [doc] = read_path(_write(tmp_path, "old.html", html.encode("cp1252")))
    assert "Café talks resumed." in doc.text


def test_jsonl_gives_one_document_per_record(tmp_path: Path) -> None:
    records = [
        {"text": "First article.\n\nBody.", "title": "Given Title", "outlet": "Wire",
         "author": "A. Writer", "published": "2021-01-02", "url": "https://w.example/1"},
        {"id": "custom", "text": "Second article."},
        {"id": 42, "text": "Third."},
    ]
    p = _write(tmp_path, "batch.jsonl", "\n".join(json.dumps(r) for r in records) + "\n\n")
    docs = read_path(p)
    assert [d.id for d in docs] == ["batch-1", "custom", "42"]
    assert docs[0].text == "First article.\n\nBody."
    m = docs[0].metadata
    assert (m.title, m.outlet, m.author, m.published, m.url) == (
        "Given Title", "Wire", "A. Writer", "2021-01-02", "https://w.example/1")
    assert docs[1].metadata.title == "Second article."  # guessed from the text
    assert docs[2].source == f"{p}:3"


def test_read_bytes_picks_the_format_from_the_name() -> None:
    [md] = read_bytes(b"# Head\n\nSome *text*.", name="upload.md")
    assert md.text == "Head\n\nSome text."
    [txt] = read_bytes(b"# Head\n\nSome *text*.", name="upload.weird")
    assert txt.text == "# Head\n\nSome *text*."
    docs = read_bytes(b'{"text": "a"}\n{"text": "b"}\n', name="up.jsonl")
    assert [d.text for d in docs] == ["a", "b"]
    assert md.id == "upload" and md.source == "upload.md"


@pytest.mark.parametrize(("fmt", "text", "expected"), [
    ("txt", "Keep *this* as is", "Keep *this* as is"),
    ("md", "Drop *these* [marks](#)", "Drop these marks"),
    ("html", "<p>Only <b>text</b> stays</p>", "Only text stays"),
])
def test_read_text_for_each_format(fmt: str, text: str, expected: str) -> None:
    doc = read_text(text, id="pasted", fmt=fmt)
    assert doc.text == expected
    assert doc.id == "pasted"


def test_read_text_rejects_an_unknown_format() -> None:
    with pytest.raises(InputError, match="unknown format 'pdf'"):
        read_text("x", fmt="pdf")


@pytest.mark.parametrize(("name", "fmt"), [
    ("a.txt", "txt"), ("a.MD", "md"), ("a.markdown", "md"), ("a.htm", "html"),
    ("a.jsonl", "jsonl"), ("a.NDJSON", "jsonl"), ("a.csv", "txt"), ("noext", "txt"),
])
def test_format_of(name: str, fmt: str) -> None:
    assert format_of(name) == fmt


def test_directories_are_walked_sorted_skipping_hidden_and_unsupported(tmp_path: Path) -> None:
    _write(tmp_path, "b.txt", "B text")
    _write(tmp_path, "a.md", "A *text*")
    _write(tmp_path, "sub/c.txt", "C text")
    _write(tmp_path, "sub/d.jsonl", '{"text": "D text"}\n')
    _write(tmp_path, "sub/e.ndjson", '{"text": "E text"}\n')  # what -o x.ndjson writes
    _write(tmp_path, ".hidden.txt", "hidden")
    _write(tmp_path, ".git/e.txt", "hidden too")
    _write(tmp_path, "notes.csv", "not read")
    items = list(iter_documents([str(tmp_path)]))
    assert all(isinstance(i, Document) for i in items)
    assert [i.text for i in items if isinstance(i, Document)] == ["A text", "B text", "C text", "D text",
                                                                  "E text"]


def test_iter_documents_keeps_argument_order_and_reads_named_files(tmp_path: Path) -> None:
    one = _write(tmp_path, "one.txt", "One")
    two = _write(tmp_path, "two.log", "Two")  # named explicitly: read as text
    items = list(iter_documents([str(two), str(one)]))
    assert [i.text for i in items if isinstance(i, Document)] == ["Two", "One"]


@pytest.mark.parametrize(("data", "text"), [
    (b"Piped text\n", "Piped text\n"),
    (b"<!DOCTYPE html><html><body><p>Piped page text.</p></body></html>", "Piped page text."),
])
def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch, data: bytes, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [doc] = list(iter_documents(["-"]))
    assert isinstance(doc, Document)
    assert doc.text == text
    assert (doc.id, doc.source) == ("stdin", "-")


def test_json_lines_on_standard_input_are_one_document_each(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'\xef\xbb\xbf{"text": "First.", "id": "a"}\n\n{"text": "Second."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    docs = list(iter_documents(["-"]))
    assert [(d.id, d.text, d.source) for d in docs if isinstance(d, Document)] == [
        ("a", "First.", "-:1"), ("stdin-3", "Second.", "-:3")]


@pytest.mark.parametrize("data", [b"{braces} open this text.\nA second line.\n", b"{}x\n", b'["text"]\n'])
def test_text_starting_with_a_brace_stays_one_text(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [doc] = list(iter_documents(["-"]))
    assert isinstance(doc, Document) and doc.text == data.decode() and doc.id == "stdin"


def test_empty_standard_input_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    [item] = list(iter_documents(["-"]))
    assert isinstance(item, IngestFailure)
    assert item.source == "-" and "empty" in item.message


def test_a_file_name_that_is_no_utf8_is_shown_escaped_and_reads(tmp_path: Path) -> None:
    try:
        (tmp_path / os.fsdecode(b"bad\xff\xfename.txt")).write_text("Bad bytes name.", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses such names")
    (tmp_path / "good.txt").write_text("Good.", encoding="utf-8")
    docs = [d for d in iter_documents([str(tmp_path)]) if isinstance(d, Document)]
    assert [d.id for d in docs] == ["bad\\xff\\xfename", "good"]
    assert docs[0].source == str(tmp_path / "bad\\xff\\xfename.txt")
    for d in docs:  # every writer encodes UTF-8 strictly: the name must survive that
        (d.id + str(d.source)).encode("utf-8")
