"""TF-IDF text features and hashed token features that save as plain arrays (no pickle).

``TextVectorizer`` is fitted with scikit-learn, then reduced to what inference needs: the
ordered vocabularies and idf weights. Transforming recomputes counts with a fixed-vocabulary
``CountVectorizer`` and applies sublinear tf, idf and per-block L2 normalisation by hand, so
the artifact holds only strings and floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

_WORD = {"analyzer": "word", "ngram_range": (1, 2), "lowercase": True,
         "token_pattern": r"(?u)\b\w+\b"}
_CHAR = {"analyzer": "char_wb", "ngram_range": (3, 5), "lowercase": True}


@dataclass
class TextVectorizer:
    """Word 1-2-gram plus char 3-5-gram TF-IDF with sublinear tf, each block L2-normalised."""

    word_vocab: list[str]
    char_vocab: list[str]
    word_idf: np.ndarray
    char_idf: np.ndarray

    @classmethod
    def fit(cls, texts: Sequence[str], *, max_word: int, max_char: int,
            min_df: int = 2) -> TextVectorizer:
        """Learn vocabularies (most frequent n-grams) and idf weights from ``texts``."""
        parts: list[tuple[list[str], np.ndarray]] = []
        for opts, cap in ((_WORD, max_word), (_CHAR, max_char)):
            if cap <= 0:  # block switched off
                parts.append(([], np.zeros(0, dtype=np.float32)))
                continue
            vec = TfidfVectorizer(sublinear_tf=True, min_df=min(min_df, len(texts)),
                                  max_features=cap, dtype=np.float32, **opts)  # type: ignore[arg-type]
            vec.fit(texts)
            vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
            parts.append((vocab, vec.idf_.astype(np.float32)))
        (wv, wi), (cv, ci) = parts
        return cls(wv, cv, wi, ci)

    @property
    def dim(self) -> int:
        return len(self.word_vocab) + len(self.char_vocab)

    def _counters(self) -> tuple[CountVectorizer, CountVectorizer]:
        # Built lazily and cached: a fixed-vocabulary CountVectorizer needs no fitting.
        cached: tuple[CountVectorizer, CountVectorizer] | None = getattr(self, "_cv", None)
        if cached is None:
            cached = (
                CountVectorizer(vocabulary={w: i for i, w in enumerate(self.word_vocab)} or None,
                                dtype=np.float32, **_WORD),  # type: ignore[arg-type]
                CountVectorizer(vocabulary={w: i for i, w in enumerate(self.char_vocab)} or None,
                                dtype=np.float32, **_CHAR),  # type: ignore[arg-type]
            )
            self._cv = cached
        return cached

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Rows of TF-IDF features for ``texts`` (shape ``len(texts) x dim``)."""
        blocks = []
        active = [(c, idf) for c, idf in zip(self._counters(), (self.word_idf, self.char_idf), strict=True)
                  if len(idf)]
        for counter, idf in active:
            x = counter.transform(texts).tocsr().astype(np.float32)
            x.data = 1.0 + np.log(x.data)
            x = x @ sp.diags(idf)
            blocks.append(normalize(x) * np.float32(np.sqrt(1 / len(active))))
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Arrays for the ``.npz`` file and JSON-able vocabularies."""
        return ({f"{prefix}.word_idf": self.word_idf, f"{prefix}.char_idf": self.char_idf},
                {"word_vocab": self.word_vocab, "char_vocab": self.char_vocab})

    @classmethod
    def from_arrays(cls, prefix: str, arrays: Any, vocab: dict[str, Any]) -> TextVectorizer:
        return cls(list(vocab["word_vocab"]), list(vocab["char_vocab"]),
                   np.asarray(arrays[f"{prefix}.word_idf"], dtype=np.float32),
                   np.asarray(arrays[f"{prefix}.char_idf"], dtype=np.float32))


def hash_features(rows: Sequence[list[str]], bits: int) -> sp.csr_matrix:
    """Hash lists of feature strings into a binary sparse matrix with ``2**bits`` columns."""
    hasher = FeatureHasher(n_features=2**bits, input_type="string", alternate_sign=False,
                           dtype=np.float32)
    return hasher.transform(rows).tocsr()
