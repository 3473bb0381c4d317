"""JSON Lines input: one article per line, read as a stream.

Each line is a JSON object with ``text`` (required) and optional ``id``, ``title``, ``url``,
``outlet``, ``author``, ``published``. A bad line becomes an ``IngestFailure`` naming its line
number and the good records around it still come. The size limit applies to each record
(each line), not to the whole file, so a large corpus file streams in constant memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from propscope.document import GIVEN, Document
from propscope.errors import EmptyInputError, InputError
from propscope.ingest.decode import (
    AUTO,
    SNIFF_BYTES,
    UTF8_BOM,
    check_binary,
    check_encoding,
    describe_utf8_error,
    guess_legacy_encoding,
)
from propscope.ingest.failure import IngestFailure
from propscope.ingest.metadata import guess_metadata

META_FIELDS = ("title", "url", "outlet", "author", "published")


def _lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` per line; ``None`` for a line longer than ``max_bytes``."""
    lineno = 0
    while chunk := stream.readline(max_bytes + 1):
        lineno += 1
        if len(chunk) > max_bytes and not chunk.endswith(b"\n"):
            # Skip the rest of the overlong line without holding it in memory.
            while (more := stream.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, chunk


def peek_head(stream: IO[bytes]) -> bytes:
    """Up to ``SNIFF_BYTES`` first bytes of ``stream``, left unread in it.

    A file is read and sought back; a pipe (standard input) can only be peeked, which gives
    what its buffer holds; a stream that can do neither gives ``b""``.
    """
    if stream.seekable():
        pos = stream.tell()
        head = stream.read(SNIFF_BYTES)
        stream.seek(pos)
        return head
    peek = getattr(stream, "peek", None)
    return peek(SNIFF_BYTES)[:SNIFF_BYTES] if peek is not None else b""


def starts_with_object(head: bytes) -> bool:
    """Whether ``head`` (a stream's first bytes) opens with a line holding one JSON object.

    A first line that runs past ``head`` counts when it starts with ``{``; a text that merely
    starts with a brace, but whose first line is no JSON object, does not.
    """
    head = head.removeprefix(UTF8_BOM.encode()).lstrip()
    if not head.startswith(b"{"):
        return False
    line, newline, _ = head.partition(b"\n")
    if not newline:  # the line goes on past what can be seen (a pipe shows its buffer only)
        return True
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:  # JSONDecodeError, or bytes that are no UTF-8
        return False


def lone_surrogate(value: Any) -> str | None:
    """The first escaped lone surrogate (``"\\ud800"``) in parsed JSON, as its escape; ``None``.

    Such an escape parses but is no character, so nothing can write it out again as UTF-8:
    refused on the way in rather than found when the analysis is written.
    """
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.object[exc.start:exc.end].encode("unicode_escape").decode("ascii")
    return None


def _decode_line(raw: bytes, codec: str) -> str:
    if codec != AUTO:
        return raw.decode(codec)
    try:  # "auto": each record on its own, UTF-8 when valid, else the legacy guess
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(guess_legacy_encoding(raw))


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")


def parse_record(line: str, *, lineno: int, source: str, stem: str) -> Document:
    """Build the Document of one JSONL line.

    Raises:
        InputError: the line is not a JSON object with a non-empty ``text`` string, or a
            metadata field is not a string; the message starts with ``line N:``.
    """

    def fail(problem: str) -> InputError:
        return InputError(f"line {lineno}: {problem}", source=source)

    try:
        # Without its line break: a string left open would be reported as holding it.
        record = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as e:
        # Some messages end in "at" ("Unterminated string starting at"): one "at" only.
        raise fail(f"not valid JSON ({e.msg.removesuffix(' at')} at column {e.colno}); each line "
                   "must hold one JSON object such as {\"text\": \"...\"}.") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise fail("not valid JSON for propscope: a number of more than 4,300 digits.") from None
    except RecursionError:
        raise fail("not valid JSON: nested too deeply.") from None
    if (bad := lone_surrogate(record)) is not None:
        raise fail(f"the string escape {bad} is half of a surrogate pair, not a character.")
    if not isinstance(record, dict):
        raise fail(f"expected a JSON object with a \"text\" field, got {_type_name(record)}.")
    text = record.get("text")
    if not isinstance(text, str):
        got = "no \"text\" field" if "text" not in record else f"\"text\" is {_type_name(text)}"
        raise fail(f"{got}; put the article text in a \"text\" string.")
    if not text.strip():
        raise fail("\"text\" is empty; there is nothing to analyse.")
    rid = record.get("id")
    if rid is None:
        rid = f"{stem}-{lineno}"
    elif isinstance(rid, (str, int)) and not isinstance(rid, bool):
        rid = str(rid)
    else:
        raise fail(f"\"id\" must be a string or an integer, got {_type_name(rid)}.")
    meta = guess_metadata(text)
    for name in META_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise fail(f"\"{name}\" must be a string, got {_type_name(value)}.")
        meta.set_from(GIVEN, **{name: value})
    return Document(text, id=rid, source=f"{source}:{lineno}", metadata=meta)


def iter_jsonl(stream: IO[bytes], *, source: str, stem: str, max_bytes: int,
               encoding: str | None = None) -> Iterator[Document | IngestFailure]:
    """Documents and failures of a JSONL byte stream, one per non-blank line, in order.

    Raises:
        BinaryInputError, EncodingError: the stream as a whole is binary or UTF-16/32 (the
            first bytes tell), or ``encoding`` is unknown; nothing line by line can help then.
        EmptyInputError: the stream holds no line other than blank ones.
    """
    codec = encoding or "utf-8"
    if encoding is not None:
        check_encoding(encoding, source=source)
    if encoding is None or encoding == AUTO:
        check_binary(peek_head(stream), source=source)
    produced = 0
    for lineno, raw in _lines(stream, max_bytes):
        produced += 1
        if raw is None:
            yield IngestFailure(source, f"line {lineno}: record is larger than the {max_bytes}-byte "
                                "limit; split it or raise the limit (--max-bytes).", line=lineno)
            continue
        try:
            line = _decode_line(raw, codec)
        except UnicodeError as e:  # a UnicodeDecodeError, or the bare class (punycode)
            problem = (describe_utf8_error(raw, e, first_line=lineno)
                       if encoding is None and isinstance(e, UnicodeDecodeError)
                       else f"is not valid {encoding}: {getattr(e, 'reason', e)}; check the "
                       "--encoding value.")
            yield IngestFailure(source, f"line {lineno}: record {problem}", line=lineno)
            continue
        if lineno == 1:
            line = line.removeprefix(UTF8_BOM)
        if not line.strip():
            produced -= 1  # blank lines are allowed and yield nothing
            continue
        try:
            yield parse_record(line, lineno=lineno, source=source, stem=stem)
        except InputError as e:
            yield IngestFailure.from_error(e, source=source, line=lineno)
    if not produced:
        raise EmptyInputError("JSONL input holds no records; give one JSON object per line.",
                              source=source)
