"""The index page of a folder of HTML reports: one row per article, most persuasion first.

A journalist who runs ``propscope analyze articles/ --format html`` on thousands of files
needs a way in: ``index.html`` lists every report with its title, outlet, date, genre and
how dense its techniques are, so the most loaded articles are one click away. Like the
reports, it is self-contained and rendered with autoescaping (titles are hostile input).

Next to it, ``index.json`` keeps the entries, so a later run into the same folder (a daily
``--feed``) lists the earlier reports too, and gives a different article that happens to
share an id a new name instead of replacing its report. Scripts can read it as well.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from propscope.document import Document
from propscope.render.summary import expected_right
from propscope.sensitivity import describe_sensitivity, sensitivity_name
from propscope.taxonomy import CATEGORIES
from propscope.version import __version__

INDEX_NAME = "index"  # the page's stem; an article with this id gets another name
LEDGER_NAME = "index.json"  # the entries behind the page, read back by the next run
TOP_TECHNIQUES = 3


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One report as the index lists it.

    Attributes:
        file: the report's file name, relative to the index.
        title: the article's title (or its id).
        per_1000: technique spans per 1,000 words of content (0 for an empty article).
        top: the most frequent techniques, ``(name, spans)``, most frequent first.
        expected_right: the spans' summed calibrated scores (``None`` for raw scores).
        sensitivity: the threshold shift the article was analysed at (``None``: unknown, as
            in the lists of versions before it was kept).
    """

    file: str
    title: str
    source: str | None
    outlet: str | None
    published: str | None
    genre: str | None
    words: int
    spans: int
    per_1000: float
    top: tuple[tuple[str, int], ...]
    expected_right: float | None
    sensitivity: float | None = None


OPTIONAL = frozenset({"sensitivity"})  # fields an older index.json may lack


def index_entry(doc: Document, file: str) -> IndexEntry:
    """What the index shows of the analysed ``doc``, whose report is ``file``."""
    words = doc.word_count()
    counts = Counter(s.label for s in doc.spans)
    top = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TECHNIQUES])
    return IndexEntry(
        file=file, title=doc.display_title(), source=doc.source,
        outlet=doc.metadata.outlet, published=doc.metadata.published,
        genre=doc.genre.label if doc.genre else None, words=words, spans=len(doc.spans),
        per_1000=1000 * len(doc.spans) / words if words else 0.0, top=top,
        expected_right=expected_right(doc),
        sensitivity=doc.model.sensitivity if doc.model is not None else None)


def render_index(entries: Sequence[IndexEntry]) -> str:
    """The index page of ``entries``: densest articles first (ties in input order).

    Reports made at one sensitivity get one line saying which; reports of a folder filled by
    runs at several get a column, since their densities do not compare across levels.
    """
    from propscope.render.html import template

    ranked = sorted(entries, key=lambda e: -e.per_1000)
    levels = sorted({e.sensitivity for e in entries if e.sensitivity is not None})
    return template("index.html.j2").render(
        entries=ranked,
        calibrated=any(e.expected_right is not None for e in entries),
        # Columns nobody has (plain-text files carry no outlet or date) are left out.
        show={k: any(getattr(e, k) for e in entries) for k in ("outlet", "published", "genre")},
        categories=list(CATEGORIES.values()),
        sensitivity=describe_sensitivity(levels[0]) if len(levels) == 1 else None,
        levels=", ".join(sensitivity_name(x) for x in levels) if len(levels) > 1 else None,
        level_name=lambda x: "" if x is None else sensitivity_name(x),
        version=__version__,
    )


def entries_json(entries: Sequence[IndexEntry]) -> str:
    """``index.json``: the entries as ``{"propscope": VERSION, "reports": [{...}, ...]}``."""
    return json.dumps({"propscope": __version__, "reports": [asdict(e) for e in entries]},
                      ensure_ascii=False, indent=1) + "\n"


def load_entries(path: str | Path) -> list[IndexEntry]:
    """The entries an earlier run wrote to ``path`` (an ``index.json``); [] if there is none.

    Raises:
        ValueError: the file is there but is not such a list (it is left as it is).
    """
    path = Path(path)
    if not path.is_file():
        return []
    names = {f.name for f in fields(IndexEntry)}
    required = names - OPTIONAL
    try:
        reports = json.loads(path.read_text(encoding="utf-8"))["reports"]
        entries = [IndexEntry(**{**r, "top": tuple((str(n), int(c)) for n, c in r["top"])})
                   for r in reports if required <= set(r) <= names]
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"{path} is not propscope's list of reports ({type(exc).__name__}: "
                         f"{exc}); move it away, or write the reports to another folder.") from exc
    if len(entries) != len(reports):
        raise ValueError(f"{path} is not propscope's list of reports (entries without the "
                         "expected fields); move it away, or write the reports to another folder.")
    return entries
