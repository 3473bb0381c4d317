"""Turning token/sentence probabilities into spans, and a fast partial-overlap span F1.

All offsets here are "global": documents are laid end to end (with a gap) so one numpy
array covers a whole corpus and calibration needs no per-document Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def decode_runs(ranges: np.ndarray, group: np.ndarray, probs: np.ndarray,
                threshold: float, content: np.ndarray | None = None,
                max_gap: int = 0, edges: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Maximal runs of consecutive units (same ``group``) with ``probs >= threshold``.

    Args:
        ranges: ``n x 2`` start/end offsets of units (tokens or sentences) in reading order.
        group: ``n`` ids; a run never crosses a change of id (a paragraph boundary).
        probs: ``n`` probabilities.
        threshold: minimum probability of a unit inside a run.
        content: optional ``n`` booleans; runs without any ``True`` unit are dropped
            (tokens that are only function words or punctuation).
        max_gap: runs of the same group at most this many units apart are joined (the
            units between become part of the span).
        edges: optional ``n`` booleans: the units a span may begin or end with. A run is
            trimmed to its first and last such unit (a quote or a full stop above threshold
            stays inside a span, never at its ends) and dropped when it has none.
    Returns:
        ``(spans, scores)``: ``m x 2`` offsets (start of first unit, end of last) and the
        mean probability of each run's units.
    """
    above = probs >= threshold
    if not above.any():
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx = np.flatnonzero(above)
    # A new run starts where the previous selected unit is not the previous unit or is in
    # another group.
    new = np.ones(len(idx), dtype=bool)
    new[1:] = (np.diff(idx) > 1 + max_gap) | (group[idx[1:]] != group[idx[:-1]])
    run_id = np.cumsum(new) - 1
    starts = idx[new]
    ends = idx[np.r_[new[1:], True]]
    sums = np.bincount(run_id, weights=probs[idx])
    counts = np.bincount(run_id)
    keep = np.ones(len(starts), dtype=bool)
    if edges is not None:
        ok = edges[idx]
        first = np.full(len(starts), len(probs), dtype=np.int64)
        last = np.full(len(starts), -1, dtype=np.int64)
        np.minimum.at(first, run_id[ok], idx[ok])
        np.maximum.at(last, run_id[ok], idx[ok])
        keep = last >= 0
        starts, ends = np.where(keep, first, starts), np.where(keep, last, ends)
    spans = np.stack([ranges[starts, 0], ranges[ends, 1]], axis=1)
    # The score stays the mean over every selected unit of the run, trimmed ones included.
    scores = (sums / counts).astype(np.float32)
    if content is not None:
        keep &= np.bincount(run_id, weights=content[idx].astype(np.float64)) > 0
    return spans[keep], scores[keep]


@dataclass(frozen=True)
class RunLayout:
    """How one kind of unit (tokens or sentences) is cut into spans: everything
    ``decode_runs`` needs besides the probabilities and the threshold.

    Built once by ``Units`` (``token_layout`` / ``sentence_layout``), so threshold
    calibration, the spans it scores out of fold and analysis all decode the same way.
    """

    ranges: np.ndarray  # n x 2 global offsets of the units
    group: np.ndarray  # n ids; a run never crosses a change of id
    content: np.ndarray | None = None  # runs without a content unit are dropped
    max_gap: int = 0  # runs at most this many units apart are joined
    edges: np.ndarray | None = None  # the units a span may begin or end with

    def decode(self, probs: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """``(spans, scores)`` of the runs of ``probs`` (``n``) at ``threshold``."""
        return decode_runs(self.ranges, self.group, probs, threshold, self.content,
                           self.max_gap, self.edges)


def coverage(spans: np.ndarray, length: int) -> np.ndarray:
    """Cumulative count of characters covered by ``spans`` (prefix sums, ``length + 1``)."""
    marks = np.zeros(length + 1, dtype=np.int64)
    if len(spans):
        np.add.at(marks, spans[:, 0], 1)
        np.add.at(marks, spans[:, 1], -1)
    covered = (np.cumsum(marks)[:-1] > 0).astype(np.int64)
    return np.concatenate([[0], np.cumsum(covered)])


def overlap_prf(gold: np.ndarray, pred: np.ndarray, length: int,
                gold_cum: np.ndarray | None = None) -> tuple[float, float, float]:
    """Partial-overlap precision/recall/F1 of one technique's spans (SemEval style).

    Each predicted span earns the fraction of its characters covered by gold spans, each gold
    span the fraction covered by predictions.
    """
    if not len(pred) or not len(gold):
        return 0.0, 0.0, 0.0
    gcum = coverage(gold, length) if gold_cum is None else gold_cum
    pcum = coverage(pred, length)
    p = float(np.mean((gcum[pred[:, 1]] - gcum[pred[:, 0]]) / (pred[:, 1] - pred[:, 0])))
    r = float(np.mean((pcum[gold[:, 1]] - pcum[gold[:, 0]]) / (gold[:, 1] - gold[:, 0])))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
