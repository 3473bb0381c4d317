"""K-fold cross-validation by article: every article scored once, by a model that never saw it.

The folds decide what the scores mean. Random folds (``article``) leave most articles with
siblings about the same event in training; ``topic`` folds hold out whole clusters of similar
articles (news about events the model never saw); ``time`` folds hold out contiguous
stretches of collection order, oldest first, so the last fold is scored by models fitted on
earlier articles only (see ``propscope.models.folds``).

``cross_validate`` is what ``propscope train`` reports for a model trained on every article
and what ``benchmarks/cv.py`` runs for experiments: the same folds, fits and scorer.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from propscope.datasets.semeval import collection_order
from propscope.document import Document
from propscope.errors import DataError
from propscope.evaluation.report import EvaluationReport, evaluate, evaluate_recent
from propscope.models.base import PersuasionModel
from propscope.models.folds import article_folds, ordered_folds, topic_folds
from propscope.training.predict import predict_fresh

FOLDS_BY = ("article", "topic", "time")


@dataclass(frozen=True)
class FoldPlan:
    """Which fold scores each article.

    Attributes:
        fold: shape ``(n_articles,)``, the fold (0 .. folds-1) of each article, in input order.
        folds: number of folds.
        folds_by: ``article``, ``topic`` or ``time``.
        notes: one line per topic cluster or time stretch, for reports (empty for ``article``).
    """

    fold: np.ndarray
    folds: int
    folds_by: str
    notes: list[str] = field(default_factory=list)


def plan_folds(docs: Sequence[Document], folds: int, *, folds_by: str = "article", seed: int = 0) -> FoldPlan:
    """Deal ``docs`` to ``folds`` folds by ``folds_by`` (see the module docstring)."""
    if folds_by not in FOLDS_BY:
        raise ValueError(f"folds_by must be one of {', '.join(FOLDS_BY)}, not {folds_by!r}.")
    if folds < 2 or folds > len(docs):
        raise DataError(f"Cross-validation needs 2 to {len(docs)} folds for {len(docs)} articles, "
                        f"not {folds}.")
    notes: list[str] = []
    if folds_by == "topic":
        fold, notes = topic_folds([d.text for d in docs], folds, seed)
    elif folds_by == "time":
        keys = [collection_order(d.id) for d in docs]
        fold = ordered_folds(keys, folds, seed)
        for f in range(folds):
            dated = sorted(d.id for d, k, key in zip(docs, fold, keys, strict=True)
                           if k == f and key is not None)
            span = f", dated ids {dated[0]}-{dated[-1]}" if dated else ""
            notes.append(f"fold {f + 1}: {int(np.sum(fold == f))} articles{span}")
    else:
        fold = article_folds(len(docs), folds, seed)
    return FoldPlan(np.asarray(fold, dtype=int), folds, folds_by, notes)


@dataclass
class CrossValidation:
    """Out-of-fold predictions and their scores.

    Attributes:
        plan: the folds.
        predictions: one predicted Document per input article, in input order, each made by
            the model fitted without the article's fold.
        pooled: every article's prediction scored together (the reported numbers).
        recent: the same on the newest articles (ids starting with ``83``); None if none.
        per_fold: each fold's articles scored alone (the spread).
        fit_seconds: wall-clock seconds of each fold's fit.
    """

    plan: FoldPlan
    predictions: list[Document]
    pooled: EvaluationReport
    recent: EvaluationReport | None
    per_fold: list[EvaluationReport]
    fit_seconds: list[float]

    @property
    def train_articles(self) -> list[int]:
        """How many articles each fold's model was fitted on."""
        return [int(np.sum(self.plan.fold != f)) for f in range(self.plan.folds)]


def cross_validate(make_model: Callable[[], PersuasionModel], docs: Sequence[Document], *, folds: int = 3,
                   folds_by: str = "article", seed: int = 0, document_level: Sequence[Document] = (),
                   progress: Callable[[str], None] | None = None,
                   on_fit: Callable[[PersuasionModel, Sequence[Document]], None] | None = None,
                   ) -> CrossValidation:
    """Fit ``make_model()`` once per fold on the other folds and score the held-out articles.

    Args:
        make_model: returns a fresh, unfitted model (called once per fold).
        docs: gold documents; they are not modified.
        folds: number of folds (at least 2).
        folds_by: how articles are dealt to folds: ``article``, ``topic`` or ``time``.
        seed: seeds the fold assignment.
        document_level: articles labelled for genre and frames only, added to every fold's
            training articles (never scored).
        progress: called with a short message at each stage; also passed to ``fit`` where
            the model takes one.
        on_fit: called with each fold's fitted model and its held-out gold articles, for
            more measurements of the same fits (``benchmarks/cv.py --also-sensitivity``).
    """
    say = progress or (lambda _m: None)
    plan = plan_folds(docs, folds, folds_by=folds_by, seed=seed)
    for line in plan.notes:
        say(f"cross-validation {folds_by} folds: {line}")
    predictions: list[Document | None] = [None] * len(docs)
    per_fold, seconds = [], []
    for f in range(folds):
        train = [d for d, k in zip(docs, plan.fold, strict=True) if k != f]
        held = [i for i, k in enumerate(plan.fold) if k == f]
        say(f"cross-validation fold {f + 1}/{folds}: fitting on {len(train)} articles")
        model = make_model()
        kwargs: dict[str, object] = {"document_level": list(document_level)}
        if progress is not None and "progress" in inspect.signature(model.fit).parameters:
            kwargs["progress"] = lambda m, f=f: say(f"fold {f + 1}/{folds}: {m}")
        t0 = time.perf_counter()
        model.fit(train, **kwargs)
        seconds.append(time.perf_counter() - t0)
        say(f"cross-validation fold {f + 1}/{folds}: scoring {len(held)} held-out articles")
        gold = [docs[i] for i in held]
        pred = predict_fresh(model, gold)
        for i, p in zip(held, pred, strict=True):
            predictions[i] = p
        per_fold.append(evaluate(gold, pred))
        if on_fit is not None:
            on_fit(model, gold)
    out = [p for p in predictions if p is not None]
    return CrossValidation(plan, out, evaluate(docs, out), evaluate_recent(docs, out), per_fold, seconds)
