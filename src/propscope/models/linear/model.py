"""``LinearModel``: TF-IDF/hashed-feature logistic regressions for all four outputs.

- Paragraph techniques: one-vs-rest logistic regression on TF-IDF of the paragraph, plus the
  mean word vector of the paragraph and of its article (word vectors distilled from
  all-MiniLM-L6-v2 at training, ``embeddings.py``: a table lookup at analysis).
- Spans: techniques whose gold spans are short (a few words) are found token by token
  (hashed lexical/context features plus the paragraph logit); techniques whose spans are
  usually whole clauses are found sentence by sentence (TF-IDF plus the paragraph logit).
- Genre: multinomial logistic regression on the article's TF-IDF plus style features
  (quoting, attribution verbs, person, punctuation; ``style.py``); frames: one-vs-rest on
  the article's TF-IDF and mean word vector.
Every decision threshold comes from out-of-fold predictions (folds by article).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from propscope.document import Document, Frame, Genre, Span
from propscope.errors import ModelError
from propscope.models.base import FittedModel, register_model
from propscope.models.linear.blend import Blend
from propscope.models.linear.confidence import ConfidenceMaps
from propscope.models.linear.embeddings import (
    StaticEmbeddings,
    sentence_matrix,
    token_matrix,
    unit_matrices,
)
from propscope.models.linear.evidence import paragraph_evidence, token_evidence
from propscope.models.linear.features import TextVectorizer
from propscope.models.linear.fitting import FitResult, fit_linear
from propscope.models.linear.heads import LinearHead, logit
from propscope.models.linear.style import GenreSupport, StyleScaler, genre_matrix
from propscope.models.linear.units import Units, build_units
from propscope.taxonomy import UNTRAINABLE_TECHNIQUES as _UNTRAINABLE

WEIGHTS_FILE = "weights.npz"
VOCAB_FILE = "vocab.json"
_HEADS = ("paragraph", "paragraph_gate", "sentence", "token", "genre", "frames")


@register_model("linear")
class LinearModel(FittedModel):
    """Classical persuasion model: fast on a CPU, a few MB on disk, no pickled objects.

    Args:
        name: artifact name recorded in outputs (``linear-v0``).
        version: version string recorded in outputs.
        max_word_features: word 1-2-gram vocabulary size.
        hash_bits: token features are hashed into ``2**hash_bits`` columns.
        c_paragraph: inverse regularisation of the paragraph classifiers.
        c_sentence: inverse regularisation of the sentence-level span detectors.
        c_token: inverse regularisation of token classifiers.
        c_document: inverse regularisation of the frame classifiers.
        frames_nb: power of the naive-Bayes log-count ratio scaling each frame's TF-IDF
            columns before its fit (``heads.fit_ovr``); 0 fits the raw columns.
        paragraph_nb: the same scaling for the paragraph technique heads (the span detectors'
            gate keeps the raw columns).
        c_genre: inverse regularisation of the genre classifier.
        static_dim: width of the word vectors distilled from all-MiniLM-L6-v2 at training
            (``embeddings.py``; 0 switches them off and training then needs no torch).
        static_weight: scale of the paragraph's word-vector mean next to its unit-norm
            TF-IDF in the paragraph classifier (its document's at half of it).
        static_frames_weight: scale of the article's word-vector mean next to its unit-norm
            TF-IDF in the frame classifier.
        static_encoder_words: distil vectors for the encoder's whole-word vocabulary too,
            not only for words seen twice in training (off: faster, for tiny test fits).
        shape_weight: scale of the paragraph's shape (log counts of "?", "!", quotes, dashes
            and words; ``embeddings.shape_columns``) in the paragraph classifier (0: off).
        style_weight: scale of the standardised style features next to the article's
            unit-norm TF-IDF in the genre classifier (0 switches them off).
        sentence_min_words: techniques whose median gold span has at least this many words
            are detected per sentence, the others per token.
        negative_ratio: token negatives kept per positive when training token classifiers.
        token_gap: token-level spans at most this many tokens apart are joined into one.
        folds: article folds for out-of-fold threshold calibration.
        fold_by: how those folds are drawn: ``"article"`` (a seeded permutation) or
            ``"topic"`` (whole clusters of similar articles, ``models/folds.py``), so every
            threshold is chosen on scores for stories the heads never saw.
        confidence_folds: how the folds behind the confidence maps are drawn (the same two
            choices). Where it differs from ``fold_by``, a second out-of-fold pass fits the
            maps, so a score estimates its rate on stories the model never saw while the
            decisions stay tuned on ``fold_by`` folds (about 1.6x the fitting time).
        seed: random seed (subsampling, solvers).
    """

    kind: ClassVar[str] = "linear"

    def __init__(self, *, name: str = "linear-v0", version: str = "0.1.0",
                 max_word_features: int = 30000,
                 hash_bits: int = 17, c_paragraph: float = 4.0, c_sentence: float = 1.0,
                 c_token: float = 0.3,
                 c_document: float = 4.0, frames_nb: float = 0.5, paragraph_nb: float = 0.5,
                 c_genre: float = 1.0,
                 style_weight: float = 0.4,
                 static_dim: int = 64, static_weight: float = 0.5, static_frames_weight: float = 0.5,
                 static_encoder_words: bool = True, shape_weight: float = 0.3, token_gap: int = 1,
                 sentence_min_words: int = 8,
                 negative_ratio: int = 10, folds: int = 3, fold_by: str = "article",
                 confidence_folds: str = "topic", seed: int = 0) -> None:
        self.name = name
        self.version = version
        self.max_word_features = max_word_features
        self.hash_bits = hash_bits
        self.c_paragraph = c_paragraph
        self.c_sentence = c_sentence
        self.c_token = c_token
        self.c_document = c_document
        self.frames_nb = frames_nb
        self.paragraph_nb = paragraph_nb
        self.c_genre = c_genre
        self.style_weight = style_weight
        self.static_dim = static_dim
        self.static_weight = static_weight
        self.static_frames_weight = static_frames_weight
        self.static_encoder_words = static_encoder_words
        self.shape_weight = shape_weight
        self.token_gap = token_gap
        self.sentence_min_words = sentence_min_words
        self.negative_ratio = negative_ratio
        self.folds = folds
        self.fold_by = fold_by
        self.confidence_folds = confidence_folds
        self.seed = seed

    @property
    def calibrated(self) -> bool:
        """True once confidence maps are fitted."""
        return bool(getattr(self, "confidence_", None) and self.confidence_.default)

    # -- training -------------------------------------------------------------------------

    def fit(self, docs: Sequence[Document], *, trained_on: str | None = None,
            progress: Callable[[str], None] | None = None,
            document_level: Sequence[Document] = (), **_: Any) -> LinearModel:
        """Learn every head from gold documents; returns ``self``.

        ``document_level``: articles with genre/frame labels but no technique annotation;
        they train the genre and frame heads only.
        """
        if not docs:
            raise ModelError("Cannot fit the linear model on zero documents; pass gold Documents.")
        result: FitResult = fit_linear(self, docs, progress=progress or (lambda _m: None),
                                       document_level=document_level)
        self.vectorizer_ = result.vectorizer
        self.heads_ = result.heads
        self.style_ = result.style
        self.genre_support_ = result.genre_support
        self.static_ = result.static
        self.paragraph_mode_ = result.paragraph_mode
        self.calibration_ = result.calibration
        self.confidence_ = result.confidence
        self.trained_on_ = trained_on or f"{len(docs)} articles"
        return self

    def _extra_oof(self, units: Units, doc_fold: np.ndarray, n_folds: int, y_par: np.ndarray,
                   techniques: Sequence[str], token_techniques: Sequence[str],
                   static: StaticEmbeddings | None, progress: Callable[[str], None],
                   final: bool = True) -> Blend | None:
        """Hook for kinds built on this one: fit a second scorer on ``units`` and return its
        out-of-fold probabilities (folds ``doc_fold`` by document), or ``None`` (this kind).
        ``final``: also fit the scorer on every unit (the first pass; a second pass for the
        confidence maps needs only out-of-fold scores)."""
        return None

    # -- inference ------------------------------------------------------------------------

    def _extra_scores(self, units: Units) -> Blend | None:
        """Hook matching ``_extra_oof`` at analysis: the second scorer's probabilities."""
        return None

    def predict(self, docs: Sequence[Document], *, sensitivity: float = 0.0) -> list[Document]:
        """Annotate ``docs`` in place (spans, paragraph labels, genre, frames) and return them.

        ``sensitivity`` shifts every span and paragraph-label threshold by that many logits
        (``sensitivity.py``; 0: the calibrated thresholds).
        """
        self._check_fitted()
        docs = list(docs)
        if not docs:
            return docs
        units = build_units(docs)
        scored = score_units(self, units, sensitivity)
        info = replace(self.info, sensitivity=sensitivity)
        for doc in docs:
            doc.spans = []
            doc.model = info
        self._assign_paragraphs(units, scored, sensitivity)
        self._assign_spans(units, scored)
        self._assign_documents(units, scored)
        return docs

    def _assign_paragraphs(self, units: Units, scored: Scored, sensitivity: float) -> None:
        head = self.heads_["paragraph"]
        thr = head.threshold_array(shift=sensitivity)
        # Labels are decided on the raw probabilities; the reported scores are calibrated.
        shown = self.confidence_.apply("paragraph", head.labels, scored.par)
        for i, p in enumerate(units.paragraphs):
            p.scores = {t: round(float(v), 4) for t, v in zip(head.labels, shown[i], strict=True)}
            p.techniques = [t for t, v, th in zip(head.labels, scored.par[i], thr, strict=True) if v >= th]
        given = [p.techniques for p in units.paragraphs]
        tok_labels = self.heads_["token"].labels
        # Token-level techniques point at their likeliest words, the others at the n-grams
        # that raised the classifier's score (``evidence.py`` says why).
        by_ngram = paragraph_evidence(head, self.vectorizer_, scored.par_rows, units.par_texts,
                                      [p.start for p in units.paragraphs],
                                      [[t for t in g if t not in tok_labels] for g in given])
        by_token = token_evidence(units, tok_labels, scored.tok_probs, given) \
            if len(scored.tok_probs) else [{} for _ in given]
        for p, a, b in zip(units.paragraphs, by_ngram, by_token, strict=True):
            p.evidence = {t: (a | b)[t] for t in p.techniques if t in a or t in b}

    def _assign_spans(self, units: Units, scored: Scored) -> None:
        for label, spans, scores in scored.spans:
            shown = self.confidence_.get("span", label)(scores)
            for (gs, ge), sc in zip(spans, shown, strict=True):
                d = units.locate(int(gs))
                doc = units.docs[d]
                s, e = int(gs - units.base[d]), int(ge - units.base[d])
                if any(r.start < e and s < r.end for r in doc.boilerplate):
                    continue
                doc.spans.append(doc.check_span(Span(s, e, label, float(min(max(sc, 0.0), 1.0)))))
        for doc in units.docs:
            doc.spans.sort(key=lambda s: (s.start, s.end, s.label))
            if self.paragraph_mode_ == "union":
                for p in doc.paragraphs:
                    inside = {s.label: s.score for s in doc.spans if s.overlaps(p.start, p.end)}
                    for label, sc in inside.items():
                        if label not in p.techniques:
                            p.techniques.append(label)
                            p.scores[label] = max(p.scores.get(label, 0.0), round(sc, 4))
                    p.techniques.sort()

    def _assign_documents(self, units: Units, scored: Scored) -> None:
        frames = self.heads_["frames"]
        fthr = frames.threshold_array()
        shown = self.confidence_.apply("frames", frames.labels, scored.frames)
        for d, doc in enumerate(units.docs):
            genre = self.heads_["genre"]
            g = {lb: float(v) for lb, v in zip(genre.labels, scored.genre[d], strict=True)}
            # The label is argmax of p / threshold (thresholds calibrated for macro-F1).
            label = max(g, key=lambda k: g[k] / genre.thresholds.get(k, 0.5))
            doc.genre = Genre(label, {k: round(v, 4) for k, v in g.items()})
            probs = scored.frames[d]
            chosen = [j for j in np.argsort(-probs) if probs[j] >= fthr[j]] or [int(np.argmax(probs))]
            # Listed by the score shown (calibrated per frame, so its order can differ from
            # the raw probabilities'), so that the first frame is the one scored highest.
            chosen.sort(key=lambda j: -float(shown[d, j]))
            doc.frames = [Frame(frames.labels[j], round(float(shown[d, j]), 4)) for j in chosen]

    # -- persistence ----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write ``model.json``, ``weights.npz`` (float arrays) and ``vocab.json``."""
        self._check_fitted()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        arrays, vocab = self.vectorizer_.to_arrays("vectorizer")
        if self.style_ is not None:
            arrays.update(self.style_.to_arrays("style"))
        if self.static_ is not None:
            static_arrays, vocab["static_vocab"] = self.static_.to_arrays("static")
            arrays.update(static_arrays)
        heads_meta = {}
        for key, head in self.heads_.items():
            a, meta = head.to_arrays(key)
            arrays.update(a)
            heads_meta[key] = meta
        extra_arrays, extra_meta = self._extra_state()
        arrays.update(extra_arrays)
        np.savez_compressed(path / WEIGHTS_FILE, **arrays)  # type: ignore[arg-type]
        (path / VOCAB_FILE).write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        manifest_path = path / "model.json"
        manifest: dict[str, Any] = {}
        if manifest_path.is_file():  # keep what training wrote (metrics, timings)
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest.update({
            "kind": self.kind, "name": self.name, "version": self.version,
            "trained_on": self.trained_on_, "params": self.get_params(),
            "paragraph_mode": self.paragraph_mode_, "heads": heads_meta,
            "calibration": self.calibration_, "confidence": self.confidence_.to_json(),
            "genre_support": self.genre_support_.to_json() if self.genre_support_ else None,
        } | extra_meta)
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        """Read an artifact folder written by ``save`` (no pickle is ever loaded)."""
        path = Path(path)
        # Every read is in the try: a half-copied weights.npz is no zip file, and an artifact
        # of another version can lack an array, a head or a manifest entry.
        try:
            manifest = json.loads((path / "model.json").read_text(encoding="utf-8"))
            vocab = json.loads((path / VOCAB_FILE).read_text(encoding="utf-8"))
            with np.load(path / WEIGHTS_FILE, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
            return cls._from_parts(manifest, vocab, arrays)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile) as exc:
            detail = str(exc) if isinstance(exc, OSError) else repr(exc)  # OSError names the file
            raise ModelError(f"Cannot read linear model artifact at {path}: {detail}. "
                             "Copy it again, or retrain it with `propscope train --data DIR`.") from exc

    @classmethod
    def _from_parts(cls, manifest: dict[str, Any], vocab: dict[str, Any],
                    arrays: dict[str, np.ndarray]) -> LinearModel:
        params = {k: v for k, v in manifest.get("params", {}).items()
                  if k in cls().get_params()}
        model = cls(**params)
        model.vectorizer_ = TextVectorizer.from_arrays("vectorizer", arrays, vocab)
        model.heads_ = {k: LinearHead.from_arrays(k, arrays, manifest["heads"][k])
                        for k in _HEADS if k in manifest["heads"]}
        model.style_ = StyleScaler.from_arrays("style", arrays)
        model.genre_support_ = GenreSupport.from_json(manifest.get("genre_support"))
        model.static_ = StaticEmbeddings.from_arrays("static", arrays, vocab.get("static_vocab"))
        model.paragraph_mode_ = manifest.get("paragraph_mode", "classifier")
        model.calibration_ = manifest.get("calibration", {})
        model.confidence_ = ConfidenceMaps.from_json(manifest.get("confidence"))
        model.trained_on_ = str(manifest.get("trained_on", "unknown"))
        model._load_extra_state(arrays, manifest)
        return model

    def _extra_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Hook: arrays for ``weights.npz`` and ``model.json`` entries of a kind built on this one."""
        return {}, {}

    def _load_extra_state(self, arrays: dict[str, np.ndarray], manifest: dict[str, Any]) -> None:
        """Hook: read back what ``_extra_state`` wrote."""


class Scored:
    """Probabilities for every unit of a batch, plus decoded spans per technique."""

    def __init__(self, par: np.ndarray, genre: np.ndarray, frames: np.ndarray,
                 spans: list[tuple[str, np.ndarray, np.ndarray]], par_rows: sp.csr_matrix,
                 tok_probs: np.ndarray) -> None:
        self.par = par
        # For evidence: the paragraph classifier's input rows, and the token detectors'
        # (mixed) probabilities before the paragraph gates (tokens x token-head labels).
        self.par_rows = par_rows
        self.tok_probs = tok_probs
        self.genre = genre
        self.frames = frames
        self.spans = spans


def score_units(model: LinearModel, units: Units, sensitivity: float = 0.0) -> Scored:
    """Run every head of a fitted ``model`` over ``units``; spans are decoded at the span
    thresholds and gates moved by ``sensitivity`` (``sensitivity.py``)."""
    heads = model.heads_
    vec = model.vectorizer_
    par_head = heads["paragraph"]
    n_par = len(units.par_texts)
    mats = unit_matrices(vec, model.static_, units, model.static_weight, model.shape_weight,
                         model.static_frames_weight)
    par = par_head.proba(mats.par) if n_par else np.zeros((0, len(par_head.labels)))
    blend = model._extra_scores(units)
    if blend is not None:
        par = blend.paragraphs(par, par_head.labels)
    # The span gate head's shape weights are 0 (it was fitted with those columns at 0).
    gate_par = heads["paragraph_gate"].proba(mats.par) if n_par and "paragraph_gate" in heads else par
    par_logit = logit(gate_par)
    col = {t: j for j, t in enumerate(par_head.labels)}
    spans: list[tuple[str, np.ndarray, np.ndarray]] = []
    sent = heads["sentence"]
    if sent.labels and len(units.sent_texts):
        gates = par_logit[units.sent_par][:, [col[t] for t in sent.labels]]
        xs = sentence_matrix(vec, units.sent_texts)
        probs = sent.gated(sent.proba(xs, gates), gate_par, units.sent_par, col, sensitivity)
        layout = units.sentence_layout()
        spans += [(t, *layout.decode(probs[:, j], sent.threshold(t, sensitivity, 1.01)))
                  for j, t in enumerate(sent.labels)]
    tok = heads["token"]
    tok_probs = np.zeros((0, len(tok.labels)), dtype=np.float32)
    if tok.labels and len(units.tok_feats):
        gates = par_logit[units.tok_par][:, [col[t] for t in tok.labels]]
        xt = token_matrix(units.tok_feats, model.hash_bits)
        probs = tok.proba(xt, gates)
        if blend is not None:
            probs = blend.tokens(probs, tok.labels)
        tok_probs = probs.copy()
        probs = tok.gated(probs, gate_par, units.tok_par, col, sensitivity)
        layout = units.token_layout(model.token_gap)
        spans += [(t, *layout.decode(probs[:, j], tok.threshold(t, sensitivity, 1.01)))
                  for j, t in enumerate(tok.labels)]
    doc_texts = units.doc_texts
    genre = heads["genre"].softmax(genre_matrix(mats.doc, doc_texts, model.style_))
    if model.genre_support_ is not None:  # texts shorter than any training article: toward the prior
        genre = model.genre_support_.shrink(genre, doc_texts, heads["genre"].labels)
    return Scored(par, genre, heads["frames"].proba(mats.frames),
                  [s for s in spans if s[0] not in _UNTRAINABLE], mats.par, tok_probs)

