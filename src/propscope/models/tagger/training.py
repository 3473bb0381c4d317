"""Training the tagger with torch (the ``train`` extra); inference is ``network.forward``.

The torch module computes exactly what the numpy forward pass computes (a test checks it):
padded paragraphs, each convolution's output zeroed outside the paragraph's tokens, the
max-pool over its tokens. Losses: per-token binary cross-entropy over the token labels (each
label's positives up-weighted by the square root of its negative/positive ratio, so rare
techniques are not drowned by the "no technique" tokens), plus the paragraph labels' binary
cross-entropy scaled by ``paragraph_loss``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from propscope.models.linear.units import paragraph_bounds
from propscope.models.tagger.network import TaggerWeights


@dataclass(frozen=True)
class TaggerConfig:
    """Shape and schedule of one tagger (see ``HybridModel``'s ``tagger_*`` parameters)."""

    filters: int = 128
    layers: int = 2
    dropout: float = 0.3
    epochs: int = 6
    lr: float = 2e-3
    batch_size: int = 32
    paragraph_loss: float = 0.5
    embedding_scale: float = 3.0
    seed: int = 0


class _Net(nn.Module):
    def __init__(self, cfg: TaggerConfig, embedding: np.ndarray, n_tok: int, n_par: int, pad: int) -> None:
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding.from_pretrained(torch.tensor(embedding), freeze=False, padding_idx=pad)
        dim = embedding.shape[1]
        sizes = [dim] + [cfg.filters] * cfg.layers
        self.convs = nn.ModuleList([nn.Conv1d(sizes[i], cfg.filters, 3, padding=2 ** i, dilation=2 ** i)
                                    for i in range(cfg.layers)])
        self.drop = nn.Dropout(cfg.dropout)
        self.tok = nn.Linear(2 * cfg.filters + dim, n_tok)
        self.par = nn.Linear(cfg.filters, n_par)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mask = (x != self.pad).to(torch.float32)
        e = self.emb(x)
        h = e.transpose(1, 2)
        for conv in self.convs:
            h = torch.relu(conv(h)) * mask[:, None, :]
        pooled = h.max(dim=2).values
        states = h.transpose(1, 2)
        tok_in = torch.cat([states, pooled[:, None, :].expand(-1, x.shape[1], -1), e], dim=2)
        return self.tok(self.drop(tok_in)), self.par(self.drop(pooled))

    def export(self) -> TaggerWeights:
        def arr(t: torch.Tensor | None) -> np.ndarray:
            assert t is not None  # every layer here has a bias
            return t.detach().cpu().numpy().astype(np.float32)

        emb = arr(self.emb.weight)
        emb[self.pad] = 0.0
        convs = [c for c in self.convs if isinstance(c, nn.Conv1d)]
        return TaggerWeights(emb, [arr(c.weight) for c in convs], [arr(c.bias) for c in convs],
                             [int(c.dilation[0]) for c in convs], arr(self.tok.weight),
                             arr(self.tok.bias), arr(self.par.weight), arr(self.par.bias))


@dataclass
class TaggerData:
    """Paragraph-grouped training data.

    Attributes:
        ids: ``n_tokens`` row ids, paragraphs in reading order.
        par: ``n_tokens`` paragraph index of each token (non-decreasing).
        y_tok: ``n_tokens x token_labels`` 0/1.
        y_par: ``n_paragraphs x paragraph_labels`` 0/1.
    """

    ids: np.ndarray
    par: np.ndarray
    y_tok: np.ndarray
    y_par: np.ndarray

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and end token index of every paragraph."""
        return paragraph_bounds(self.par, len(self.y_par))


def _batches(rows: np.ndarray, lengths: np.ndarray, size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of paragraphs of similar length (less padding, same expectation)."""
    perm = rng.permutation(rows)
    chunk = size * 20
    out: list[np.ndarray] = []
    for c in range(0, len(perm), chunk):
        part = perm[c:c + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        out.extend(part[b:b + size] for b in range(0, len(part), size))
    return [out[i] for i in rng.permutation(len(out))]


def fit_tagger(cfg: TaggerConfig, embedding: np.ndarray, pad: int, data: TaggerData, rows: np.ndarray,
               progress: Callable[[str], None] | None = None) -> TaggerWeights:
    """Train on the paragraphs ``rows`` of ``data``; returns the weights at storage precision.

    ``embedding`` (``vocab x dim``, row ``pad`` zeros) initialises the token vectors, which are
    fine-tuned with the rest.
    """
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    net = _Net(cfg, (embedding * cfg.embedding_scale).astype(np.float32), data.y_tok.shape[1],
               data.y_par.shape[1], pad)
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=1e-4)
    starts, ends = data.bounds()
    lengths = ends - starts
    rows = rows[lengths[rows] > 0]
    in_rows = np.zeros(len(data.y_par), dtype=bool)
    in_rows[rows] = True
    rate = data.y_tok[in_rows[data.par]].mean(axis=0) if len(rows) else np.zeros(data.y_tok.shape[1])
    pos_weight = torch.tensor(np.sqrt(np.clip((1 - rate) / np.maximum(rate, 1e-4), 1.0, 100.0)),
                              dtype=torch.float32)
    y_par = torch.tensor(data.y_par, dtype=torch.float32)
    for epoch in range(cfg.epochs):
        if progress is not None:
            progress(f"tagger epoch {epoch + 1}/{cfg.epochs}")
        net.train()
        for batch in _batches(rows, lengths, cfg.batch_size, rng):
            x, y, m = _pad(data, starts, ends, batch, pad)
            z_tok, z_par = net(x)
            tok_loss = nn.functional.binary_cross_entropy_with_logits(
                z_tok, y, pos_weight=pos_weight, reduction="none")
            loss = (tok_loss * m[..., None]).sum() / m.sum()
            loss = loss + cfg.paragraph_loss * nn.functional.binary_cross_entropy_with_logits(
                z_par, y_par[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
    net.eval()
    return net.export().rounded()


def _pad(data: TaggerData, starts: np.ndarray, ends: np.ndarray, batch: np.ndarray,
         pad: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = int((ends[batch] - starts[batch]).max())
    x = np.full((len(batch), width), pad, dtype=np.int64)
    y = np.zeros((len(batch), width, data.y_tok.shape[1]), dtype=np.float32)
    for i, p in enumerate(batch):
        s, e = starts[p], ends[p]
        x[i, :e - s] = data.ids[s:e]
        y[i, :e - s] = data.y_tok[s:e]
    xt = torch.tensor(x)
    return xt, torch.tensor(y), (xt != pad).to(torch.float32)


def torch_forward(w: TaggerWeights, x: np.ndarray, pad: int) -> tuple[np.ndarray, np.ndarray]:
    """The torch module's probabilities for padded ids ``x`` (``batch x width``) with weights
    ``w``: the reference the numpy forward pass is tested against."""
    cfg = TaggerConfig(filters=w.conv_b[0].shape[0], layers=len(w.conv_w))
    net = _Net(cfg, w.embedding, len(w.token_b), len(w.par_b), pad)
    with torch.no_grad():
        for conv, kw, kb in zip(net.convs, w.conv_w, w.conv_b, strict=True):
            assert isinstance(conv, nn.Conv1d) and conv.bias is not None
            conv.weight.copy_(torch.tensor(kw))
            conv.bias.copy_(torch.tensor(kb))
        net.tok.weight.copy_(torch.tensor(w.token_w))
        net.tok.bias.copy_(torch.tensor(w.token_b))
        net.par.weight.copy_(torch.tensor(w.par_w))
        net.par.bias.copy_(torch.tensor(w.par_b))
        net.eval()
        z_tok, z_par = net(torch.tensor(x))
    return torch.sigmoid(z_tok).numpy(), torch.sigmoid(z_par).numpy()
