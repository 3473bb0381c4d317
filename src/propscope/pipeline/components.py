"""The built-in components: language detection, paragraph segmentation, boilerplate detection
and the model."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from propscope.document import Document, split_paragraphs
from propscope.languages import DEFAULT_LANGUAGE
from propscope.models.base import PersuasionModel
from propscope.models.composed import predict_composed
from propscope.pipeline.base import register_component


@register_component("language")
class LanguageDetector:
    """Sets the language of a document that has none given (``languages/detect.py``): a text
    too short, unclear or mixed keeps none, and ``language_detection`` says why."""

    name = "language"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("language", "language_detection")

    def __call__(self, doc: Document) -> Document:
        if doc.language is None:
            from propscope.languages.detect import detect_language

            doc.language_detection = detect_language(doc.text)
            doc.language = doc.language_detection.code
        return doc


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
    requires: tuple[str, ...] = ("text",)  # and the language, where one is known
    assigns: tuple[str, ...] = ("boilerplate", "metadata.republished_from")

    def __call__(self, doc: Document) -> Document:
        from propscope.ingest.boilerplate import scan_boilerplate
        from propscope.ingest.metadata import LINE_SOURCES

        scan = scan_boilerplate(doc.text, doc.language or DEFAULT_LANGUAGE)
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
        self.pipe([doc])
        return doc

    def pipe(self, docs: Sequence[Document]) -> list[Document]:
        """The model over a whole batch at once (one pass of every head). A document in a
        language the model does not read is not analysed: it gets no label (rather than a
        confident "no technique found"), and its ``model`` says which languages it reads."""
        info = dataclasses.replace(self.model.info, sensitivity=self.sensitivity)
        readable = [d for d in docs if info.support(d.language) != "unsupported"]
        predict_composed(self.model, readable, sensitivity=self.sensitivity)
        for doc in docs:
            if info.support(doc.language) == "unsupported":
                doc.spans, doc.genre, doc.frames, doc.model = [], None, [], info
                for p in doc.paragraphs:
                    p.techniques, p.scores, p.evidence = [], {}, {}
        return list(docs)
