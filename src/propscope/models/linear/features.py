"""TF-IDF text features and hashed token features that save as plain arrays (no pickle).

``TextVectorizer`` is fitted with scikit-learn, then reduced to what inference needs: the
ordered vocabularies and idf weights. Transforming counts the word n-grams itself (the same
tokens and n-grams as scikit-learn's ``CountVectorizer``; a test checks they agree) and applies
sublinear tf, idf and per-block L2 normalisation by hand, so the artifact holds only strings
and floats, and analysis never imports scikit-learn, whose import alone takes about 1.5 s and
would dominate the command line's start-up.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

_TOKEN = r"(?u)\b\w+\b"
TOKEN_RE = re.compile(_TOKEN)  # the word tokens of TF-IDF (and of the word vectors)
_WORD = {"analyzer": "word", "ngram_range": (1, 2), "lowercase": True, "token_pattern": _TOKEN}


@dataclass
class TextVectorizer:
    """Word 1-2-gram TF-IDF with sublinear tf, L2-normalised."""

    word_vocab: list[str]
    word_idf: np.ndarray

    @classmethod
    def fit(cls, texts: Sequence[str], *, max_word: int, min_df: int = 2) -> TextVectorizer:
        """Learn the vocabulary (the ``max_word`` most frequent n-grams) and idf weights."""
        from sklearn.feature_extraction.text import CountVectorizer

        counter = CountVectorizer(min_df=min(min_df, len(texts)), dtype=np.int64, **_WORD)  # type: ignore[arg-type]
        counts = counter.fit_transform(texts).tocsc()
        terms = counter.get_feature_names_out()  # alphabetical
        # The ``max_word`` most frequent n-grams, ties to the alphabetically first. (scikit-learn's
        # ``max_features`` breaks ties with an unstable sort whose order depends on the CPU's
        # vector instructions, so the same data gave different vocabularies on two machines.)
        total = np.asarray(counts.sum(axis=0)).ravel()
        keep = np.sort(np.lexsort((np.arange(len(terms)), -total))[:max_word])
        df = np.diff(counts.indptr)[keep]
        # scikit-learn's smoothed idf: ln((1 + n) / (1 + df)) + 1
        idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
        return cls([str(t) for t in terms[keep]], idf.astype(np.float32))

    @property
    def dim(self) -> int:
        return len(self.word_vocab)

    def _word_index(self) -> dict[str, int]:
        # Built lazily and cached: the vocabulary's position of each n-gram.
        index: dict[str, int] | None = getattr(self, "_windex", None)
        if index is None:
            index = {w: i for i, w in enumerate(self.word_vocab)}
            self._windex = index
        return index

    def word_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Counts of vocabulary word 1-2-grams (lowercased ``\\b\\w+\\b`` tokens, joined by a space)."""
        index = self._word_index()
        indptr: list[int] = [0]
        indices: list[int] = []
        data: list[float] = []
        for text in texts:
            toks = TOKEN_RE.findall(text.lower())
            row: dict[int, float] = {}
            for gram in (*toks, *(f"{a} {b}" for a, b in itertools.pairwise(toks))):
                j = index.get(gram)
                if j is not None:
                    row[j] = row.get(j, 0.0) + 1.0
            indices.extend(row)
            data.extend(row.values())
            indptr.append(len(indices))
        return sp.csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32),
                              np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(index)))

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Rows of TF-IDF features for ``texts`` (shape ``len(texts) x dim``)."""
        x = self.word_counts(texts).astype(np.float32)
        x.data = 1.0 + np.log(x.data)
        return sp.csr_matrix(l2_normalize((x @ sp.diags(self.word_idf)).tocsr()), dtype=np.float32)

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Arrays for the ``.npz`` file and JSON-able vocabularies."""
        return {f"{prefix}.word_idf": self.word_idf}, {"word_vocab": self.word_vocab}

    @classmethod
    def from_arrays(cls, prefix: str, arrays: Any, vocab: dict[str, Any]) -> TextVectorizer:
        return cls(list(vocab["word_vocab"]), np.asarray(arrays[f"{prefix}.word_idf"], dtype=np.float32))


def l2_normalize(x: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row of ``x`` to unit Euclidean length (all-zero rows stay zero)."""
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ x)


def hash_features(rows: Sequence[list[str]], bits: int) -> sp.csr_matrix:
    """Hash lists of feature strings into a count matrix with ``2**bits`` columns.

    CRC-32 is stable across processes and Python versions (unlike ``hash``) and is in the
    standard library, so inference needs no scikit-learn.
    """
    mask = (1 << bits) - 1
    indptr: list[int] = [0]
    indices: list[int] = []
    for feats in rows:
        indices.extend(zlib.crc32(f.encode("utf-8", "surrogatepass")) & mask for f in feats)
        indptr.append(len(indices))
    x = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int64),
                       np.asarray(indptr, dtype=np.int64)), shape=(len(rows), 1 << bits))
    x.sum_duplicates()
    return x
