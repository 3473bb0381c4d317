"""Confidences that mean what they say: raw probabilities mapped to observed rates.

The heads' probabilities decide labels well but read badly as confidences: balanced class
weights and the blend push them up, so on the validation articles spans scored 0.7 on
average while 18% of them overlapped a gold span of their technique. Each label therefore
gets a Platt map ``sigmoid(a * logit(raw) + b)`` fitted on out-of-fold predictions:

- paragraph and frame scores: the chance that the paragraph carries the technique (that
  the article has the frame), fitted on every out-of-fold paragraph (article);
- span scores: the chance that the span overlaps a gold span of its technique, fitted on
  the spans decoded out of fold at the shipped thresholds and gates.

A map is monotone (``a >= 0``), so it never reorders one label's scores and every decision
stays on the raw probability and its calibrated threshold: labels, spans and F1 are
unchanged, only the reported numbers move. Labels with too little out-of-fold evidence
share one map fitted on all of that kind's labels together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from propscope.models.linear.heads import logit, sigmoid

# Fewer out-of-fold units (or positives) than this and a label borrows its kind's pooled map.
MIN_UNITS = 20
MIN_POSITIVES = 3


@dataclass(frozen=True, slots=True)
class PlattMap:
    """``p -> sigmoid(slope * logit(p) + bias)``; the identity is ``PlattMap(1.0, 0.0)``."""

    slope: float
    bias: float

    def __call__(self, p: np.ndarray | float) -> np.ndarray:
        return sigmoid(self.slope * logit(np.asarray(p, dtype=np.float64)) + self.bias)


IDENTITY = PlattMap(1.0, 0.0)


def fit_platt(raw: np.ndarray, hit: np.ndarray, *, c: float = 1.0) -> PlattMap:
    """The L2-regularised Platt map of ``hit`` (``n`` booleans) on ``raw`` (``n`` probabilities).

    The regularisation pulls the slope towards 0, so a label with little evidence gets
    close to its base rate; a negative slope (noise: a higher score never means a lower
    chance by construction) is set to 0 and the bias refitted to the base rate.
    """
    from sklearn.linear_model import LogisticRegression

    hit = np.asarray(hit, dtype=bool)
    if hit.all() or not hit.any():
        rate = (hit.sum() + 0.5) / (len(hit) + 1.0)  # never exactly 0 or 1
        return PlattMap(0.0, float(logit(np.array(rate))))
    x = logit(np.asarray(raw, dtype=np.float64)).reshape(-1, 1)
    clf = LogisticRegression(C=c, solver="lbfgs").fit(x, hit)
    slope, bias = float(clf.coef_[0, 0]), float(clf.intercept_[0])
    if slope < 0:
        return PlattMap(0.0, float(logit(np.array(hit.mean()))))
    return PlattMap(slope, bias)


@dataclass
class ConfidenceMaps:
    """One ``PlattMap`` per label of each kind (``"paragraph"``, ``"span"``, ``"frames"``)
    and a pooled ``default`` per kind for labels that had too little evidence."""

    by_label: dict[str, dict[str, PlattMap]] = field(default_factory=dict)
    default: dict[str, PlattMap] = field(default_factory=dict)

    def get(self, kind: str, label: str) -> PlattMap:
        """The map for ``label`` of ``kind``: its own, the kind's pooled one, or the identity
        (artifacts trained before confidences were calibrated)."""
        return self.by_label.get(kind, {}).get(label) or self.default.get(kind, IDENTITY)

    def apply(self, kind: str, labels: Sequence[str], probs: np.ndarray) -> np.ndarray:
        """Calibrated ``probs`` (rows x ``labels``), float32."""
        out = np.empty(probs.shape, dtype=np.float32)
        for j, label in enumerate(labels):
            out[:, j] = self.get(kind, label)(probs[:, j])
        return out

    def fit_kind(self, kind: str, samples: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """Fit ``kind``'s maps from ``samples[label] = (raw probabilities, outcomes)``."""
        raw = [r for r, _ in samples.values()]
        hits = [h for _, h in samples.values()]
        if raw and sum(len(r) for r in raw):
            self.default[kind] = fit_platt(np.concatenate(raw), np.concatenate(hits))
        self.by_label[kind] = {
            label: fit_platt(r, h) for label, (r, h) in samples.items()
            if len(r) >= MIN_UNITS and MIN_POSITIVES <= int(np.sum(h)) <= len(h) - MIN_POSITIVES
        }

    def to_json(self) -> dict[str, Any]:
        """``{"default": {kind: [slope, bias]}, "labels": {kind: {label: [slope, bias]}}}``."""
        def pair(m: PlattMap) -> list[float]:
            return [round(m.slope, 6), round(m.bias, 6)]
        return {"default": {k: pair(m) for k, m in self.default.items()},
                "labels": {k: {lb: pair(m) for lb, m in maps.items()} for k, maps in self.by_label.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> ConfidenceMaps:
        """Read ``to_json``'s output; ``None`` (older artifacts) gives identity maps."""
        if not data:
            return cls()
        labels = data.get("labels", {})
        return cls({k: {lb: PlattMap(*v) for lb, v in maps.items()} for k, maps in labels.items()},
                   {k: PlattMap(*v) for k, v in data.get("default", {}).items()})
