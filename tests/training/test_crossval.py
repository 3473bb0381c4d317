"""cross_validate: every article scored once, by a model fitted without it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pytest

from propscope.document import Document
from propscope.errors import DataError
from propscope.models.linear import LinearModel
from propscope.training.crossval import cross_validate, plan_folds

TINY = {"folds": 2, "static_dim": 0, "max_word_features": 200, "confidence_folds": "article"}


class RecordingModel(LinearModel):
    """The real linear model, remembering which articles each fit saw."""

    fits: ClassVar[list[set[str]]] = []

    def fit(self, docs: Sequence[Document], **kwargs: Any) -> RecordingModel:
        RecordingModel.fits.append({d.id for d in docs})
        super().fit(docs, **kwargs)
        return self


def test_every_article_is_scored_by_a_model_that_never_saw_it(corpus16: list[Document]) -> None:
    RecordingModel.fits = []
    cv = cross_validate(lambda: RecordingModel(**TINY), corpus16, folds=2, seed=1)
    ids = [d.id for d in corpus16]
    assert [p.id for p in cv.predictions] == ids
    assert len(RecordingModel.fits) == 2 and cv.train_articles == [len(f) for f in RecordingModel.fits]
    for f, seen in enumerate(RecordingModel.fits):
        scored = {i for i, k in zip(ids, cv.plan.fold, strict=True) if k == f}
        assert scored and not scored & seen and scored | seen == set(ids)
    assert cv.pooled.documents == 16 and sum(r.documents for r in cv.per_fold) == 16
    assert cv.recent is None  # no id starts with 83
    assert all(p.model is not None and p.genre is not None for p in cv.predictions)
    # The gold articles keep their labels: predictions were made on fresh copies.
    assert corpus16[0].spans and cv.predictions[0] is not corpus16[0]


def test_on_fit_sees_each_fold_model_with_its_held_out_articles(corpus16: list[Document]) -> None:
    RecordingModel.fits = []
    calls: list[tuple[set[str], set[str]]] = []
    cv = cross_validate(lambda: RecordingModel(**TINY), corpus16, folds=2, seed=1,
                        on_fit=lambda m, gold: calls.append((RecordingModel.fits[-1], {g.id for g in gold})))
    assert len(calls) == 2
    for f, (seen, held) in enumerate(calls):
        assert held == {d.id for d, k in zip(corpus16, cv.plan.fold, strict=True) if k == f}
        assert not held & seen


def test_cross_validation_is_reproducible(corpus16: list[Document]) -> None:
    a = cross_validate(lambda: LinearModel(**TINY), corpus16, folds=2, seed=3)
    b = cross_validate(lambda: LinearModel(**TINY), corpus16, folds=2, seed=3)
    assert np.array_equal(a.plan.fold, b.plan.fold)
    assert a.pooled.to_dict() == b.pooled.to_dict()


def test_time_folds_follow_collection_order() -> None:
    docs = [Document(f"text {i}", id=str(i)) for i in (830000001, 700000000, 111111111, 750000000)]
    plan = plan_folds(docs, 2, folds_by="time")
    assert plan.fold[1] == plan.fold[3] == 0 and plan.fold[0] == 1  # oldest ids first
    assert plan.notes[0].startswith("fold 1: ") and "dated ids 700000000-750000000" in plan.notes[0]


@pytest.mark.parametrize("folds, folds_by, error", [(1, "article", DataError), (9, "article", DataError),
                                                     (2, "months", ValueError)])
def test_bad_fold_requests_are_clear_errors(tiny_corpus: list[Document], folds: int, folds_by: str,
                                            error: type[Exception]) -> None:
    with pytest.raises(error, match="folds"):
        plan_folds(tiny_corpus, folds, folds_by=folds_by)
