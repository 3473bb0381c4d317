"""Probabilities of a second scorer, mixed into the linear heads' own before any threshold.

A model kind built on the linear model (``HybridModel``) returns a ``Blend`` for a batch of
units, out of fold while fitting and plain at analysis. Thresholds, span gates and the span
options are then calibrated on, and applied to, the mixed probabilities, so the blend is
one more input of the same calibrated decisions rather than a vote after them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Blend:
    """A second scorer's unit probabilities and how much of each to mix in.

    Attributes:
        labels: technique order of ``par`` (the paragraph head's labels).
        par: ``paragraphs x labels`` probabilities.
        par_weight: share of ``par`` in the mixed paragraph probability (0 leaves it alone);
            one number, or one per label.
        tok_labels: technique order of ``tok``.
        tok: ``tokens x tok_labels`` probabilities.
        tok_weight: share of ``tok`` in a token-level detector's mixed probability.
    """

    labels: list[str]
    par: np.ndarray
    par_weight: float | np.ndarray
    tok_labels: list[str]
    tok: np.ndarray
    tok_weight: float

    def paragraphs(self, probs: np.ndarray, labels: Sequence[str]) -> np.ndarray:
        """``probs`` (paragraphs x ``labels``) mixed with this scorer's paragraph columns."""
        return _mix(probs, labels, self.par, self.labels, self.par_weight)

    def tokens(self, probs: np.ndarray, labels: Sequence[str]) -> np.ndarray:
        """``probs`` (tokens x ``labels``) mixed with this scorer's token columns."""
        return _mix(probs, labels, self.tok, self.tok_labels, self.tok_weight)


def _mix(probs: np.ndarray, labels: Sequence[str], other: np.ndarray, other_labels: Sequence[str],
         weight: float | np.ndarray) -> np.ndarray:
    """``(1 - w) * probs + w * other`` on the labels both have (``w``: ``weight``, or its entry
    for the label in ``other_labels`` order); other columns as they are."""
    out = np.array(probs, dtype=np.float32, copy=True)
    w = np.broadcast_to(np.asarray(weight, dtype=np.float32), (len(other_labels),))
    if not len(out):
        return out
    pos = {t: j for j, t in enumerate(other_labels)}
    for j, t in enumerate(labels):
        k = pos.get(t)
        if k is not None and w[k] > 0:
            out[:, j] = (1.0 - w[k]) * out[:, j] + w[k] * other[:, k]
    return out
