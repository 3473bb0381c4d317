"""The tagger's forward pass in numpy: word vectors -> dilated convolutions -> two heads.

A paragraph's tokens are embedded (a fine-tuned copy of the distilled MiniLM word vectors),
run through a stack of width-3 convolutions with growing dilation (ReLU, each layer sees
``2 * dilation`` more tokens of context), and read by two heads:

- a **token head** on ``[token state, paragraph max-pool, token embedding]``: per-token
  probabilities of the token-level techniques (a span is a run of such tokens);
- a **paragraph head** on the max-pool: per-paragraph technique probabilities.

Training (``training.py``) runs the same arithmetic in torch; a test checks the two agree.
Inference needs numpy only and costs a few matrix products per article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from propscope.models.linear.heads import sigmoid
from propscope.models.linear.units import paragraph_bounds

_STORE_DTYPE = np.float16


@dataclass
class TaggerWeights:
    """Every array of the network.

    Attributes:
        embedding: ``vocab x dim`` token vectors (row ``pad`` is all zeros).
        conv_w: per layer, ``filters x in x 3`` kernels (``in`` = ``dim`` for the first layer,
            then ``filters``).
        conv_b: per layer, ``filters`` biases.
        dilations: per layer, the kernel's dilation (1, 2, 4, ...).
        token_w: ``token_labels x (2 * filters + dim)``; ``token_b``: ``token_labels``.
        par_w: ``paragraph_labels x filters``; ``par_b``: ``paragraph_labels``.
    """

    embedding: np.ndarray
    conv_w: list[np.ndarray]
    conv_b: list[np.ndarray]
    dilations: list[int]
    token_w: np.ndarray
    token_b: np.ndarray
    par_w: np.ndarray
    par_b: np.ndarray

    @property
    def gap(self) -> int:
        """Zero rows between paragraphs in a flat batch: no kernel reaches across them."""
        return max(self.dilations, default=1)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {f"{prefix}.embedding": self.embedding.astype(_STORE_DTYPE),
                  f"{prefix}.dilations": np.asarray(self.dilations, dtype=np.int32),
                  f"{prefix}.token_w": self.token_w.astype(np.float32),
                  f"{prefix}.token_b": self.token_b.astype(np.float32),
                  f"{prefix}.par_w": self.par_w.astype(np.float32),
                  f"{prefix}.par_b": self.par_b.astype(np.float32)}
        for i, (w, b) in enumerate(zip(self.conv_w, self.conv_b, strict=True)):
            arrays[f"{prefix}.conv{i}_w"] = w.astype(np.float32)
            arrays[f"{prefix}.conv{i}_b"] = b.astype(np.float32)
        return arrays

    @classmethod
    def from_arrays(cls, prefix: str, arrays: Any) -> TaggerWeights:
        dil = [int(d) for d in arrays[f"{prefix}.dilations"]]

        def f32(key: str) -> np.ndarray:
            return np.asarray(arrays[f"{prefix}.{key}"], dtype=np.float32)

        return cls(f32("embedding"), [f32(f"conv{i}_w") for i in range(len(dil))],
                   [f32(f"conv{i}_b") for i in range(len(dil))], dil,
                   f32("token_w"), f32("token_b"), f32("par_w"), f32("par_b"))

    def rounded(self) -> TaggerWeights:
        """These weights at their storage precision (the embedding is stored as float16), so a
        fitted tagger and its reloaded copy score identically."""
        emb = self.embedding.astype(_STORE_DTYPE).astype(np.float32)
        return TaggerWeights(emb, self.conv_w, self.conv_b, self.dilations, self.token_w, self.token_b,
                             self.par_w, self.par_b)


def forward(w: TaggerWeights, ids: np.ndarray, par: np.ndarray, n_par: int) -> tuple[np.ndarray, np.ndarray]:
    """Token and paragraph probabilities.

    Args:
        w: the network.
        ids: ``n_tokens`` vocabulary ids, paragraphs in reading order.
        par: ``n_tokens`` paragraph index of each token (non-decreasing, ``< n_par``).
        n_par: number of paragraphs (a paragraph without tokens gets the all-zero pool).
    Returns:
        ``(tokens x token_labels, n_par x paragraph_labels)`` probabilities.
    """
    if not len(ids):
        return (np.zeros((0, len(w.token_b)), np.float32),
                sigmoid(np.zeros((n_par, w.par_w.shape[1]), np.float32) @ w.par_w.T + w.par_b))
    # One flat sequence: paragraph k's tokens, then ``gap`` zero rows. Rows outside tokens are
    # zeroed after every layer, so a kernel never mixes two paragraphs.
    gap = w.gap
    pos = np.arange(len(ids)) + par * gap
    length = int(pos[-1]) + 1 + gap
    mask = np.zeros(length, dtype=bool)
    mask[pos] = True
    emb = np.zeros((length, w.embedding.shape[1]), dtype=np.float32)
    emb[pos] = w.embedding[ids]
    h = emb
    for kw, kb, d in zip(w.conv_w, w.conv_b, w.dilations, strict=True):
        padded = np.pad(h, ((d, d), (0, 0)))
        z = (padded[:length] @ kw[:, :, 0].T + padded[d:d + length] @ kw[:, :, 1].T
             + padded[2 * d:2 * d + length] @ kw[:, :, 2].T + kb)
        h = np.maximum(z, 0.0) * mask[:, None]
    states = h[pos]
    pooled = max_pool(states, par, n_par)
    tok_in = np.concatenate([states, pooled[par], emb[pos]], axis=1)
    return sigmoid(tok_in @ w.token_w.T + w.token_b), sigmoid(pooled @ w.par_w.T + w.par_b)


def max_pool(states: np.ndarray, par: np.ndarray, n_par: int) -> np.ndarray:
    """``n_par x filters``: each paragraph's maximum over its tokens' rows of ``states``
    (ReLU outputs, so >= 0; a paragraph without tokens pools to zeros)."""
    pooled = np.zeros((n_par, states.shape[1]), dtype=np.float32)
    starts, ends = paragraph_bounds(par, n_par)
    filled = np.flatnonzero(ends > starts)
    if len(filled):
        pooled[filled] = np.maximum.reduceat(states, starts[filled], axis=0)
    return pooled
