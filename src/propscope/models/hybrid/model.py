"""``HybridModel``: the linear model's heads with a convolutional tagger mixed in.

The tagger (``models/tagger``) reads each paragraph's tokens as fine-tuned word vectors
distilled from all-MiniLM-L6-v2 and scores every token (span techniques found word by word)
and the paragraph, with context the linear model's hashed features do not generalise over.
Its out-of-fold probabilities are mixed into the linear paragraph classifier's and token
detectors' (``linear/blend.py``) before every threshold, gate and span option is calibrated,
so everything downstream (decoding, paragraph labels, the model card) is the linear model's.
Genre and frames are the linear model's alone. Analysis needs numpy only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np

from propscope.errors import ModelError, NotFittedError
from propscope.models.base import register_model
from propscope.models.linear.blend import Blend
from propscope.models.linear.embeddings import StaticEmbeddings, unit_rows
from propscope.models.linear.model import LinearModel
from propscope.models.linear.units import Units, unit_labels
from propscope.models.tagger.network import TaggerWeights, forward, max_pool
from propscope.models.tagger.tokens import SPECIALS, special_id, token_ids

_PREFIX = "tagger"


@register_model("hybrid")
class HybridModel(LinearModel):
    """The linear model plus a convolutional tagger over distilled word vectors.

    Args:
        name: artifact name recorded in outputs (``hybrid-v1``).
        tagger_filters: convolution filters per layer.
        tagger_layers: convolution layers (dilations 1, 2, 4, ...: 2 layers see 3 tokens on
            each side).
        tagger_dropout: dropout on the heads' inputs while training.
        tagger_epochs: passes over the training paragraphs.
        tagger_lr: AdamW learning rate.
        tagger_paragraph_loss: weight of the paragraph labels' loss next to the tokens'.
        tagger_paragraph_weight: share of the tagger's paragraph head in the mixed paragraph
            probability.
        tagger_max_weight: share of the tagger's highest token probability in the paragraph
            (techniques the tagger finds word by word): one loaded word is evidence enough.
        tagger_token_weight: share of the tagger in a token detector's mixed probability.
        **linear: ``LinearModel`` parameters (the word vectors, ``static_dim > 0``, are needed).
    """

    kind: ClassVar[str] = "hybrid"

    def __init__(self, *, name: str = "hybrid-v1", version: str = "0.7.0", tagger_filters: int = 128,
                 tagger_layers: int = 2,
                 tagger_dropout: float = 0.3, tagger_epochs: int = 6, tagger_lr: float = 2e-3,
                 tagger_paragraph_loss: float = 0.5, tagger_paragraph_weight: float = 0.3,
                 tagger_max_weight: float = 0.2, tagger_token_weight: float = 0.5,
                 **linear: Any) -> None:
        super().__init__(name=name, version=version, **linear)
        self.tagger_filters = tagger_filters
        self.tagger_layers = tagger_layers
        self.tagger_dropout = tagger_dropout
        self.tagger_epochs = tagger_epochs
        self.tagger_lr = tagger_lr
        self.tagger_paragraph_loss = tagger_paragraph_loss
        self.tagger_paragraph_weight = tagger_paragraph_weight
        self.tagger_max_weight = tagger_max_weight
        self.tagger_token_weight = tagger_token_weight

    # -- training -------------------------------------------------------------------------

    def _extra_oof(self, units: Units, doc_fold: np.ndarray, n_folds: int, y_par: np.ndarray,
                   techniques: Sequence[str], token_techniques: Sequence[str],
                   static: StaticEmbeddings | None, progress: Callable[[str], None],
                   final: bool = True) -> Blend | None:
        """Fit the tagger out of fold (for the calibration) and, if ``final``, on everything
        (``tagger_``)."""
        from propscope.models.tagger.training import TaggerConfig, TaggerData, fit_tagger

        if static is None:
            raise ModelError("The hybrid model's tagger reads the distilled word vectors: "
                             "set static_dim > 0.")
        cfg = TaggerConfig(filters=self.tagger_filters, layers=self.tagger_layers,
                           dropout=self.tagger_dropout, epochs=self.tagger_epochs, lr=self.tagger_lr,
                           paragraph_loss=self.tagger_paragraph_loss, seed=self.seed)
        labels = list(token_techniques)
        y_tok = np.stack([unit_labels(units.tok_ranges, units.gold_spans(t), units.total, min_cover=0.5)
                          for t in labels], axis=1) if labels else np.zeros((len(units.tok_feats), 0))
        ids = token_rows(units, static)
        data = TaggerData(ids, units.tok_par, y_tok.astype(np.float32), y_par.astype(np.float32))
        init = np.concatenate([unit_rows(static.vectors), np.zeros((len(SPECIALS), static.dim), np.float32)])
        pad = special_id(len(static.vocab), "<pad>")
        par_fold = doc_fold[units.par_doc]
        oof_tok = np.zeros(y_tok.shape, dtype=np.float32)
        oof_par = np.zeros(y_par.shape, dtype=np.float32)
        for f in range(n_folds):
            held = np.flatnonzero(par_fold == f)
            if not len(held) or len(held) == len(par_fold):
                continue
            progress(f"tagger, fold {f + 1}/{n_folds}" + ("" if final else " (for the confidences)"))
            w = fit_tagger(cfg, init, pad, data, np.flatnonzero(par_fold != f), progress)
            tok, par = forward(w, ids, units.tok_par, len(units.paragraphs))
            rows = np.isin(units.tok_par, held)
            oof_tok[rows], oof_par[held] = tok[rows], par[held]
        if final:
            progress("tagger, all training paragraphs")
            self.tagger_ = fit_tagger(cfg, init, pad, data, np.arange(len(units.paragraphs)), progress)
        self.tagger_labels_ = labels
        self.tagger_par_labels_ = list(techniques)
        return self._blend(units, oof_par, oof_tok)

    def _blend(self, units: Units, par: np.ndarray, tok: np.ndarray) -> Blend:
        """The tagger's evidence per paragraph: its paragraph head and, for the techniques it
        tags, its highest token probability in the paragraph, weighted as configured."""
        labels = self.tagger_par_labels_
        wp, wm = self.tagger_paragraph_weight, self.tagger_max_weight
        evidence = par * np.float32(wp)
        weight = np.full(len(labels), wp, dtype=np.float32)
        col = {t: j for j, t in enumerate(labels)}
        top = max_pool(tok, units.tok_par, len(units.paragraphs))  # probabilities are >= 0
        for k, t in enumerate(self.tagger_labels_):
            evidence[:, col[t]] += np.float32(wm) * top[:, k]
            weight[col[t]] += wm
        evidence /= np.where(weight > 0, weight, 1.0)
        return Blend(labels, evidence, weight, self.tagger_labels_, tok, self.tagger_token_weight)

    # -- inference ------------------------------------------------------------------------

    def _check_fitted(self) -> None:
        super()._check_fitted()
        if not hasattr(self, "tagger_"):
            raise NotFittedError("This HybridModel has no tagger: fit it or load a hybrid artifact.")

    def _extra_scores(self, units: Units) -> Blend | None:
        if self.static_ is None:
            raise ModelError("This hybrid artifact has no word vectors; retrain it with static_dim > 0.")
        ids = token_rows(units, self.static_)
        tok, par = forward(self.tagger_, ids, units.tok_par, len(units.paragraphs))
        return self._blend(units, par, tok)

    # -- persistence ----------------------------------------------------------------------

    def _extra_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return self.tagger_.to_arrays(_PREFIX), {
            "tagger": {"token_labels": self.tagger_labels_, "paragraph_labels": self.tagger_par_labels_}}

    def _load_extra_state(self, arrays: dict[str, np.ndarray], manifest: dict[str, Any]) -> None:
        meta = manifest.get("tagger")
        if meta is None or f"{_PREFIX}.embedding" not in arrays:
            raise ModelError("This artifact has no tagger weights; it is not a hybrid model. "
                             "Retrain it with `propscope train --kind hybrid`.")
        self.tagger_ = TaggerWeights.from_arrays(_PREFIX, arrays)
        self.tagger_labels_ = list(meta["token_labels"])
        self.tagger_par_labels_ = list(meta["paragraph_labels"])


def token_rows(units: Units, static: StaticEmbeddings) -> np.ndarray:
    """The tagger's row ids of ``units``' tokens (lowercased, as the token features hold them)."""
    # The first feature string of every token is "w=" + its lowercased form (text.token_features).
    return token_ids([f[0][2:] for f in units.tok_feats], static.word_index())
