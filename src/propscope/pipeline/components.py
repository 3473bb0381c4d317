"""The built-in, model-free components: paragraph segmentation and boilerplate detection."""

from __future__ import annotations

from propscope.document import Document, split_paragraphs
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

    Fills ``metadata.republished_from`` when a syndication line names the original site.
    """

    name = "boilerplate"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("boilerplate", "metadata.republished_from")

    def __call__(self, doc: Document) -> Document:
        from propscope.ingest.boilerplate import find_boilerplate

        regions, origin = find_boilerplate(doc.text)
        doc.boilerplate = regions
        if origin and not doc.metadata.republished_from:
            doc.metadata.republished_from = origin
        return doc
