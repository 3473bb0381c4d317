"""Span scoring with partial overlap credit, as in the SemEval-2020 Task 11 span scorer.

Within each article, overlapping spans (sharing at least one character) of the same technique
are merged first, in the gold and in the prediction alike; spans that only touch
(``a.end == b.start``) stay apart. Then, with S the predicted and T the gold spans::

    P = (1/|S|) Σ_{s∈S} Σ_{t∈T} |s∩t| / |s|        (0 when S is empty)
    R = (1/|T|) Σ_{t∈T} Σ_{s∈S} |s∩t| / |t|        (0 when T is empty)
    F1 = 2PR / (P + R)                              (0 when P + R = 0)

where only pairs from the same article and with the same label intersect. Technique-aware
scores keep the labels; technique-agnostic scores give every span one label (and so merge
overlapping spans of different techniques); per-technique scores restrict S and T to one label.

After merging, the spans of one label are disjoint and sorted, so both sums come from one
two-pointer sweep per (article, label): linear in the number of spans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from propscope.document import Span
from propscope.evaluation.metrics import PRF, f1_score

Interval = tuple[int, int]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort ``[start, end)`` intervals and merge those sharing at least one character."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def overlap_sums(pred: Sequence[Interval], gold: Sequence[Interval]) -> tuple[float, float]:
    """``(Σ_s Σ_t |s∩t|/|s|, Σ_t Σ_s |s∩t|/|t|)`` for sorted, disjoint interval lists."""
    p_sum = r_sum = 0.0
    i = j = 0
    while i < len(pred) and j < len(gold):
        (ps, pe), (gs, ge) = pred[i], gold[j]
        inter = min(pe, ge) - max(ps, gs)
        if inter > 0:
            p_sum += inter / (pe - ps)
            r_sum += inter / (ge - gs)
        # The interval that ends first cannot meet any later interval of the other list.
        if pe <= ge:
            i += 1
        if ge <= pe:
            j += 1
    return p_sum, r_sum


@dataclass(slots=True)
class _Tally:
    """Running sums for one label: overlap credit and merged span counts."""

    p_sum: float = 0.0
    r_sum: float = 0.0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, pred: Sequence[Interval], gold: Sequence[Interval]) -> None:
        p, r = overlap_sums(pred, gold)
        self.p_sum += p
        self.r_sum += r
        self.n_pred += len(pred)
        self.n_gold += len(gold)

    def merge(self, other: _Tally) -> None:
        self.p_sum += other.p_sum
        self.r_sum += other.r_sum
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    def prf(self) -> PRF:
        p = self.p_sum / self.n_pred if self.n_pred else 0.0
        r = self.r_sum / self.n_gold if self.n_gold else 0.0
        return PRF(p, r, f1_score(p, r), support=self.n_gold, predicted=self.n_pred)


@dataclass(frozen=True, slots=True)
class SpanReport:
    """Span scores with partial overlap credit.

    Attributes:
        aware: technique-aware scores (labels must match); ``support``/``predicted`` count
            merged gold/predicted spans.
        agnostic: every span given one label, then merged and scored.
        per_technique: technique-aware scores of each technique in the gold or the prediction.
    """

    aware: PRF
    agnostic: PRF
    per_technique: dict[str, PRF] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {"technique_aware": self.aware.to_dict(), "technique_agnostic": self.agnostic.to_dict(),
                "per_technique": {k: v.to_dict() for k, v in self.per_technique.items()}}


def by_label(spans: Iterable[Span]) -> dict[str, list[Interval]]:
    """``(start, end)`` intervals of ``spans``, grouped by label."""
    groups: dict[str, list[Interval]] = defaultdict(list)
    for s in spans:
        groups[s.label].append((s.start, s.end))
    return groups


def score_spans(articles: Iterable[tuple[Iterable[Span], Iterable[Span]]], *,
                order: Sequence[str] = ()) -> SpanReport:
    """Score ``(gold_spans, predicted_spans)`` pairs, one pair per article.

    Args:
        articles: for each article, its gold spans and its predicted spans.
        order: preferred order of techniques in ``per_technique`` (the taxonomy order);
            others follow alphabetically.
    """
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    agnostic = _Tally()
    for gold_spans, pred_spans in articles:
        gold, pred = by_label(gold_spans), by_label(pred_spans)
        for label in gold.keys() | pred.keys():
            tallies[label].add(merge_intervals(pred.get(label, ())), merge_intervals(gold.get(label, ())))
        agnostic.add(merge_intervals(iv for ivs in pred.values() for iv in ivs),
                     merge_intervals(iv for ivs in gold.values() for iv in ivs))
    aware = _Tally()
    for t in tallies.values():
        aware.merge(t)
    rank = {name: i for i, name in enumerate(order)}
    labels = sorted(tallies, key=lambda x: (rank.get(x, len(rank)), x))
    return SpanReport(aware.prf(), agnostic.prf(), {x: tallies[x].prf() for x in labels})
