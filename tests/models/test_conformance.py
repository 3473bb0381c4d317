"""Every registered model kind follows the PersuasionModel contract on the tiny corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.document import Document, Frame, Genre, ModelInfo, Span, split_paragraphs
from propscope.errors import NotFittedError
from propscope.models import KINDS as MODEL_KINDS
from propscope.models import PersuasionModel, load_model, model_class

# Kinds whose fit takes minutes even on a tiny corpus run only with `-m slow`.
SLOW_KINDS: set[str] = set()
# Small settings per kind so the tiny corpus fits in seconds.
TINY_PARAMS: dict[str, dict[str, object]] = {
    "linear": {"folds": 2, "max_word_features": 500, "hash_bits": 12, "static_dim": 8,
               "static_encoder_words": False},
    "encoder": {"layers": 2, "frozen_layers": 1, "epochs": 1, "calibration": 0.3},
    "hybrid": {"folds": 2, "max_word_features": 500, "hash_bits": 12, "static_dim": 8,
               "static_encoder_words": False, "tagger_filters": 8, "tagger_epochs": 2},
}
KINDS = [pytest.param(k, marks=pytest.mark.slow) if k in SLOW_KINDS else k for k in sorted(MODEL_KINDS)]


@pytest.mark.parametrize("kind", KINDS)
def test_kind_follows_the_model_contract(kind: str, tiny_corpus: list[Document], tmp_path: Path) -> None:
    model = model_class(kind)(**TINY_PARAMS.get(kind, {}))
    assert isinstance(model, PersuasionModel)
    fresh = Document(tiny_corpus[0].text, id="x")
    fresh.paragraphs = split_paragraphs(fresh.text)
    with pytest.raises(NotFittedError):
        model.predict([fresh])
    assert model.fit(tiny_corpus) is model
    out = model.predict([fresh])
    assert out == [fresh]
    assert all(isinstance(s, Span) and s.end <= len(fresh.text) for s in fresh.spans)
    assert isinstance(fresh.genre, Genre)
    assert fresh.frames and all(isinstance(f, Frame) for f in fresh.frames)
    assert isinstance(fresh.model, ModelInfo)
    assert all(isinstance(t, str) for p in fresh.paragraphs for t in p.techniques)
    model.save(tmp_path)
    assert load_model(tmp_path).info == model.info
