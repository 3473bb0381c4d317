"""Where analysed documents go: one writer per output format, all written atomically.

``open_output(format, target)`` is a context manager yielding an object with ``add(doc)``;
files appear only when the ``with`` block completes, so an interrupted or failed run
leaves no half-written output (files already finished, like one HTML report per article,
stay complete). ``target`` is a file for text/json/jsonl (``None`` or ``-``: standard
output) and a folder for html/semeval (html also accepts a ``.html`` file for one article).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from propscope.document import Document
from propscope.errors import PropscopeError
from propscope.render.files import UniqueNames, atomic_open, atomic_write, safe_stem
from propscope.render.index import (
    INDEX_NAME,
    LEDGER_NAME,
    IndexEntry,
    entries_json,
    index_entry,
    load_entries,
    render_index,
)

if TYPE_CHECKING:
    from propscope.models.quality import ModelQuality

FORMATS = ("text", "json", "jsonl", "html", "semeval")
DEFAULT_DIRS = {"html": "propscope-reports", "semeval": "propscope-semeval"}
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


class _Stream:
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


class TextOutput:
    """The rich terminal view, one article after another."""

    def __init__(self, stream: _Stream, *, show_text: bool, quality: ModelQuality | None = None) -> None:
        self.stream = stream
        self.show_text = show_text
        self.quality = quality
        self.count = 0

    def add(self, doc: Document) -> None:
        from rich.console import Console
        from rich.rule import Rule

        from propscope.render.terminal import print_document

        if self.stream.path is None:
            console = Console(file=self.stream.fh)  # colour and width follow the terminal
        else:
            console = Console(file=self.stream.fh, no_color=True, force_terminal=False,
                              width=FILE_WIDTH, emoji=False)
        if self.count:
            console.print(Rule())
        print_document(doc, console, show_text=self.show_text, quality=self.quality)
        self.count += 1

    def close(self) -> None:
        return None


class JsonOutput:
    """Exactly one article as an indented JSON object."""

    def __init__(self, stream: _Stream, *, include_text: bool) -> None:
        self.stream = stream
        self.include_text = include_text
        self.doc: Document | None = None

    def add(self, doc: Document) -> None:
        if self.doc is not None:
            raise OutputError("--format json writes one article, but the input holds several; "
                              "use --format jsonl (one JSON object per line) instead.")
        self.doc = doc

    def close(self) -> None:
        from propscope.serialize import to_json

        if self.doc is not None:
            self.stream.fh.write(to_json(self.doc, include_text=self.include_text, indent=2) + "\n")


class JsonlOutput:
    """One JSON object per line and article (the JSON contract of ``propscope.serialize``)."""

    def __init__(self, stream: _Stream, *, include_text: bool) -> None:
        self.stream = stream
        self.include_text = include_text

    def add(self, doc: Document) -> None:
        from propscope.serialize import to_json

        fh = self.stream.fh
        fh.write(to_json(doc, include_text=self.include_text) + "\n")
        if self.stream.path is None:
            fh.flush()  # let a consumer downstream of a pipe start on each article at once

    def close(self) -> None:
        return None


class HtmlOutput:
    """One self-contained report per article: ``<id>.html`` in a folder, or one named file."""

    def __init__(self, target: str | None, quality: ModelQuality | None = None) -> None:
        self.quality = quality
        path = Path(target or DEFAULT_DIRS["html"])
        self.single = path.suffix.lower() in (".html", ".htm")
        self.path = path
        self.unique = UniqueNames()
        self.unique(INDEX_NAME)  # reserved: an article with the id "index" becomes index-2.html
        self.written: list[Path] = []
        self.entries: list[IndexEntry] = []
        self.index: Path | None = None  # the index page, once written
        self.doc: Document | None = None  # the one article of a single-file report
        # The reports earlier runs left in the folder, by file name (read before any work,
        # so a foreign index.json stops the run before it analyses anything).
        self.earlier: dict[str, IndexEntry] = {}
        if not self.single and path.is_file():
            raise OutputError(f"-o {path} is a file; --format html writes a folder of reports, or "
                              "one report to a name ending in .html.")
        if not self.single:
            try:
                self.earlier = {e.file: e for e in load_entries(self.path / LEDGER_NAME)}
            except ValueError as exc:
                raise OutputError(str(exc)) from exc

    def _name(self, doc: Document) -> str:
        """A file name for ``doc``'s report that replaces no other article's report: free,
        or an earlier run's report of the same source (a re-run updates it)."""
        stem = safe_stem(doc.id)
        while True:
            name = f"{self.unique(stem)}.html"
            earlier = self.earlier.get(name)
            if not (self.path / name).exists() or (earlier is not None
                                                    and earlier.source == doc.source):
                return name

    def add(self, doc: Document) -> None:
        from propscope.render.html import render_html

        if self.single:
            # Held until the run ends, so a second article stops it before an existing file
            # is replaced by the first article's report.
            if self.doc is not None:
                raise OutputError(f"-o {self.path} names one HTML file, but the input holds several "
                                  "articles; give a folder instead (one <id>.html per article).")
            self.doc = doc
            return
        dest = self.path / self._name(doc)
        # Listed before it is written: an interrupt just after the rename must not leave a
        # report that no index lists (close() lists only the reports that exist).
        self.entries.append(index_entry(doc, dest.name))
        self.written.append(atomic_write(dest, render_html(doc, self.quality, index=f"{INDEX_NAME}.html")))

    def close(self) -> None:
        """A folder of reports gets ``index.html``, listing them (and the reports earlier runs
        left there) densest first, and ``index.json``, the same entries for the next run."""
        from propscope.render.html import render_html

        if self.single and self.doc is not None:
            self.written.append(atomic_write(self.path, render_html(self.doc, self.quality)))
        if self.entries:
            new = {e.file for e in self.entries}
            kept = [e for f, e in self.earlier.items() if f not in new and (self.path / f).is_file()]
            entries = [e for e in kept + self.entries if (self.path / e.file).is_file()]
            self.index = atomic_write(self.path / f"{INDEX_NAME}.html",
                                      render_index(entries))
            self.written += [self.index, atomic_write(self.path / LEDGER_NAME, entries_json(entries))]


class SemEvalFiles:
    """The shared task's label files in a folder (see ``propscope.render.semeval``)."""

    def __init__(self, target: str | None) -> None:
        from propscope.render.semeval import SemEvalWriter

        self.writer = SemEvalWriter(Path(target or DEFAULT_DIRS["semeval"]))

    def add(self, doc: Document) -> None:
        self.writer.add(doc)

    def close(self) -> None:
        self.writer.close()


@contextmanager
def open_output(fmt: str, target: str | None = None, *, include_text: bool = True,
                stdout: TextIO | None = None, quality: ModelQuality | None = None) -> Iterator[Output]:
    """Open the writer for ``fmt``; files are committed when the block exits without error.

    Args:
        fmt: one of ``FORMATS``.
        target: file (text/json/jsonl; ``None``/``-`` = standard output) or folder
            (html/semeval; ``None`` = ``DEFAULT_DIRS[fmt]`` in the current folder).
        include_text: put the article text in JSON output; for the text view, show it.
        stdout: stream used for standard output (default ``sys.stdout``).
        quality: the analysing model's recorded rates, shown in the text view and HTML reports.
    """
    if fmt not in FORMATS:
        raise OutputError(f"Unknown output format {fmt!r}; use one of {', '.join(FORMATS)}.")
    with ExitStack() as stack:
        out: Output
        if fmt in ("html", "semeval"):
            out = HtmlOutput(target, quality) if fmt == "html" else SemEvalFiles(target)
        else:
            stream = _Stream(target, stack, stdout or sys.stdout)
            if fmt == "text":
                out = TextOutput(stream, show_text=include_text, quality=quality)
            elif fmt == "json":
                out = JsonOutput(stream, include_text=include_text)
            else:
                out = JsonlOutput(stream, include_text=include_text)
        try:
            yield out
        except BaseException:
            # An interrupted or failed run into a folder of reports: those written are complete
            # files, so the index lists them and a re-run updates them instead of adding
            # copies beside them.
            if isinstance(out, HtmlOutput) and not out.single:
                out.close()
            raise
        out.close()
