"""The Python API: ``Analyzer().analyze(text)`` returns an analysed Document.

The model is loaded once per Analyzer and reused for every call, so scripts should build
one Analyzer and call it many times.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from propscope.config import AnalyzerConfig
from propscope.document import Document, Metadata
from propscope.errors import EmptyInputError, EncodingError, InputTooLargeError, ModelError, PropscopeError
from propscope.ingest.decode import size_text
from propscope.ingest.metadata import guess_metadata
from propscope.models.base import PersuasionModel, load_model, resolve_model_path
from propscope.pipeline import ModelComponent, Pipeline, create_component
from propscope.sensitivity import resolve_sensitivity

if TYPE_CHECKING:
    from propscope.models.quality import ModelQuality

# What users get back; the same class the pipeline enriches.
Analysis = Document


class Analyzer:
    """Runs the full pipeline: boilerplate, paragraphs, quotes, then the persuasion model.

    Args:
        model: an artifact folder, an already-loaded model, or ``None`` for the shipped one.
        config: limits, batch size and sensitivity; defaults from ``AnalyzerConfig``.
        sensitivity: overrides ``config.sensitivity``: a level name (``"broad"``) or a shift
            of every span and paragraph-label threshold in logits (``sensitivity.py``).
    """

    def __init__(self, model: str | Path | PersuasionModel | None = None, *,
                 config: AnalyzerConfig | None = None, sensitivity: str | float | None = None) -> None:
        if config is not None and not isinstance(config, AnalyzerConfig):
            raise TypeError(f"config is an AnalyzerConfig (propscope.config), not "
                            f"{type(config).__name__}; e.g. AnalyzerConfig(max_bytes=...).")
        self.config = config or AnalyzerConfig()
        if sensitivity is not None:
            self.config = replace(self.config, sensitivity=str(sensitivity))
        # Checked before the model loads: a typo fails at once.
        self.sensitivity = resolve_sensitivity(self.config.sensitivity)
        if model is None:
            model = self.config.model
        # Where the model was loaded from (its recorded scores live there); None when a
        # model object was passed in.
        self.model_path: Path | None = None
        if isinstance(model, PersuasionModel):
            self.model: PersuasionModel = model
        else:
            self.model_path = resolve_model_path(model)
            self.model = load_model(self.model_path)
        self.preprocess = Pipeline([create_component("language"), create_component("boilerplate"),
                                    create_component("paragraphs"), create_component("quotes")])
        self.pipeline = self._full_pipeline()

    def __repr__(self) -> str:
        info = self.model.info
        return (f"Analyzer(model={info.name} {info.version}, sensitivity={self.config.sensitivity!r}, "
                f"max_bytes={self.config.max_bytes})")

    def _full_pipeline(self) -> Pipeline:
        """Preprocessing, then the model at this Analyzer's sensitivity."""
        return Pipeline([*self.preprocess.components, ModelComponent(self.model, self.sensitivity)])

    def with_sensitivity(self, sensitivity: str | float | None) -> Analyzer:
        """This Analyzer at another sensitivity (``None``: this one's), sharing the loaded
        model: the server answers each request at the level it asks for."""
        if sensitivity is None:
            return self
        other = copy.copy(self)
        other.config = replace(self.config, sensitivity=str(sensitivity))
        other.sensitivity = resolve_sensitivity(sensitivity)
        other.pipeline = other._full_pipeline()
        return other

    def _check(self, doc: Document) -> None:
        where = doc.source or doc.id
        try:
            size = len(doc.text.encode("utf-8"))
        except UnicodeEncodeError as exc:
            # Half of a UTF-16 pair ("\ud800": text decoded with errors="surrogateescape", or
            # a JSON escape) is no character: the analysis could not be written as UTF-8.
            raise EncodingError(
                f"text holds a lone surrogate (U+{ord(doc.text[exc.start]):04X} at character "
                f"{exc.start}), half of a UTF-16 pair and no character; decode the source with "
                "its right encoding, or with errors='replace'.", source=where) from None
        if size > self.config.max_bytes:
            raise InputTooLargeError(
                f"text is {size_text(size)}, above the {size_text(self.config.max_bytes)} "
                "limit; split it or raise the limit (--max-bytes, PROPSCOPE_MAX_BYTES, or "
                "AnalyzerConfig(max_bytes=...) in Python).",
                source=where,
            )
        # A text without a letter or digit ("", "\ufeff", "!!!", an emoji) has nothing a
        # technique could be in; analysed, it still got a genre and a frame said present.
        if not any(ch.isalnum() for ch in doc.text):
            state = ("is empty" if not doc.text.replace("\ufeff", "").strip()
                     else "holds no words (no letter or digit)")
            raise EmptyInputError(f"text {state}; there is nothing to analyse.", source=where)

    def analyze(self, text: str, *, id: str = "document", source: str | None = None,
                metadata: Metadata | None = None, language: str | None = None) -> Document:
        """Analyse one text and return the annotated Document.

        Without ``metadata``, what the text itself states (title, byline, dateline) is read
        from it as for a ``.txt`` file (``ingest.metadata.guess_metadata``), so the same text
        gets the same title from the CLI, the HTTP API and here; ``Metadata()`` gives none.
        ``language`` (ISO 639-1) is the text's language; without it, it is detected.
        """
        if not isinstance(text, str):
            hint = (" (decode the bytes first, or read them with propscope.ingest.read_bytes("
                    "data, name=...) and analyse the Documents with analyze_document)"
                    if isinstance(text, bytes | bytearray) else "")
            raise TypeError(f"analyze() takes the article text as str, got "
                            f"{type(text).__name__}{hint}.")
        if metadata is None and text.strip():
            metadata = guess_metadata(text)
        return self.analyze_document(Document(text, id=id, source=source, metadata=metadata,
                                              language=language))

    def analyze_document(self, doc: Document) -> Document:
        """Analyse a Document built by ingestion (its metadata is kept)."""
        self._check(doc)
        return self.pipeline(doc)

    def analyze_many(self, docs: Iterable[Document | str]) -> Iterator[Document]:
        """Analyse a stream of Documents in batches of ``config.batch_size``, lazily.

        A plain string is taken as ``analyze`` takes it: a Document with the metadata the text
        states, id ``"document"``. Each document is validated first; one that fails validation
        raises before its batch runs. To go on past bad inputs, use ``analyze_each``.
        """
        yield from self.pipeline.pipe(map(self._checked, docs), batch_size=self.config.batch_size)

    def _checked(self, item: Document | str) -> Document:
        if isinstance(item, str):
            doc = Document(item, metadata=guess_metadata(item) if item.strip() else None)
        elif isinstance(item, Document):
            doc = item
        else:
            raise TypeError(f"analyze_many() takes Documents or str, got {type(item).__name__}.")
        self._check(doc)
        return doc

    def analyze_each(self, docs: Iterable[Document], on_error: Callable[[Document, Exception], None], *,
                     errors: tuple[type[Exception], ...] = (PropscopeError,)) -> Iterator[Document]:
        """Analyse a stream of Documents in batches, lazily, going on past the ones that fail.

        A batch that raises one of ``errors`` is analysed again one document at a time, each
        from an unannotated copy (the failed batch may have annotated some half-way), so one
        bad input costs only itself: ``on_error(doc, exc)`` is told about it and the others
        are yielded, in order. Other exceptions propagate.
        """
        it = iter(docs)
        while batch := list(itertools.islice(it, self.config.batch_size)):
            try:
                done = list(self.analyze_many(batch))
            except errors:
                done = []
                for doc in batch:
                    try:
                        done.append(self.analyze_document(doc.unannotated()))
                    except errors as exc:
                        on_error(doc, exc)
            yield from done

    def quality(self, on_error: Callable[[ModelError], None] | None = None) -> ModelQuality | None:
        """How well the model finds each technique, out of sample (``models/quality.py``):
        the scores recorded in its artifact; ``None`` for a model object passed in or an
        artifact trained with nothing held out.

        Unreadable scores raise ``ModelError``, unless ``on_error`` is given: it is told, and
        the answer is ``None`` (analyses go on without the rates: how the CLI and the server
        read them).
        """
        if self.model_path is None:
            return None
        from propscope.models.quality import load_quality

        try:
            return load_quality(self.model_path)
        except ModelError as exc:
            if on_error is None:
                raise
            on_error(exc)
            return None
