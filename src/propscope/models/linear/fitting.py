"""Fitting the linear model: every head, with thresholds from out-of-fold predictions.

Folds are by article (a seeded permutation of documents), so no paragraph of a held-out
article is ever seen by the model that scores it. Span detectors are trained with the
*out-of-fold* paragraph logits as their gate feature, which is what they will see at
inference time (the paragraph classifier's scores on unseen text).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from propscope.document import Document
from propscope.errors import ModelError
from propscope.models.folds import FOLDINGS, article_folds, topic_folds
from propscope.models.linear.calibration import (
    GATE_GRID,
    SpanOption,
    calibrate_genre,
    choose_span_options,
    f1_at,
    micro_f1,
    micro_thresholds,
    span_options,
)
from propscope.models.linear.confidence import ConfidenceMaps
from propscope.models.linear.embeddings import (
    StaticEmbeddings,
    distill,
    sentence_matrix,
    token_matrix,
    unit_matrices,
    without_shape,
)
from propscope.models.linear.features import TextVectorizer
from propscope.models.linear.heads import LinearHead, fit_multiclass, fit_ovr, logit
from propscope.models.linear.spans import coverage, decode_runs
from propscope.models.linear.style import StyleScaler, genre_matrix
from propscope.models.linear.units import Units, build_units, unit_labels
from propscope.taxonomy import FRAMES, GENRES, technique_names

if TYPE_CHECKING:
    from propscope.models.linear.model import LinearModel

Progress = Callable[[str], None]


@dataclass
class FitResult:
    """What ``fit_linear`` learns: the vectorizer, word vectors, the heads, calibration notes and
    the confidence maps (``confidence.py``)."""

    vectorizer: TextVectorizer
    heads: dict[str, LinearHead]
    paragraph_mode: str
    style: StyleScaler | None = None
    static: StaticEmbeddings | None = None
    calibration: dict[str, Any] = field(default_factory=dict)
    confidence: ConfidenceMaps = field(default_factory=ConfidenceMaps)


def _oof(fit: Callable[[np.ndarray], LinearHead], predict: Callable[[LinearHead, np.ndarray], np.ndarray],
         fold: np.ndarray, n_folds: int, shape: tuple[int, int]) -> np.ndarray:
    """Out-of-fold predictions: rows of fold ``f`` scored by a head fitted on the others."""
    out = np.zeros(shape, dtype=np.float32)
    for f in range(n_folds):
        te = np.flatnonzero(fold == f)
        tr = np.flatnonzero(fold != f)
        if len(te) and len(tr):
            out[te] = predict(fit(tr), te)
    return out


def split_techniques(docs: Sequence[Document], techniques: Sequence[str],
                     min_words: int) -> tuple[list[str], list[str]]:
    """(sentence-level, token-level) techniques, by the median word length of gold spans."""
    words: dict[str, list[int]] = {t: [] for t in techniques}
    for doc in docs:
        for s in doc.spans:
            if s.label in words:
                words[s.label].append(len(doc.text[s.start:s.end].split()))
    sent = [t for t in techniques if words[t] and statistics.median(words[t]) >= min_words]
    tok = [t for t in techniques if words[t] and t not in sent]
    return sent, tok


def _sampled_rows(y: np.ndarray, idx: np.ndarray, ratio: int, seed: int) -> list[np.ndarray]:
    """Per label: every positive row of ``idx`` plus at most ``ratio`` negatives per positive."""
    rng = np.random.default_rng(seed)
    rows = []
    for j in range(y.shape[1]):
        pos = idx[y[idx, j] > 0]
        neg = idx[y[idx, j] == 0]
        keep = min(len(neg), max(ratio * len(pos), 200))
        rows.append(np.sort(np.concatenate([pos, rng.choice(neg, keep, replace=False)])))
    return rows


def _set_pooled_thresholds(head: LinearHead, y: np.ndarray, oof: np.ndarray) -> dict[str, float]:
    """Set ``head``'s thresholds for pooled micro-F1 over its labels (``y``, ``oof``: rows x
    labels); returns each label's own out-of-fold F1 at its threshold."""
    thresholds, _ = micro_thresholds(y, oof)
    f1 = {}
    for j, label in enumerate(head.labels):
        head.thresholds[label] = float(thresholds[j])
        f1[label] = f1_at(y[:, j], oof[:, j], head.thresholds[label])
    return f1


def _apply_span_options(head: LinearHead, chosen: dict[str, SpanOption], probs: np.ndarray,
                        par_probs: np.ndarray, n_gold: dict[str, int]) -> dict[str, float]:
    """Set ``head``'s gates and thresholds to ``chosen``; mask ``probs`` (units x labels) in
    place by the gates, as inference will. Returns each technique's own out-of-fold F1."""
    f1 = {}
    for j, t in enumerate(head.labels):
        o = chosen[t]
        head.paragraph_gate[t], head.thresholds[t] = o.gate, o.threshold
        probs[:, j] = np.where(par_probs[:, j] >= o.gate, probs[:, j], 0.0)
        f1[t] = o.f1(n_gold[t])
    return f1


def _decode(labels: Sequence[str], probs: np.ndarray, ranges: np.ndarray, group: np.ndarray,
            thresholds: dict[str, float], content: np.ndarray | None = None,
            max_gap: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each label's spans and scores decoded from ``probs`` (units x labels) at its threshold."""
    return {t: decode_runs(ranges, group, probs[:, j], thresholds[t], content, max_gap)
            for j, t in enumerate(labels)}


def _span_paragraph_labels(units: Units, decoded: dict[str, tuple[np.ndarray, np.ndarray]],
                           columns: dict[str, int], out: np.ndarray) -> None:
    """Mark in ``out`` (paragraphs x techniques) the techniques of ``decoded`` spans."""
    par_starts = units.base[units.par_doc] + np.array([p.start for p in units.paragraphs], dtype=np.int64)
    for t, (spans, _) in decoded.items():
        if len(spans):
            out[np.searchsorted(par_starts, spans[:, 0], side="right") - 1, columns[t]] = True


def _span_outcomes(units: Units, decoded: dict[str, tuple[np.ndarray, np.ndarray]],
                   ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per technique: the decoded spans' scores and whether each overlaps a gold span of it."""
    out = {}
    for t, (spans, scores) in decoded.items():
        cum = coverage(units.gold_spans(t), units.total)
        hit = (cum[spans[:, 1]] - cum[spans[:, 0]] > 0) if len(spans) else np.zeros(0, dtype=bool)
        out[t] = (scores, hit)
    return out


def fit_linear(m: LinearModel, docs: Sequence[Document], *, progress: Progress,
               document_level: Sequence[Document] = ()) -> FitResult:
    """Fit every head of ``m`` on gold ``docs``; ``document_level`` articles (genre and frame
    labels only, no technique annotation) also train the genre and frame heads."""
    seed = m.seed
    techniques = technique_names(trainable_only=True)
    col = {t: j for j, t in enumerate(techniques)}
    progress("preparing paragraphs, sentences and tokens")
    units = build_units(docs)
    n_folds = max(1, min(m.folds, len(docs)))
    if m.fold_by not in FOLDINGS:
        raise ModelError(f"fold_by must be one of {', '.join(FOLDINGS)}, got {m.fold_by!r}.")
    doc_fold = topic_folds([d.text for d in docs], n_folds, seed)[0] if m.fold_by == "topic" \
        else article_folds(len(docs), n_folds, seed)

    vec = TextVectorizer.fit(units.par_texts, max_word=m.max_word_features, max_char=m.max_char_features)
    static = distill(units.par_texts, dim=m.static_dim, encoder_words=m.static_encoder_words,
                     progress=progress) if m.static_dim > 0 else None
    progress("paragraph classifier")
    mats = unit_matrices(vec, static, units, m.static_weight, m.shape_weight, m.static_frames_weight)
    xp = mats.par
    yp = np.array([[t in p.techniques for t in techniques] for p in units.paragraphs], dtype=bool)
    yp = yp.reshape(len(units.paragraphs), len(techniques))

    sent_t, tok_t = split_techniques(docs, techniques, m.sentence_min_words)
    # A kind built on this one may bring a second scorer; its out-of-fold probabilities are
    # mixed in before any threshold is chosen (``blend.py``).
    blend = m._extra_oof(units, doc_fold, n_folds, yp, techniques, tok_t, static, progress)

    def paragraph_fitter(x: sp.csr_matrix) -> Callable[[np.ndarray], LinearHead]:
        return lambda idx: fit_ovr(x[idx], yp[idx], techniques, c=m.c_paragraph, seed=seed)

    def paragraph_head(x: sp.csr_matrix, mixed: bool = False,
                       ) -> tuple[LinearHead, np.ndarray, dict[str, float]]:
        """A paragraph head on ``x``, its out-of-fold probabilities (``mixed``: blended) and
        per-technique OOF F1."""
        oof = _oof(paragraph_fitter(x), lambda h, te: h.proba(x[te]), par_fold, n_folds, yp.shape)
        if mixed and blend is not None:
            oof = blend.paragraphs(oof, techniques)
        head = paragraph_fitter(x)(np.arange(len(yp)))
        return head, oof, _set_pooled_thresholds(head, yp, oof)

    par_fold = doc_fold[units.par_doc]
    par_head, oof_par, par_f1 = paragraph_head(xp, mixed=True)
    heads: dict[str, LinearHead] = {"paragraph": par_head}
    gate_head, oof_gate = par_head, oof_par
    if m.shape_weight > 0:
        progress("paragraph gate for the span detectors")
        # Span detectors are gated by (and see the logit of) a paragraph head blind to the
        # paragraph's shape (see without_shape): gating on the shape-aware head cost span F1.
        gate_head, oof_gate, _ = paragraph_head(without_shape(xp, m.shape_weight))
        heads["paragraph_gate"] = gate_head
    oof_logit = logit(oof_gate)
    gates = {t: [round(g * gate_head.thresholds[t], 4) for g in GATE_GRID] for t in techniques}

    span_f1: dict[str, float] = {}
    from_spans = np.zeros_like(yp)

    progress(f"sentence-level span detectors ({len(sent_t)} techniques)")
    xs = sentence_matrix(vec, static, units.sent_texts, m.static_span_weight)
    ys = np.stack([unit_labels(units.sent_ranges, units.gold_spans(t), units.total, min_cover=0.35)
                   for t in sent_t], axis=1) if sent_t else np.zeros((len(units.sent_texts), 0))
    gs = oof_logit[units.sent_par][:, [col[t] for t in sent_t]]
    sent_group = np.arange(len(units.sent_texts))

    def fit_sent(idx: np.ndarray) -> LinearHead:
        return fit_ovr(xs[idx], ys[idx], sent_t, c=m.c_sentence, seed=seed, gates=gs[idx])

    oof_s = _oof(fit_sent, lambda h, te: h.proba(xs[te], gs[te]), doc_fold[units.par_doc][units.sent_par],
                 n_folds, ys.shape)
    heads["sentence"] = fit_sent(np.arange(len(ys)))
    par_s = oof_gate[units.sent_par][:, [col[t] for t in sent_t]]
    options, n_gold = span_options(sent_t, oof_s, par_s, units.sent_ranges, sent_group, units, gates)

    progress(f"token-level span detectors ({len(tok_t)} techniques, {len(units.tok_feats)} tokens)")
    xt = token_matrix(units.tok_feats, m.hash_bits, static, m.static_span_weight)
    yt = np.stack([unit_labels(units.tok_ranges, units.gold_spans(t), units.total, min_cover=0.5)
                   for t in tok_t], axis=1) if tok_t else np.zeros((len(units.tok_feats), 0))
    gt = oof_logit[units.tok_par][:, [col[t] for t in tok_t]]

    def fit_tok(idx: np.ndarray) -> LinearHead:
        return fit_ovr(xt, yt, tok_t, c=m.c_token, seed=seed, gates=gt,
                       rows=_sampled_rows(yt, idx, m.negative_ratio, seed))

    oof_t = _oof(fit_tok, lambda h, te: h.proba(xt[te], gt[te]), doc_fold[units.par_doc][units.tok_par],
                 n_folds, yt.shape)
    if blend is not None:
        oof_t = blend.tokens(oof_t, tok_t)
    heads["token"] = fit_tok(np.arange(len(yt)))
    par_t = oof_gate[units.tok_par][:, [col[t] for t in tok_t]]
    tok_options, tok_gold = span_options(tok_t, oof_t, par_t, units.tok_ranges, units.tok_par, units, gates,
                                         units.tok_content, m.token_gap)

    progress("choosing span thresholds for pooled F1")
    chosen, span_micro = choose_span_options(options | tok_options, n_gold | tok_gold)
    for head, probs, par_probs in ((heads["sentence"], oof_s, par_s), (heads["token"], oof_t, par_t)):
        span_f1.update(_apply_span_options(head, chosen, probs, par_probs, n_gold | tok_gold))
    decoded = _decode(sent_t, oof_s, units.sent_ranges, sent_group, heads["sentence"].thresholds)
    decoded |= _decode(tok_t, oof_t, units.tok_ranges, units.tok_par, heads["token"].thresholds,
                       units.tok_content, m.token_gap)
    _span_paragraph_labels(units, decoded, col, from_spans)
    confidence = ConfidenceMaps()
    confidence.fit_kind("paragraph", {t: (oof_par[:, j], yp[:, j]) for j, t in enumerate(techniques)})
    confidence.fit_kind("span", _span_outcomes(units, decoded))

    progress("choosing how paragraph labels combine with spans")
    par_pred = oof_par >= par_head.threshold_array()
    mode_f1 = {"classifier": micro_f1(yp, par_pred), "union": micro_f1(yp, par_pred | from_spans)}
    mode = max(mode_f1, key=mode_f1.__getitem__)

    progress("genre and frame classifiers")
    # Articles labelled for genre and frames only join every training fold of these two
    # heads (fold -1: never held out), so out-of-fold scores stay on the same articles.
    doc_texts = units.doc_texts
    xd, xfr, all_docs = mats.doc, mats.frames, list(docs)
    doc_fold_all = doc_fold
    if document_level:
        extra_units = build_units(document_level, with_tokens=False)
        extra = unit_matrices(vec, static, extra_units, m.static_weight, m.shape_weight,
                              m.static_frames_weight)
        xd, xfr = sp.vstack([xd, extra.doc], format="csr"), sp.vstack([xfr, extra.frames], format="csr")
        doc_texts = doc_texts + extra_units.doc_texts  # the analysed text, as for ``docs``
        all_docs += document_level
        doc_fold_all = np.concatenate([doc_fold, np.full(len(document_level), -1)])
    with_genre = np.array([d.genre is not None for d in all_docs])
    genres = [d.genre.label for d in all_docs if d.genre is not None]
    style = StyleScaler.fit(doc_texts, weight=m.style_weight) if m.style_weight > 0 else None
    if len(set(genres)) >= 2:
        xg = genre_matrix(xd, doc_texts, style)[with_genre]
        g_fold = doc_fold_all[with_genre]
        heads["genre"] = fit_multiclass(xg, genres, GENRES, c=m.c_genre, seed=seed)
        oof_g = _oof(lambda idx: fit_multiclass(xg[idx], [genres[i] for i in idx], GENRES,
                                                c=m.c_genre, seed=seed),
                     lambda h, te: h.softmax(xg[te]), g_fold, n_folds, (len(genres), len(GENRES)))
        held = np.flatnonzero(g_fold >= 0)
        heads["genre"].thresholds, genre_f1 = calibrate_genre(oof_g[held], [genres[i] for i in held])
    else:  # too little genre data: a constant prior on the majority genre (or "opinion")
        top = genres[0] if genres else GENRES[0]
        style = None
        heads["genre"] = LinearHead(list(GENRES), np.zeros((len(GENRES), vec.dim), dtype=np.float32),
                                    np.array([0.0 if g == top else -3.0 for g in GENRES], dtype=np.float32))
    with_frames = np.flatnonzero([bool(d.frames) for d in all_docs])
    frame_sets = [{x.label for x in all_docs[int(i)].frames} for i in with_frames]
    yf = np.array([[f in fs for f in FRAMES] for fs in frame_sets],
                  dtype=np.bool_).reshape(len(with_frames), len(FRAMES))
    xf = xfr[with_frames]
    f_fold = doc_fold_all[with_frames]

    def fit_frames(idx: np.ndarray) -> LinearHead:
        return fit_ovr(xf[idx], yf[idx], FRAMES, c=m.c_document, seed=seed)

    oof_f = _oof(fit_frames, lambda h, te: h.proba(xf[te]), f_fold, n_folds, yf.shape)
    heads["frames"] = fit_frames(np.arange(len(yf)))
    held_f = f_fold >= 0
    frame_f1 = _set_pooled_thresholds(heads["frames"], yf[held_f], oof_f[held_f])
    confidence.fit_kind("frames", {f: (oof_f[held_f, j], yf[held_f, j]) for j, f in enumerate(FRAMES)})

    def rounded(d: dict[str, float]) -> dict[str, float]:
        return {k: round(v, 4) for k, v in d.items()}

    calibration = {
        "folds": n_folds,
        "sentence_techniques": sent_t,
        "token_techniques": tok_t,
        "oof_paragraph_f1": rounded(par_f1),
        "oof_span_f1": rounded(span_f1),
        "oof_span_micro_f1": round(span_micro, 4),
        "oof_frame_f1": rounded(frame_f1),
        "oof_genre_macro_f1": round(genre_f1, 4) if len(set(genres)) >= 2 else None,
        "oof_paragraph_micro_f1": rounded(mode_f1),
    }
    return FitResult(vec, heads, mode, style, static, calibration, confidence)
