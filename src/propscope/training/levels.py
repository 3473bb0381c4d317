"""The same predictions scored at several sensitivity levels (``sensitivity.py``).

An ``OperatingPoint`` says how many labels one level gives and how right they are; a
``LevelPredictions`` collects, model by model, the predictions of held-out articles at each
level, so a cross-validation (``crossval.cross_validate(on_fit=...)``) or a held-out split
scores every level on the same articles without another fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from propscope.document import Document
from propscope.evaluation.metrics import PRF
from propscope.evaluation.report import evaluate
from propscope.models.base import PersuasionModel
from propscope.training.predict import predict_fresh


@dataclass(frozen=True, slots=True)
class OperatingPoint:
    """One level's labels on scored articles.

    Attributes:
        level: the level's name (or the shift as text); ``shift``: its logits.
        articles: articles scored.
        spans_per_article, labels_per_article: spans and paragraph labels given, per article.
        spans_aware, spans_agnostic: partial-overlap span scores, by technique and not.
        paragraphs: paragraph-label micro scores.
        span_ece, paragraph_ece: calibration error of the span and paragraph-label scores.
    """

    level: str
    shift: float
    articles: int
    spans_per_article: float
    labels_per_article: float
    spans_aware: PRF
    spans_agnostic: PRF
    paragraphs: PRF
    span_ece: float
    paragraph_ece: float

    @classmethod
    def measure(cls, level: str, shift: float, gold: Sequence[Document],
                pred: Sequence[Document]) -> OperatingPoint:
        """Score ``pred`` (made at ``shift``) against ``gold``."""
        r = evaluate(gold, pred)
        n = max(len(gold), 1)
        return cls(level, shift, len(gold), sum(len(d.spans) for d in pred) / n,
                   sum(len(p.techniques) for d in pred for p in d.paragraphs) / n,
                   r.spans.aware, r.spans.agnostic, r.paragraphs.scores.micro,
                   r.confidence.spans.ece, r.confidence.paragraphs.ece)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (the rows of ``validation.json``'s ``sensitivity``)."""
        return {"level": self.level, "shift": self.shift, "articles": self.articles,
                "spans_per_article": round(self.spans_per_article, 2),
                "labels_per_article": round(self.labels_per_article, 2),
                "spans_aware": self.spans_aware.to_dict(), "spans_agnostic": self.spans_agnostic.to_dict(),
                "paragraphs": self.paragraphs.to_dict(), "span_ece": round(self.span_ece, 6),
                "paragraph_ece": round(self.paragraph_ece, 6)}


@dataclass
class LevelPredictions:
    """Predictions of held-out articles at each of ``shifts`` (name -> logits), one run per
    model that made them (a cross-validation's folds)."""

    shifts: Mapping[str, float]
    runs: list[tuple[list[Document], dict[str, list[Document]]]] = field(default_factory=list)

    def add(self, model: PersuasionModel, gold: Sequence[Document]) -> None:
        """Predict ``gold`` (articles ``model`` never saw) at every shift."""
        self.runs.append((list(gold), {name: predict_fresh(model, gold, sensitivity=s)
                                       for name, s in self.shifts.items()}))

    def pairs(self, name: str) -> list[tuple[list[Document], list[Document]]]:
        """``(gold, predictions)`` of each run at level ``name``."""
        return [(gold, preds[name]) for gold, preds in self.runs]

    def points(self, default: tuple[str, Sequence[Document]] | None = None) -> list[OperatingPoint]:
        """Every level pooled over the runs, in the order of the shifts; ``default`` adds the
        level ``(name, predictions)`` made outside (the headline predictions, shift 0)."""
        gold = [d for g, _ in self.runs for d in g]
        preds = {name: [p for _, ps in self.pairs(name) for p in ps] for name in self.shifts}
        shifts = dict(self.shifts)
        if default is not None:
            by_id = {d.id: d for d in default[1]}
            preds[default[0]] = [by_id[g.id] for g in gold]
            shifts[default[0]] = 0.0
        return [OperatingPoint.measure(name, shifts[name], gold, preds[name])
                for name in sorted(preds, key=shifts.__getitem__)]
