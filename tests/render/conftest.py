"""Hand-built analysed documents for the renderer tests (no model needed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from propscope.document import Document, Frame, Genre, Metadata, ModelInfo, Region, Span, split_paragraphs
from propscope.model_info import ModelQuality, Rates, TechniqueQuality

TEXT = (
    "Shameful Deal Betrays Our Nation\n"
    "\n"
    "The reckless, shameful decision devastated the town. Every true patriot knows this.\n"
    "\n"
    "Either we ban the app now or we surrender our children to it.\n"
    "\n"
    "Share this article! Subscribe now.\n"
)


def span_of(text: str, fragment: str, label: str, score: float) -> Span:
    """The span covering the first occurrence of ``fragment``."""
    start = text.index(fragment)
    return Span(start, start + len(fragment), label, score)


def analysed(text: str, spans: list[Span], *, id: str = "123", boilerplate: str | None = None,
             metadata: Metadata | None = None, language: str | None = "en") -> Document:
    """A document filled the way the pipeline fills it, with paragraph labels from ``spans``."""
    doc = Document(text, id=id, source=f"{id}.txt", metadata=metadata, language=language)
    doc.paragraphs = split_paragraphs(text)
    doc.add_spans(spans)
    if boilerplate:
        start = text.index(boilerplate)
        doc.boilerplate = [Region(start, start + len(boilerplate), "share")]
    for p in doc.paragraphs:
        p.techniques = sorted({s.label for s in doc.spans if s.overlaps(p.start, p.end)})
        p.scores = {s.label: s.score for s in doc.spans if s.overlaps(p.start, p.end)}
    doc.genre = Genre("opinion", {"opinion": 0.7, "reporting": 0.25, "satire": 0.05})
    doc.frames = [Frame("Political", 0.8), Frame("Morality", 0.55)]
    doc.model = ModelInfo("linear-v0", "0.1.0", "SemEval-2023 Task 3 English train")
    return doc


Builder = Callable[..., Document]


@pytest.fixture
def make_doc() -> Builder:
    """``make_doc(text, [(fragment, technique, score), ...], boilerplate=..., ...)``."""

    def build(text: str, marks: list[tuple[str, str, float]], **kwargs: Any) -> Document:
        return analysed(text, [span_of(text, f, t, s) for f, t, s in marks], **kwargs)

    return build


@pytest.fixture
def doc() -> Document:
    """An opinion piece with nested, overlapping spans and a boilerplate line."""
    return analysed(
        TEXT,
        [
            span_of(TEXT, "reckless, shameful decision devastated", "Loaded_Language", 0.9),
            span_of(TEXT, "shameful decision", "Name_Calling-Labeling", 0.6),
            span_of(TEXT, "Every true patriot knows this.", "Flag_Waving", 0.75),
            span_of(TEXT, "Either we ban the app now or we surrender our children to it.",
                    "False_Dilemma-No_Choice", 0.8),
            span_of(TEXT, "Betrays Our Nation", "Loaded_Language", 0.55),
        ],
        boilerplate="Share this article! Subscribe now.",
        metadata=Metadata(title="Shameful Deal", outlet="Daily Example", author="J. Doe",
                          published="2020-01-02", url="https://example.org/deal",
                          republished_from="example.net"),
    )


def _rates_of(model: str) -> ModelQuality:
    return ModelQuality(model, "3-fold cross-validation by article over 40 articles", 40, {
        "Loaded_Language": TechniqueQuality("Loaded_Language", Rates(0.42, 0.75, 1809, 3190),
                                            Rates(0.23, 0.3, 2445, 3100)),
        "Flag_Waving": TechniqueQuality("Flag_Waving", Rates(0.625, 0.1, 50, 8))})


@pytest.fixture
def rates_of() -> Callable[[str], ModelQuality]:
    """``rates_of("name version")``: recorded detection rates of that model for two techniques."""
    return _rates_of


@pytest.fixture
def rates() -> ModelQuality:
    """Rates of the model that analysed the ``doc`` fixture (linear-v0 0.1.0)."""
    return _rates_of("linear-v0 0.1.0")

