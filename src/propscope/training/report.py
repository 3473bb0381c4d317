"""What a training run did and how its model scored: ``TrainReport``, read by the model card."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from propscope.training.levels import OperatingPoint


@dataclass
class TrainReport:
    """What a training run did and how the model scored on the validation articles.

    Attributes:
        kind: model kind trained.
        out_dir: artifact folder written.
        train_articles: number of training articles.
        validation_articles: number of held-out validation articles (0 under cross-validation).
        seconds: wall-clock time of the final ``fit``.
        metrics: ``EvaluationReport.to_dict()`` on all scored articles: the validation
            articles, or every training article out of fold (empty when nothing was scored).
        recent_metrics: the same on scored articles whose id starts with ``83``.
        size_bytes: total size of the artifact folder.
        cv_folds: folds of the cross-validation behind ``metrics`` (0: held-out articles).
        cv_fold_articles: training articles of each fold's model.
        cv_seconds: wall-clock time of the cross-validation's fits.
        levels: the same scored articles at each sensitivity level (``sensitivity.py``),
            the default one from the headline predictions.
    """

    kind: str
    out_dir: Path
    train_articles: int
    validation_articles: int
    seconds: float
    metrics: dict[str, Any] = field(default_factory=dict)
    recent_metrics: dict[str, Any] = field(default_factory=dict)
    size_bytes: int = 0
    cv_folds: int = 0
    cv_fold_articles: list[int] = field(default_factory=list)
    cv_seconds: float = 0.0
    levels: list[OperatingPoint] = field(default_factory=list)

    @property
    def scored_by(self) -> dict[str, Any]:
        """How ``metrics`` were measured, as recorded in ``model.json`` and the card."""
        if self.cv_folds:
            return {"method": "cross-validation", "folds": self.cv_folds, "folds_by": "article",
                    "articles": self.train_articles, "fold_train_articles": self.cv_fold_articles}
        if self.validation_articles:
            return {"method": "held-out", "articles": self.validation_articles}
        return {"method": "none", "articles": 0}

    def headline(self, which: str = "metrics") -> dict[str, float]:
        """The main scores of ``metrics`` or ``recent_metrics`` as a flat dict."""
        return headline(getattr(self, which))


def headline(m: dict[str, Any]) -> dict[str, float]:
    """Flat main scores of an ``EvaluationReport.to_dict()``."""
    if not m:
        return {}
    return {
        "paragraph_micro_f1": m["paragraphs"]["micro_f1"],
        "paragraph_macro_f1": m["paragraphs"]["macro_f1"],
        "span_aware_f1": m["spans"]["technique_aware"]["f1"],
        "span_agnostic_f1": m["spans"]["technique_agnostic"]["f1"],
        "genre_macro_f1": m["genre"]["macro_f1"],
        "frames_micro_f1": m["frames"]["micro_f1"],
        "frames_macro_f1": m["frames"]["macro_f1"],
    } | ({"span_confidence_ece": m["confidence"]["spans"]["ece"],
          "paragraph_confidence_ece": m["confidence"]["paragraphs"]["ece"]} if "confidence" in m else {})
