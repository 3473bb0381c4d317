"""Precision/recall/F1 containers and the counting scorer for (multi-)label classification.

Genre (one label per article), frames (several per article) and paragraph techniques (several
per paragraph) are all scored here: each unit contributes a set of gold labels and a set of
predicted labels, and true/false positives are counted per label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


def _r(x: float) -> float:
    return round(float(x), 6)


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean of ``precision`` and ``recall``; 0 when both are 0."""
    total = precision + recall
    return 2 * precision * recall / total if total > 0 else 0.0


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1, with ``support`` = number of gold items they were measured on.

    ``predicted`` is the number of predicted items, so a reader can tell a precision of 0 from
    "nothing was predicted".
    """

    precision: float
    recall: float
    f1: float
    support: int
    predicted: int = 0

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> PRF:
        """Scores from true positives, false positives and false negatives (0 where undefined)."""
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return cls(p, r, f1_score(p, r), support=tp + fn, predicted=tp + fp)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types, rates rounded to 6 decimals."""
        return {"precision": _r(self.precision), "recall": _r(self.recall), "f1": _r(self.f1),
                "support": self.support, "predicted": self.predicted}


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Micro and macro averages plus per-label scores of one labelling task.

    Attributes:
        micro: precision/recall/F1 from true/false positives summed over all labels.
        macro: precision, recall and F1 each averaged over ``macro_labels`` (the macro F1 is
            the mean of per-label F1s, as scikit-learn computes it, not the harmonic mean of
            macro precision and recall).
        per_label: scores of every label that occurs in the gold or the prediction.
        macro_labels: the labels the macro average runs over.
        units: how many units (articles or paragraphs) were scored.
    """

    micro: PRF
    macro: PRF
    per_label: dict[str, PRF] = field(default_factory=dict)
    macro_labels: tuple[str, ...] = ()
    units: int = 0

    def macro_f1_over(self, labels: Iterable[str]) -> float:
        """Mean F1 over a fixed label set; a label absent from both gold and prediction counts 0."""
        names = list(labels)
        zero = PRF(0.0, 0.0, 0.0, 0)
        return sum(self.per_label.get(n, zero).f1 for n in names) / len(names) if names else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {"units": self.units, "micro": self.micro.to_dict(), "macro": self.macro.to_dict(),
                "macro_labels": list(self.macro_labels),
                "per_label": {k: v.to_dict() for k, v in self.per_label.items()}}


def score_labels(units: Iterable[tuple[Iterable[str], Iterable[str]]], *,
                 order: Sequence[str] = ()) -> LabelScores:
    """Score ``(gold_labels, predicted_labels)`` pairs, one pair per unit.

    Args:
        units: for each unit, its gold labels and its predicted labels (duplicates ignored).
        order: preferred order of labels in ``per_label`` (the taxonomy order); labels not in
            it follow alphabetically.
    Returns:
        ``LabelScores`` whose macro average runs over the labels that occur in the gold or the
        prediction (scikit-learn's default): a label nobody used is neither rewarded nor
        punished, a gold label never predicted (or a label predicted but never gold) scores 0.
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    n = 0
    for gold_raw, pred_raw in units:
        n += 1
        gold, pred = set(gold_raw), set(pred_raw)
        tp.update(gold & pred)
        fp.update(pred - gold)
        fn.update(gold - pred)
    seen = set(tp) | set(fp) | set(fn)
    rank = {name: i for i, name in enumerate(order)}
    labels = tuple(sorted(seen, key=lambda x: (rank.get(x, len(rank)), x)))
    per_label = {x: PRF.from_counts(tp[x], fp[x], fn[x]) for x in labels}
    micro = PRF.from_counts(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return LabelScores(micro, macro_average(per_label.values()), per_label, labels, n)


def macro_average(scores: Iterable[PRF]) -> PRF:
    """Unweighted mean of precision, recall and F1; supports and prediction counts are summed."""
    items = list(scores)
    if not items:
        return PRF(0.0, 0.0, 0.0, 0)
    k = len(items)
    return PRF(sum(s.precision for s in items) / k, sum(s.recall for s in items) / k,
               sum(s.f1 for s in items) / k, support=sum(s.support for s in items),
               predicted=sum(s.predicted for s in items))
