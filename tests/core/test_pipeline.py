"""Pipeline contract: components are checked, and every registered one conforms."""

from __future__ import annotations

import pytest

from propscope.document import Document
from propscope.pipeline import COMPONENTS, Pipeline, PipelineError, create_component


class _Broken:
    name = "broken"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ()

    def __call__(self, doc: Document) -> Document:
        return Document("other")


class _Raises(_Broken):
    name = "raises"

    def __call__(self, doc: Document) -> Document:
        raise ZeroDivisionError("boom")


class _NeedsSpans(_Broken):
    name = "needs"
    requires = ("spans",)


def test_pipeline_names_component_that_returns_another_document() -> None:
    with pytest.raises(PipelineError, match="'broken' returned"):
        Pipeline([_Broken()])(Document("x"))


def test_pipeline_names_component_that_raises() -> None:
    with pytest.raises(PipelineError, match="'raises' failed"):
        Pipeline([_Raises()])(Document("x"))


def test_pipeline_checks_requirements_when_built() -> None:
    with pytest.raises(PipelineError, match="requires"):
        Pipeline([_NeedsSpans()])


def test_unknown_component_lists_known_ones() -> None:
    with pytest.raises(PipelineError, match="paragraphs"):
        create_component("nope")


@pytest.mark.parametrize("name", sorted(n for n in COMPONENTS if n != "model") or ["paragraphs"])
def test_model_free_components_conform(name: str) -> None:
    comp = create_component(name)
    assert comp.name == name and comp.assigns
    doc = Document("A title\n\nSome body text here.\n\nVia Example News")
    assert comp(doc) is doc


class _Counts:
    """Counts how it is called: one document at a time, or a batch through ``pipe``."""

    name = "counts"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("extra",)

    def __init__(self) -> None:
        self.batches: list[int] = []

    def __call__(self, doc: Document) -> Document:
        self.batches.append(1)
        return doc

    def pipe(self, docs: list[Document]) -> list[Document]:
        self.batches.append(len(docs))
        return docs


def test_pipe_hands_a_component_whole_batches_and_keeps_the_order() -> None:
    counts = _Counts()
    docs = [Document(f"text {i}", id=str(i)) for i in range(7)]
    out = list(Pipeline([create_component("paragraphs"), counts]).pipe(iter(docs), batch_size=3))
    assert [d.id for d in out] == [str(i) for i in range(7)]
    assert counts.batches == [3, 3, 1]
    assert all(d.paragraphs for d in out)  # a component without pipe ran on every document


def test_pipe_names_a_component_whose_batch_comes_back_different() -> None:
    class _Drops(_Counts):
        def pipe(self, docs: list[Document]) -> list[Document]:
            return docs[:-1]

    with pytest.raises(PipelineError, match="'counts' did not return"):
        list(Pipeline([_Drops()]).pipe([Document("a"), Document("b")], batch_size=2))


def test_pipe_names_a_component_whose_batch_raises() -> None:
    class _Fails(_Counts):
        def pipe(self, docs: list[Document]) -> list[Document]:
            raise ZeroDivisionError("boom")

    with pytest.raises(PipelineError, match="'counts' failed on a batch of 2: boom"):
        list(Pipeline([_Fails()]).pipe([Document("a"), Document("b")], batch_size=2))
