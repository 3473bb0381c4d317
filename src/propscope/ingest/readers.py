"""Reading files, uploads, pasted text and whole directories into Documents.

The format follows the file extension: ``.txt`` (verbatim), ``.md``/``.markdown``
(converted to plain text), ``.html``/``.htm`` (main text extracted), ``.jsonl`` / ``.ndjson`` (one
Document per record). Nothing here downloads anything.

``.txt`` is read exactly as the file says, so character offsets match the file: UTF-8, no
normalisation, newlines (CRLF included) kept. A UTF-8 byte order mark is kept too, as the
character U+FEFF at offset 0: the shared task's gold offsets count it (two of its training
articles start with one), so dropping it would shift every span of those files by one.
Markdown, HTML and JSONL inputs drop a byte order mark; their offsets refer to the converted
text held in ``Document.text``.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from propscope.config import AnalyzerConfig
from propscope.document import MARKDOWN_HEADING, Document
from propscope.errors import InputError
from propscope.ingest.decode import (
    check_size,
    decode_bytes,
    file_kind,
    read_file_bytes,
    read_stdin_bytes,
    require_text,
    shown_path,
    stat_regular,
)
from propscope.ingest.failure import IngestFailure
from propscope.ingest.html import decode_html, html_to_text
from propscope.ingest.jsonl import iter_jsonl, peek_head, starts_with_object
from propscope.ingest.markdown import markdown_to_text
from propscope.ingest.metadata import guess_metadata

EXTENSIONS: dict[str, str] = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html",
                              ".htm": "html", ".jsonl": "jsonl", ".ndjson": "jsonl"}
TEXT_FORMATS = ("txt", "md", "html")
_MAX_BYTES = AnalyzerConfig().max_bytes
STDIN = "-"


def format_of(name: str) -> str:
    """The input format named by a file name's extension; ``txt`` when unknown."""
    return EXTENSIONS.get(Path(name).suffix.lower(), "txt")


def read_text(text: str, *, id: str = "document", source: str | None = None,
              fmt: str = "txt") -> Document:
    """Build a Document from text in memory (pasted text, a request body).

    Args:
        text: the input; kept verbatim for ``txt``, converted for ``md`` and ``html``.
        id: the Document's identifier.
        source: where the text came from, if anywhere.
        fmt: ``txt``, ``md`` or ``html``.

    Raises:
        EmptyInputError: no text, or none left after conversion.
        InputError: an unknown ``fmt``.
    """
    name = source or id
    if fmt == "txt":
        require_text(text, source=name, what="text")
        return Document(text, id=id, source=source, metadata=guess_metadata(text))
    if fmt == "md":
        converted = markdown_to_text(text)
        require_text(converted.text, source=name, what="markdown text after conversion")
        meta = guess_metadata(converted.text)
        meta.set_from(MARKDOWN_HEADING, title=converted.title)
        return Document(converted.text, id=id, source=source, metadata=meta)
    if fmt == "html":
        require_text(text, source=name, what="HTML page")
        body, meta = html_to_text(text, source=name)
        return Document(body, id=id, source=source, metadata=meta)
    raise InputError(f"unknown format {fmt!r}; use one of {', '.join(TEXT_FORMATS)}.", source=name)


def _jsonl_documents(items: Iterator[Document | IngestFailure], *, source: str) -> list[Document]:
    """All records of a JSONL input, or an ``InputError`` listing the bad lines."""
    docs: list[Document] = []
    bad: list[IngestFailure] = []
    for item in items:
        if isinstance(item, IngestFailure):
            bad.append(item)
        else:
            docs.append(item)
    if bad:
        shown = "; ".join(f.message for f in bad[:5])
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise InputError(f"{len(bad)} bad JSONL line(s): {shown}{more}", source=source)
    return docs


def _decode_document(data: bytes, *, fmt: str, id: str, source: str,
                     encoding: str | None, fallback: str | None = None) -> Document:
    if fmt == "html":
        text = decode_html(data, source=source, encoding=encoding, fallback=fallback)
    else:
        text = decode_bytes(data, source=source, encoding=encoding, strip_bom=fmt != "txt")
    require_text(text, source=source)
    return read_text(text, id=id, source=source, fmt=fmt)


def read_bytes(data: bytes, *, name: str, max_bytes: int = _MAX_BYTES,
               encoding: str | None = None, fallback: str | None = None) -> list[Document]:
    """Read an upload: the format comes from ``name``'s extension (``txt`` when unknown).

    ``fallback`` decodes an HTML page that is not UTF-8 and declares no charset of its own
    (``ingest.html.decode_html``); ``encoding`` overrides every guess.

    Raises:
        InputError: and its subclasses, as ``read_path``.
    """
    check_size(len(data), max_bytes=max_bytes, source=name)
    fmt, stem = format_of(name), Path(name).stem or "document"
    if fmt == "jsonl":
        items = iter_jsonl(io.BytesIO(data), source=name, stem=stem, max_bytes=max_bytes,
                           encoding=encoding)
        return _jsonl_documents(items, source=name)
    return [_decode_document(data, fmt=fmt, id=stem, source=name, encoding=encoding,
                             fallback=fallback)]


def read_path(path: str | Path, *, max_bytes: int = _MAX_BYTES,
              encoding: str | None = None) -> list[Document]:
    """Read one file into Documents, by its extension (``txt`` when unknown).

    ``id`` is the file name without extension (``<stem>-<line>`` for JSONL records without
    an ``id``); ``source`` is the path as given.

    Raises:
        InputTooLargeError: the file (a JSONL record) is above ``max_bytes``; checked from
            the file's size before reading it.
        EmptyInputError: the file is empty or whitespace only.
        BinaryInputError: the file is binary.
        EncodingError: the file is not valid UTF-8 (or ``encoding``).
        InputError: the file is missing, unreadable or not a regular file; a JSONL file has
            bad lines (all listed).
    """
    p = Path(path)
    source = shown_path(path)
    fmt = format_of(p.name)
    if fmt == "jsonl":
        return _jsonl_documents(_iter_jsonl_file(p, source=source, max_bytes=max_bytes,
                                                 encoding=encoding), source=source)
    data = read_file_bytes(p, max_bytes=max_bytes, source=source)
    return [_decode_document(data, fmt=fmt, id=shown_path(p.stem), source=source, encoding=encoding)]


def _iter_jsonl_file(path: Path, *, source: str, max_bytes: int,
                     encoding: str | None) -> Iterator[Document | IngestFailure]:
    stat_regular(path, source=source)
    try:
        with path.open("rb") as f:
            yield from iter_jsonl(f, source=source, stem=shown_path(path.stem), max_bytes=max_bytes,
                                  encoding=encoding)
    except OSError as e:
        raise InputError(f"cannot read the file: {e.strerror or e}; check its permissions.",
                         source=source) from None


def _read_one(path: Path, *, source: str, max_bytes: int,
              encoding: str | None) -> Iterator[Document | IngestFailure]:
    try:
        if format_of(path.name) == "jsonl":
            yield from _iter_jsonl_file(path, source=source, max_bytes=max_bytes, encoding=encoding)
        else:
            yield from read_path(path, max_bytes=max_bytes, encoding=encoding)
    except InputError as e:
        yield IngestFailure.from_error(e, source=source)


def _read_stdin(*, max_bytes: int, encoding: str | None) -> Iterator[Document | IngestFailure]:
    try:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None and starts_with_object(peek_head(stream)):
            # JSON lines piped in (jq ... | propscope analyze -): one article per record, streamed
            # with the limit per record, as from a .jsonl file. No article starts with "{".
            yield from iter_jsonl(stream, source=STDIN, stem="stdin", max_bytes=max_bytes,
                                  encoding=encoding)
            return
        data = read_stdin_bytes(max_bytes=max_bytes)
        # Piped pages are common (curl ... | propscope analyze -): recognise an HTML document.
        head = data[:512].lstrip().lower()
        fmt = "html" if head.startswith((b"<!doctype html", b"<html")) else "txt"
        yield _decode_document(data, fmt=fmt, id="stdin", source=STDIN, encoding=encoding)
    except InputError as e:
        yield IngestFailure.from_error(e, source=STDIN)


def _walk(root: Path, skip: frozenset[str] = frozenset()) -> Iterator[Path | IngestFailure]:
    """Supported files under ``root``, depth first, sorted by name; hidden entries skipped,
    and so are the files and folders whose real paths are in ``skip``.

    Symbolic links to directories are not followed (a link cycle would never end); links
    to files are, and a broken one or a special file (FIFO, socket) with a supported
    extension is reported as a failure rather than opened.
    """
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as e:
        yield IngestFailure(shown_path(root), f"cannot list the directory: {e.strerror or e}.")
        return
    for entry in entries:
        if entry.name.startswith(".") or (skip and os.path.realpath(entry.path) in skip):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path, skip)
        elif path.suffix.lower() in EXTENSIONS:
            try:
                mode = entry.stat().st_mode
            except OSError as e:
                what = ("a symbolic link loop" if e.errno == errno.ELOOP
                        else "a broken symbolic link")
                yield IngestFailure(shown_path(path), f"{what}; fix or remove it.")
                continue
            if stat.S_ISREG(mode):
                yield path
            elif not stat.S_ISDIR(mode):
                yield IngestFailure(shown_path(path), f"is {file_kind(mode)}, not a regular file; skipped.")


def iter_documents(paths: Sequence[str], *, max_bytes: int = _MAX_BYTES,
                   encoding: str | None = None,
                   skip: Sequence[str | Path] = ()) -> Iterator[Document | IngestFailure]:
    """Documents from files, directories and ``-`` (standard input), lazily and in order.

    Directories are walked recursively in name order, reading only supported extensions
    (``.txt``, ``.md``, ``.markdown``, ``.html``, ``.htm``, ``.jsonl``) and skipping hidden
    files and folders. A file given by name is read whatever its extension (as ``txt`` when
    unknown). Never raises for a bad input: an ``IngestFailure`` naming it and the problem
    takes its place (one per bad JSONL line, the good records still come).

    ``skip``: files and folders a walk leaves out (a run's own output inside a folder it
    reads, so the next run does not read it back as articles).
    """
    skipped = frozenset(os.path.realpath(p) for p in skip)
    for arg in paths:
        if arg == STDIN:
            yield from _read_stdin(max_bytes=max_bytes, encoding=encoding)
            continue
        path = Path(arg)
        if not path.is_dir():
            yield from _read_one(path, source=shown_path(arg), max_bytes=max_bytes, encoding=encoding)
            continue
        found = False
        for item in _walk(path, skipped):
            found = True
            if isinstance(item, IngestFailure):
                yield item
            else:
                yield from _read_one(item, source=shown_path(item), max_bytes=max_bytes,
                                     encoding=encoding)
        if not found:
            kinds = ", ".join(sorted(EXTENSIONS))
            yield IngestFailure(shown_path(arg), f"directory holds no readable files ({kinds}).")


def estimate_inputs(paths: Sequence[str | Path]) -> int:
    """A quick count of the articles ``paths`` hold (files, plus JSONL lines), for the ETA.

    It walks folders as ``iter_documents`` does, so it counts what will be read; it only has to
    be close (a JSONL line may turn out not to be a record): a progress bar grows its total if
    reading finds more.
    """
    total = 0
    for p in map(Path, paths):
        files = [f for f in _walk(p) if isinstance(f, Path)] if p.is_dir() else [p]
        for f in files:
            if not f.is_file():
                continue
            if format_of(f.name) == "jsonl":
                with f.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total
