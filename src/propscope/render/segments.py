"""Cut an analysed Document into highlightable pieces, line by line, for the renderers.

The text is split at every span start and end, every boilerplate edge, every line end and
after every quotation's closing mark (where its speaker's tag goes), so each piece is covered
by one fixed set of spans. Overlapping spans then stay visible:
a renderer draws one mark per covering span, nested, instead of letting one hide another.
Each span also gets a stable number (its position in ``doc.spans``) and a *level*: the
smallest stacking slot not used by any span it overlaps, so stacked underlines line up
along a span's whole length.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from propscope.document import Document, Span, iter_lines
from propscope.render.voices import tag_positions


@dataclass(frozen=True, slots=True)
class SpanRef:
    """A span with its display number (1-based) and stacking level (0 = innermost line)."""

    number: int
    level: int
    span: Span


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of characters covered by the same spans (outermost first) and boilerplate flag."""

    start: int
    end: int
    spans: tuple[SpanRef, ...]
    boilerplate: bool
    starts: tuple[SpanRef, ...]  # spans whose first visible character is here
    tags: tuple[str, ...] = ()  # speakers of the quotations that close right before its end


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line of the text with its pieces and the paragraph labels of that line."""

    number: int
    start: int
    end: int
    pieces: tuple[Piece, ...]
    techniques: tuple[str, ...]
    boilerplate: bool


def span_refs(doc: Document) -> list[SpanRef]:
    """Number the document's spans in offset order and give each a stacking level.

    Levels are handed out shortest span first, so a span nested inside another sits on a
    lower level: it is drawn inside, and the enclosing span's underline shows below it.
    """
    ordered = sorted(doc.spans, key=lambda s: (s.start, -s.end, s.label))
    levels: dict[int, int] = {}
    for i in sorted(range(len(ordered)), key=lambda i: (ordered[i].end - ordered[i].start, i)):
        span = ordered[i]
        used = {lvl for j, lvl in levels.items() if ordered[j].overlaps(span.start, span.end)}
        levels[i] = next(lvl for lvl in range(len(used) + 1) if lvl not in used)
    return [SpanRef(i + 1, levels[i], span) for i, span in enumerate(ordered)]


def _pieces(doc: Document, start: int, end: int, refs: list[SpanRef],
            seen: set[int], tags: dict[int, tuple[str, ...]]) -> tuple[Piece, ...]:
    cuts = {start, end} | {x for x in tags if start < x < end}
    for r in refs:
        cuts.update(x for x in (r.span.start, r.span.end) if start < x < end)
    for region in doc.boilerplate:
        cuts.update(x for x in (region.start, region.end) if start < x < end)
    edges = sorted(cuts)
    out = []
    for a, b in pairwise(edges):
        covering = [r for r in refs if r.span.start < b and a < r.span.end]
        # Outermost (highest level) first: nested marks need the widest one outside.
        covering.sort(key=lambda r: (-r.level, r.number))
        # A span may begin on a newline or a blank line; its marker goes where it first shows.
        first = tuple(sorted((r for r in covering if r.number not in seen), key=lambda r: r.number))
        seen.update(r.number for r in first)
        out.append(Piece(a, b, tuple(covering), doc.in_boilerplate(a, b), first, tags.get(b, ())))
    return tuple(out)


def document_lines(doc: Document) -> list[Line]:
    """The document's non-empty lines, each cut into pieces, with its paragraph labels."""
    refs = span_refs(doc)
    tags = tag_positions(doc)
    labels = {p.line: tuple(p.techniques) for p in doc.paragraphs}
    lines = []
    seen: set[int] = set()
    for number, start, end in iter_lines(doc.text):
        if not doc.text[start:end].strip():
            continue
        here = [r for r in refs if r.span.start < end and start < r.span.end]
        lines.append(Line(number, start, end, _pieces(doc, start, end, here, seen, tags),
                          labels.get(number, ()), doc.in_boilerplate(start, end)))
    return lines
