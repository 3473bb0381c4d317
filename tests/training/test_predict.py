"""``predict_fresh``: gold articles analysed through the real pipeline, with no label leaking."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest

from propscope.document import Document, Genre, Metadata, ModelInfo, Paragraph, Span, split_paragraphs
from propscope.evaluation import evaluate
from propscope.models.base import DEFAULT_MODEL_DIR
from propscope.training.predict import predict_fresh


@pytest.fixture
def pipeline_ready() -> None:
    """Skip while the boilerplate stage the pipeline runs is not built."""
    pytest.importorskip("propscope.ingest.boilerplate", reason="the boilerplate component is not built yet")

TEXT = "Take back control!\n\nThe vote is on Thursday.\n"


class ExclamationModel:
    """A rule model for these tests: a paragraph ending in "!" is a slogan, the genre is opinion."""

    kind: ClassVar[str] = "exclamation"

    def fit(self, docs: Sequence[Document], **kwargs: Any) -> ExclamationModel:
        return self

    def predict(self, docs: Sequence[Document], *, sensitivity: float = 0.0) -> list[Document]:
        for doc in docs:
            for p in doc.paragraphs:
                if doc.span_text(p).rstrip().endswith("!"):
                    p.techniques = ["Slogans"]
                    doc.add_spans([Span(p.start, p.end, "Slogans")])
            doc.genre = Genre("opinion", {"opinion": 1.0, "reporting": 0.0, "satire": 0.0})
            doc.model = self.info
        return list(docs)

    def save(self, path: Path) -> None:
        raise NotImplementedError("a test rule, nothing to save")

    @classmethod
    def load(cls, path: Path) -> ExclamationModel:
        return cls()

    @property
    def info(self) -> ModelInfo:
        return ModelInfo("exclamation", "1", "nothing")


def gold_doc() -> Document:
    gold = Document(TEXT, id="g1", source="g1.txt", metadata=Metadata(title="Take back control!"))
    gold.paragraphs = split_paragraphs(TEXT)
    gold.paragraphs[0].techniques = ["Slogans"]
    gold.paragraphs[1].techniques = ["Doubt"]  # a gold label the model cannot produce
    gold.add_spans([Span(0, 18, "Slogans"), Span(20, 44, "Doubt")])
    gold.genre = Genre("reporting", {})
    return gold


def test_fresh_copy_keeps_text_and_metadata_but_no_labels() -> None:
    gold = gold_doc()
    copy = gold.unannotated()
    assert (copy.id, copy.text, copy.source) == (gold.id, gold.text, gold.source)
    assert copy.metadata == gold.metadata
    assert copy.metadata is not gold.metadata
    assert (copy.spans, copy.paragraphs, copy.genre) == ([], [], None)


@pytest.mark.usefixtures("pipeline_ready")
def test_predict_fresh_runs_the_pipeline_without_leaking_gold() -> None:
    gold = gold_doc()
    seen: list[str] = []
    preds = predict_fresh(ExclamationModel(), [gold], on_document=lambda d: seen.append(d.id))
    assert seen == ["g1"]
    (pred,) = preds
    assert pred is not gold and pred.text == gold.text
    assert [p.line for p in pred.paragraphs] == [1, 3]  # paragraphs come from the pipeline
    assert "Doubt" not in {s.label for s in pred.spans}  # the gold-only label did not leak
    assert len(gold.spans) == 2 and gold.genre is not None and gold.genre.label == "reporting"
    report = evaluate([gold], preds)
    # paragraphs: Slogans right, Doubt missed -> micro P 1, R 1/2; genre wrong -> accuracy 0
    assert report.paragraphs.scores.micro.recall == pytest.approx(0.5)
    assert report.genre.accuracy == 0.0
    assert report.model == ModelInfo("exclamation", "1", "nothing")


def test_paragraph_fixture_lines() -> None:
    assert split_paragraphs(TEXT) == [Paragraph(1, 0, 18), Paragraph(3, 20, 44)]


@pytest.mark.slow
@pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "model.json").is_file(), reason="shipped model not built yet")
@pytest.mark.usefixtures("pipeline_ready")
def test_shipped_model_scores_are_valid(semeval_dir: Path) -> None:
    from propscope.datasets import load_semeval

    gold = load_semeval(semeval_dir).documents[:5]
    report = evaluate(gold, predict_fresh(None, gold))
    assert report.missing == [] and report.model is not None
    for value in (report.paragraphs.micro_f1, report.spans.aware.f1, report.genre.macro_f1):
        assert 0.0 <= value <= 1.0
