"""Predictions for evaluation: the full analysis pipeline run on fresh copies of gold articles."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from propscope.analyzer import Analyzer
from propscope.document import Document
from propscope.models.base import PersuasionModel


def predict_fresh(model: str | Path | PersuasionModel | None, gold: Sequence[Document], *,
                  on_document: Callable[[Document], None] | None = None,
                  sensitivity: str | float | None = None) -> list[Document]:
    """Analyse unannotated copies of ``gold`` exactly as users' articles are analysed.

    The copies go through the same pipeline as ``Analyzer`` (boilerplate, paragraphs, model),
    so the scores measure what users get, and no gold label can leak into the prediction.

    Args:
        model: a loaded model, a shipped model's name or an artifact folder (``None``: default).
        gold: the gold documents; they are not modified.
        on_document: called with each predicted document as it is finished (progress bars).
        sensitivity: the level analysed at (``sensitivity.py``; ``None``: balanced).
    Returns:
        One predicted Document per gold document, in the same order.
    """
    analyzer = Analyzer(model=model, sensitivity=sensitivity)
    out = []
    for doc in analyzer.analyze_many(g.unannotated() for g in gold):
        out.append(doc)
        if on_document is not None:
            on_document(doc)
    return out
