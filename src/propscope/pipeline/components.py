"""The built-in components: paragraph segmentation, boilerplate detection and the model."""

from __future__ import annotations

from collections.abc import Sequence

from propscope.document import Document, split_paragraphs
from propscope.models.base import PersuasionModel
from propscope.models.composed import predict_composed
from propscope.pipeline.base import register_component


@register_component("paragraphs")
class ParagraphSegmenter:
    """Splits the text into the shared task's paragraphs: one per non-empty line."""

    name = "paragraphs"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("paragraphs",)

    def __call__(self, doc: Document) -> Document:
        doc.paragraphs = split_paragraphs(doc.text)
        return doc


@register_component("boilerplate")
class BoilerplateDetector:
    """Marks site boilerplate (share pleas, disclaimers, syndication footers) as regions.

    Fills ``metadata.republished_from`` when a syndication line names the original site, or
    when a feed footer ("appeared first on Site") names a site other than the document's
    outlet (an outlet given at ingest, for one).
    """

    name = "boilerplate"
    requires: tuple[str, ...] = ("text", "language")
    assigns: tuple[str, ...] = ("boilerplate", "metadata.republished_from")

    def __call__(self, doc: Document) -> Document:
        from propscope.ingest.boilerplate import scan_boilerplate
        from propscope.ingest.metadata import LINE_SOURCES

        scan = scan_boilerplate(doc.text, doc.language)
        doc.boilerplate = scan.regions
        origin, kind = scan.origin_for(doc.metadata.outlet)
        if origin and kind:
            doc.metadata.fill_from(LINE_SOURCES[kind], republished_from=origin)
        return doc


@register_component("model")
class ModelComponent:
    """Pipeline stage wrapping a PersuasionModel, analysing at ``sensitivity`` (logits)."""

    name = "model"
    requires: tuple[str, ...] = ("paragraphs", "boilerplate")
    assigns: tuple[str, ...] = ("spans", "paragraphs.techniques", "genre", "frames", "model")

    def __init__(self, model: PersuasionModel, sensitivity: float = 0.0) -> None:
        self.model = model
        self.sensitivity = sensitivity

    def __call__(self, doc: Document) -> Document:
        predict_composed(self.model, [doc], sensitivity=self.sensitivity)
        return doc

    def pipe(self, docs: Sequence[Document]) -> list[Document]:
        """The model over a whole batch at once (one pass of every head)."""
        return predict_composed(self.model, docs, sensitivity=self.sensitivity)
