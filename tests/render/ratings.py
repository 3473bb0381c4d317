"""Attaching a model's recorded rates to an analysis, as the CLI and the server do."""

from __future__ import annotations

from propscope.document import Document
from propscope.model_info import ModelQuality


def rated(doc: Document, quality: ModelQuality | None) -> Document:
    """``doc`` with ``quality`` attached to its model (and only if those are that model's
    rates): what the renderers read."""
    assert doc.model is not None
    doc.model = doc.model.with_quality(quality)
    return doc
