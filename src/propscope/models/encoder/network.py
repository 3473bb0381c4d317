"""The encoder model's torch network, for training and export only (analysis runs ONNX).

``E5Encoder`` is multilingual-e5-small: a 12-layer, 384-wide BERT with the XLM-R
vocabulary; absolute positions from 0, token type 0, post-LayerNorm layers (eps 1e-12),
exact (erf) GELU. ``Tagger`` puts the two technique heads on its last hidden states: one
scores every token (the spans), one every paragraph from the mean and the maximum of its
tokens' states (the paragraph labels). Training runs the lower, frozen layers once and
caches their output (``run_layers``), then fits the upper layers and the heads on it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

if TYPE_CHECKING:
    from propscope.models.encoder.checkpoint import E5Checkpoint, E5Config


class EncoderLayer(nn.Module):
    """Standard post-LN BERT layer: self-attention, add & norm, GELU FFN, add & norm."""

    def __init__(self, hidden: int, heads: int, intermediate: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.head_dim = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.attn_norm = nn.LayerNorm(hidden, eps=eps)
        self.ffn_in = nn.Linear(hidden, intermediate)
        self.ffn_out = nn.Linear(intermediate, hidden)
        self.out_norm = nn.LayerNorm(hidden, eps=eps)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, attn_bias: torch.Tensor) -> torch.Tensor:
        """``x``: [B, T, H]; ``attn_bias``: [B, 1, 1, T], 0 for tokens, very negative for padding."""
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.head_dim)) + attn_bias
        ctx = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(x.shape)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.out_norm(x + self.ffn_out(nn.functional.gelu(self.ffn_in(x))))


def attention_bias(attention_mask: torch.Tensor, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """[B, T] 0/1 mask -> the additive [B, 1, 1, T] bias every layer adds to its scores."""
    mask = attention_mask.to(dtype)[:, None, None, :]
    return (1.0 - mask) * torch.finfo(dtype).min


class E5Encoder(nn.Module):
    """Embeddings plus ``num_layers`` encoder layers; ``forward`` gives per-token states."""

    def __init__(self, config: E5Config, num_layers: int, vocab_size: int) -> None:
        super().__init__()
        h = config.hidden
        self.config = config
        self.word = nn.Embedding(vocab_size, h)
        self.position = nn.Embedding(config.max_positions, h)
        self.token_type = nn.Parameter(torch.zeros(h))  # row 0 of the type table
        self.emb_norm = nn.LayerNorm(h, eps=config.eps)
        self.layers = nn.ModuleList(EncoderLayer(h, config.heads, config.intermediate, config.eps)
                                    for _ in range(num_layers))

    def embed(self, input_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        return self.emb_norm(self.word(input_ids) + self.position(positions) + self.token_type)

    def run_layers(self, x: torch.Tensor, attention_mask: torch.Tensor, start: int = 0,
                   stop: int | None = None) -> torch.Tensor:
        """Layers ``start:stop`` on hidden states ``x`` ([B, T, H])."""
        bias = attention_bias(attention_mask, x.dtype)
        for layer in self.layers[start:stop]:
            x = layer(x, bias)
        return x

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """int64 [B, T] ids and mask (right padding) -> [B, T, H] last hidden states."""
        return self.run_layers(self.embed(input_ids), attention_mask)

    @classmethod
    def from_checkpoint(cls, ckpt: E5Checkpoint, num_layers: int, keep_ids: np.ndarray) -> E5Encoder:
        """The first ``num_layers`` layers of ``ckpt``, with the embedding rows ``keep_ids``
        (the pruned vocabulary, in its order)."""
        t = ckpt.tensors
        word = t["emb.word"][keep_ids]
        model = cls(ckpt.config, num_layers, vocab_size=word.shape[0])
        state = {"word.weight": word, "position.weight": t["emb.pos"], "token_type": t["emb.type"][0],
                 "emb_norm.weight": t["emb.ln.w"], "emb_norm.bias": t["emb.ln.b"]}
        names = {"query": "q", "key": "k", "value": "v", "attn_out": "ao", "ffn_in": "fi",
                 "ffn_out": "fo", "attn_norm": "aln", "out_norm": "oln"}
        for i in range(num_layers):
            for mod, short in names.items():
                state[f"layers.{i}.{mod}.weight"] = t[f"l{i}.{short}.w"]
                state[f"layers.{i}.{mod}.bias"] = t[f"l{i}.{short}.b"]
        model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
        return model.eval()


def pool_paragraphs(states: torch.Tensor, mask: torch.Tensor, owner: torch.Tensor,
                    n_paragraphs: int) -> torch.Tensor:
    """[n_paragraphs, 2H]: the mean and the max of the states of each paragraph's tokens
    (specials and padding excluded) over all of its windows; ``owner`` [B] maps windows to
    paragraphs of the batch."""
    h = states.shape[-1]
    inner = mask.clone().to(states.dtype)
    inner[:, 0] = 0  # <s>
    inner[torch.arange(len(mask)), mask.sum(1) - 1] = 0  # </s>
    total = torch.zeros(n_paragraphs, h, dtype=states.dtype).index_add_(
        0, owner, (states * inner[..., None]).sum(1))
    count = torch.zeros(n_paragraphs, dtype=states.dtype).index_add_(0, owner, inner.sum(1)).clamp(min=1)
    masked = states.masked_fill(inner[..., None] == 0, -1e4).amax(1)
    top = torch.full((n_paragraphs, h), -1e4, dtype=states.dtype).index_reduce_(0, owner, masked, "amax")
    top = torch.where(top <= -1e4, torch.zeros_like(top), top)
    return torch.cat([total / count[:, None], top], dim=-1)


class Tagger(nn.Module):
    """The technique heads on the encoder's last states: per token and per paragraph."""

    def __init__(self, hidden: int, n_labels: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.token = nn.Linear(hidden, n_labels)
        self.paragraph = nn.Linear(2 * hidden, n_labels)

    def forward(self, states: torch.Tensor, mask: torch.Tensor, owner: torch.Tensor,
                n_paragraphs: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Token logits [B, T, L], paragraph logits [P, L] and paragraph vectors [P, 2H]."""
        pooled = pool_paragraphs(states, mask, owner, n_paragraphs)
        return self.token(self.dropout(states)), self.paragraph(self.dropout(pooled)), pooled
