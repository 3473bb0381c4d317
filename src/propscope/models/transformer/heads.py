"""The classification heads in numpy, applied to encoder hidden states at inference.

The encoder is the only part run by onnxruntime; the token tagger, the paragraph classifier
and the article-level genre and frame classifiers are small matrices applied here, the same
code at validation time (torch encoder) and in the shipped model (ONNX encoder).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from propscope.models.transformer.windows import DocTokens, make_batch

# hidden states [B, T, H] for (input_ids, attention_mask)
EncodeFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Numerically safe logistic function."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis."""
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


@dataclass
class Heads:
    """Weights of every head; ``x @ w + b`` gives logits.

    Attributes:
        token_w, token_b: token tagger, [H, L] and [L].
        para_w, para_b: paragraph classifier on ``[mean, max]`` of its tokens, [2H, L].
        doc_mu, doc_sd: standardisation of article features ([F]).
        genre_w, genre_b: genre classifier on standardised article features, [F, 3].
        frames_w, frames_b: one-vs-rest frame classifiers, [F, 14].
    """

    token_w: np.ndarray
    token_b: np.ndarray
    para_w: np.ndarray
    para_b: np.ndarray
    doc_mu: np.ndarray
    doc_sd: np.ndarray
    genre_w: np.ndarray
    genre_b: np.ndarray
    frames_w: np.ndarray
    frames_b: np.ndarray

    def save(self, path: Path) -> None:
        """Write every array to one ``.npz`` file (float32)."""
        arrays = {f.name: np.asarray(getattr(self, f.name), dtype=np.float32) for f in fields(self)}
        np.savez(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> Heads:
        """Read a file written by ``save``."""
        with np.load(path) as z:
            return cls(**{f.name: z[f.name] for f in fields(cls)})


@dataclass
class DocOutput:
    """Per-document model outputs before thresholds are applied.

    Attributes:
        token_probs: [N, L] technique probability of each token.
        para_probs: [P, L] paragraph classifier probabilities.
        para_tokmax: [P, L] highest token probability inside each paragraph.
        feature: [F] article feature (mean hidden state, token-max and paragraph-mean probs).
    """

    token_probs: np.ndarray
    para_probs: np.ndarray
    para_tokmax: np.ndarray
    feature: np.ndarray


def run_document(dt: DocTokens, encode: EncodeFn, heads: Heads, *, batch_size: int = 8) -> DocOutput:
    """Encode every window of ``dt`` and apply the token and paragraph heads.

    Tokens seen in several windows (overlapping chunks of a long paragraph) get the mean of
    their logits; a paragraph cut across windows gets the token-weighted mean of its logits.
    """
    n, h, n_lab = len(dt.ids), heads.token_w.shape[0], heads.token_w.shape[1]
    n_par = len(dt.paragraphs)
    tok_logit = np.zeros((n, n_lab), np.float32)
    tok_hidden = np.zeros((n, h), np.float32)
    tok_count = np.zeros(n, np.float32)
    par_logit = np.zeros((n_par, n_lab), np.float32)
    par_weight = np.zeros(n_par, np.float32)
    for i in range(0, len(dt.windows), batch_size):
        wins = dt.windows[i:i + batch_size]
        batch = make_batch([(dt, w) for w in wins])
        hidden = encode(batch.input_ids, batch.attention_mask)
        for r, (a, b) in enumerate(wins):
            hs = hidden[r, 1:b - a + 1]
            tok_logit[a:b] += hs @ heads.token_w + heads.token_b
            tok_hidden[a:b] += hs
            tok_count[a:b] += 1
            local = batch.para_index[r, 1:b - a + 1]
            for k, g in enumerate(batch.para_global[r]):
                sel = hs[local == k]
                if len(sel) == 0:
                    continue
                feat = np.concatenate([sel.mean(0), sel.max(0)])
                par_logit[g] += len(sel) * (feat @ heads.para_w + heads.para_b)
                par_weight[g] += len(sel)
    tok_count = np.maximum(tok_count, 1)[:, None]
    token_probs = sigmoid(tok_logit / tok_count)
    para_probs = sigmoid(par_logit / np.maximum(par_weight, 1)[:, None])
    para_tokmax = np.zeros((n_par, n_lab), np.float32)
    if n:
        np.maximum.at(para_tokmax, dt.para, token_probs)
    mean_hidden = (tok_hidden / tok_count).mean(0) if n else np.zeros(h, np.float32)
    tokmax = token_probs.max(0) if n else np.zeros(n_lab, np.float32)
    parmean = para_probs.mean(0) if n_par else np.zeros(n_lab, np.float32)
    return DocOutput(token_probs, para_probs, para_tokmax, np.concatenate([mean_hidden, tokmax, parmean]))


def doc_scores(heads: Heads, feature: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Genre probabilities [3] and frame probabilities [14] for an article feature."""
    z = (feature - heads.doc_mu) / heads.doc_sd
    return softmax(z @ heads.genre_w + heads.genre_b), sigmoid(z @ heads.frames_w + heads.frames_b)
