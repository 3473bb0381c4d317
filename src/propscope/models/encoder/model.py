"""``EncoderModel``: multilingual-e5-small fine-tuned on the shared task's six languages.

Analysis runs the encoder as two int8 ONNX graphs (``export.py``) with ONNX Runtime and
the heads in numpy: the XLM-R tokenizer (its vocabulary pruned to the pieces of the
languages it reads) splits each paragraph into windows (``windows.py``); the encoder gives
every token a state; the token head scores each token for each technique and runs of
tokens above a technique's threshold become spans (``decode.py``); the paragraph head
scores each paragraph from the mean and the maximum of its tokens' states; genre and
frames are linear heads on the article's mean paragraph vector. Fitting needs torch and
the pretrained weights (``fitting.py``, the training extra).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from propscope.document import Document, Frame, Genre, Paragraph
from propscope.errors import ModelError
from propscope.model_info import ModelInfo
from propscope.models.base import FittedModel, register_model
from propscope.models.encoder.confidence import apply
from propscope.models.encoder.decode import DEFAULT_GAP, decode_spans
from propscope.models.encoder.windows import Windows, held_out, length_batches, make_windows, padded
from propscope.sensitivity import shift_threshold
from propscope.taxonomy import FRAMES, GENRES, technique_names

BASE_FILE, TOP_FILE, HEADS_FILE, TOKENIZER_FILE = "base.onnx", "top.onnx", "heads.npz", "tokenizer.json"
LANGUAGES = ("en", "fr", "de", "it", "pl", "ru")
# Read by the pretrained encoder, with no annotated data: analysed, their scores unmeasured.
TRANSFER = ("es", "el", "ka")


@dataclass
class Scores:
    """The heads' raw outputs for a batch of documents (``EncoderModel.score``).

    Attributes:
        units: the ``(document index, paragraph)`` pairs read (content paragraphs).
        windows: their token windows.
        tokens: per window, token probabilities ``[n, L]``.
        paragraphs: per unit, paragraph probabilities ``[P, L]``.
        vectors: per unit, the paragraph vector ``[P, 2H]`` (genre and frames read its mean).
    """

    units: list[tuple[int, Paragraph]]
    windows: Windows
    tokens: list[np.ndarray]
    paragraphs: np.ndarray
    vectors: np.ndarray


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@register_model("encoder")
class EncoderModel(FittedModel):
    """Fine-tuned multilingual encoder with token, paragraph, genre and frame heads.

    Args:
        name: artifact name recorded in outputs.
        version: version string recorded in outputs.
        layers: encoder layers used (of multilingual-e5-small's 12): fewer are faster.
        frozen_layers: the lower layers kept as pretrained (cached once while training).
        max_tokens: tokens per window (a longer paragraph is read in several).
        epochs: passes over the training paragraphs.
        lr: learning rate of the fine-tuned layers; head_lr: of the heads.
        batch_tokens: padded tokens per training batch.
        calibration: share of the training articles held out to choose thresholds on.
        paragraph_loss: weight of the paragraph head's loss next to the token head's.
        seed: random seed.
    """

    kind: ClassVar[str] = "encoder"

    def __init__(self, *, name: str = "multilingual-v1", version: str = "0.1.0", layers: int = 12,
                 frozen_layers: int = 8, max_tokens: int = 256, epochs: int = 3, lr: float = 5e-5,
                 head_lr: float = 1e-3, batch_tokens: int = 4096, calibration: float = 0.15,
                 paragraph_loss: float = 1.0, seed: int = 0) -> None:
        self.name = name
        self.version = version
        self.layers = layers
        self.frozen_layers = frozen_layers
        self.max_tokens = max_tokens
        self.epochs = epochs
        self.lr = lr
        self.head_lr = head_lr
        self.batch_tokens = batch_tokens
        self.calibration = calibration
        self.paragraph_loss = paragraph_loss
        self.seed = seed

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(self.name, self.version, getattr(self, "trained_on_", "not trained"),
                         self.calibrated, languages=LANGUAGES, transfer=TRANSFER)

    # -- training -------------------------------------------------------------------------

    def fit(self, docs: Sequence[Document], *, trained_on: str | None = None,
            progress: Callable[[str], None] | None = None, document_level: Sequence[Document] = (),
            vocabulary_texts: Sequence[str] = (), checkpoint_dir: Path | None = None,
            **_: Any) -> EncoderModel:
        """Fine-tune on gold ``docs``; ``document_level`` articles (genre and frames only) train
        those heads too; ``vocabulary_texts`` (unlabelled articles) join the training texts in
        choosing the vocabulary's pieces. With ``checkpoint_dir`` the fit saves its state after
        every epoch there and resumes from it. Needs the training extra."""
        from propscope.models.encoder.export import export_encoder
        from propscope.models.encoder.fitting import Settings, fit_encoder
        from propscope.models.encoder.sources import load_sources, pruned_tokenizer

        if not docs:
            raise ModelError("Cannot fit the encoder model on zero documents; pass gold Documents.")
        if not 0 <= self.frozen_layers < self.layers <= 12:
            raise ModelError(f"frozen_layers ({self.frozen_layers}) must be below layers ({self.layers}), "
                             "which is at most 12.")
        say = progress or (lambda _m: None)
        checkpoint, full_tokenizer = load_sources()
        texts = [d.text for d in (*docs, *document_level)] + list(vocabulary_texts)
        tokenizer_json, keep = pruned_tokenizer(full_tokenizer, texts)
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_str(json.dumps(tokenizer_json))
        settings = Settings(self.layers, self.frozen_layers, self.max_tokens, self.epochs, self.lr,
                            self.head_lr, self.batch_tokens, self.calibration, self.paragraph_loss, self.seed)
        fitted = fit_encoder(checkpoint, keep, tokenizer, docs, technique_names(), settings,
                             document_level=document_level, progress=say, checkpoint_dir=checkpoint_dir)
        say("exporting the encoder to int8 ONNX")
        base, top = export_encoder(fitted.encoder, self.frozen_layers)
        tagger = fitted.tagger
        heads = {
            "token.w": tagger.token.weight.detach().numpy().T.copy(),
            "token.b": tagger.token.bias.detach().numpy().copy(),
            "paragraph.w": tagger.paragraph.weight.detach().numpy().T.copy(),
            "paragraph.b": tagger.paragraph.bias.detach().numpy().copy(),
            "token.thresholds": fitted.token_thresholds,
            "paragraph.thresholds": fitted.paragraph_thresholds,
            "genre.w": fitted.genre[0].T.copy(), "genre.b": fitted.genre[1],
            "frames.w": fitted.frames[0].T.copy(), "frames.b": fitted.frames[1],
            "frames.thresholds": fitted.frame_thresholds,
        }
        self._set_state(base, top, json.dumps(tokenizer_json, ensure_ascii=False),
                        {k: np.asarray(v, dtype=np.float32) for k, v in heads.items()}, fitted.labels)
        self.fit_report_ = fitted.report
        self.trained_on_ = trained_on or f"{len(docs)} articles"
        say("calibrating the scores on the held-out training articles")
        self.calibrate([d for d in docs if held_out(d.id, self.calibration)])
        return self

    def calibrate(self, gold: Sequence[Document]) -> EncoderModel:
        """Fit the maps from raw to calibrated scores (``confidence.py``) on gold articles the
        model did not train on; returns ``self``."""
        from propscope.models.encoder.confidence import fit_map, outcomes

        for kind in ("span", "paragraph"):
            self.heads_.pop(f"confidence.{kind}", None)
        pred = self.predict([g.unannotated() for g in gold])
        for kind, (raw, right) in outcomes(gold, pred).items():
            self.heads_[f"confidence.{kind}"] = fit_map(raw, right)
        return self

    @property
    def calibrated(self) -> bool:
        """Whether span and paragraph-label scores are calibrated probabilities."""
        return "confidence.span" in getattr(self, "heads_", {})

    # -- inference ------------------------------------------------------------------------

    def _set_state(self, base: bytes, top: bytes, tokenizer_json: str, heads: dict[str, np.ndarray],
                   labels: list[str]) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self.base_, self.top_ = base, top
        self.tokenizer_json_ = tokenizer_json
        self._base = ort.InferenceSession(base, opts, providers=["CPUExecutionProvider"])
        self._top = ort.InferenceSession(top, opts, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_str(tokenizer_json)
        self.heads_ = heads
        self.labels_ = labels

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states float32 ``[B, T, H]`` of padded windows (both ONNX graphs)."""
        hidden = self._base.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return np.asarray(self._top.run(None, {"hidden": hidden, "attention_mask": mask})[0])

    def score(self, docs: Sequence[Document]) -> Scores:
        """The heads' raw probabilities for ``docs`` (their content paragraphs): what
        ``predict`` decides on, kept apart so that decoding can be tuned without re-encoding."""
        self._check_fitted()
        units = [(i, p) for i, d in enumerate(docs) for p in d.content_paragraphs()]
        windows = make_windows(docs, units, self._tokenizer, max_tokens=self.max_tokens)
        h = self.heads_
        n_labels = len(self.labels_)
        tok_probs: list[np.ndarray] = [np.zeros((0, n_labels), np.float32)] * len(windows)
        dim = h["paragraph.w"].shape[0] // 2
        sums = np.zeros((len(units), dim), dtype=np.float32)
        counts = np.zeros(len(units), dtype=np.float32)
        tops = np.full((len(units), dim), -np.inf, dtype=np.float32)
        for idx in length_batches([len(x) for x in windows.ids], 8192):
            ids, mask = padded([windows.ids[i] for i in idx])
            states = self.encode(ids, mask)
            logits = states @ h["token.w"] + h["token.b"]
            for row, i in enumerate(idx):
                n = len(windows.ids[i])
                tok_probs[i] = _sigmoid(logits[row, :n])
                inner = states[row, 1:n - 1]
                k = windows.paragraph[i]
                if len(inner):
                    sums[k] += inner.sum(0)
                    counts[k] += len(inner)
                    tops[k] = np.maximum(tops[k], inner.max(0))
        tops[~np.isfinite(tops)] = 0.0
        vectors = np.concatenate([sums / np.maximum(counts, 1)[:, None], tops], axis=1)
        par_probs = _sigmoid(vectors @ h["paragraph.w"] + h["paragraph.b"]) if len(units) else \
            np.zeros((0, n_labels), np.float32)
        return Scores(units, windows, tok_probs, par_probs, vectors)

    def predict(self, docs: Sequence[Document], *, sensitivity: float = 0.0) -> list[Document]:
        """Annotate ``docs`` in place (spans, paragraph labels, genre, frames) and return them."""
        docs = list(docs)
        self.decide(docs, self.score(docs), sensitivity=sensitivity)
        return docs

    def decide(self, docs: Sequence[Document], scores: Scores, *, sensitivity: float = 0.0,
               gap: int | None = None, gate: float | None = None) -> None:
        """Labels from ``scores`` (``score(docs)``) at the thresholds moved by ``sensitivity``:
        paragraph labels, spans (runs of tokens joined over ``gap`` weaker ones, in paragraphs
        whose probability of the technique reaches ``gate`` times its threshold), genre and
        frames. ``gap`` and ``gate`` default to the fitted ones."""
        h = self.heads_
        gap = int(h.get("decode.gap", [DEFAULT_GAP])[0]) if gap is None else gap
        gate = float(h.get("decode.gate", [0.0])[0]) if gate is None else gate
        info = replace(self.info, sensitivity=sensitivity)
        par_thr = np.array([shift_threshold(float(t), sensitivity) for t in h["paragraph.thresholds"]])
        tok_thr = np.array([shift_threshold(float(t), sensitivity) for t in h["token.thresholds"]])
        for doc in docs:
            doc.spans, doc.model = [], info
        par_probs = scores.paragraphs
        shown = apply(h["confidence.paragraph"], par_probs) if "confidence.paragraph" in h else par_probs
        for k, (_, p) in enumerate(scores.units):
            p.scores = {t: round(float(v), 4) for t, v in zip(self.labels_, shown[k], strict=True)}
            p.techniques = [t for t, v, th in zip(self.labels_, par_probs[k], par_thr, strict=True)
                            if v >= th]
        windows = scores.windows
        for i in range(len(windows)):
            k = int(windows.paragraph[i])
            d, _ = windows.units[k]
            open_ = np.where(par_probs[k] >= gate * np.minimum(par_thr, 1.0), tok_thr, 2.0)
            found = decode_spans(docs[d].text, windows.spans[i], scores.tokens[i], open_, self.labels_,
                                 gap=gap)
            if "confidence.span" in h:
                found = [replace(s, score=round(float(apply(h["confidence.span"], s.score)), 4))
                         for s in found]
            docs[d].add_spans(s for s in found if not docs[d].in_boilerplate(s.start, s.end))
        self._documents(docs, scores.units, scores.vectors)

    def _documents(self, docs: Sequence[Document], units: Sequence[tuple[int, Any]],
                   vectors: np.ndarray) -> None:
        """Genre and frames of each article from its mean paragraph vector."""
        h = self.heads_
        x = np.zeros((len(docs), vectors.shape[1]), dtype=np.float32)
        count = np.zeros(len(docs))
        for k, (d, _) in enumerate(units):
            x[d] += vectors[k]
            count[d] += 1
        x /= np.maximum(count, 1)[:, None]
        g = x @ h["genre.w"] + h["genre.b"]
        g = np.exp(g - g.max(1, keepdims=True))
        g /= g.sum(1, keepdims=True)
        f = _sigmoid(x @ h["frames.w"] + h["frames.b"])
        for d, doc in enumerate(docs):
            scores = {lb: round(float(v), 4) for lb, v in zip(GENRES, g[d], strict=True)}
            doc.genre = Genre(max(scores, key=scores.__getitem__), scores)
            chosen = ([j for j in np.argsort(-f[d]) if f[d, j] >= h["frames.thresholds"][j]]
                      or [int(np.argmax(f[d]))])
            doc.frames = [Frame(FRAMES[j], round(float(f[d, j]), 4)) for j in chosen]

    # -- persistence ----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write ``model.json``, the two ONNX graphs, the tokenizer and the heads."""
        self._check_fitted()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / BASE_FILE).write_bytes(self.base_)
        (path / TOP_FILE).write_bytes(self.top_)
        (path / TOKENIZER_FILE).write_text(self.tokenizer_json_, encoding="utf-8")
        np.savez_compressed(path / HEADS_FILE, **self.heads_)  # type: ignore[arg-type]
        manifest_path = path / "model.json"
        manifest: dict[str, Any] = {}
        if manifest_path.is_file():  # keep what training wrote (metrics, timings)
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest.update({"kind": self.kind, "name": self.name, "version": self.version,
                         "trained_on": self.trained_on_, "params": self.get_params(),
                         "labels": self.labels_, "languages": list(LANGUAGES),
                         "fit": getattr(self, "fit_report_", {})})
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> EncoderModel:
        """Read an artifact folder written by ``save``."""
        path = Path(path)
        try:
            manifest = json.loads((path / "model.json").read_text(encoding="utf-8"))
            params = {k: v for k, v in manifest.get("params", {}).items() if k in cls().get_params()}
            model = cls(**params)
            with np.load(path / HEADS_FILE, allow_pickle=False) as z:
                heads = {k: z[k] for k in z.files}
            model._set_state((path / BASE_FILE).read_bytes(), (path / TOP_FILE).read_bytes(),
                             (path / TOKENIZER_FILE).read_text(encoding="utf-8"), heads,
                             list(manifest["labels"]))
            model.trained_on_ = str(manifest.get("trained_on", "unknown"))
            return model
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            raise ModelError(f"Cannot read encoder model artifact at {path}: {exc}. Copy it again, or "
                             "retrain it with `propscope train --kind encoder --data DIR`.") from exc
