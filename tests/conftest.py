"""Shared fixtures: where the shared task data lives (skipping cleanly when it is absent), and a
tiny handmade gold corpus for fitting models quickly in tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from propscope.document import Document, Frame, Genre, Span, split_paragraphs
from propscope.taxonomy import GENRES

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("PROPSCOPE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SEMEVAL = SHARED_DATA / "semeval2023-task3-en"


@pytest.fixture(scope="session")
def semeval_dir() -> Path:
    """The shared SemEval training data folder; tests using it skip when it is absent."""
    if not (SEMEVAL / "train-articles").is_dir():
        pytest.skip(f"shared data not found at {SEMEVAL}")
    return SEMEVAL


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The shared sample articles; skip when absent."""
    d = SHARED_DATA / "samples"
    if not d.is_dir():
        pytest.skip(f"shared samples not found at {d}")
    return d


@pytest.fixture(scope="session")
def plain_open_mode() -> int:
    """The permissions a plain ``open(path, "w")`` gives a new file under this process's umask
    (0o644 under the usual 022): what every shared output must get. Read here, not from
    ``render/files.py``, so the tests check that module against an independent value."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask

_OPINION = (
    "{title}\n\n"
    "These corrupt traitors in the capital have betrayed the {who} again.\n\n"
    "Can we really trust a minister who never explains where the money went?\n\n"
    "The disgraceful, shameful decision devastated the {who}."
)
_REPORT = (
    "{title}\n\n"
    "The council met on Tuesday and approved the {who} budget by a vote of 7 to 2.\n\n"
    "Officials said the new schedule starts in March and runs until the end of the year."
)
_WHO = ("farmers", "workers", "voters", "families")


def _mark(doc: Document, phrase: str, label: str) -> None:
    start = doc.text.index(phrase)
    doc.add_spans([Span(start, start + len(phrase), label)])


def _label_paragraphs(doc: Document) -> None:
    for p in doc.paragraphs:
        p.techniques = sorted({s.label for s in doc.spans if s.overlaps(p.start, p.end)})


def make_corpus() -> list[Document]:
    """Eight short gold articles: four opinion pieces full of techniques, four dry reports."""
    docs = []
    for i, who in enumerate(_WHO):
        text = _OPINION.format(title=f"Betrayal number {i}", who=who)
        doc = Document(text, id=f"op{i}")
        doc.paragraphs = split_paragraphs(text)
        _mark(doc, "corrupt traitors", "Name_Calling-Labeling")
        _mark(doc, "Can we really trust a minister who never explains where the money went?", "Doubt")
        _mark(doc, "disgraceful", "Loaded_Language")
        _mark(doc, "shameful", "Loaded_Language")
        _label_paragraphs(doc)
        doc.genre = Genre("opinion", {g: float(g == "opinion") for g in GENRES})
        doc.frames = [Frame("Political", 1.0), Frame("Morality", 1.0)]
        docs.append(doc)
        text = _REPORT.format(title=f"Council report {i}", who=who)
        rep = Document(text, id=f"rep{i}")
        rep.paragraphs = split_paragraphs(text)
        rep.genre = Genre("reporting", {g: float(g == "reporting") for g in GENRES})
        rep.frames = [Frame("Economic", 1.0)]
        docs.append(rep)
    return docs


@pytest.fixture
def tiny_corpus() -> list[Document]:
    return make_corpus()


@pytest.fixture(scope="module")
def tiny_corpus_module() -> list[Document]:
    """The same corpus, shared by a module's tests (for fits that take a few seconds)."""
    return make_corpus()


@pytest.fixture(scope="module")
def corpus16() -> list[Document]:
    """The tiny corpus twice over (16 articles), so that every fold of a cross-validation
    still trains on both genres."""
    docs = make_corpus()
    for d in make_corpus():
        d.id += "b"
        docs.append(d)
    return docs
