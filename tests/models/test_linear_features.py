"""The linear model's own feature code agrees with scikit-learn's reference implementation."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from propscope.models.linear.features import _WORD, TextVectorizer, hash_features, l2_normalize

TEXTS = [
    "These corrupt, treasonous traitors betrayed us — again and again!",
    "Ünïcode wörds, digits 2020 and under_scores stay_together.",
    "",
    "again and again and AGAIN",
]


def test_word_counts_match_sklearn_count_vectorizer() -> None:
    vec = TextVectorizer.fit(TEXTS, max_word=200, min_df=1)
    ref = CountVectorizer(vocabulary={w: i for i, w in enumerate(vec.word_vocab)}, **_WORD)  # type: ignore[arg-type]
    np.testing.assert_array_equal(vec.word_counts(TEXTS).toarray(), ref.transform(TEXTS).toarray())


def test_vocabulary_keeps_the_most_frequent_and_breaks_ties_alphabetically() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["zeta beta alpha", "zeta gamma", "zeta delta", "beta"]
    vec = TextVectorizer.fit(texts, max_word=3, min_df=1)
    # zeta (3) and beta (2) by count; then the first of the ties at 1 ("alpha" before "alpha beta", ...).
    assert vec.word_vocab == ["alpha", "beta", "zeta"]
    ref = TfidfVectorizer(sublinear_tf=True, min_df=1, **_WORD).fit(texts)  # type: ignore[arg-type]
    expected = [ref.idf_[ref.vocabulary_[w]] for w in vec.word_vocab]
    np.testing.assert_allclose(vec.word_idf, expected, rtol=1e-6)
    again = TextVectorizer.fit(texts[::-1], max_word=3, min_df=1)
    assert again.word_vocab == vec.word_vocab  # the order of the texts does not matter


def test_transform_rows_are_unit_length_or_empty() -> None:
    vec = TextVectorizer.fit(TEXTS, max_word=200, min_df=1)
    norms = np.linalg.norm(vec.transform(TEXTS).toarray(), axis=1)
    np.testing.assert_allclose(norms, [1, 1, 0, 1], atol=1e-6)


def test_l2_normalize_leaves_zero_rows() -> None:
    import scipy.sparse as sp

    x = l2_normalize(sp.csr_matrix(np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32)))
    np.testing.assert_allclose(x.toarray(), [[0.6, 0.8], [0, 0]])


@pytest.mark.parametrize("bits", [4, 12])
def test_hash_features_are_stable_counts(bits: int) -> None:
    rows = [["w=the", "w=the", "suffix=he"], [], ["w=é"]]
    x = hash_features(rows, bits)
    assert x.shape == (3, 2**bits)
    assert x[0].sum() == 3 and x[1].sum() == 0 and x[2].sum() == 1
    # The same strings always land in the same columns (no per-process hash seed).
    assert (hash_features(rows, bits) != x).nnz == 0
    assert x[0].max() >= 2  # repeated feature counted twice
