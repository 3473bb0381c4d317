"""Fitting the linear model: every head, with thresholds from out-of-fold predictions.

Folds are by article (a seeded permutation of documents, or whole topics: ``fold_by``), so
no paragraph of a held-out article is ever seen by the model that scores it. The confidence
maps may come from a second pass on other folds (``confidence_folds``, by default whole
topics), decoded with the decisions of the first. Span detectors are trained with the
*out-of-fold* paragraph logits as their gate feature, which is what they will see at
inference time (the paragraph classifier's scores on unseen text).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp

from propscope.document import Document
from propscope.errors import ModelError
from propscope.models.folds import FOLDINGS, article_folds, topic_folds
from propscope.models.linear.blend import Blend
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
from propscope.models.linear.spans import RunLayout, coverage
from propscope.models.linear.style import GenreSupport, StyleScaler, genre_matrix
from propscope.models.linear.units import Units, build_units, unit_labels
from propscope.taxonomy import FRAMES, GENRES, technique_names

Progress = Callable[[str], None]


class LinearParams(Protocol):
    """What ``fit_linear`` reads of the model it fits: ``LinearModel``'s parameters, and the
    hook through which a kind built on it adds a second scorer (``LinearModel._extra_oof``)."""

    c_document: float
    c_genre: float
    c_paragraph: float
    c_sentence: float
    c_token: float
    confidence_folds: str
    fold_by: str
    folds: int
    frames_nb: float
    hash_bits: int
    max_word_features: int
    negative_ratio: int
    paragraph_nb: float
    seed: int
    sentence_min_words: int
    shape_weight: float
    static_dim: int
    static_encoder_words: bool
    static_frames_weight: float
    static_weight: float
    style_weight: float
    token_gap: int

    def _extra_oof(self, units: Units, doc_fold: np.ndarray, n_folds: int, y_par: np.ndarray,
                   techniques: Sequence[str], token_techniques: Sequence[str],
                   static: StaticEmbeddings | None, progress: Callable[[str], None],
                   final: bool = True) -> Blend | None: ...


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
    genre_support: GenreSupport | None = None


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


def _apply_span_options(head: LinearHead, chosen: dict[str, SpanOption],
                        n_gold: dict[str, int]) -> dict[str, float]:
    """Set ``head``'s gates and thresholds to ``chosen``; returns each technique's own
    out-of-fold F1."""
    f1 = {}
    for t in head.labels:
        o = chosen[t]
        head.paragraph_gate[t], head.thresholds[t] = o.gate, o.threshold
        f1[t] = o.f1(n_gold[t])
    return f1


def _decode(labels: Sequence[str], probs: np.ndarray, layout: RunLayout,
            thresholds: dict[str, float]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each label's spans and scores decoded from ``probs`` (units x labels) at its threshold."""
    return {t: layout.decode(probs[:, j], thresholds[t]) for j, t in enumerate(labels)}


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


@dataclass
class _OutOfFold:
    """One out-of-fold pass over the technique heads: units x labels probabilities, each
    scored by heads (and the blend's second scorer) fitted on the other folds."""

    par: np.ndarray  # paragraphs x techniques, blended
    gate: np.ndarray  # the same by the shape-blind gate head (``par`` itself without shape)
    sent: np.ndarray  # sentences x sentence techniques
    tok: np.ndarray  # tokens x token techniques, blended
    sent_gate: np.ndarray  # the gate probability of each sentence's paragraph
    tok_gate: np.ndarray  # the same per token


def _folds(how: str, docs: Sequence[Document], n_folds: int, seed: int) -> np.ndarray:
    if how not in FOLDINGS:
        raise ModelError(f"fold_by and confidence_folds must be one of {', '.join(FOLDINGS)}, "
                         f"got {how!r}.")
    return topic_folds([d.text for d in docs], n_folds, seed)[0] if how == "topic" \
        else article_folds(len(docs), n_folds, seed)


def fit_linear(m: LinearParams, docs: Sequence[Document], *, progress: Progress,
               document_level: Sequence[Document] = ()) -> FitResult:
    """Fit every head of ``m`` on gold ``docs``; ``document_level`` articles (genre and frame
    labels only, no technique annotation) also train the genre and frame heads.

    Decisions (thresholds, gates, span options) come from out-of-fold scores on ``m.fold_by``
    folds. Where ``m.confidence_folds`` draws other folds, a second out-of-fold pass on those
    fits the confidence maps, so a score can mean its rate on stories never seen while the
    decisions stay tuned on the usual folds."""
    seed = m.seed
    techniques = technique_names(trainable_only=True)
    col = {t: j for j, t in enumerate(techniques)}
    progress("preparing paragraphs, sentences and tokens")
    units = build_units(docs)
    n_folds = max(1, min(m.folds, len(docs)))
    doc_fold = _folds(m.fold_by, docs, n_folds, seed)
    conf_fold = _folds(m.confidence_folds, docs, n_folds, seed)
    if np.array_equal(conf_fold, doc_fold):  # the same folds (or too few texts for topics)
        conf_fold = doc_fold

    vec = TextVectorizer.fit(units.par_texts, max_word=m.max_word_features)
    static = distill(units.par_texts, dim=m.static_dim, encoder_words=m.static_encoder_words,
                     progress=progress) if m.static_dim > 0 else None
    mats = unit_matrices(vec, static, units, m.static_weight, m.shape_weight, m.static_frames_weight)
    xp = mats.par
    # Span detectors are gated by (and see the logit of) a paragraph head blind to the
    # paragraph's shape (see without_shape): gating on the shape-aware head cost span F1.
    x_gate = without_shape(xp, m.shape_weight) if m.shape_weight > 0 else None
    yp = np.array([[t in p.techniques for t in techniques] for p in units.paragraphs], dtype=bool)
    yp = yp.reshape(len(units.paragraphs), len(techniques))

    sent_t, tok_t = split_techniques(docs, techniques, m.sentence_min_words)
    xs = sentence_matrix(vec, units.sent_texts)
    ys = np.stack([unit_labels(units.sent_ranges, units.gold_spans(t), units.total, min_cover=0.35)
                   for t in sent_t], axis=1) if sent_t else np.zeros((len(units.sent_texts), 0))
    sent_layout, tok_layout = units.sentence_layout(), units.token_layout(m.token_gap)
    xt = token_matrix(units.tok_feats, m.hash_bits)
    yt = np.stack([unit_labels(units.tok_ranges, units.gold_spans(t), units.total, min_cover=0.5)
                   for t in tok_t], axis=1) if tok_t else np.zeros((len(units.tok_feats), 0))
    sent_cols, tok_cols = [col[t] for t in sent_t], [col[t] for t in tok_t]

    def fit_par(x: sp.csr_matrix, nb: float = 0.0) -> Callable[[np.ndarray], LinearHead]:
        return lambda idx: fit_ovr(x[idx], yp[idx], techniques, c=m.c_paragraph, seed=seed,
                                   nb_columns=vec.dim, nb_power=nb)

    def fit_sent(gs: np.ndarray) -> Callable[[np.ndarray], LinearHead]:
        return lambda idx: fit_ovr(xs[idx], ys[idx], sent_t, c=m.c_sentence, seed=seed, gates=gs[idx])

    def fit_tok(gt: np.ndarray) -> Callable[[np.ndarray], LinearHead]:
        return lambda idx: fit_ovr(xt, yt, tok_t, c=m.c_token, seed=seed, gates=gt,
                                   rows=_sampled_rows(yt, idx, m.negative_ratio, seed))

    def out_of_fold(fold: np.ndarray, final: bool, what: str) -> _OutOfFold:
        # A kind built on this one may bring a second scorer; its out-of-fold probabilities
        # are mixed in before any threshold is chosen (``blend.py``).
        blend = m._extra_oof(units, fold, n_folds, yp, techniques, tok_t, static, progress, final=final)
        par_fold = fold[units.par_doc]
        progress(f"paragraph classifier{what}")
        par = _oof(fit_par(xp, m.paragraph_nb), lambda h, te: h.proba(xp[te]), par_fold, n_folds, yp.shape)
        if blend is not None:
            par = blend.paragraphs(par, techniques)
        gate = par
        if x_gate is not None:
            progress(f"paragraph gate for the span detectors{what}")
            gate = _oof(fit_par(x_gate), lambda h, te: h.proba(x_gate[te]), par_fold, n_folds, yp.shape)
        sent_gate, tok_gate = gate[units.sent_par][:, sent_cols], gate[units.tok_par][:, tok_cols]
        # The span detectors see the out-of-fold gate logit, as they will see unseen text's.
        gs, gt = logit(sent_gate), logit(tok_gate)
        progress(f"sentence-level span detectors ({len(sent_t)} techniques){what}")
        sent = _oof(fit_sent(gs), lambda h, te: h.proba(xs[te], gs[te]), par_fold[units.sent_par],
                    n_folds, ys.shape)
        progress(f"token-level span detectors ({len(tok_t)} techniques, {len(units.tok_feats)} "
                 f"tokens){what}")
        tok = _oof(fit_tok(gt), lambda h, te: h.proba(xt[te], gt[te]), par_fold[units.tok_par],
                   n_folds, yt.shape)
        if blend is not None:
            tok = blend.tokens(tok, tok_t)
        return _OutOfFold(par, gate, sent, tok, sent_gate, tok_gate)

    oof = out_of_fold(doc_fold, final=True, what="")
    everything = np.arange(len(yp))
    heads: dict[str, LinearHead] = {"paragraph": fit_par(xp, m.paragraph_nb)(everything)}
    par_f1 = _set_pooled_thresholds(heads["paragraph"], yp, oof.par)
    gate_head = heads["paragraph"]
    if x_gate is not None:
        gate_head = heads["paragraph_gate"] = fit_par(x_gate)(everything)
        _set_pooled_thresholds(gate_head, yp, oof.gate)
    gates = {t: [round(g * gate_head.thresholds[t], 4) for g in GATE_GRID] for t in techniques}
    heads["sentence"] = fit_sent(logit(oof.sent_gate))(np.arange(len(ys)))
    heads["token"] = fit_tok(logit(oof.tok_gate))(np.arange(len(yt)))
    options, n_gold = span_options(sent_t, oof.sent, oof.sent_gate, sent_layout, units, gates)
    tok_options, tok_gold = span_options(tok_t, oof.tok, oof.tok_gate, tok_layout, units, gates)

    progress("choosing span thresholds for pooled F1")
    chosen, span_micro = choose_span_options(options | tok_options, n_gold | tok_gold)
    span_f1: dict[str, float] = {}
    for head in (heads["sentence"], heads["token"]):
        span_f1.update(_apply_span_options(head, chosen, n_gold | tok_gold))

    def decode(scores: _OutOfFold) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Spans as the fitted heads decode them from ``scores`` (gated in place)."""
        heads["sentence"].gated(scores.sent, scores.gate, units.sent_par, col)
        heads["token"].gated(scores.tok, scores.gate, units.tok_par, col)
        return _decode(sent_t, scores.sent, sent_layout, heads["sentence"].thresholds) \
            | _decode(tok_t, scores.tok, tok_layout, heads["token"].thresholds)

    decoded = decode(oof)
    from_spans = np.zeros_like(yp)
    _span_paragraph_labels(units, decoded, col, from_spans)
    progress("choosing how paragraph labels combine with spans")
    par_pred = oof.par >= heads["paragraph"].threshold_array()
    mode_f1 = {"classifier": micro_f1(yp, par_pred), "union": micro_f1(yp, par_pred | from_spans)}
    mode = max(mode_f1, key=mode_f1.__getitem__)

    if conf_fold is not doc_fold:
        conf = out_of_fold(conf_fold, final=False, what=f" ({m.confidence_folds} folds, for the confidences)")
        conf_decoded = decode(conf)
    else:
        conf, conf_decoded = oof, decoded
    confidence = ConfidenceMaps()
    confidence.fit_kind("paragraph", {t: (conf.par[:, j], yp[:, j]) for j, t in enumerate(techniques)})
    confidence.fit_kind("span", _span_outcomes(units, conf_decoded))

    progress("genre and frame classifiers")
    # Articles labelled for genre and frames only join every training fold of these two
    # heads (fold -1: never held out), so out-of-fold scores stay on the same articles.
    doc_texts = units.doc_texts
    xd, xfr, all_docs = mats.doc, mats.frames, list(docs)
    doc_fold_all, conf_fold_all = doc_fold, conf_fold
    if document_level:
        extra_units = build_units(document_level, with_tokens=False)
        extra = unit_matrices(vec, static, extra_units, m.static_weight, m.shape_weight,
                              m.static_frames_weight)
        xd, xfr = sp.vstack([xd, extra.doc], format="csr"), sp.vstack([xfr, extra.frames], format="csr")
        doc_texts = doc_texts + extra_units.doc_texts  # the analysed text, as for ``docs``
        all_docs += document_level
        doc_fold_all = np.concatenate([doc_fold, np.full(len(document_level), -1)])
        conf_fold_all = np.concatenate([conf_fold, np.full(len(document_level), -1)])
    with_genre = np.array([d.genre is not None for d in all_docs])
    genres = [d.genre.label for d in all_docs if d.genre is not None]
    style = StyleScaler.fit(doc_texts, weight=m.style_weight) if m.style_weight > 0 else None
    support = None
    if len(set(genres)) >= 2:
        labelled = [t for t, w in zip(doc_texts, with_genre, strict=True) if w]
        support = GenreSupport.fit(labelled, genres, GENRES)
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
        return fit_ovr(xf[idx], yf[idx], FRAMES, c=m.c_document, seed=seed,
                       nb_columns=vec.dim, nb_power=m.frames_nb)

    oof_f = _oof(fit_frames, lambda h, te: h.proba(xf[te]), f_fold, n_folds, yf.shape)
    heads["frames"] = fit_frames(np.arange(len(yf)))
    held_f = f_fold >= 0
    frame_f1 = _set_pooled_thresholds(heads["frames"], yf[held_f], oof_f[held_f])
    if conf_fold is not doc_fold:
        f_fold = conf_fold_all[with_frames]
        oof_f = _oof(fit_frames, lambda h, te: h.proba(xf[te]), f_fold, n_folds, yf.shape)
        held_f = f_fold >= 0
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
    return FitResult(vec, heads, mode, style, static, calibration, confidence, support)
