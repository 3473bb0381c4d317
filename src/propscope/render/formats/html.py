"""``html``: one self-contained report per article in a folder, with an index page; or one
report to a named ``.html`` file."""

from __future__ import annotations

from pathlib import Path

from propscope.document import Document
from propscope.render.files import UniqueNames, atomic_write, safe_stem
from propscope.render.formats import OutputError, OutputFormat, register_format
from propscope.render.index import (
    INDEX_NAME,
    LEDGER_NAME,
    IndexEntry,
    entries_json,
    index_entry,
    load_entries,
    render_index,
)

FOLDER = "propscope-reports"


class HtmlOutput:
    """One self-contained report per article: ``<id>.html`` in a folder, or one named file."""

    def __init__(self, target: str | None) -> None:
        path = Path(target or FOLDER)
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
        self.written.append(atomic_write(dest, render_html(doc, index=f"{INDEX_NAME}.html")))

    def close(self) -> None:
        """A folder of reports gets ``index.html``, listing them (and the reports earlier runs
        left there) densest first, and ``index.json``, the same entries for the next run."""
        from propscope.render.html import render_html

        if self.single and self.doc is not None:
            self.written.append(atomic_write(self.path, render_html(self.doc)))
        if self.entries:
            new = {e.file for e in self.entries}
            kept = [e for f, e in self.earlier.items() if f not in new and (self.path / f).is_file()]
            entries = [e for e in kept + self.entries if (self.path / e.file).is_file()]
            self.index = atomic_write(self.path / f"{INDEX_NAME}.html",
                                      render_index(entries))
            self.written += [self.index, atomic_write(self.path / LEDGER_NAME, entries_json(entries))]

    def abort(self) -> None:
        """An interrupted or failed run into a folder of reports: those written are complete
        files, so the index lists them and a re-run updates them instead of adding copies
        beside them."""
        if not self.single:
            self.close()


HTML = register_format(OutputFormat(
    "html", "self-contained reports: <id>.html and index.html in the folder -o, or -o NAME.html",
    lambda t: HtmlOutput(t.path), suffixes=(".html", ".htm"), folder=FOLDER, one_file=True))
