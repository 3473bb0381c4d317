"""The hybrid model: the linear heads with the tagger mixed in, fitted, saved and reloaded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from propscope.document import Document, split_paragraphs
from propscope.errors import ModelError
from propscope.models import load_model
from propscope.models.hybrid import HybridModel
from propscope.models.linear import LinearModel
from propscope.models.linear.blend import Blend

pytest.importorskip("torch")

TINY = {"folds": 2, "max_word_features": 500, "hash_bits": 12, "static_dim": 8,
        "static_encoder_words": False, "tagger_filters": 8, "tagger_epochs": 3}
TEXT = ("Senate vote\n\nThese corrupt traitors betrayed the voters again.\n\n"
        "The disgraceful, shameful decision devastated the workers.")


def _doc(text: str = TEXT) -> Document:
    doc = Document(text, id="x")
    doc.paragraphs = split_paragraphs(text)
    return doc


def _snapshot(doc: Document) -> tuple[object, ...]:
    return ([(s.start, s.end, s.label, round(s.score, 5)) for s in doc.spans],
            [sorted(p.scores.items()) for p in doc.paragraphs])


@pytest.fixture(scope="module")
def fitted(tiny_corpus_module: list[Document]) -> HybridModel:
    return HybridModel(**TINY).fit(tiny_corpus_module, trained_on="tiny")


def test_params_include_the_linear_ones() -> None:
    params = HybridModel(c_token=0.7, tagger_token_weight=0.2).get_params()
    assert params["c_token"] == 0.7 and params["tagger_token_weight"] == 0.2
    assert set(LinearModel().get_params()) < set(params)
    assert params["name"] == "hybrid-v1"


def test_save_load_round_trip_scores_identically(fitted: HybridModel, tmp_path: Path) -> None:
    first = fitted.predict([_doc()])[0]
    fitted.save(tmp_path)
    loaded = load_model(tmp_path)
    assert isinstance(loaded, HybridModel)
    assert loaded.get_params() == fitted.get_params()
    assert _snapshot(loaded.predict([_doc()])[0]) == _snapshot(first)


def test_tagger_moves_the_scores(fitted: HybridModel) -> None:
    """The tagger's probabilities are part of what the paragraph labels are decided on."""
    units_par = fitted.predict([_doc()])[0].paragraphs
    fitted.tagger_paragraph_weight, saved = 0.0, fitted.tagger_paragraph_weight
    try:
        alone = fitted.predict([_doc()])[0].paragraphs
    finally:
        fitted.tagger_paragraph_weight = saved
    assert [p.scores for p in units_par] != [p.scores for p in alone]


def test_fit_is_reproducible(fitted: HybridModel, tiny_corpus: list[Document]) -> None:
    again = HybridModel(**TINY).fit(tiny_corpus, trained_on="tiny")
    np.testing.assert_array_equal(again.tagger_.embedding, fitted.tagger_.embedding)
    assert _snapshot(again.predict([_doc()])[0]) == _snapshot(fitted.predict([_doc()])[0])


def test_needs_word_vectors(tiny_corpus: list[Document]) -> None:
    with pytest.raises(ModelError, match="static_dim"):
        HybridModel(**(TINY | {"static_dim": 0})).fit(tiny_corpus)


def test_a_linear_artifact_is_not_a_hybrid_one(tiny_corpus: list[Document], tmp_path: Path) -> None:
    linear = {k: v for k, v in TINY.items() if not k.startswith("tagger")}
    LinearModel(**linear).fit(tiny_corpus).save(tmp_path)
    with pytest.raises(ModelError, match="no tagger"):
        HybridModel.load(tmp_path)


def test_blend_mixes_shared_labels_only() -> None:
    blend = Blend(["a", "b"], np.array([[1.0, 0.0]]), 0.25, ["b"], np.array([[1.0], [0.0]]), 0.5)
    par = blend.paragraphs(np.array([[0.0, 0.4]]), ["a", "b"])
    np.testing.assert_allclose(par, [[0.25, 0.3]])
    tok = blend.tokens(np.array([[0.2, 0.6], [0.2, 0.6]]), ["a", "b"])
    np.testing.assert_allclose(tok, [[0.2, 0.8], [0.2, 0.3]])
    off = Blend(["a"], np.array([[1.0]]), 0.0, [], np.zeros((1, 0)), 0.0)
    np.testing.assert_allclose(off.paragraphs(np.array([[0.3]]), ["a"]), [[0.3]])
