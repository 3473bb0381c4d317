"""The quotes component: direct quotations and their speakers (``propscope.quotes``)."""

from __future__ import annotations

from propscope.document import Document
from propscope.pipeline.base import register_component


@register_component("quotes")
class QuoteFinder:
    """Fills ``quotes`` with the text's direct quotations and their speakers, read with the
    document's language; a quotation wholly inside site boilerplate is left out."""

    name = "quotes"
    requires: tuple[str, ...] = ("text", "boilerplate")  # and the language, where one is known
    assigns: tuple[str, ...] = ("quotes",)

    def __call__(self, doc: Document) -> Document:
        from propscope.quotes import extract_quotes

        doc.quotes = []
        doc.add_quotes(q for q in extract_quotes(doc.text, doc.language)
                       if not doc.in_boilerplate(q.start, q.end))
        return doc
