"""Calibrated scores for the encoder model: what a score says is how often such a label is right.

The heads' raw probabilities are not calibrated: they come from weighted losses and are
decided against per-technique thresholds. So each kind of label gets one logistic map from
the raw probability's logit to the chance that the label is right, fitted on the model's own
labels of articles it did not train on (the calibration share): a span is right when it
overlaps an annotated span of its technique, a paragraph label when the paragraph carries
it. Decisions do not change (the map is monotone); the scores shown, and the sums behind
"about N expected to be right", do.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from propscope.document import Document

# Raw probabilities are clipped to this before the logit, so a 0 or 1 stays finite.
EPS = 1e-4


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1 - EPS)
    return np.log(p / (1 - p))


def apply(map_: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Calibrated scores for raw probabilities ``p`` under ``map_`` (``[slope, intercept]``)."""
    return 1.0 / (1.0 + np.exp(-(map_[0] * _logit(np.asarray(p, dtype=np.float64)) + map_[1])))


def fit_map(raw: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``[slope, intercept]`` of the logistic map from ``logit(raw)`` to ``right`` (0/1);
    the identity when there are too few labels of either outcome to fit one."""
    from sklearn.linear_model import LogisticRegression

    if len(raw) < 20 or right.min() == right.max():
        return np.array([1.0, 0.0], dtype=np.float32)
    lr = LogisticRegression(C=1.0).fit(_logit(raw)[:, None], right.astype(int))
    return np.array([lr.coef_[0, 0], lr.intercept_[0]], dtype=np.float32)


def outcomes(gold: Sequence[Document], pred: Sequence[Document]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each kind (``span``, ``paragraph``), the raw scores of the model's labels in
    ``pred`` and whether each is right against ``gold`` (the same articles, in order)."""
    spans: list[tuple[float, bool]] = []
    pars: list[tuple[float, bool]] = []
    for g, p in zip(gold, pred, strict=True):
        for s in p.spans:
            spans.append((s.score, any(t.label == s.label and t.overlaps(s.start, s.end) for t in g.spans)))
        wanted = {q.line: set(q.techniques) for q in g.paragraphs}
        for q in p.paragraphs:
            for t in q.techniques:
                pars.append((q.scores.get(t, 0.0), t in wanted.get(q.line, set())))
    return {kind: (np.array([r for r, _ in rows], dtype=np.float64), np.array([k for _, k in rows]))
            for kind, rows in (("span", spans), ("paragraph", pars))}
