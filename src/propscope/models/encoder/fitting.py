"""Fitting the encoder model: a fine-tuned multilingual-e5-small with two technique heads,
and linear genre and frame heads on its paragraph vectors.

Training on two CPU cores has to be cheap, so the lower ``frozen_layers`` of the encoder stay
as pretrained: they are run once over every training paragraph and their output is cached
(in float16); each epoch then runs only the upper layers and the heads. A share of the
training articles (``calibration``, by article, in every language) is held out of that fit:
the thresholds of the span and paragraph heads and the confidence maps are chosen on the
model's predictions for them, articles it never saw. Genre and frames are logistic
regressions on an article's mean paragraph vector.

Everything runs on the CPU with torch (the training extra); analysis needs none of it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from propscope.document import Document, Paragraph
from propscope.models.encoder.checkpoint import E5Checkpoint
from propscope.models.encoder.network import E5Encoder, Tagger
from propscope.models.encoder.windows import Windows, held_out, length_batches, make_windows, padded
from propscope.taxonomy import FRAMES, GENRES

Progress = Callable[[str], None]


@dataclass
class Settings:
    """What ``fit_encoder`` is told by the model's parameters."""

    layers: int
    frozen_layers: int
    max_tokens: int
    epochs: int
    lr: float
    head_lr: float
    batch_tokens: int
    calibration: float
    paragraph_loss: float
    seed: int


@dataclass
class Fitted:
    """What fitting learns; ``EncoderModel`` keeps it and exports it."""

    encoder: E5Encoder  # all ``layers`` layers, the upper ones fine-tuned
    tagger: Tagger
    labels: list[str]
    token_thresholds: np.ndarray  # [L]
    paragraph_thresholds: np.ndarray  # [L]
    genre: tuple[np.ndarray, np.ndarray]  # weights [3, 2H], bias [3]
    frames: tuple[np.ndarray, np.ndarray]  # weights [14, 2H], bias [14]
    frame_thresholds: np.ndarray  # [14]
    report: dict[str, Any] = field(default_factory=dict)


def _units(docs: Sequence[Document]) -> list[tuple[int, Paragraph]]:
    return [(i, p) for i, d in enumerate(docs) for p in d.paragraphs]


def token_targets(docs: Sequence[Document], windows: Windows, labels: Sequence[str]) -> list[np.ndarray]:
    """Per window, float32 ``[n, L]``: 1 where a token overlaps a gold span of the technique."""
    col = {t: j for j, t in enumerate(labels)}
    out = []
    for w, spans in enumerate(windows.spans):
        d, _ = windows.units[int(windows.paragraph[w])]
        y = np.zeros((len(spans), len(labels)), dtype=np.float32)
        starts, ends = spans[:, 0], spans[:, 1]
        for s in docs[d].spans:
            if s.label in col:
                inside = (starts < s.end) & (ends > s.start) & (ends > starts)
                y[inside, col[s.label]] = 1.0
        out.append(y)
    return out


def paragraph_targets(docs: Sequence[Document], units: Sequence[tuple[int, Paragraph]],
                      labels: Sequence[str]) -> np.ndarray:
    """float32 ``[P, L]``: the gold techniques of each paragraph."""
    col = {t: j for j, t in enumerate(labels)}
    y = np.zeros((len(units), len(labels)), dtype=np.float32)
    for k, (_, p) in enumerate(units):
        for t in p.techniques:
            if t in col:
                y[k, col[t]] = 1.0
    return y


class Cache:
    """The frozen lower layers' output for every window, float16 (what each epoch starts from).

    With ``folder``, the states are kept on disk under a name made of what they depend on
    (the windows' tokens and the number of frozen layers), so a later fit of the same data
    with the same frozen layers (more epochs, other upper layers) skips this pass.
    """

    def __init__(self, encoder: E5Encoder, windows: Windows, frozen: int, batch_tokens: int,
                 progress: Progress, folder: Path | None = None) -> None:
        lengths = np.array([len(x) for x in windows.ids])
        tokens = np.concatenate([*windows.ids, [frozen]]).astype(np.int64)
        key = hashlib.sha1(tokens.tobytes()).hexdigest()[:16]
        stored = folder / f"frozen-{frozen}-{key}.npy" if folder is not None else None
        if stored is not None and stored.is_file():
            flat = np.load(stored, mmap_mode="r")
            ends = np.cumsum(lengths)
            self.states = [torch.from_numpy(np.array(flat[e - n:e]))
                           for e, n in zip(ends, lengths, strict=True)]
            progress(f"frozen layers: read {stored}")
            return
        self.states = [torch.empty(0)] * len(windows)
        batches = length_batches(lengths.tolist(), batch_tokens)
        t0 = time.perf_counter()
        with torch.inference_mode():
            for b, idx in enumerate(batches):
                ids, mask = (torch.from_numpy(a) for a in padded([windows.ids[i] for i in idx]))
                x = encoder.run_layers(encoder.embed(ids), mask, 0, frozen)
                for row, i in enumerate(idx):
                    self.states[i] = x[row, :len(windows.ids[i])].to(torch.float16).clone()
                if b % 50 == 0:
                    progress(f"frozen layers {b + 1}/{len(batches)} batches "
                             f"({time.perf_counter() - t0:.0f} s)")
        if stored is not None:
            stored.parent.mkdir(parents=True, exist_ok=True)
            np.save(stored.with_suffix(".tmp.npy"), torch.cat(self.states).numpy())
            stored.with_suffix(".tmp.npy").replace(stored)

    def batch(self, idx: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        """Padded float32 states ``[B, T, H]`` and their mask ``[B, T]``."""
        width = max(len(self.states[i]) for i in idx)
        h = self.states[idx[0]].shape[-1]
        x = torch.zeros(len(idx), width, h)
        mask = torch.zeros(len(idx), width, dtype=torch.long)
        for row, i in enumerate(idx):
            n = len(self.states[i])
            x[row, :n] = self.states[i].float()
            mask[row, :n] = 1
        return x, mask


def _batch_groups(windows: Windows, batch_tokens: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Batches of whole paragraphs (a paragraph's windows together), of similar lengths,
    shuffled."""
    by_par: dict[int, list[int]] = {}
    for w, p in enumerate(windows.paragraph):
        by_par.setdefault(int(p), []).append(w)
    pars = list(by_par)
    lengths = [max(len(windows.ids[w]) for w in by_par[p]) * len(by_par[p]) for p in pars]
    groups = [np.concatenate([by_par[pars[i]] for i in b]) for b in length_batches(lengths, batch_tokens)]
    rng.shuffle(groups)  # type: ignore[arg-type]
    return groups


def _forward(encoder: E5Encoder, tagger: Tagger, cache: Cache, windows: Windows, idx: np.ndarray,
             frozen: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, np.ndarray]:
    """Upper layers and heads on the windows ``idx``: token logits, their mask, paragraph
    logits, paragraph vectors, and the paragraphs (indices into ``windows.units``)."""
    x, mask = cache.batch(idx)
    states = encoder.run_layers(x, mask, frozen)
    pars, owner = np.unique(windows.paragraph[idx], return_inverse=True)
    tok, par, pooled = tagger(states, mask, torch.from_numpy(owner.astype(np.int64)), len(pars))
    return tok, mask, par, pooled, pars


def train(encoder: E5Encoder, tagger: Tagger, cache: Cache, windows: Windows, y_tok: list[np.ndarray],
          y_par: np.ndarray, s: Settings, progress: Progress, checkpoint: Path | None = None) -> list[float]:
    """Fine-tune the upper layers and the heads; the mean loss of each epoch. With
    ``checkpoint`` (a file), the state is saved there after every epoch, and a fit that
    finds one resumes after its last finished epoch."""
    for p in encoder.parameters():
        p.requires_grad_(False)
    upper = [p for layer in encoder.layers[s.frozen_layers:] for p in layer.parameters()]
    for p in upper:
        p.requires_grad_(True)
    opt = torch.optim.AdamW([{"params": upper, "lr": s.lr},
                             {"params": list(tagger.parameters()), "lr": s.head_lr}], weight_decay=0.01)
    rng = np.random.default_rng(s.seed)
    steps = s.epochs * len(_batch_groups(windows, s.batch_tokens, rng))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[s.lr, s.head_lr], total_steps=max(steps, 1),
                                                pct_start=0.1, anneal_strategy="linear")
    # Positives are rare (a technique on a few tokens in a hundred): weigh them up, capped.
    pos = np.concatenate(y_tok).mean(0)
    tok_weight = torch.from_numpy(np.clip((1 - pos) / np.maximum(pos, 1e-4), 1, 20).astype(np.float32) ** 0.5)
    par_pos = y_par.mean(0)
    par_weight = torch.from_numpy(np.clip((1 - par_pos) / np.maximum(par_pos, 1e-4), 1, 20)
                                  .astype(np.float32) ** 0.5)
    losses: list[float] = []
    first = 0
    if checkpoint is not None and checkpoint.is_file():
        saved = torch.load(checkpoint, weights_only=False)
        encoder.load_state_dict(saved["encoder"])
        tagger.load_state_dict(saved["tagger"])
        opt.load_state_dict(saved["optimizer"])
        sched.load_state_dict(saved["scheduler"])
        rng.bit_generator.state = saved["rng"]
        first, losses = saved["epoch"] + 1, saved["losses"]
        progress(f"resuming after epoch {first} ({checkpoint})")
    encoder.train()
    tagger.train()
    for epoch in range(first, s.epochs):
        t0, total, n = time.perf_counter(), 0.0, 0
        groups = _batch_groups(windows, s.batch_tokens, rng)
        for b, idx in enumerate(groups):
            tok, mask, par, _, pars = _forward(encoder, tagger, cache, windows, idx, s.frozen_layers)
            yt = torch.zeros(tok.shape)
            for row, i in enumerate(idx):
                yt[row, :len(y_tok[i])] = torch.from_numpy(y_tok[i])
            live = mask.to(torch.float32)
            live[:, 0] = 0
            live[torch.arange(len(mask)), mask.sum(1) - 1] = 0
            lt = nn.functional.binary_cross_entropy_with_logits(tok, yt, pos_weight=tok_weight,
                                                                reduction="none")
            loss_tok = (lt.mean(-1) * live).sum() / live.sum().clamp(min=1)
            loss_par = nn.functional.binary_cross_entropy_with_logits(
                par, torch.from_numpy(y_par[pars]), pos_weight=par_weight)
            loss = loss_tok + s.paragraph_loss * loss_par
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_([*upper, *tagger.parameters()], 1.0)
            opt.step()
            sched.step()
            total, n = total + float(loss.detach()), n + 1
            if b % 100 == 0:
                progress(f"epoch {epoch + 1}/{s.epochs}, batch {b + 1}/{len(groups)}, loss "
                         f"{total / n:.4f} ({time.perf_counter() - t0:.0f} s)")
        losses.append(total / max(n, 1))
        if checkpoint is not None:
            checkpoint.parent.mkdir(parents=True, exist_ok=True)
            torch.save({"encoder": encoder.state_dict(), "tagger": tagger.state_dict(),
                        "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                        "rng": rng.bit_generator.state, "epoch": epoch, "losses": losses},
                       checkpoint.with_suffix(".tmp"))
            checkpoint.with_suffix(".tmp").replace(checkpoint)
    encoder.eval()
    tagger.eval()
    return losses


@dataclass
class Predictions:
    """Raw head outputs for a set of windows: per window token probabilities ``[n, L]``,
    per paragraph probabilities ``[P, L]`` and vectors ``[P, 2H]``."""

    tokens: list[np.ndarray]
    paragraphs: np.ndarray
    vectors: np.ndarray


def predict(encoder: E5Encoder, tagger: Tagger, cache: Cache, windows: Windows, frozen: int,
            batch_tokens: int) -> Predictions:
    """The heads' probabilities for every window and paragraph of ``windows`` (torch, for
    calibration; analysis runs the exported ONNX)."""
    n_par = len(windows.units)
    labels = tagger.token.out_features
    tokens: list[np.ndarray] = [np.zeros((0, labels), np.float32)] * len(windows)
    paragraphs = np.zeros((n_par, labels), dtype=np.float32)
    vectors = np.zeros((n_par, 2 * tagger.token.in_features), dtype=np.float32)
    rng = np.random.default_rng(0)
    with torch.inference_mode():
        for idx in _batch_groups(windows, batch_tokens, rng):
            tok, _, par, pooled, pars = _forward(encoder, tagger, cache, windows, idx, frozen)
            probs = torch.sigmoid(tok).numpy()
            for row, i in enumerate(idx):
                tokens[i] = probs[row, :len(windows.ids[i])]
            paragraphs[pars] = torch.sigmoid(par).numpy()
            vectors[pars] = pooled.numpy()
    return Predictions(tokens, paragraphs, vectors)


def best_thresholds(probs: np.ndarray, gold: np.ndarray, grid: np.ndarray | None = None) -> np.ndarray:
    """Per column, the threshold of ``grid`` with the best F1 on ``(probs, gold)``; columns
    without a positive get 1.01 (never given)."""
    grid = np.linspace(0.05, 0.95, 19) if grid is None else grid
    out = np.full(probs.shape[1], 1.01, dtype=np.float32)
    for j in range(probs.shape[1]):
        if gold[:, j].sum() == 0:
            continue
        best = (-1.0, 0.5)
        for t in grid:
            pred = probs[:, j] >= t
            tp = float((pred & (gold[:, j] > 0)).sum())
            f1 = 2 * tp / max(pred.sum() + gold[:, j].sum(), 1)
            best = max(best, (f1, float(t)))
        out[j] = best[1] if best[0] > 0 else 1.01
    return out


def article_vectors(vectors: np.ndarray, units: Sequence[tuple[int, Paragraph]], n_docs: int) -> np.ndarray:
    """float32 ``[n_docs, 2H]``: the mean paragraph vector of each article."""
    out = np.zeros((n_docs, vectors.shape[1]), dtype=np.float32)
    count = np.zeros(n_docs)
    for k, (d, _) in enumerate(units):
        out[d] += vectors[k]
        count[d] += 1
    return out / np.maximum(count, 1)[:, None]


def fit_document_heads(x: np.ndarray, docs: Sequence[Document], seed: int
                       ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], np.ndarray]:
    """Genre (multinomial, balanced classes) and frame (one-vs-rest) logistic regressions on
    article vectors ``x``; frame thresholds from 3-fold out-of-fold predictions."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    with_genre = [i for i, d in enumerate(docs) if d.genre is not None]
    yg = [GENRES.index(docs[i].genre.label) for i in with_genre]  # type: ignore[union-attr]
    gw = np.zeros((len(GENRES), x.shape[1]), dtype=np.float32)
    gb = np.full(len(GENRES), -30.0, dtype=np.float32)  # a genre never seen is never given
    present = sorted(set(yg))
    if len(present) == 1:
        gb[present[0]] = 0.0
    else:
        genre = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced", random_state=seed)
        genre.fit(x[with_genre], yg)
        # Two classes: one row of weights, the logit of the second against the first.
        rows = genre.coef_ if len(present) > 2 else np.vstack([np.zeros_like(genre.coef_), genre.coef_])
        bias = genre.intercept_ if len(present) > 2 else np.concatenate([[0.0], genre.intercept_])
        for row, c in enumerate(genre.classes_):
            gw[c], gb[c] = rows[row], bias[row]
    with_frames = [i for i, d in enumerate(docs) if d.frames]
    yf = np.array([[f in {fr.label for fr in docs[i].frames} for f in FRAMES] for i in with_frames],
                  dtype=int)
    fw = np.zeros((len(FRAMES), x.shape[1]), dtype=np.float32)
    fb = np.full(len(FRAMES), -30.0, dtype=np.float32)
    oof = np.zeros(yf.shape, dtype=np.float32)
    for j in range(len(FRAMES)):
        if 0 < yf[:, j].sum() < len(yf):
            lr = LogisticRegression(C=1.0, max_iter=2000, random_state=seed)
            oof[:, j] = cross_val_predict(lr, x[with_frames], yf[:, j], cv=3, method="predict_proba")[:, 1]
            lr.fit(x[with_frames], yf[:, j])
            fw[j], fb[j] = lr.coef_[0], lr.intercept_[0]
    return (gw, gb), (fw, fb), best_thresholds(oof, yf)


def fit_encoder(checkpoint: E5Checkpoint, keep_ids: np.ndarray, tokenizer: Any, docs: Sequence[Document],
                labels: Sequence[str], s: Settings, *, document_level: Sequence[Document] = (),
                progress: Progress, checkpoint_dir: Path | None = None) -> Fitted:
    """Fit the encoder model on gold ``docs`` (see the module docstring)."""
    torch.manual_seed(s.seed)
    encoder = E5Encoder.from_checkpoint(checkpoint, s.layers, keep_ids)
    tagger = Tagger(checkpoint.config.hidden, len(labels))
    fit_docs = [d for d in docs if not held_out(d.id, s.calibration)]
    cal_docs = [d for d in docs if held_out(d.id, s.calibration)] or list(docs[:1])
    report: dict[str, Any] = {"fit_articles": len(fit_docs), "calibration_articles": len(cal_docs)}

    def prepared(group: Sequence[Document]) -> tuple[Windows, Cache]:
        units = _units(group)
        windows = make_windows(group, units, tokenizer, max_tokens=s.max_tokens)
        progress(f"{len(group)} articles, {len(units)} paragraphs, {windows.tokens()} tokens")
        return windows, Cache(encoder, windows, s.frozen_layers, s.batch_tokens, progress, checkpoint_dir)

    t0 = time.perf_counter()
    windows, cache = prepared(fit_docs)
    report["cache_seconds"] = round(time.perf_counter() - t0, 1)
    y_tok = token_targets(fit_docs, windows, labels)
    y_par = paragraph_targets(fit_docs, windows.units, labels)
    t0 = time.perf_counter()
    state = checkpoint_dir / "train.pt" if checkpoint_dir is not None else None
    report["losses"] = train(encoder, tagger, cache, windows, y_tok, y_par, s, progress, state)
    report["train_seconds"] = round(time.perf_counter() - t0, 1)
    fitted_vectors = predict(encoder, tagger, cache, windows, s.frozen_layers, s.batch_tokens).vectors
    del cache

    progress("calibrating thresholds on the held-out training articles")
    cal_windows, cal_cache = prepared(cal_docs)
    cal = predict(encoder, tagger, cal_cache, cal_windows, s.frozen_layers, s.batch_tokens)
    del cal_cache
    cal_tok = token_targets(cal_docs, cal_windows, labels)
    live = [np.arange(1, len(w) - 1) for w in cal_windows.ids]
    tok_probs = np.concatenate([p[i] for p, i in zip(cal.tokens, live, strict=True)])
    tok_gold = np.concatenate([y[i] for y, i in zip(cal_tok, live, strict=True)])
    token_thresholds = best_thresholds(tok_probs, tok_gold)
    paragraph_thresholds = best_thresholds(cal.paragraphs,
                                           paragraph_targets(cal_docs, cal_windows.units, labels))

    progress("genre and frame heads")
    x = [article_vectors(fitted_vectors, windows.units, len(fit_docs)),
         article_vectors(cal.vectors, cal_windows.units, len(cal_docs))]
    if document_level:
        extra_windows, extra_cache = prepared(document_level)
        extra = predict(encoder, tagger, extra_cache, extra_windows, s.frozen_layers, s.batch_tokens)
        x.append(article_vectors(extra.vectors, extra_windows.units, len(document_level)))
    genre, frames, frame_thresholds = fit_document_heads(
        np.concatenate(x), [*fit_docs, *cal_docs, *document_level], s.seed)
    report["thresholds"] = {kind: dict(zip(labels, values.round(2).tolist(), strict=True))
                            for kind, values in (("token", token_thresholds),
                                                 ("paragraph", paragraph_thresholds))}
    progress(json.dumps({k: v for k, v in report.items() if k != "thresholds"}))
    return Fitted(encoder, tagger, list(labels), token_thresholds, paragraph_thresholds, genre, frames,
                  frame_thresholds, report)
