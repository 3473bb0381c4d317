"""Paragraphs as the encoder reads them: token windows with character offsets.

The encoder reads one paragraph at a time (the shared task's unit), as ``<s> tokens </s>``;
a paragraph longer than ``max_tokens`` is read in consecutive windows. Every token keeps the
character range it covers in the document's text (the tokenizer's offsets, shifted by the
paragraph's start, its leading "▁" space left out), so predictions map back to exact
offsets with no re-alignment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from propscope.document import Document, Paragraph

if TYPE_CHECKING:
    from tokenizers import Tokenizer

BOS, EOS = 0, 2  # the XLM-R <s> and </s> ids, kept at these rows by the pruned vocabulary


@dataclass
class Windows:
    """Token windows of a batch of paragraphs.

    Attributes:
        ids: per window, int64 token ids with ``<s>``/``</s>`` around them.
        spans: per window, int64 ``[n, 2]`` character ranges into the document's text
            (``-1, -1`` for the two special tokens).
        paragraph: per window, the index of its paragraph in ``units``.
        units: the ``(document index, paragraph)`` pairs read, in order.
    """

    ids: list[np.ndarray]
    spans: list[np.ndarray]
    paragraph: np.ndarray
    units: list[tuple[int, Paragraph]]

    def __len__(self) -> int:
        return len(self.ids)

    def tokens(self) -> int:
        """Tokens in all windows, specials included."""
        return sum(len(x) for x in self.ids)


def make_windows(docs: Sequence[Document], units: Sequence[tuple[int, Paragraph]],
                 tokenizer: Tokenizer, *, max_tokens: int = 256) -> Windows:
    """Tokenize each ``(document index, paragraph)`` of ``units`` into windows of at most
    ``max_tokens`` tokens (specials included)."""
    texts = [docs[d].text[p.start:p.end] for d, p in units]
    encodings = tokenizer.encode_batch(texts, add_special_tokens=False) if texts else []
    width = max_tokens - 2
    ids: list[np.ndarray] = []
    spans: list[np.ndarray] = []
    owner: list[int] = []
    for k, ((_d, p), enc, text) in enumerate(zip(units, encodings, texts, strict=True)):
        tok = np.asarray(enc.ids, dtype=np.int64)
        off = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        for i in range(len(off)):  # "▁word" covers the space before the word: leave it out
            while off[i, 0] < off[i, 1] and text[off[i, 0]].isspace():
                off[i, 0] += 1
        off += p.start
        for lo in range(0, max(len(tok), 1), width):
            chunk, where = tok[lo:lo + width], off[lo:lo + width]
            ids.append(np.concatenate([[BOS], chunk, [EOS]]).astype(np.int64))
            spans.append(np.concatenate([[[-1, -1]], where, [[-1, -1]]]).astype(np.int64))
            owner.append(k)
    return Windows(ids, spans, np.asarray(owner, dtype=np.int64), list(units))


def held_out(doc_id: str, share: float) -> bool:
    """Whether an article is in the ``share`` of training articles held out to calibrate on:
    a stable hash of its id, the same in every run."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


def padded(ids: Sequence[np.ndarray], pad: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``(input_ids, attention_mask)`` int64 ``[B, T]`` of windows padded on the right."""
    width = max((len(x) for x in ids), default=0)
    out = np.full((len(ids), width), pad, dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for i, x in enumerate(ids):
        out[i, :len(x)] = x
        mask[i, :len(x)] = 1
    return out, mask


def length_batches(lengths: Sequence[int], max_tokens: int) -> list[np.ndarray]:
    """Indices grouped into batches of similar length with at most ``max_tokens`` padded
    tokens each (sorting by length keeps padding, and so wasted work, small)."""
    order = np.argsort(np.asarray(lengths), kind="stable")
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and (len(current) + 1) * int(lengths[i]) > max_tokens:
            batches.append(current)
            current = []
        current.append(int(i))
    if current:
        batches.append(current)
    return [np.asarray(b, dtype=np.int64) for b in batches]
