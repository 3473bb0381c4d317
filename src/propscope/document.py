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
from propscope.languages.detect import Detection
from propscope.model_info import ModelInfo

__all__ = ["METADATA_FIELDS", "Document", "Frame", "Genre", "Metadata", "ModelInfo", "Paragraph",
           "Quote", "Region", "Span", "iter_lines", "split_paragraphs"]


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


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``text[start:end]`` is the quoted words, inside the quote marks.

    ``speaker`` is the speaker's name as the article writes it (a pronoun or a role, "she",
    "the spokeswoman", resolved to the nearest fitting named speaker), ``None`` where the
    text names nobody; ``speaker_start``/``speaker_end`` locate that name in the text.
    ``cue`` is the reporting word that attributes it ("says", "told", "according to").
    """

    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    confidence: float = 1.0

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end):
            raise SpanError(f"Quote offsets must satisfy 0 <= start < end, got {self.start}..{self.end}.")
        if (self.speaker_start is None) != (self.speaker_end is None) or (
                self.speaker_start is not None and self.speaker_end is not None
                and not 0 <= self.speaker_start < self.speaker_end):
            raise SpanError(f"A quote's speaker offsets are both given with 0 <= start < end, or "
                            f"neither; got {self.speaker_start}..{self.speaker_end}.")
        if not (0.0 <= self.confidence <= 1.0):
            raise SpanError(f"Quote confidence must be in [0, 1], got {self.confidence}.")

    def contains(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside the quoted words."""
        return self.start <= start and end <= self.end


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
        language: the ISO 639-1 code of the text's language, if known (given, or set by the
            pipeline's language stage; ``language_detection`` then says how sure it was).
    """

    __slots__ = (
        "_text",
        "boilerplate",
        "extra",
        "frames",
        "genre",
        "id",
        "language",
        "language_detection",
        "metadata",
        "model",
        "paragraphs",
        "quotes",
        "source",
        "spans",
    )

    def __init__(self, text: str, *, id: str = "document", source: str | None = None,
                 metadata: Metadata | None = None, language: str | None = None) -> None:
        if not isinstance(text, str):
            raise TypeError(f"Document text must be str, got {type(text).__name__}.")
        self._text = text
        self.id = id
        self.source = source
        self.metadata = metadata or Metadata()
        self.language = language
        self.language_detection: Detection | None = None
        self.spans: list[Span] = []
        self.paragraphs: list[Paragraph] = []
        self.quotes: list[Quote] = []
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

    def add_quotes(self, quotes: Iterable[Quote]) -> None:
        """Validate and add quotations, keeping ``quotes`` sorted by offset."""
        for q in quotes:
            ends = [q.end] + ([q.speaker_end] if q.speaker_end is not None else [])
            if max(ends) > len(self._text):
                raise SpanError(f"Quote {q.start}..{q.end} (speaker at {q.speaker_start}.."
                                f"{q.speaker_end}) runs past the end of document {self.id!r} "
                                f"({len(self._text)} characters).")
            self.quotes.append(q)
        self.quotes.sort(key=lambda q: (q.start, q.end))

    def quote_at(self, start: int, end: int) -> Quote | None:
        """The quotation whose words hold most of ``[start, end)``, if one holds at least half
        of it: a span the model drew a word past the closing mark still belongs to the quote."""
        best, share = None, 0
        for q in self.quotes:
            if q.start >= end:
                break
            inside = min(end, q.end) - max(start, q.start)
            if inside > share:
                best, share = q, inside
        return best if best is not None and 2 * share >= end - start else None

    def voice(self, start: int, end: int) -> str | None:
        """Whose voice ``[start, end)`` is in: the speaker of the quotation holding it, else
        ``None``, the outlet's own. A quotation whose speaker the text does not name gives
        ``""``: quoted, but not the outlet's words."""
        q = self.quote_at(start, end)
        return None if q is None else (q.speaker or "")

    def label_quote(self, paragraph: Paragraph, label: str) -> Quote | None:
        """The quotation a paragraph label is in: the one holding most of the label's evidence
        where the model gave some, else the one holding at least half of the paragraph."""
        ranges = paragraph.evidence.get(label) or [(paragraph.start, paragraph.end)]
        found = [self.quote_at(a, b) for a, b in ranges]
        counted = [q for q in found if q is not None]
        if 2 * len(counted) < len(found) or not counted:
            return None
        return max(counted, key=counted.count)

    def span_text(self, span: Span | Region | Paragraph | Quote) -> str:
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
