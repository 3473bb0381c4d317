"""The convolutional tagger: token ids, the numpy forward pass against torch, and training."""

from __future__ import annotations

import numpy as np
import pytest

from propscope.models.tagger.network import TaggerWeights, forward
from propscope.models.tagger.tokens import SPECIALS, special_id, token_ids

VOCAB = {"corrupt": 0, "traitors": 1, "weather": 2}


def _weights(seed: int = 0, dim: int = 6, filters: int = 5, layers: int = 2, n_tok: int = 3,
             n_par: int = 4) -> TaggerWeights:
    rng = np.random.default_rng(seed)
    vocab = 20
    emb = rng.normal(size=(vocab, dim)).astype(np.float32)
    emb[-1] = 0.0  # the pad row
    sizes = [dim] + [filters] * layers
    return TaggerWeights(
        emb, [rng.normal(size=(filters, sizes[i], 3)).astype(np.float32) for i in range(layers)],
        [rng.normal(size=filters).astype(np.float32) for _ in range(layers)], [2 ** i for i in range(layers)],
        rng.normal(size=(n_tok, 2 * filters + dim)).astype(np.float32),
        rng.normal(size=n_tok).astype(np.float32),
        rng.normal(size=(n_par, filters)).astype(np.float32), rng.normal(size=n_par).astype(np.float32))


def test_token_ids_map_words_and_marks() -> None:
    ids = token_ids(["corrupt", "unheardof", '"', "“", "?", "!", ",", "traitors"], VOCAB)
    n = len(VOCAB)
    assert list(ids) == [0, special_id(n, "<unk>"), special_id(n, "<quote>"), special_id(n, "<quote>"),
                         special_id(n, "<question>"), special_id(n, "<exclamation>"),
                         special_id(n, "<punct>"), 1]
    assert special_id(n, "<pad>") == n + len(SPECIALS) - 1


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_numpy_forward_matches_torch(layers: int) -> None:
    pytest.importorskip("torch")
    from propscope.models.tagger.training import torch_forward

    w = _weights(layers=layers)
    pad = w.embedding.shape[0] - 1
    rng = np.random.default_rng(1)
    lengths = [7, 1, 12, 3]
    x = np.full((len(lengths), max(lengths)), pad)
    ids, par = [], []
    for i, n in enumerate(lengths):
        row = rng.integers(0, pad, n)
        x[i, :n] = row
        ids += list(row)
        par += [i] * n
    t_tok, t_par = torch_forward(w, x, pad)
    n_tok, n_par = forward(w, np.array(ids), np.array(par), len(lengths))
    flat = np.concatenate([t_tok[i, :n] for i, n in enumerate(lengths)])
    np.testing.assert_allclose(n_tok, flat, atol=1e-5)
    np.testing.assert_allclose(n_par, t_par, atol=1e-5)


def test_paragraphs_do_not_see_each_other() -> None:
    w = _weights()
    ids = np.array([1, 2, 3, 4, 5, 6, 7])
    par = np.array([0, 0, 0, 1, 1, 1, 1])
    tok_a, par_a = forward(w, ids, par, 2)
    other = ids.copy()
    other[3:] = [9, 9, 9, 9]
    tok_b, par_b = forward(w, other, par, 2)
    np.testing.assert_array_equal(tok_a[:3], tok_b[:3])
    np.testing.assert_array_equal(par_a[0], par_b[0])
    assert not np.allclose(tok_a[3:], tok_b[3:])


def test_paragraph_without_tokens_and_empty_batch() -> None:
    w = _weights()
    tok, par = forward(w, np.array([1, 2]), np.array([2, 2]), 3)
    assert tok.shape == (2, 3) and par.shape == (3, 4)
    np.testing.assert_allclose(par[0], par[1])  # both empty: the all-zero pool
    tok, par = forward(w, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 2)
    assert tok.shape == (0, 3) and par.shape == (2, 4)


def test_weights_round_trip_through_arrays() -> None:
    w = _weights().rounded()
    again = TaggerWeights.from_arrays("t", w.to_arrays("t"))
    ids, par = np.array([3, 4, 5]), np.array([0, 0, 1])
    for a, b in zip(forward(w, ids, par, 2), forward(again, ids, par, 2), strict=True):
        np.testing.assert_array_equal(a, b)


def test_training_learns_a_marked_word() -> None:
    """Word 3 is a technique wherever it stands; after training it scores above every other."""
    pytest.importorskip("torch")
    from propscope.models.tagger.training import TaggerConfig, TaggerData, fit_tagger

    rng = np.random.default_rng(0)
    n_par, length, vocab = 120, 8, 12
    ids = rng.integers(0, vocab - 1, n_par * length)
    par = np.repeat(np.arange(n_par), length)
    y_tok = (ids == 3).astype(np.float32)[:, None]
    y_par = np.array([[float((ids[par == p] == 3).any())] for p in range(n_par)], dtype=np.float32)
    emb = rng.normal(size=(vocab, 4)).astype(np.float32)
    emb[-1] = 0.0
    cfg = TaggerConfig(filters=8, epochs=25, lr=1e-2, batch_size=16)
    w = fit_tagger(cfg, emb, vocab - 1, TaggerData(ids, par, y_tok, y_par), np.arange(n_par))
    tok, par_probs = forward(w, ids, par, n_par)
    assert tok[ids == 3, 0].min() > tok[ids != 3, 0].max()
    assert par_probs[y_par[:, 0] == 1, 0].mean() > par_probs[y_par[:, 0] == 0, 0].mean() + 0.3
