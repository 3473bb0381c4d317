"""Tokenise a document's paragraphs and pack them into encoder windows.

Each window holds whole consecutive paragraphs (so every paragraph is read with its
neighbours as context) up to the window size; a paragraph longer than a window is cut into
overlapping chunks. Token offsets are absolute character offsets into ``Document.text``, so
decoded spans point straight back into the original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from propscope.document import Document, Paragraph

CLS_ID = 101
SEP_ID = 102
PAD_ID = 0


def load_tokenizer(path: Path):  # type: ignore[no-untyped-def]
    """A ``tokenizers.Tokenizer`` with truncation and padding off (windows are cut here)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    return tok


@dataclass
class DocTokens:
    """The tokens of a document's content paragraphs, in text order.

    Attributes:
        ids: token ids [N].
        starts, ends: absolute character offsets of each token [N].
        para: index into ``paragraphs`` of each token [N].
        paragraphs: the content paragraphs that were tokenised.
        windows: ``(first, stop)`` token ranges; they cover every token at least once.
    """

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    para: np.ndarray
    paragraphs: list[Paragraph]
    windows: list[tuple[int, int]]


def pack_windows(bounds: list[tuple[int, int]], size: int, overlap: int) -> list[tuple[int, int]]:
    """Group paragraph token ranges ``bounds`` into windows of at most ``size`` tokens.

    Whole paragraphs are packed greedily; a paragraph longer than ``size`` gets windows of
    its own that overlap by ``overlap`` tokens, the last one aligned with its end.
    """
    out: list[tuple[int, int]] = []
    cur: list[int] = []  # [first, stop] of the window being filled

    def flush() -> None:
        if cur:
            out.append((cur[0], cur[1]))
            cur.clear()

    step = max(1, size - overlap)
    for a, b in bounds:
        if b <= a:
            continue
        if b - a > size:
            flush()
            s = a
            while True:
                out.append((s, min(s + size, b)))
                if s + size >= b:
                    break
                s = min(s + step, b - size)
            continue
        if cur and b - cur[0] > size:
            flush()
        if not cur:
            cur.extend((a, b))
        cur[1] = b
    flush()
    return out


def tokenize_document(tok, doc: Document, *, size: int, overlap: int) -> DocTokens:  # type: ignore[no-untyped-def]
    """Tokenise ``doc``'s content paragraphs and cut windows of ``size`` tokens (no specials)."""
    paras = doc.content_paragraphs()
    encs = tok.encode_batch([doc.text[p.start:p.end] for p in paras], add_special_tokens=False)
    ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    pidx: list[int] = []
    bounds: list[tuple[int, int]] = []
    n = 0
    for i, (p, e) in enumerate(zip(paras, encs, strict=True)):
        offs = [(s, t) for s, t in e.offsets]
        keep = [j for j, (s, t) in enumerate(offs) if t > s]
        ids.extend(e.ids[j] for j in keep)
        starts.extend(p.start + offs[j][0] for j in keep)
        ends.extend(p.start + offs[j][1] for j in keep)
        pidx.extend([i] * len(keep))
        bounds.append((n, n + len(keep)))
        n += len(keep)
    return DocTokens(
        np.asarray(ids, dtype=np.int64), np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64), np.asarray(pidx, dtype=np.int64), paras,
        pack_windows(bounds, size, overlap),
    )


@dataclass
class Batch:
    """Encoder inputs for a list of windows, padded to the longest.

    ``para_index[b, t]`` is the window-local paragraph number of each position (-1 for
    [CLS], [SEP] and padding); ``para_global[b][k]`` maps local number ``k`` back to the
    document's paragraph index.
    """

    input_ids: np.ndarray
    attention_mask: np.ndarray
    para_index: np.ndarray
    para_global: list[list[int]]
    n_paras: int


def make_batch(items: list[tuple[DocTokens, tuple[int, int]]]) -> Batch:
    """Build padded ``[CLS] tokens [SEP]`` inputs for ``(document tokens, window)`` pairs."""
    t = max(b - a for _, (a, b) in items) + 2
    ids = np.full((len(items), t), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(items), t), dtype=np.int64)
    pidx = np.full((len(items), t), -1, dtype=np.int64)
    glob: list[list[int]] = []
    for r, (dt, (a, b)) in enumerate(items):
        n = b - a
        ids[r, 0], ids[r, 1:n + 1], ids[r, n + 1] = CLS_ID, dt.ids[a:b], SEP_ID
        mask[r, :n + 2] = 1
        first = int(dt.para[a])
        pidx[r, 1:n + 1] = dt.para[a:b] - first
        glob.append(list(range(first, int(dt.para[b - 1]) + 1)))
    return Batch(ids, mask, pidx, glob, max(len(g) for g in glob))
