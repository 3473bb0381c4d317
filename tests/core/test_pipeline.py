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
