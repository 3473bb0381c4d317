"""The model reads composed Unicode (NFC), whatever form a text arrives in.

An accented letter can be one code point ("é", composed) or a letter followed by a combining
mark ("e" + U+0301, decomposed: macOS file names, some PDFs and scrapers). The tokenizers'
``\\w`` does not match combining marks, so a decomposed "élites" was read as "e", "\u0301",
"lites": spans began and ended inside words, and the words missed the vocabulary, which was
learnt from composed text. So the model reads a composed twin of such a document, and every
offset it returns is mapped back onto the text as given: spans, paragraphs and evidence then
cover whole letters of the original, marks included. Composed text goes through untouched.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from propscope.document import Document, Paragraph, Region, Span

if TYPE_CHECKING:
    from propscope.models.base import PersuasionModel


@dataclasses.dataclass(frozen=True)
class OffsetMap:
    """Aligned cuts of a text and of its composed form.

    ``given[i]:given[i + 1]`` of the text composes to ``composed[i]:composed[i + 1]`` of the
    composed text; both arrays end with their text's length. A cut falls before every code
    point that is no combining mark, so a mark always stays with the letter it follows.
    """

    given: np.ndarray
    composed: np.ndarray

    def to_given(self, start: int, end: int) -> tuple[int, int]:
        """The range of the given text that ``[start, end)`` of the composed one covers."""
        return _cover(self.composed, self.given, start, end)

    def to_composed(self, start: int, end: int) -> tuple[int, int]:
        """The range of the composed text that ``[start, end)`` of the given one covers."""
        return _cover(self.given, self.composed, start, end)


def _cover(src: np.ndarray, dst: np.ndarray, start: int, end: int) -> tuple[int, int]:
    # Whole pieces: from the one holding ``start`` to the one holding ``end - 1``.
    first = int(np.searchsorted(src, start, side="right")) - 1
    if end <= start:
        return int(dst[first]), int(dst[first])
    last = int(np.searchsorted(src, end - 1, side="right")) - 1
    return int(dst[first]), int(dst[last + 1])


def compose(text: str) -> tuple[str, OffsetMap] | None:
    """``text`` in composed form with the map between the two; ``None`` if it already is."""
    if unicodedata.is_normalized("NFC", text):
        return None
    cuts = [i for i, ch in enumerate(text) if i == 0 or not unicodedata.combining(ch)]
    cuts.append(len(text))
    pieces = [unicodedata.normalize("NFC", text[a:b]) for a, b in pairwise(cuts)]
    lengths = np.cumsum([0, *map(len, pieces)])
    return "".join(pieces), OffsetMap(np.asarray(cuts, dtype=np.int64), lengths.astype(np.int64))


def predict_composed(model: PersuasionModel, docs: Sequence[Document], *,
                     sensitivity: float = 0.0) -> list[Document]:
    """``model.predict`` on ``docs`` (preprocessed: paragraphs and boilerplate found), each
    decomposed one read through its composed twin; annotates ``docs`` in place and returns them."""
    twins: list[Document] = []
    maps: dict[int, OffsetMap] = {}
    for i, doc in enumerate(docs):
        composed = compose(doc.text)
        if composed is None:
            twins.append(doc)
            continue
        text, offsets = composed
        maps[i] = offsets
        twin = Document(text, id=doc.id, source=doc.source, metadata=doc.metadata)
        twin.paragraphs = [_moved(p, offsets.to_composed) for p in doc.paragraphs]
        twin.boilerplate = [Region(*offsets.to_composed(r.start, r.end), r.kind) for r in doc.boilerplate]
        twins.append(twin)
    model.predict(twins, sensitivity=sensitivity)
    for i, offsets in maps.items():
        doc, twin = docs[i], twins[i]
        doc.spans = []
        doc.add_spans(Span(*offsets.to_given(s.start, s.end), s.label, s.score) for s in twin.spans)
        doc.paragraphs = [_moved(p, offsets.to_given) for p in twin.paragraphs]
        doc.genre, doc.frames, doc.model = twin.genre, twin.frames, twin.model
    return list(docs)


def _moved(p: Paragraph, move: Callable[[int, int], tuple[int, int]]) -> Paragraph:
    """``p`` with its range and evidence carried to the other text by ``move``."""
    start, end = move(p.start, p.end)
    evidence = {t: [move(a, b) for a, b in ranges] for t, ranges in p.evidence.items()}
    return dataclasses.replace(p, start=start, end=end, techniques=list(p.techniques),
                               scores=dict(p.scores), evidence=evidence)
