"""Quote and speaker scores: quote spans matched exactly and by overlap, speakers on the matches.

Quote spans are matched one to one within an article: *exact* when both offsets agree,
*overlap* when they share at least one character (the pairs that share most are matched
first). Precision, recall and F1 follow from the matches. Speaker accuracy is counted over the
gold quotations that an extracted one overlaps: the extracted speaker is right when its words
and those of the gold speaker, or of one of the gold speaker's other names, are one contained
in the other, lowercased and without punctuation ("Peskov" for "Dmitry Peskov"); a gold speaker
of ``None`` is right only for an extracted ``None``. ``benchmarks/quotes.py`` runs this on the
hand-annotated set in ``benchmarks/quotes/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from propscope.evaluation.metrics import PRF

Interval = tuple[int, int]
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """One annotated quotation: its span and every name the article gives its speaker
    (empty: the text names nobody)."""

    start: int
    end: int
    speakers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PredictedQuote:
    start: int
    end: int
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteScores:
    """Quote-span scores (exact and overlap) and speaker accuracy over some articles."""

    exact: PRF
    overlap: PRF
    speakers_right: int
    speakers_scored: int
    articles: int

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.speakers_scored if self.speakers_scored else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"exact": self.exact.to_dict(), "overlap": self.overlap.to_dict(),
                "speaker_accuracy": round(self.speaker_accuracy, 6),
                "speakers_scored": self.speakers_scored, "articles": self.articles}


def _words(name: str) -> list[str]:
    return _WORD.findall(name.lower())


def _contained(a: list[str], b: list[str]) -> bool:
    """Whether the words of ``a`` appear in ``b`` in order, next to each other."""
    return any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1)) if a else False


def same_speaker(predicted: str | None, gold: Sequence[str]) -> bool:
    """Whether ``predicted`` names the speaker whose names are ``gold`` (empty: nobody)."""
    if not gold:
        return predicted is None
    if predicted is None:
        return False
    p = _words(predicted)
    return any(_contained(p, g) or _contained(g, p) for g in map(_words, gold))


def match(gold: Sequence[Interval], predicted: Sequence[Interval], *, exact: bool) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, predicted index)`` matches: equal spans, or overlapping ones
    with the largest overlaps matched first."""
    if exact:
        where = {span: i for i, span in enumerate(predicted)}
        return [(g, where[span]) for g, span in enumerate(gold) if span in where]
    pairs = sorted(((min(ge, pe) - max(gs, ps), g, p)
                    for g, (gs, ge) in enumerate(gold) for p, (ps, pe) in enumerate(predicted)
                    if min(ge, pe) > max(gs, ps)), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, g, p in pairs:
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            out.append((g, p))
    return sorted(out)


def score_quotes(articles: Iterable[tuple[Sequence[GoldQuote], Sequence[PredictedQuote]]]) -> QuoteScores:
    """Scores over ``(gold, predicted)`` quotations of each article."""
    counts = {True: [0, 0, 0], False: [0, 0, 0]}  # exact? -> true pos., false pos., false neg.
    right = scored = n = 0
    for gold, pred in articles:
        n += 1
        g_spans = [(q.start, q.end) for q in gold]
        p_spans = [(q.start, q.end) for q in pred]
        for exact in (True, False):
            m = match(g_spans, p_spans, exact=exact)
            c = counts[exact]
            c[0] += len(m)
            c[1] += len(p_spans) - len(m)
            c[2] += len(g_spans) - len(m)
            if not exact:
                scored += len(m)
                right += sum(same_speaker(pred[p].speaker, gold[g].speakers) for g, p in m)
    return QuoteScores(PRF.from_counts(*counts[True]), PRF.from_counts(*counts[False]), right, scored, n)
