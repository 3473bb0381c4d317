"""The heads' naive-Bayes scaling: what it amplifies, and that it is folded into the weights."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from propscope.models.linear.heads import _log_count_ratio, fit_ovr

# 8 rows, 4 columns: column 0 only in label A's rows, column 1 only in label B's, column 2
# everywhere, column 3 a dense block that is never scaled.
X = sp.csr_matrix(np.array([
    [1.0, 0.0, 0.5, 0.2], [0.8, 0.0, 0.5, 0.1], [0.9, 0.1, 0.5, 0.3], [0.7, 0.0, 0.5, 0.2],
    [0.0, 1.0, 0.5, 0.9], [0.1, 0.9, 0.5, 0.8], [0.0, 0.8, 0.5, 0.7], [0.0, 1.0, 0.5, 0.9],
], dtype=np.float32))
Y = np.array([[1, 0]] * 4 + [[0, 1]] * 4, dtype=bool)


def test_log_count_ratio_favours_the_columns_of_the_label() -> None:
    r = _log_count_ratio(X[:, :3], Y[:, 0], alpha=0.1)
    assert r[0] > 1.0 and r[1] < -1.0  # A's own column up, B's column down
    assert abs(r[2]) < 0.1  # a column shared by every row carries (almost) no evidence


def test_scaled_fit_predicts_from_raw_rows_like_a_fit_on_scaled_rows() -> None:
    head = fit_ovr(X, Y, ["A", "B"], c=4.0, seed=0, nb_columns=3, nb_power=0.5)
    r = _log_count_ratio(X[:, :3], Y[:, 0], alpha=0.1)
    scale = np.concatenate([np.sign(r) * np.abs(r) ** 0.5, [1.0]])
    ref = LogisticRegression(C=4.0, solver="liblinear", dual=True, class_weight="balanced",
                             random_state=0, max_iter=500).fit(X @ sp.diags(scale), Y[:, 0])
    expected = ref.predict_proba(X @ sp.diags(scale))[:, 1]
    # The stored weights are rounded to the storage precision, hence the tolerance.
    np.testing.assert_allclose(head.proba(X)[:, 0], expected, atol=2e-3)
    assert head.coef[0, 3] != 0.0 and head.coef.shape == (2, 4)


def test_scaling_separates_the_labels_more_sharply_than_the_raw_fit() -> None:
    raw = fit_ovr(X, Y, ["A", "B"], c=0.1, seed=0).proba(X)
    nb = fit_ovr(X, Y, ["A", "B"], c=0.1, seed=0, nb_columns=3, nb_power=0.5).proba(X)

    def margin(p: np.ndarray) -> float:
        return float(p[:4, 0].min() - p[4:, 0].max())

    assert margin(nb) > margin(raw) > 0



def test_scaling_with_gates_and_row_subsets_scales_only_the_tfidf_block_of_those_rows() -> None:
    rows = [np.array([0, 1, 2, 4, 5]), np.arange(8)]
    gates = np.linspace(0.1, 0.9, 16).reshape(8, 2)
    head = fit_ovr(X, Y, ["A", "B"], c=4.0, seed=0, gates=gates, rows=rows, nb_columns=3, nb_power=0.5)
    r0 = rows[0]
    ratio = _log_count_ratio(X[r0][:, :3], Y[r0, 0], alpha=0.1)
    scale = np.concatenate([np.sign(ratio) * np.abs(ratio) ** 0.5, [1.0]])
    xs = sp.hstack([X[r0] @ sp.diags(scale), sp.csr_matrix(gates[r0, :1])], format="csr")
    ref = LogisticRegression(C=4.0, solver="liblinear", dual=True, class_weight="balanced",
                             random_state=0, max_iter=500).fit(xs, Y[r0, 0])
    np.testing.assert_allclose(head.coef[0], ref.coef_[0][:-1] * scale, atol=2e-3)
    assert head.gate is not None and abs(head.gate[0] - ref.coef_[0][-1]) < 1e-4
