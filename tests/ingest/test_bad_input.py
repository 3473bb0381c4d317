"""Bad inputs: each is refused with a message naming the file, the problem and the fix."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pytest

from propscope.document import Document
from propscope.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    InputTooLargeError,
)
from propscope.ingest import IngestFailure, iter_documents, read_bytes, read_path


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(("name", "data", "error", "problem"), [
    ("empty.txt", b"", EmptyInputError, "is empty"),
    ("blank.txt", b"  \n\t\r\n\n", EmptyInputError, "only whitespace"),
    ("blank.md", b"\n\n", EmptyInputError, "only whitespace"),
    ("bom-only.txt", b"\xef\xbb\xbf", EmptyInputError, "nothing to analyse"),
    ("separators.md", b"---\n\n\\*\n", EmptyInputError, "after conversion is empty"),
    ("nul.txt", b"some\x00text", BinaryInputError, "binary data"),
    ("controls.txt", bytes(range(1, 9)) * 50 + b"text", BinaryInputError, "control characters"),
    ("paper.txt", b"%PDF-1.7\n...", BinaryInputError, "PDF"),
    ("archive.md", b"PK\x03\x04rest", BinaryInputError, "ZIP"),
    ("wide.txt", "Hello".encode("utf-16"), EncodingError, "--encoding utf-16"),
    ("script.html", b"<html><body><script>run()</script></body></html>", EmptyInputError,
     "no visible text"),
])
def test_bad_file_is_refused_with_a_clear_message(tmp_path: Path, name: str, data: bytes,
                                                  error: type[InputError], problem: str) -> None:
    p = _write(tmp_path, name, data)
    with pytest.raises(error) as info:
        read_path(p)
    message = str(info.value)
    assert message.startswith(f"{p}: ")
    assert problem in message


def test_invalid_utf8_says_where_guesses_the_encoding_and_names_the_fix(tmp_path: Path) -> None:
    p = _write(tmp_path, "legacy.txt", "First line\nSecond: café “quoted”\n".encode("cp1252"))
    with pytest.raises(EncodingError) as info:
        read_path(p)
    message = str(info.value)
    assert str(p) in message
    assert "not valid UTF-8" in message
    assert "line 2, column 12" in message
    assert "--encoding cp1252" in message


def test_latin1_guess_when_cp1252_cannot_decode(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252, so latin-1 is the better guess.
    p = _write(tmp_path, "latin.txt", b"caf\xe9 \x81")
    with pytest.raises(EncodingError, match="--encoding latin-1"):
        read_path(p)


def test_given_encoding_decodes_the_file(tmp_path: Path) -> None:
    p = _write(tmp_path, "legacy.txt", "Café “quoted”".encode("cp1252"))
    [doc] = read_path(p, encoding="cp1252")
    assert doc.text == "Café “quoted”"
    [wide] = read_path(_write(tmp_path, "wide.txt", "Wide text".encode("utf-16")), encoding="utf-16")
    assert wide.text == "Wide text"


def test_unknown_encoding_is_named(tmp_path: Path) -> None:
    p = _write(tmp_path, "a.txt", b"text")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_path(p, encoding="klingon")


@pytest.mark.parametrize(("name", "data", "text"), [
    ("new.txt", "Café “plan”".encode(), "Café “plan”"),
    ("old.txt", "Café “plan”".encode("cp1252"), "Café “plan”"),
    ("old-latin.txt", "Caf\xe9 \x81".encode("latin-1"), "Caf\xe9 \x81"),  # 0x81: no cp1252
    ("wide.txt", "Wide café".encode("utf-16"), "Wide café"),
    ("greek.html", '<html><head><meta charset="iso-8859-7"></head><body><p>αβγ δέκα</p></body></html>'
     .encode("iso-8859-7"), "αβγ δέκα"),  # the page's own charset before the guess
    ("plain.html", "<html><body><p>Café “plan”</p></body></html>".encode("cp1252"), "Café “plan”"),
])
def test_auto_encoding_reads_each_file_by_what_it_is(tmp_path: Path, name: str, data: bytes,
                                                      text: str) -> None:
    [doc] = read_path(_write(tmp_path, name, data), encoding="auto")
    assert doc.text.strip() == text


def test_auto_encoding_decodes_each_jsonl_record_on_its_own_and_still_refuses_binary(
        tmp_path: Path) -> None:
    mixed = '{"text": "Café one"}\n'.encode("cp1252") + '{"text": "Café “two”"}\n'.encode()
    docs = read_path(_write(tmp_path, "m.jsonl", mixed), encoding="auto")
    assert [d.text for d in docs] == ["Café one", "Café “two”"]
    with pytest.raises(BinaryInputError):
        read_path(_write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00"), encoding="auto")
    with pytest.raises(BinaryInputError):
        read_path(_write(tmp_path, "nul.txt", b"text\x00\x00\x00\xe9"), encoding="auto")


@pytest.mark.parametrize("codec", ["rot13", "base64", "undefined", "punycode", "klingon"])
def test_an_encoding_no_text_is_in_is_refused_clearly(tmp_path: Path, codec: str) -> None:
    # rot13 and base64 are bytes-to-bytes codecs (LookupError on decode), "undefined" and
    # punycode raise the bare UnicodeError: each must be an InputError, not a traceback.
    p = _write(tmp_path, "a.txt", b"Plain words, nothing more.")
    with pytest.raises(InputError, match=codec):
        read_path(p, encoding=codec)
    with pytest.raises(InputError, match=codec):
        read_path(_write(tmp_path, "a.jsonl", b'{"text": "x"}\n'), encoding=codec)


@pytest.mark.parametrize("charset", ["rot13", "undefined", "punycode", "klingon", "cp1252"])
def test_a_page_declaring_a_hostile_charset_fails_alone(tmp_path: Path, charset: str) -> None:
    page = (f'<html><head><meta charset="{charset}"></head><body><p>Caf\xe9 owners spoke to '
            'the council on Monday.</p></body></html>').encode("latin-1")
    _write(tmp_path, "a.html", page)
    _write(tmp_path, "b.txt", b"The next file still comes.")
    items = list(iter_documents([str(tmp_path)]))
    assert isinstance(items[1], Document) and items[1].text == "The next file still comes."
    if charset == "cp1252":  # a charset text is in: the page decodes by it
        assert isinstance(items[0], Document) and "Café owners" in items[0].text
        return
    assert isinstance(items[0], IngestFailure)
    assert "UTF-8" in items[0].message and "Traceback" not in items[0].message


def test_jsonl_lines_no_writer_could_write_back_fail_alone(tmp_path: Path) -> None:
    # Each of these parsed (or blew the stack) and then ended the whole run in a traceback.
    deep = "[" * 100_000 + "]" * 100_000
    lines = ['{"text": "a lone \\ud800 surrogate"}', '{"text": "deep", "x": ' + deep + "}",
             '{"text": "big", "n": ' + "9" * 5000 + "}", '{"text": "open string', '{"text": "Kept."}']
    p = _write(tmp_path, "odd.jsonl", ("\n".join(lines) + "\n").encode())
    items = list(iter_documents([str(p)]))
    assert [i.text for i in items if isinstance(i, Document)] == ["Kept."]
    messages = [i.message for i in items if isinstance(i, IngestFailure)]
    assert messages == [
        "line 1: the string escape \\ud800 is half of a surrogate pair, not a character.",
        "line 2: not valid JSON: nested too deeply.",
        "line 3: not valid JSON for propscope: a number of more than 4,300 digits.",
        'line 4: not valid JSON (Unterminated string starting at column 10); each line must hold '
        'one JSON object such as {"text": "..."}.']


def test_a_file_above_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    start = time.perf_counter()
    with pytest.raises(InputTooLargeError) as info:
        read_path(p)
    assert time.perf_counter() - start < 0.5
    message = str(info.value)
    assert str(p) in message and "above the 10.0 MB limit" in message and "--max-bytes" in message


def test_a_small_limit_is_stated_in_bytes() -> None:
    # "input is 0.0 MB (4616 bytes), above the 0.0 MB limit" said nothing.
    with pytest.raises(InputTooLargeError) as exc:
        read_bytes(b"x" * 4616, name="upload.txt", max_bytes=1000)
    assert "input is 4,616 bytes, above the 1,000 bytes limit" in str(exc.value)


def test_max_bytes_is_honoured(tmp_path: Path) -> None:
    p = _write(tmp_path, "a.txt", b"x" * 101)
    with pytest.raises(InputTooLargeError):
        read_path(p, max_bytes=100)
    assert read_path(p, max_bytes=101)[0].text == "x" * 101
    with pytest.raises(InputTooLargeError, match=r"upload\.txt"):
        read_bytes(b"x" * 101, name="upload.txt", max_bytes=100)


def test_missing_file_and_directory_given_to_read_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory, not a regular file"):
        read_path(tmp_path)


def test_bad_jsonl_lines_become_failures_and_good_records_still_come(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "good one"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": 5}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "bad title", "title": 3}),
        json.dumps({"text": "bad id", "id": [1]}),
        "",
        json.dumps({"text": "good two"}),
    ]
    p = _write(tmp_path, "mixed.jsonl", ("\n".join(lines) + "\n").encode())
    items = list(iter_documents([str(p)]))
    assert [i.text for i in items if isinstance(i, Document)] == ["good one", "good two"]
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert [f.line for f in failures] == [2, 3, 4, 5, 6, 7, 8]
    assert all(f.source == str(p) and f.message.startswith(f"line {f.line}: ") for f in failures)
    expected = ["not valid JSON", "got a list", 'no "text" field', '"text" is a number',
                '"text" is empty', '"title" must be a string', '"id" must be a string']
    for failure, problem in zip(failures, expected, strict=True):
        assert problem in failure.message
    assert str(failures[0]) == f"{p}: {failures[0].message}"
    with pytest.raises(InputError, match=r"7 bad JSONL line\(s\): line 2: not valid JSON"):
        read_path(p)


def test_jsonl_overlong_and_undecodable_lines_are_failures(tmp_path: Path) -> None:
    data = (json.dumps({"text": "x" * 500}) + "\n" + json.dumps({"text": "ok"}) + "\n").encode()
    data += b'{"text": "caf\xe9"}\n'
    p = _write(tmp_path, "lines.jsonl", data)
    items = list(iter_documents([str(p)], max_bytes=100))
    assert isinstance(items[0], IngestFailure) and "larger than the 100-byte limit" in items[0].message
    assert isinstance(items[1], Document) and items[1].text == "ok"
    assert isinstance(items[2], IngestFailure) and "--encoding cp1252" in items[2].message
    assert items[2].line == 3


def test_empty_jsonl_is_refused(tmp_path: Path) -> None:
    p = _write(tmp_path, "none.jsonl", b"\n\n")
    with pytest.raises(EmptyInputError, match="holds no records"):
        read_path(p)


def test_iter_documents_never_raises_and_names_each_bad_file(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.txt", b"Fine text")
    _write(tmp_path, "empty.txt", b"")
    _write(tmp_path, "binary.txt", b"\x00\x01\x02")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop1.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock.md"))
        items = list(iter_documents([str(tmp_path), str(tmp_path / "missing.txt")]))
    by_source = {i.source: i for i in items}
    assert isinstance(by_source[str(good)], Document)
    expected = {"empty.txt": "empty", "binary.txt": "binary", "dangling.txt": "broken symbolic link",
                "loop1.txt": "symbolic link loop", "loop2.txt": "symbolic link loop",
                "pipe.txt": "named pipe (FIFO)", "sock.md": "socket", "missing.txt": "no such file"}
    for name, problem in expected.items():
        failure = by_source[str(tmp_path / name)]
        assert isinstance(failure, IngestFailure)
        assert problem in failure.message
    assert len(items) == 1 + len(expected)


def test_empty_directory_is_reported(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    [item] = list(iter_documents([str(tmp_path / "nothing")]))
    assert isinstance(item, IngestFailure) and "no readable files" in item.message


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads files whatever their permissions")
def test_unreadable_file_and_directory_are_failures(tmp_path: Path) -> None:
    secret = _write(tmp_path, "secret.txt", b"hidden")
    locked = tmp_path / "locked"
    locked.mkdir()
    secret.chmod(0)
    locked.chmod(0)
    try:
        items = list(iter_documents([str(tmp_path)]))
    finally:
        secret.chmod(0o600)
        locked.chmod(0o700)
    messages = {i.source: i.message for i in items if isinstance(i, IngestFailure)}
    assert "Permission denied" in messages[str(secret)]
    assert "cannot list the directory" in messages[str(locked)]
