"""How far reported confidences are from observed rates (reliability of the scores).

A span shown "at 0.8" should overlap a gold span of its technique about 80% of the time, and
a paragraph label at 0.4 should be right about 40% of the time. Each predicted span (or
paragraph label) is one (confidence, outcome) pair; pairs are binned by confidence and
each bin compares its mean confidence with its observed rate.

- ``ece``: expected calibration error, the count-weighted mean gap over the bins (0 is
  perfectly calibrated; bins as in ``EDGES``).
- ``brier``: mean squared difference between confidence and outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from propscope.document import Document
from propscope.evaluation.spans import by_label

EDGES: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    """Predictions with ``low <= confidence < high`` (the last bin includes 1.0)."""

    low: float
    high: float
    count: int
    mean_confidence: float
    observed: float


@dataclass(frozen=True, slots=True)
class Reliability:
    """Confidence against outcome for one kind of prediction.

    Attributes:
        count: number of predictions.
        mean_confidence: their mean confidence.
        observed: the fraction that were right.
        ece: expected calibration error over ``bins``.
        brier: mean squared error of the confidences.
        bins: the non-empty bins, by confidence.
    """

    count: int
    mean_confidence: float
    observed: float
    ece: float
    brier: float
    bins: tuple[ReliabilityBin, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "mean_confidence": round(self.mean_confidence, 6),
                "observed": round(self.observed, 6), "ece": round(self.ece, 6),
                "brier": round(self.brier, 6),
                "bins": [{"low": b.low, "high": b.high, "count": b.count,
                          "mean_confidence": round(b.mean_confidence, 6), "observed": round(b.observed, 6)}
                         for b in self.bins]}


def reliability(confidences: Sequence[float], outcomes: Sequence[bool],
                edges: Sequence[float] = EDGES) -> Reliability:
    """Bin ``confidences`` (in [0, 1]) against ``outcomes`` (same length)."""
    c = np.asarray(confidences, dtype=np.float64)
    y = np.asarray(outcomes, dtype=np.float64)
    if c.shape != y.shape:
        raise ValueError(f"confidences and outcomes differ in length: {c.shape} vs {y.shape}")
    if not len(c):
        return Reliability(0, 0.0, 0.0, 0.0, 0.0, ())
    which = np.clip(np.searchsorted(np.asarray(edges), c, side="right") - 1, 0, len(edges) - 2)
    bins = []
    gap = 0.0
    for k in range(len(edges) - 1):
        m = which == k
        if m.any():
            bins.append(ReliabilityBin(float(edges[k]), float(edges[k + 1]), int(m.sum()),
                                       float(c[m].mean()), float(y[m].mean())))
            gap += m.sum() * abs(c[m].mean() - y[m].mean())
    return Reliability(len(c), float(c.mean()), float(y.mean()), float(gap / len(c)),
                       float(np.mean((c - y) ** 2)), tuple(bins))


def span_hits(gold: Document, pred: Document) -> list[bool]:
    """For each of ``pred``'s spans: whether it overlaps a span of ``gold`` with its technique."""
    by_technique = by_label(gold.spans)
    return [any(s.overlaps(a, b) for a, b in by_technique.get(s.label, ())) for s in pred.spans]


def _span_pairs(pairs: Iterable[tuple[Document, Document | None]]) -> tuple[list[float], list[bool]]:
    conf, hit = [], []
    for g, p in pairs:
        if p is None:
            continue
        conf += [s.score for s in p.spans]
        hit += span_hits(g, p)
    return conf, hit


def _paragraph_pairs(pairs: Iterable[tuple[Document, Document | None]]) -> tuple[list[float], list[bool]]:
    conf, hit = [], []
    for g, p in pairs:
        if p is None:
            continue
        gold = {q.line: set(q.techniques) for q in g.paragraphs}
        for q in p.paragraphs:
            for t in q.techniques:
                conf.append(q.scores.get(t, 1.0))
                hit.append(t in gold.get(q.line, set()))
    return conf, hit


def _genre_pairs(pairs: Iterable[tuple[Document, Document | None]]) -> tuple[list[float], list[bool]]:
    conf, hit = [], []
    for g, p in pairs:
        if p is None or g.genre is None or p.genre is None:
            continue
        conf.append(p.genre.scores.get(p.genre.label, 1.0))
        hit.append(p.genre.label == g.genre.label)
    return conf, hit


@dataclass(frozen=True, slots=True)
class ConfidenceReport:
    """Reliability of predicted spans (right = overlaps a gold span of the same technique),
    of predicted paragraph labels (right = the gold paragraph has the technique) and of the
    predicted genre (the score of the label shown; right = the gold genre)."""

    spans: Reliability
    paragraphs: Reliability
    genre: Reliability

    def to_dict(self) -> dict[str, Any]:
        return {"spans": self.spans.to_dict(), "paragraphs": self.paragraphs.to_dict(),
                "genre": self.genre.to_dict()}


def confidence_report(pairs: Sequence[tuple[Document, Document | None]]) -> ConfidenceReport:
    """``ConfidenceReport`` of (gold, predicted) document pairs."""
    return ConfidenceReport(reliability(*_span_pairs(pairs)), reliability(*_paragraph_pairs(pairs)),
                            reliability(*_genre_pairs(pairs)))
