"""Turning raw input bytes into text: size limits, binary detection and decoding.

Every check here raises an ``InputError`` subclass whose message names the input, says what
was wrong and how to fix it. Nothing in this module changes the characters of a text: the
decoded string is exactly what the bytes say, so character offsets into it match the file.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from pathlib import Path

from propscope.config import MB
from propscope.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    InputTooLargeError,
)

UTF8_BOM = "\ufeff"
AUTO = "auto"  # the encoding value that means: UTF-8 if valid, else a guess (decode_bytes)

# Control bytes that never occur in text files (tab, newlines, form feed and ESC excluded).
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32), 127])
_DROP_CONTROL = dict.fromkeys(_CONTROL_BYTES)
SNIFF_BYTES = 64 * 1024
_MAX_CONTROL_RATIO = 0.10

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document; extract its text first (e.g. with pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt/.epub file); export it as plain text first"),
    (b"\xd0\xcf\x11\xe0", "a legacy Microsoft Office file; export it as plain text first"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data; decompress it first"),
)

_WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def size_text(n: int, *, exact: bool = False) -> str:
    """``n`` bytes for a message: MB to one decimal, bytes below a tenth of a MB (where
    "0.0 MB" would say nothing); ``exact`` adds the byte count to a size shown in MB."""
    if n < MB // 10:
        return f"{n:,} bytes"
    return f"{n / MB:.1f} MB" + (f" ({n:,} bytes)" if exact else "")


def check_size(size: int, *, max_bytes: int, source: str) -> None:
    """Raise ``InputTooLargeError`` when ``size`` bytes exceed ``max_bytes``."""
    if size > max_bytes:
        raise InputTooLargeError(
            f"input is {size_text(size, exact=True)}, above the {size_text(max_bytes)} limit; split it "
            "into smaller files or raise the limit (--max-bytes / PROPSCOPE_MAX_BYTES).",
            source=source,
        )


def file_kind(mode: int) -> str:
    """A readable name for the kind of a non-regular file (``stat`` mode)."""
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "a special file"


def stat_regular(path: Path, *, source: str) -> os.stat_result:
    """``stat`` a path that must be an existing regular file (links followed).

    Raises:
        InputError: the path is missing, a broken link, unreadable, or not a regular file.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        hint = " (a broken symbolic link)" if path.is_symlink() else ""
        raise InputError(f"no such file{hint}; check the path.", source=source) from None
    except OSError as e:
        raise InputError(f"cannot read the file: {e.strerror or e}.", source=source) from None
    if not stat.S_ISREG(st.st_mode):
        # Opening a FIFO or device would block or never end; refuse it instead.
        raise InputError(f"is {file_kind(st.st_mode)}, not a regular file; give a text file instead.",
                         source=source)
    return st


def read_file_bytes(path: Path, *, max_bytes: int, source: str) -> bytes:
    """Read a regular file, refusing it from its size before loading it.

    Raises:
        InputError: the path is missing, not a regular file, or cannot be read.
        InputTooLargeError: the file is larger than ``max_bytes``.
    """
    check_size(stat_regular(path, source=source).st_size, max_bytes=max_bytes, source=source)
    try:
        with path.open("rb") as f:
            # Read one byte past the limit: the file may have grown since stat().
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise InputError(f"cannot read the file: {e.strerror or e}; check its permissions.",
                         source=source) from None
    check_size(len(data), max_bytes=max_bytes, source=source)
    return data


def read_stdin_bytes(*, max_bytes: int, what: str = "text") -> bytes:
    """Standard input's bytes, refused above ``max_bytes`` (source ``-`` in messages).

    Raises:
        InputError: the process has no standard input (started by a service manager, say).
        InputTooLargeError: more than ``max_bytes`` came in.
    """
    if sys.stdin is None:
        raise InputError(f"no standard input to read; pipe {what} in or give a file.", source="-")
    data = sys.stdin.buffer.read(max_bytes + 1)
    check_size(len(data), max_bytes=max_bytes, source="-")
    return data


def _control_ratio(sample: str | bytes) -> float:
    if not sample:
        return 0.0
    if isinstance(sample, bytes):
        kept = len(sample.translate(None, _CONTROL_BYTES))
    else:
        kept = len(sample.translate(_DROP_CONTROL))
    return (len(sample) - kept) / len(sample)


def check_binary(data: bytes, *, source: str) -> None:
    """Refuse bytes that are not text in an ASCII-compatible encoding.

    Raises:
        EncodingError: UTF-16/UTF-32 text (a wide byte order mark), with the fix.
        BinaryInputError: a known binary format, NUL bytes or mostly control characters.
    """
    if name := wide_codec(data):
        raise EncodingError(f"is {name.upper()} text, not UTF-8; re-save it as UTF-8 or pass "
                            f"--encoding {name}.", source=source)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(f"is binary data: {what}.", source=source)
    if b"\x00" in data or _control_ratio(data[:SNIFF_BYTES]) > _MAX_CONTROL_RATIO:
        raise BinaryInputError(
            "looks like binary data (NUL bytes or mostly control characters), not text; "
            "give a UTF-8 text, markdown, HTML or JSONL file, or pass --encoding if it is "
            "text in another encoding such as UTF-16.", source=source)


def guess_legacy_encoding(data: bytes) -> str:
    """The likely single-byte encoding of non-UTF-8 bytes: ``cp1252`` or else ``latin-1``."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def describe_utf8_error(data: bytes, error: UnicodeDecodeError, *, first_line: int = 1) -> str:
    """Where UTF-8 decoding failed, the likely encoding, and the fix, as one sentence pair."""
    before = data[:error.start].decode("utf-8", "replace")
    line = before.count("\n") + first_line
    col = len(before) - (before.rfind("\n") + 1) + 1
    guess = guess_legacy_encoding(data)
    bad = data[error.start:error.start + 1].hex().upper()
    return (f"is not valid UTF-8: byte 0x{bad} at line {line}, column {col} (byte offset "
            f"{error.start}). It looks like {guess} text; re-save it as UTF-8 or pass "
            f"--encoding {guess} (or --encoding auto, to guess file by file).")


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` as text every output can hold: a file name's bytes that are no UTF-8 (kept by
    Python as lone surrogates, which no UTF-8 writer accepts) become ``\\xff`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def text_codec(name: str) -> str | None:
    """The canonical name of the text encoding ``name``; ``None`` if Python knows none by that
    name or it is a bytes-to-bytes codec (``rot13``, ``base64``, ``zlib``) that no text is in."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def wide_codec(data: bytes) -> str | None:
    """``utf-16`` or ``utf-32`` when ``data`` starts with that encoding's byte order mark."""
    return next((name for bom, name in _WIDE_BOMS if data.startswith(bom)), None)


def check_encoding(encoding: str, *, source: str) -> None:
    """Raise ``InputError`` when ``encoding`` is neither ``auto`` nor a text encoding Python knows."""
    if encoding != AUTO and text_codec(encoding) is None:
        raise InputError(f"unknown encoding {encoding!r}; use a Python codec name such as "
                         "utf-8, cp1252 or latin-1.", source=source)


def decode_bytes(data: bytes, *, source: str, encoding: str | None = None,
                 strip_bom: bool = True) -> str:
    """Decode input bytes to text, refusing binary data with a clear message.

    Args:
        data: the raw bytes.
        source: the input's name, used in error messages.
        encoding: decode with this codec instead of UTF-8 (e.g. ``cp1252``); ``"auto"``:
            UTF-16/32 by a byte order mark, else UTF-8 when valid, else the legacy guess
            (``guess_legacy_encoding``), so a folder mixing old and new files reads in one run.
        strip_bom: drop a leading UTF-8 byte order mark. Pass ``False`` to keep it as the
            character U+FEFF, so offsets count it like tools that read the file as UTF-8.

    Raises:
        BinaryInputError: NUL bytes, mostly control characters or a known binary format.
        EncodingError: the bytes are not valid in the encoding; the message says where,
            guesses the likely encoding and names the ``--encoding`` option.
        InputError: ``encoding`` is not a known codec.
    """
    if encoding == AUTO:
        encoding = wide_codec(data)
        if encoding is None:
            try:
                return decode_bytes(data, source=source, strip_bom=strip_bom)
            except EncodingError:  # no UTF-8 (binary data raised BinaryInputError already)
                encoding = guess_legacy_encoding(data)
    if encoding is not None:
        check_encoding(encoding, source=source)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            raise EncodingError(f"is not valid {encoding}: {e.reason} at byte offset {e.start}; "
                                "check the --encoding value.", source=source) from None
        except UnicodeError as e:  # punycode, "undefined" and others raise the bare class
            raise EncodingError(f"cannot be decoded as {encoding} ({e}); check the --encoding "
                                "value.", source=source) from None
        if "\x00" in text or _control_ratio(text[:SNIFF_BYTES]) > _MAX_CONTROL_RATIO:
            raise BinaryInputError(f"decoded as {encoding}, it is mostly control characters: "
                                   "binary data or the wrong --encoding.", source=source)
    else:
        check_binary(data, source=source)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise EncodingError(describe_utf8_error(data, e), source=source) from None
    return text.removeprefix(UTF8_BOM) if strip_bom else text


def require_text(text: str, *, source: str, what: str = "file") -> str:
    """Return ``text``, or raise ``EmptyInputError`` when it holds no visible character."""
    if not text.replace(UTF8_BOM, "").strip():
        state = "is empty" if not text else "contains only whitespace"
        raise EmptyInputError(f"{what} {state}; there is nothing to analyse.", source=source)
    return text
