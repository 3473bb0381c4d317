"""The terminal view of an analysis: highlighted article text, a legend and summary tables.

Technique spans are shown in their category's colour; where spans overlap the colour is the
innermost (shortest) span's and the text is underlined, and each span's first character
carries its number as a superscript, which the span table below explains. Without colour
(output piped to a file, ``NO_COLOR``, a dumb terminal) spans are bracketed ``[3 ... 3]``
instead and boilerplate lines are marked ``~`` in the gutter, so nothing depends on colour.
A quotation's speaker is tagged ‹in italics› after its closing mark, and a Voices table
counts the techniques in the outlet's own words and in each quoted speaker's.
Control characters of the input (an ESC that would start a terminal escape sequence, a NUL)
are shown as "�", one for one, so a hostile title cannot recolour or retitle the terminal.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rich import box
from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from propscope.document import Document
from propscope.render.printable import printable
from propscope.render.segments import Line, Piece, document_lines, span_refs
from propscope.render.summary import Summary, summarize
from propscope.render.voices import voice_name, voices
from propscope.sensitivity import describe_sensitivity
from propscope.taxonomy import CATEGORIES, TECHNIQUES

if TYPE_CHECKING:
    from propscope.model_info import ModelQuality

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_EXCERPT = 60


def _category_style(technique: str) -> Style:
    colour = CATEGORIES[TECHNIQUES[technique].category].color
    return Style(bgcolor=colour, color="black")


def _piece_text(doc: Document, piece: Piece, *, plain: bool, ends: dict[int, tuple[int, int]],
                where: tuple[int, int]) -> Text:
    out = Text()
    for ref in piece.starts:
        if plain:
            out.append(f"[{ref.number} ")
        else:
            colour = CATEGORIES[TECHNIQUES[ref.span.label].category].color
            out.append(str(ref.number).translate(_SUPERSCRIPT), style=Style(color=colour, bold=True))
    style = Style(dim=True) if piece.boilerplate else Style()
    if piece.spans:
        inner = min(piece.spans, key=lambda r: (r.span.end - r.span.start, -r.span.score))
        style += _category_style(inner.span.label)
        if len(piece.spans) > 1:
            style += Style(underline=True)
    out.append(printable(doc.text[piece.start:piece.end]), style=style)
    if plain:
        for ref in sorted(piece.spans, key=lambda r: -r.number):
            if ends[ref.number] == where:
                out.append(f" {ref.number}]")
    for speaker in piece.tags:  # whose words the quotation that just closed are
        out.append(printable(f" ‹{speaker}›"), style=Style(italic=True, dim=True))
    return out


def _article(doc: Document, lines: list[Line], *, plain: bool) -> Table:
    # Where each span is last visible, so plain mode closes its bracket exactly once.
    ends = {ref.number: (i, j) for i, line in enumerate(lines)
            for j, piece in enumerate(line.pieces) for ref in piece.spans}
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    for i, line in enumerate(lines):
        body = Text()
        for j, piece in enumerate(line.pieces):
            body.append_text(_piece_text(doc, piece, plain=plain, ends=ends, where=(i, j)))
        gutter = f"{'~' if plain and line.boilerplate else ''}{line.number}"
        grid.add_row(gutter, body)
    return grid


def _legend(*, plain: bool) -> Group:
    # Columns keeps each two-word chip whole when the legend wraps at 80 columns.
    chips = Columns([Text(f" {c.title} ", style=Style(bgcolor=c.color, color="black"))
                     for c in CATEGORIES.values()], padding=(0, 1))
    key = Text()
    if plain:
        key.append("[n ... n] = span n (see Spans);  ~ before a line number = site boilerplate.")
    else:
        key.append("underlined", style="underline")
        key.append(" = overlapping techniques;  ¹ = span number (see Spans);  ")
        key.append("dim", style="dim")
        key.append(" = site boilerplate.")
    return Group(Text("Legend", style="bold"), chips, key)


def _header(doc: Document) -> Text:
    m = doc.metadata
    head = Text(printable(doc.display_title()), style="bold")
    facts = [x for x in (m.outlet, m.author, m.published) if x]
    facts.append(f"source: {doc.source or doc.id}")
    head.append(printable("\n" + " · ".join(facts)), style="dim")
    if m.republished_from:
        head.append(printable(f"\nrepublished from {m.republished_from}"), style="dim")
    if doc.model:
        head.append(f"\nmodel: {doc.model.name} {doc.model.version}", style="dim")
        level = describe_sensitivity(doc.model.sensitivity)
        if level:
            head.append(f"\nsensitivity {level}", style="bold")
    return head


def _excerpt(text: str) -> str:
    text = printable(" ".join(text.split()))
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def _spans_table(doc: Document, summary: Summary) -> Table:
    caption = "score: the model's estimated chance that the span is right"
    if summary.expected_right is not None:
        caption += (f"; about {summary.expected_right:.0f} of these {summary.span_count} spans are "
                    "expected to match an annotator's")
    table = Table(title="Spans", box=box.SIMPLE_HEAD, title_justify="left", expand=False,
                  caption=caption, caption_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Technique")
    table.add_column("Score", justify="right")
    table.add_column("Voice")
    table.add_column("Text", overflow="fold")
    for ref in span_refs(doc):
        span = ref.span
        quote = doc.quote_at(span.start, span.end)
        table.add_row(str(ref.number), Text(TECHNIQUES[span.label].title, style=_category_style(span.label)),
                      f"{span.score:.2f}", Text(printable(voice_name(quote) if quote else "outlet")),
                      Text(_excerpt(doc.span_text(span))))
    return table


def _voices_table(doc: Document) -> Table:
    """Techniques in the outlet's own words and in each quoted speaker's."""
    table = Table(title="Voices", box=box.SIMPLE_HEAD, title_justify="left", caption_justify="left",
                  caption="whose words the techniques are in: a report's quotations carry its "
                          "sources' techniques, not the outlet's")
    table.add_column("Voice")
    table.add_column("Quotes", justify="right")
    table.add_column("Spans", justify="right")
    table.add_column("Paragraph labels", justify="right")
    table.add_column("Techniques", overflow="fold")
    for v in voices(doc):
        found = Counter(dict(v.spans)) + Counter(dict(v.labels))
        table.add_row(Text(printable(v.voice), style="" if v.quoted else "bold"),
                      str(v.quotes) if v.quoted else "", str(v.span_count), str(v.label_count),
                      ", ".join(f"{TECHNIQUES[t].title} {n}" for t, n in found.most_common()))
    return table


def _summary_tables(summary: Summary, rates: ModelQuality | None) -> list[RenderableType]:
    out: list[RenderableType] = []
    techniques = Table(title="Techniques", box=box.SIMPLE_HEAD, title_justify="left",
                       caption=None if rates is None else
                       f"Labels right: of the paragraphs the model labels with the technique, how many "
                       f"carry it. {rates.header()}", caption_justify="left")
    techniques.add_column("Technique")
    techniques.add_column("Category")
    techniques.add_column("Count", justify="right")
    techniques.add_column("Mean conf.", justify="right")
    if rates is not None:
        techniques.add_column("Labels right", justify="right")
    for t in summary.techniques:
        found: list[RenderableType] = [Text(t.technique.title, style=_category_style(t.technique.name)),
                                       t.category.title, str(t.count), f"{t.mean_score:.2f}"]
        if rates is not None:
            found.append(rates.labels_right(t.technique.name) or "—")
        techniques.add_row(*found)
    if not summary.techniques:
        techniques.add_row("(no technique found)", "", "0", "", *([""] if rates is not None else []))
    out.append(techniques)
    scores = Text()
    if summary.genre:
        label, ranked = summary.genre
        scores.append("Genre: ", style="bold").append(label, style="bold")
        scores.append("  (" + ", ".join(f"{g} {p:.2f}" for g, p in ranked) + ")")
        if summary.genre_note:
            scores.append("\n" + summary.genre_note, style="dim")
    else:
        scores.append("Genre: ", style="bold").append("not predicted")
    scores.append("\nFrames: ", style="bold")
    frames = ", ".join(f"{f.replace('_', ' ')} {p:.2f}" for f, p in summary.frames)
    scores.append(frames or "none above threshold")
    out.append(scores)
    paragraphs = Table(title="Paragraph labels", box=box.SIMPLE_HEAD, title_justify="left")
    paragraphs.add_column("Line", justify="right")
    paragraphs.add_column("Techniques")
    # The words column appears only when the model gave evidence (narrow terminals keep room).
    with_words = any(row.evidence for row in summary.labelled_lines)
    if with_words:
        paragraphs.add_column("Words that raised each label most")
    for row in summary.labelled_lines:
        cells: list[RenderableType] = [str(row.line), ", ".join(TECHNIQUES[n].title for n in row.techniques)]
        if with_words:  # the article's words: text, never markup (as the spans' excerpts)
            cells.append(Text(printable("; ".join(
                f"{TECHNIQUES[t].title}: " + ", ".join(f"\u201c{w}\u201d" for w in words)
                for t, words in row.evidence))))
        paragraphs.add_row(*cells)
    if not summary.labelled_lines:
        paragraphs.add_row("", f"(none of {summary.paragraph_count} paragraphs labelled)")
    out.append(paragraphs)
    return out


def terminal_view(doc: Document, *, plain: bool = False, show_text: bool = True) -> Group:
    """Everything the terminal shows for one analysed document, as one rich renderable.

    Args:
        doc: the analysed document.
        plain: mark spans with brackets instead of colour (for consoles without colour).
        show_text: include the highlighted article text (off: header and summary only).

    The analysing model's recorded rates (``doc.model.quality``) add a "Labels right" column.
    """
    rates = doc.model.quality if doc.model else None
    lines = document_lines(doc)
    summary = summarize(doc)
    parts: list[RenderableType] = [_header(doc), Text()]
    for note in summary.notes:
        parts += [Text(note, style="bold"), Text()]
    if show_text:
        parts += [_legend(plain=plain), Text(), _article(doc, lines, plain=plain), Text()]
    if doc.spans:
        parts.append(_spans_table(doc, summary))
    parts += _summary_tables(summary, rates)
    if doc.quotes:
        parts.append(_voices_table(doc))
    return Group(*parts)


def print_document(doc: Document, console: Console, *, show_text: bool = True) -> None:
    """Print the terminal view, choosing brackets over colour when the console has no colour."""
    plain = console.no_color or console.color_system is None
    console.print(terminal_view(doc, plain=plain, show_text=show_text))
