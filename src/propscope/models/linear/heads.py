"""One-vs-rest logistic-regression heads stored as weight arrays, and threshold search.

A head scores every label on the same feature matrix; an optional ``gate`` column adds one
numeric feature per label (the paragraph-level logit of that technique) so span detectors
can lean on what the paragraph classifier already knows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from propscope.sensitivity import shift_threshold

# Weights are stored as float16 to keep the artifact small; scores are computed in float32.
_STORE_DTYPE = np.float16


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


@dataclass
class LinearHead:
    """Per-label linear scorers: ``coef`` (labels x dim), ``intercept``, optional ``gate``."""

    labels: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    gate: np.ndarray | None = None
    thresholds: dict[str, float] = field(default_factory=dict)
    # Span heads only: a unit counts only if its paragraph's probability reaches this.
    paragraph_gate: dict[str, float] = field(default_factory=dict)

    def decision(self, x: sp.csr_matrix, gate_values: np.ndarray | None = None) -> np.ndarray:
        """Raw scores (rows x labels); ``gate_values`` is rows x labels when the head is gated."""
        # The transposed float32 weights are built once: converting them on every call
        # cost more than the product itself.
        coef_t = getattr(self, "_coef_t", None)
        if coef_t is None or coef_t.shape[1] != self.coef.shape[0]:
            coef_t = self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float32)
        z = np.asarray(x @ coef_t) + self.intercept
        if self.gate is not None:
            if gate_values is None:
                raise ValueError("this head is gated: pass gate_values (rows x labels)")
            z = z + gate_values * self.gate
        return np.asarray(z, dtype=np.float32)

    def proba(self, x: sp.csr_matrix, gate_values: np.ndarray | None = None) -> np.ndarray:
        return sigmoid(self.decision(x, gate_values))

    def gated(self, probs: np.ndarray, par: np.ndarray, unit_par: np.ndarray,
              col: dict[str, int], shift: float = 0.0) -> np.ndarray:
        """Zero, in place, the unit probabilities ``probs`` (units x labels) whose paragraph's
        probability (``par[unit_par[i], col[label]]``) is below the label's paragraph gate
        (moved by the sensitivity ``shift``, ``sensitivity.py``)."""
        for j, t in enumerate(self.labels):
            gate = shift_threshold(self.paragraph_gate.get(t, 0.0), shift)
            if gate > 0:
                probs[:, j] = np.where(par[unit_par, col[t]] >= gate, probs[:, j], 0.0)
        return probs

    def softmax(self, x: sp.csr_matrix) -> np.ndarray:
        z = self.decision(x)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def threshold(self, label: str, shift: float = 0.0, default: float = 0.5) -> float:
        """``label``'s decision threshold, moved by the sensitivity ``shift``."""
        return shift_threshold(self.thresholds.get(label, default), shift)

    def threshold_array(self, default: float = 0.5, shift: float = 0.0) -> np.ndarray:
        return np.array([self.threshold(lb, shift, default) for lb in self.labels], dtype=np.float32)

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays: dict[str, np.ndarray] = {f"{prefix}.coef": self.coef.astype(_STORE_DTYPE),
                  f"{prefix}.intercept": self.intercept.astype(np.float32)}
        if self.gate is not None:
            arrays[f"{prefix}.gate"] = self.gate.astype(np.float32)
        return arrays, {"labels": self.labels, "thresholds": self.thresholds,
                        "paragraph_gate": self.paragraph_gate}

    @classmethod
    def from_arrays(cls, prefix: str, arrays: Any, meta: dict[str, Any]) -> LinearHead:
        gate = arrays.get(f"{prefix}.gate")
        return cls(list(meta["labels"]), np.asarray(arrays[f"{prefix}.coef"], dtype=np.float32),
                   np.asarray(arrays[f"{prefix}.intercept"], dtype=np.float32),
                   None if gate is None else np.asarray(gate, dtype=np.float32),
                   {k: float(v) for k, v in meta["thresholds"].items()},
                   {k: float(v) for k, v in meta.get("paragraph_gate", {}).items()})


def _as_stored(coef: np.ndarray) -> np.ndarray:
    """``coef`` rounded to the storage precision, so a fitted model and its reloaded copy agree."""
    return coef.astype(_STORE_DTYPE).astype(np.float32)


def _fit_binary(x: sp.csr_matrix, y: np.ndarray, c: float, seed: int) -> tuple[np.ndarray, float]:
    if y.min() == y.max():  # a label absent (or everywhere) in this fold: constant scorer
        return np.zeros(x.shape[1], dtype=np.float32), (8.0 if y[0] else -8.0)
    from sklearn.linear_model import LogisticRegression  # training only: slow to import

    clf = LogisticRegression(C=c, solver="liblinear", dual=True, class_weight="balanced",
                             random_state=seed, max_iter=500)
    clf.fit(x, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def fit_ovr(x: sp.csr_matrix, y: np.ndarray, labels: Sequence[str], *, c: float, seed: int,
            gates: np.ndarray | None = None, rows: Sequence[np.ndarray] | None = None,
            nb_columns: int = 0, nb_power: float = 0.0, nb_alpha: float = 0.1) -> LinearHead:
    """Fit one balanced logistic regression per label column of ``y`` (rows x labels).

    With ``gates`` (rows x labels), label ``j`` also sees ``gates[:, j]`` as one extra feature.
    With ``rows``, label ``j`` is trained on the rows ``rows[j]`` only (subsampled negatives).

    With ``nb_power > 0``, label ``j``'s first ``nb_columns`` columns (the TF-IDF block) are
    multiplied by ``sign(r) * |r| ** nb_power``, ``r = log((p / |p|_1) / (q / |q|_1))`` with
    ``p`` and ``q`` the column sums over the label's positive and negative training rows plus
    ``nb_alpha`` (Wang and Manning's NBSVM): words that separate the label are amplified
    before the regularised fit. The scale is folded into the stored weights
    (``(x * s) . w = x . (s * w)``), so the head predicts from raw rows like any other.
    """
    coefs, inter, gate = [], [], []
    for j in range(len(labels)):
        r = rows[j] if rows is not None else np.arange(x.shape[0])
        xj = x[r] if rows is not None else x
        yj = y[r, j].astype(bool)
        scale = None
        if nb_power > 0:
            ratio = _log_count_ratio(xj[:, :nb_columns], yj, nb_alpha)
            scale = np.ones(x.shape[1], dtype=np.float32)
            scale[:nb_columns] = np.sign(ratio) * np.abs(ratio) ** nb_power
            xj = xj @ sp.diags(scale)
        if gates is not None:
            xj = sp.hstack([xj, sp.csr_matrix(gates[r, j:j + 1])], format="csr")
        w, b = _fit_binary(xj, yj.astype(int), c, seed)
        if gates is not None:
            gate.append(w[-1])
            w = w[:-1]
        coefs.append(w if scale is None else w * scale)
        inter.append(b)
    return LinearHead(list(labels), _as_stored(np.vstack(coefs) if coefs else np.zeros((0, x.shape[1]))),
                      np.array(inter, dtype=np.float32),
                      None if gates is None else np.array(gate, dtype=np.float32))


def _log_count_ratio(x: sp.csr_matrix, y: np.ndarray, alpha: float) -> np.ndarray:
    """Per column: log of its share of the positive rows' mass over its share of the negatives'."""
    pos = np.asarray(x[y].sum(axis=0)).ravel() + alpha
    neg = np.asarray(x[~y].sum(axis=0)).ravel() + alpha
    return np.log((pos / pos.sum()) / (neg / neg.sum())).astype(np.float32)


def fit_multiclass(x: sp.csr_matrix, y: Sequence[str], labels: Sequence[str], *, c: float,
                   seed: int) -> LinearHead:
    """Multinomial logistic regression with balanced class weights over ``labels``.

    Rows of one class only (a small training set's fold) give a constant head on that class,
    where scikit-learn refuses to fit."""
    from sklearn.linear_model import LogisticRegression  # training only: slow to import

    if len(set(y)) < 2:
        present = next(iter(y), labels[0])
        return LinearHead(list(labels), np.zeros((len(labels), x.shape[1]), dtype=np.float32),
                          np.array([0.0 if lb == present else -30.0 for lb in labels], dtype=np.float32))
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=1000, random_state=seed)
    clf.fit(x, list(y))
    coef = np.zeros((len(labels), x.shape[1]), dtype=np.float32)
    inter = np.full(len(labels), -30.0, dtype=np.float32)  # labels never seen: never predicted
    classes = list(clf.classes_)
    if len(classes) == 2:  # scikit-learn stores one row for two classes
        rows = {classes[1]: (clf.coef_[0] / 2, clf.intercept_[0] / 2),
                classes[0]: (-clf.coef_[0] / 2, -clf.intercept_[0] / 2)}
    else:
        rows = {c_: (clf.coef_[i], clf.intercept_[i]) for i, c_ in enumerate(classes)}
    for i, lb in enumerate(labels):
        if lb in rows:
            coef[i], inter[i] = rows[lb]
    return LinearHead(list(labels), _as_stored(coef), inter)
