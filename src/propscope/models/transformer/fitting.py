"""Training of the transformer model on the CPU: fine-tuning, article heads and calibration.

Steps (``TransformerModel.fit`` runs them in order):
1. ``train_network``: fine-tune the encoder with the token tagger and paragraph head
   (multi-label BCE, capped ``sqrt(neg/pos)`` positive weights for the rare techniques).
2. ``collect_outputs``: run the trained network over documents (numpy heads, as inference).
3. ``fit_article_heads``: genre and frame logistic regressions on article features.
4. ``calibrate``: per-technique thresholds chosen on held-out calibration articles.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from propscope.document import Document
from propscope.evaluation import score_labels, score_spans
from propscope.models.transformer.decode import Decision, decode_spans, paragraph_scores
from propscope.models.transformer.heads import DocOutput, Heads, doc_scores, run_document
from propscope.models.transformer.network import MultiTaskNet
from propscope.models.transformer.windows import DocTokens, make_batch, tokenize_document
from propscope.taxonomy import FRAMES, GENRES, technique_names

Log = Callable[[str], None]
GRID = [round(x, 2) for x in np.arange(0.05, 0.951, 0.05)]


@dataclass(frozen=True)
class TrainParams:
    """Fine-tuning settings (defaults sized for ~1 hour on 2 CPU cores)."""

    window: int = 256
    overlap: int = 64
    # A fractional value trains on that share of the last epoch (to fill a time budget).
    epochs: float = 2
    batch_size: int = 16
    lr: float = 8e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    pos_weight_cap: float = 10.0
    para_loss_weight: float = 1.0
    freeze_word_embeddings: bool = True
    # Only the top ``train_layers`` transformer layers are fine-tuned; the states entering
    # them are computed once and cached, which cuts the cost of an epoch about threefold.
    train_layers: int = 2
    max_minutes: float = 50.0
    seed: int = 13


def technique_labels() -> list[str]:
    """The techniques the model is trained on (the taxonomy's trainable ones, in its order)."""
    return technique_names(trainable_only=True)


def calibration_ids(ids: Sequence[str], fraction: float) -> set[str]:
    """A stable hash-sample of training ids held out to calibrate thresholds."""
    def h(i: str) -> float:
        return int(hashlib.sha1(f"calibration:{i}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF

    return {i for i in ids if h(i) < fraction}


def token_targets(doc: Document, dt: DocTokens, labels: list[str]) -> np.ndarray:
    """[N, L] 1 where a token overlaps a gold span of that technique."""
    col = {lab: j for j, lab in enumerate(labels)}
    y = np.zeros((len(dt.ids), len(labels)), np.float32)
    for s in doc.spans:
        j = col.get(s.label)
        if j is None:
            continue
        y[(dt.starts < s.end) & (dt.ends > s.start), j] = 1.0
    return y


def paragraph_targets(dt: DocTokens, labels: list[str]) -> np.ndarray:
    """[P, L] gold paragraph labels of the tokenised paragraphs."""
    col = {lab: j for j, lab in enumerate(labels)}
    y = np.zeros((len(dt.paragraphs), len(labels)), np.float32)
    for i, p in enumerate(dt.paragraphs):
        for t in p.techniques:
            if t in col:
                y[i, col[t]] = 1.0
    return y


def _seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train_network(net: MultiTaskNet, tok, docs: Sequence[Document], labels: list[str],  # type: ignore[no-untyped-def]
                  params: TrainParams, log: Log = print) -> MultiTaskNet:
    """Fine-tune ``net`` on ``docs`` (gold spans and paragraph labels) and return it."""
    _seed(params.seed)
    size = params.window - 2
    data = []
    for d in docs:
        dt = tokenize_document(tok, d, size=size, overlap=params.overlap)
        if len(dt.ids):
            data.append((dt, token_targets(d, dt, labels), paragraph_targets(dt, labels)))
    items = [(k, w) for k, (dt, _, _) in enumerate(data) for w in dt.windows]
    pos = sum(y.sum(0) for _, y, _ in data)
    total = sum(len(y) for _, y, _ in data)
    pw = torch.tensor(np.clip(np.sqrt((total - pos) / np.maximum(pos, 1)), 1.0, params.pos_weight_cap),
                      dtype=torch.float32)
    enc = net.encoder
    n_layers = len(enc.encoder.layer)
    first = max(0, n_layers - params.train_layers)
    frozen: list[torch.Tensor] = []
    if first:
        frozen = [*enc.embeddings.parameters(), *enc.encoder.layer[:first].parameters()]
    if params.freeze_word_embeddings:
        frozen.append(enc.embeddings.word_embeddings.weight)
    for p in frozen:
        p.requires_grad_(False)
    cache: dict[tuple[int, tuple[int, int]], torch.Tensor] = {}
    if first:
        net.eval()
        t0 = time.time()
        for i in range(0, len(items), 32):
            chunk = items[i:i + 32]
            batch = make_batch([(data[k][0], w) for k, w in chunk])
            with torch.no_grad():
                x = enc.layers(enc.embeddings(torch.from_numpy(batch.input_ids)),
                               torch.from_numpy(batch.attention_mask), 0, first)
            for r, (k, (a, e)) in enumerate(chunk):
                cache[(k, (a, e))] = x[r, :e - a + 2].clone()
        log(f"cached layer-{first} states of {len(items)} windows in {(time.time() - t0) / 60:.1f} min")
    enc_params = [p for n, p in net.named_parameters() if n.startswith("encoder.") and p.requires_grad]
    head_params = [p for n, p in net.named_parameters() if not n.startswith("encoder.")]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": params.lr},
                             {"params": head_params, "lr": params.head_lr}],
                            weight_decay=params.weight_decay)
    steps = math.ceil(params.epochs * math.ceil(len(items) / params.batch_size))
    warm = max(1, int(params.warmup * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    log(f"{len(data)} documents, {len(items)} windows, {steps} steps; pos_weight {pw.numpy().round(1)}")
    t0, step = time.time(), 0
    net.train()
    for epoch in range(math.ceil(params.epochs)):
        random.shuffle(items)
        for i in range(0, len(items), params.batch_size):
            if step >= steps:
                break
            chunk = items[i:i + params.batch_size]
            batch = make_batch([(data[k][0], w) for k, w in chunk])
            b, t = batch.input_ids.shape
            ty = np.zeros((b, t, len(labels)), np.float32)
            py = np.zeros((b, batch.n_paras, len(labels)), np.float32)
            pm = np.zeros((b, batch.n_paras), np.float32)
            for r, (k, (a, e)) in enumerate(chunk):
                ty[r, 1:e - a + 1] = data[k][1][a:e]
                g = batch.para_global[r]
                py[r, :len(g)] = data[k][2][g]
                pm[r, :len(g)] = 1.0
            mask = torch.from_numpy(batch.attention_mask)
            if first:
                x = torch.zeros(b, t, enc.config.hidden_size)
                for r, key in enumerate(chunk):
                    x[r, :len(cache[key])] = cache[key]
                hidden = enc.layers(x, mask, first)
            else:
                hidden = enc(torch.from_numpy(batch.input_ids), mask)
            tl, pl = net.heads(hidden, torch.from_numpy(batch.para_index), batch.n_paras)
            tmask = torch.from_numpy((batch.para_index >= 0).astype(np.float32))
            tok_loss = torch.nn.functional.binary_cross_entropy_with_logits(
                tl, torch.from_numpy(ty), pos_weight=pw, reduction="none").mean(-1)
            par_loss = torch.nn.functional.binary_cross_entropy_with_logits(
                pl, torch.from_numpy(py), pos_weight=pw, reduction="none").mean(-1)
            pmask = torch.from_numpy(pm)
            loss = (tok_loss * tmask).sum() / tmask.sum() + \
                params.para_loss_weight * (par_loss * pmask).sum() / pmask.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 10 == 0 or step == steps:
                log(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f} "
                    f"{(time.time() - t0) / 60:.1f} min")
            if time.time() - t0 > params.max_minutes * 60:
                log(f"stopping after {params.max_minutes} minutes at step {step}")
                net.eval()
                return net
    net.eval()
    return net


def torch_encode_fn(net: MultiTaskNet) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """An encode function for ``run_document`` backed by the torch encoder."""
    def encode(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return net.encoder(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    return encode


def heads_from_net(net: MultiTaskNet, n_features: int) -> Heads:
    """Token and paragraph heads from ``net``; article heads left empty (fitted later)."""
    f = np.zeros(n_features, np.float32)
    return Heads(
        token_w=net.token_head.weight.detach().numpy().T.copy(),
        token_b=net.token_head.bias.detach().numpy().copy(),
        para_w=net.para_head.weight.detach().numpy().T.copy(),
        para_b=net.para_head.bias.detach().numpy().copy(),
        doc_mu=f, doc_sd=f + 1.0,
        genre_w=np.zeros((n_features, len(GENRES)), np.float32), genre_b=np.zeros(len(GENRES), np.float32),
        frames_w=np.zeros((n_features, len(FRAMES)), np.float32), frames_b=np.zeros(len(FRAMES), np.float32),
    )


def collect_outputs(encode, heads: Heads, tok,  # type: ignore[no-untyped-def]
                    docs: Sequence[Document], *, window: int,
                    overlap: int) -> list[tuple[DocTokens, DocOutput]]:
    """Run the model (before thresholds) over ``docs``."""
    out = []
    for d in docs:
        dt = tokenize_document(tok, d, size=window - 2, overlap=overlap)
        out.append((dt, run_document(dt, encode, heads)))
    return out


def fit_article_heads(heads: Heads, docs: Sequence[Document], outs: Sequence[DocOutput], *,
                      c: float = 0.1) -> Heads:
    """Fit genre (class-balanced) and frame logistic regressions on article features."""
    from sklearn.linear_model import LogisticRegression

    x = np.stack([o.feature for o in outs])
    mu, sd = x.mean(0), x.std(0) + 1e-6
    heads.doc_mu, heads.doc_sd = mu, sd
    keep = [i for i, d in enumerate(docs) if d.genre is not None]
    z = (x[keep] - mu) / sd
    y = np.array([GENRES.index(docs[i].genre.label) for i in keep], dtype=np.int64)  # type: ignore[union-attr]
    gw = np.zeros((x.shape[1], len(GENRES)), np.float32)
    gb = np.zeros(len(GENRES), np.float32)
    if len(set(y.tolist())) >= 2:
        gb[:] = -30.0  # a genre absent from training is never chosen
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(z, y)
        coef, icpt = lr.coef_, lr.intercept_
        if len(lr.classes_) == 2:  # binary: one row of logits for class 1; split it symmetrically
            coef, icpt = np.stack([-coef[0], coef[0]]) / 2, np.array([-icpt[0], icpt[0]]) / 2
        for k, cls in enumerate(lr.classes_):
            gw[:, cls], gb[cls] = coef[k], icpt[k]
    elif len(y):
        gb[y[0]] = 1.0  # one genre seen: predict it
    heads.genre_w, heads.genre_b = gw, gb
    fw = np.zeros((x.shape[1], len(FRAMES)), np.float32)
    fb = np.full(len(FRAMES), -30.0, np.float32)
    for j, frame in enumerate(FRAMES):
        yf = np.array([any(f.label == frame for f in docs[i].frames) for i in keep])
        if 0 < yf.sum() < len(yf):
            m = LogisticRegression(C=c, max_iter=2000).fit(z, yf)
            fw[:, j], fb[j] = m.coef_[0], m.intercept_[0]
        elif len(yf) and yf.all():
            fb[j] = 30.0
    heads.frames_w, heads.frames_b = fw, fb
    return heads


def _best(f1s: list[float], default: float) -> float:
    # Ties go to the higher threshold (fewer false positives); no signal keeps the default.
    best = max(f1s) if f1s else 0.0
    if best <= 0:
        return default
    return max(g for g, f in zip(GRID, f1s, strict=True) if f == best)


def _sweep(docs: Sequence[Document], outs: Sequence[tuple[DocTokens, DocOutput]], labels: list[str],
           names: list[str], dec: Decision) -> tuple[list[float], list[float]]:
    """Span and paragraph F1 of techniques ``names`` at every threshold of ``GRID``."""
    cols = [labels.index(n) for n in names]
    gold = [[s for s in d.spans if s.label in names] for d in docs]
    rows = [(dt.paragraphs, paragraph_scores(o, dec)) for dt, o in outs]
    sf, pf = [], []
    for thr in GRID:
        # Other techniques get an unreachable threshold so only ``names`` are decoded.
        dec.span = dict.fromkeys(labels, 2.0) | dict.fromkeys(names, thr)
        pred = [decode_spans(d, dt, o.token_probs, labels, dec)
                for d, (dt, o) in zip(docs, outs, strict=True)]
        sf.append(score_spans(zip(gold, pred, strict=True)).aware.f1)
        units = [([t for t in p.techniques if t in names],
                  [n for n, c in zip(names, cols, strict=True) if r[c] >= thr])
                 for paras, rs in rows for p, r in zip(paras, rs, strict=True)]
        pf.append(score_labels(units).micro.f1)
    return sf, pf


def calibrate(docs: Sequence[Document], outs: Sequence[tuple[DocTokens, DocOutput]], labels: list[str],
              heads: Heads, *, para_mix: float = 0.5, max_gap: int = 0,
              min_support: int | None = None, default: float = 0.5) -> Decision:
    """Choose thresholds maximising F1 on held-out ``docs``.

    One shared span threshold and one shared paragraph threshold maximise the micro F1 over all
    techniques. With ``min_support`` set, a technique with at least that many gold spans
    (paragraphs) in ``docs`` then gets its own threshold; off by default because on ~50
    calibration articles per-technique thresholds overfit (validation micro F1 0.27 -> 0.19,
    docs/benchmarks/transformer.md). Frames get one shared threshold; genre bias stays 0.
    """
    dec = Decision(para_mix=para_mix, max_gap=max_gap)
    sf, pf = _sweep(docs, outs, labels, labels, dec)
    span_all, para_all = _best(sf, default), _best(pf, default)
    span_thr, para_thr = dict.fromkeys(labels, span_all), dict.fromkeys(labels, para_all)
    for lab in labels if min_support is not None else []:
        n_spans = sum(s.label == lab for d in docs for s in d.spans)
        n_paras = sum(lab in p.techniques for d in docs for p in d.paragraphs)
        if max(n_spans, n_paras) < min_support:  # type: ignore[operator]
            continue
        sf, pf = _sweep(docs, outs, labels, [lab], dec)
        if n_spans >= min_support:  # type: ignore[operator]
            span_thr[lab] = _best(sf, span_all)
        if n_paras >= min_support:  # type: ignore[operator]
            para_thr[lab] = _best(pf, para_all)
    dec.span, dec.paragraph = span_thr, para_thr
    fr = [(d, doc_scores(heads, o.feature)[1]) for d, (_, o) in zip(docs, outs, strict=True) if d.frames]
    f1s = [score_labels(([f.label for f in d.frames], [f for f, s in zip(FRAMES, p, strict=True) if s >= thr])
                        for d, p in fr).micro.f1 for thr in GRID]
    dec.frames = dict.fromkeys(FRAMES, _best(f1s, default))
    return dec
