"""Whose voice the techniques are in: the outlet's own words, or a quoted speaker's.

Every report shows the same table, built here from the Document alone: one row for the
outlet and one per quoted speaker (a quotation whose speaker the text does not name counts
under "unnamed speaker"), with the technique spans and paragraph labels in that voice. A
report whose techniques sit mostly in quotations shows what its sources say, not how the
outlet writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from propscope.document import Document, Quote

OUTLET = "the outlet's own words"
UNNAMED = "unnamed speaker"


@dataclass(frozen=True, slots=True)
class VoiceCount:
    """One voice: who (``quoted`` False for the outlet), its quotations, and the technique
    spans and paragraph labels in it, each technique with its count, most frequent first."""

    voice: str
    quoted: bool
    quotes: int
    spans: tuple[tuple[str, int], ...]
    labels: tuple[tuple[str, int], ...]

    @property
    def span_count(self) -> int:
        return sum(n for _, n in self.spans)

    @property
    def label_count(self) -> int:
        return sum(n for _, n in self.labels)


def voice_name(quote: Quote | None) -> str:
    """What the reports call the voice of words in ``quote`` (``None``: the outlet's own)."""
    if quote is None:
        return OUTLET
    return quote.speaker or UNNAMED


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def voices(doc: Document) -> tuple[VoiceCount, ...]:
    """The outlet first, then each quoted speaker in order of first quotation; a speaker's
    row is there even with no technique, so the table also lists who is quoted."""
    order = [OUTLET, *dict.fromkeys(voice_name(q) for q in doc.quotes)]
    spans: dict[str, Counter[str]] = {v: Counter() for v in order}
    labels: dict[str, Counter[str]] = {v: Counter() for v in order}
    for s in doc.spans:
        spans[voice_name(doc.quote_at(s.start, s.end))][s.label] += 1
    for p in doc.paragraphs:
        for t in p.techniques:
            labels[voice_name(doc.label_quote(p, t))][t] += 1
    quotes = Counter(voice_name(q) for q in doc.quotes)
    return tuple(VoiceCount(v, v != OUTLET, quotes[v], _ranked(spans[v]), _ranked(labels[v]))
                 for v in order)


def tag_positions(doc: Document) -> dict[int, tuple[str, ...]]:
    """Where each quotation's speaker tag goes (right after its closing mark): offset ->
    the speakers tagged there."""
    out: dict[int, list[str]] = {}
    text = doc.text
    for q in doc.quotes:
        at = q.end
        while at < len(text) and text[at] in " \u00a0\u202f":
            at += 1
        # The closing mark (one character, or two for '' and ’’), then the tag.
        while at < len(text) and at < q.end + 4 and not text[at].isalnum() and not text[at].isspace() \
                and text[at] not in ",.;:!?)":
            at += 1
        out.setdefault(at, []).append(voice_name(q))
    return {k: tuple(v) for k, v in out.items()}
