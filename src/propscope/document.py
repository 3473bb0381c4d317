"""The document object every stage reads and enriches, with character offsets into its text.

Offsets are Unicode code points into ``Document.text`` exactly as read (no normalisation,
newlines kept), end-exclusive, validated when a span is added. ``text`` never changes after
construction: every stage adds annotations, none rewrites the text, so offsets stay valid
from ingestion to rendering.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from propscope.errors import SpanError
from propscope.languages import DEFAULT_LANGUAGE
from propscope.model_info import ModelInfo

__all__ = ["METADATA_FIELDS", "Document", "Frame", "Genre", "Metadata", "ModelInfo", "Paragraph",
           "Region", "Span", "iter_lines", "split_paragraphs"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A labelled character range ``text[start:end]`` with a confidence in [0, 1]."""

    start: int
    end: int
    label: str
    score: float = 1.0

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end):
            raise SpanError(f"Span offsets must satisfy 0 <= start < end, got {self.start}..{self.end}.")
        if not (0.0 <= self.score <= 1.0):
            raise SpanError(f"Span score must be in [0, 1], got {self.score}.")

    def overlaps(self, start: int, end: int) -> bool:
        """Whether this span shares at least one character with ``[start, end)``."""
        return self.start < end and start < self.end


@dataclass(frozen=True, slots=True)
class Region:
    """A character range of site boilerplate (share pleas, disclaimers, author boxes...)."""

    start: int
    end: int
    kind: str


@dataclass(slots=True)
class Paragraph:
    """One non-empty line of the text: the shared task's unit for paragraph labels.

    ``line`` is 1-based and counts every line of the text, blank ones included, so it matches
    the line numbers of the shared task's paragraph label files.
    """

    line: int
    start: int
    end: int
    techniques: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    # Per label: character ranges (into the document's text) of the words that raised the
    # label's score most (``models/linear/evidence.py``); empty where a model gives none.
    evidence: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


# Where a metadata value came from (``Metadata.sources``): the article's own lines, what
# the input around it said, or what the user gave.
TITLE_LINE = "title line"
BYLINE = "byline"
DATELINE = "dateline"
SYNDICATION_HEADER = "syndication header"  # "Via Site" at the top
SYNDICATION_FOOTER = "syndication footer"  # "The post X appeared first on Site.", "Via Site"
MARKDOWN_HEADING = "markdown heading"
PAGE = "page metadata"  # an HTML page's <title>, <meta> tags and JSON-LD, read by trafilatura
PAGE_ADDRESS = "page address"  # the URL a page was fetched from, its host as the outlet
FEED = "feed"  # an RSS, Atom or sitemap entry
GIVEN = "given"  # a JSONL record's field, the API's metadata object, a Python caller

METADATA_FIELDS = ("title", "outlet", "author", "published", "url", "republished_from")


@dataclass(slots=True)
class Metadata:
    """What is known about where an article comes from; ``None`` where unknown.

    ``sources`` says where each known value came from (field -> one of the names above, such
    as ``"byline"`` or ``"given"``); a field set without ``fill_from``/``set_from`` has none.
    """

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as found
    url: str | None = None
    republished_from: str | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def fill_from(self, source: str, **values: str | None) -> None:
        """Set each field still unknown to its non-empty value in ``values``, noting ``source``."""
        self._set(source, {k: v for k, v in values.items() if getattr(self, k) is None})

    def set_from(self, source: str, **values: str | None) -> None:
        """Set each field to its non-empty value in ``values``, replacing what was known."""
        self._set(source, values)

    def _set(self, source: str, values: dict[str, str | None]) -> None:
        for name, value in values.items():
            if name not in METADATA_FIELDS:
                raise AttributeError(f"Metadata has no field {name!r}; the fields: "
                                     f"{', '.join(METADATA_FIELDS)}.")
            if value:
                setattr(self, name, value)
                self.sources[name] = source


@dataclass(slots=True)
class Genre:
    """The predicted genre with a probability for each of the three genres."""

    label: str
    scores: dict[str, float]


@dataclass(frozen=True, slots=True)
class Frame:
    """A frame judged present, with its score."""

    label: str
    score: float


# Characters of an untitled article's first line that name it in reports and on the page.
TITLE_LIMIT = 120

_LINE_RE = re.compile(r"[^\n]*(\n|$)")


def iter_lines(text: str) -> Iterator[tuple[int, int, int]]:
    """Yield ``(line_number, start, end)`` for every line; ``end`` excludes the newline.

    Only ``\\n`` ends a line, like the shared task's files; a ``\\r`` before it stays part of
    the line's text but not of its range, so CRLF input keeps exact offsets.
    """
    line = 0
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line += 1
        stop = end - 1 if end > pos and text[end - 1] == "\r" else end
        yield line, pos, stop
        if nl < 0:
            break
        pos = nl + 1


def split_paragraphs(text: str) -> list[Paragraph]:
    """One ``Paragraph`` per line holding any non-space character."""
    return [Paragraph(line=ln, start=s, end=e) for ln, s, e in iter_lines(text) if text[s:e].strip()]


class Document:
    """An article's text plus every annotation the pipeline adds to it.

    Args:
        text: the article text; offsets of all annotations refer to it.
        id: a stable identifier (file name without extension, or a record's ``id``).
        source: where the text came from (a path, ``-`` for stdin, a URL).
        metadata: title, outlet, author, date, republication source.
        language: the ISO 639-1 code of the text's language (``languages``).
    """

    __slots__ = (
        "_text",
        "boilerplate",
        "extra",
        "frames",
        "genre",
        "id",
        "language",
        "metadata",
        "model",
        "paragraphs",
        "source",
        "spans",
    )

    def __init__(self, text: str, *, id: str = "document", source: str | None = None,
                 metadata: Metadata | None = None, language: str = DEFAULT_LANGUAGE) -> None:
        if not isinstance(text, str):
            raise TypeError(f"Document text must be str, got {type(text).__name__}.")
        self._text = text
        self.id = id
        self.source = source
        self.metadata = metadata or Metadata()
        self.language = language
        self.spans: list[Span] = []
        self.paragraphs: list[Paragraph] = []
        self.boilerplate: list[Region] = []
        self.genre: Genre | None = None
        self.frames: list[Frame] = []
        self.model: ModelInfo | None = None
        self.extra: dict[str, object] = {}

    @property
    def text(self) -> str:
        """The article text (read-only)."""
        return self._text

    def __len__(self) -> int:
        return len(self._text)

    def __repr__(self) -> str:
        return f"Document(id={self.id!r}, chars={len(self._text)}, spans={len(self.spans)})"

    def check_span(self, span: Span) -> Span:
        """Return ``span`` if it fits inside the text, else raise ``SpanError``."""
        if span.end > len(self._text):
            raise SpanError(
                f"Span {span.start}..{span.end} ({span.label}) runs past the end of "
                f"document {self.id!r} ({len(self._text)} characters)."
            )
        return span

    def add_spans(self, spans: Iterable[Span]) -> None:
        """Validate and add spans, keeping ``spans`` sorted by offset."""
        self.spans.extend(self.check_span(s) for s in spans)
        self.spans.sort(key=lambda s: (s.start, s.end, s.label))

    def span_text(self, span: Span | Region | Paragraph) -> str:
        """The characters a span, region or paragraph covers."""
        return self._text[span.start:span.end]

    def in_boilerplate(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies entirely inside a boilerplate region."""
        return any(r.start <= start and end <= r.end for r in self.boilerplate)

    def display_title(self, limit: int = TITLE_LIMIT) -> str:
        """What reports call the article: its title, else its first non-empty line (at most
        ``limit`` characters), else its id. The page does the same with the limit the server
        sends it (``/api/techniques`` ``display``), so one text has one name everywhere, not a
        file id in one view and words in another."""
        if self.metadata.title:
            return self.metadata.title
        first = next((line.strip() for line in self._text.splitlines() if line.strip()), "")
        return first[:limit] or self.id

    def unannotated(self) -> Document:
        """A new Document with this one's text, id, source and a copy of its metadata, and no
        annotation: what evaluation analyses in place of a gold article (no label can leak),
        and what a failed batch is retried on (a half-annotated document is not reused)."""
        return Document(self._text, id=self.id, source=self.source,
                        metadata=dataclasses.replace(self.metadata), language=self.language)

    def content_paragraphs(self) -> list[Paragraph]:
        """Paragraphs that are not wholly boilerplate: the units the models analyse."""
        return [p for p in self.paragraphs if not self.in_boilerplate(p.start, p.end)]

    def word_count(self) -> int:
        """Number of whitespace-separated words outside boilerplate."""
        return sum(len(self.span_text(p).split()) for p in self.content_paragraphs())
