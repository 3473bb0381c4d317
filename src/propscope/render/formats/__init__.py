"""Where analysed documents go: a registry of output formats, each one module, all written
atomically.

``open_output(format, target)`` is a context manager yielding an ``Output`` with
``add(doc)``; files appear only when the ``with`` block completes, so an interrupted or failed
run leaves no half-written output (files already finished, like one HTML report per article,
stay complete). A format writes to a stream (``target`` a file; ``None`` or ``-``: standard
output) or fills a folder.

A new format is one module here that defines its writer and calls ``register_format``, plus
its name in ``MODULES`` (copy ``jsonl.py``); the CLI builds ``--format``'s choices, its help
and the choice by ``-o``'s extension from the registry.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from propscope.document import Document
from propscope.errors import PropscopeError
from propscope.render.files import atomic_open

# The built-in formats, in the order ``--help`` lists them.
MODULES = ("text", "json", "jsonl", "html", "semeval")
FILE_WIDTH = 100  # columns of the text view when it is written to a file


class OutputError(PropscopeError, ValueError):
    """The output cannot take what is written, e.g. several articles for ``--format json``."""


class Output(Protocol):
    """A destination for analysed documents."""

    def add(self, doc: Document) -> None:
        """Write (or queue) one analysed document."""
        ...

    def close(self) -> None:
        """Finish writing; called only when every document was added without error."""
        ...

    def abort(self) -> None:
        """The run stopped early (an error, Ctrl-C): leave what was written usable."""
        ...


class Stream:
    """Standard output, or a file opened atomically on first write (no file if nothing came)."""

    def __init__(self, target: str | None, stack: ExitStack, stdout: TextIO) -> None:
        self.path = None if target in (None, "-") else Path(target)
        self._stack = stack
        self._fh: TextIO | None = stdout if self.path is None else None

    @property
    def fh(self) -> TextIO:
        if self._fh is None:
            assert self.path is not None
            self._fh = self._stack.enter_context(atomic_open(self.path))
        return self._fh


@dataclass(frozen=True)
class Target:
    """What a format's writer is opened on.

    Attributes:
        path: the ``-o`` the user gave (``None``: none).
        include_text: put the article text in the output (the text view: show it).
        stream: the target as a stream, for formats that write one (``fh`` opens the file
            on first write).
    """

    path: str | None
    include_text: bool
    stream: Stream


@dataclass(frozen=True)
class OutputFormat:
    """One output format.

    Attributes:
        name: what ``--format`` takes.
        help: one line for ``--help``.
        open: builds the writer for a ``Target``.
        suffixes: ``-o`` extensions that choose this format when ``--format`` is not given.
        folder: the folder written when ``-o`` is not given, for a format that fills one
            (``None``: a stream, standard output by default).
        several: whether it holds several articles (``json`` holds one).
        one_file: a folder format that also writes one article to a file with one of
            ``suffixes`` (``html``).
    """

    name: str
    help: str
    open: Callable[[Target], Output]
    suffixes: tuple[str, ...] = ()
    folder: str | None = None
    several: bool = True
    one_file: bool = False


FORMATS: dict[str, OutputFormat] = {}


def register_format(fmt: OutputFormat) -> OutputFormat:
    """Add ``fmt`` to the registry (each module in ``MODULES`` calls it for its format)."""
    FORMATS[fmt.name] = fmt
    return fmt


def formats() -> dict[str, OutputFormat]:
    """Every output format by name, in ``MODULES`` order (their modules imported on first use)."""
    for name in MODULES:
        if name not in FORMATS:
            importlib.import_module(f"propscope.render.formats.{name}")
    return FORMATS


def format_for_suffix(path: str) -> str | None:
    """The format an ``-o`` file name's extension chooses, if any (``.jsonl``: jsonl)."""
    suffix = Path(path).suffix.lower()
    return next((f.name for f in formats().values() if suffix in f.suffixes), None)


@contextmanager
def open_output(fmt: str, target: str | None = None, *, include_text: bool = True,
                stdout: TextIO | None = None) -> Iterator[Output]:
    """Open the writer for ``fmt``; files are committed when the block exits without error.

    Args:
        fmt: a name in ``formats()``.
        target: file (stream formats; ``None``/``-`` = standard output) or folder (folder
            formats; ``None`` = the format's ``folder`` in the current folder).
        include_text: put the article text in JSON output; for the text view, show it.
        stdout: stream used for standard output (default ``sys.stdout``).
    """
    spec = formats().get(fmt)
    if spec is None:
        raise OutputError(f"Unknown output format {fmt!r}; use one of {', '.join(formats())}.")
    with ExitStack() as stack:
        stream = Stream(None if spec.folder else target, stack, stdout or sys.stdout)
        out = spec.open(Target(target or spec.folder, include_text, stream))
        try:
            yield out
        except BaseException:
            out.abort()
            raise
        out.close()
