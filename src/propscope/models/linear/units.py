"""The units the linear model scores: paragraphs, sentences and tokens of a batch of documents.

Documents are laid end to end in one "global" offset space (``base[d]`` is where document
``d`` starts) so calibration and decoding are array operations over a whole corpus.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from propscope.document import Document, Paragraph, split_paragraphs
from propscope.models.linear.spans import RunLayout, coverage
from propscope.models.linear.text import (
    is_content,
    is_word,
    sentences,
    token_features,
    tokenize,
    word_counts,
)


@dataclass
class Units:
    """Paragraphs, sentences and tokens of ``docs`` (global offsets, reading order)."""

    docs: Sequence[Document]
    base: np.ndarray  # global offset of each document's first character
    total: int  # length of the global offset space
    paragraphs: list[Paragraph]
    par_doc: np.ndarray  # document index of each paragraph
    par_texts: list[str]
    sent_ranges: np.ndarray  # n x 2 global offsets
    sent_par: np.ndarray  # paragraph index of each sentence
    sent_texts: list[str]
    tok_ranges: np.ndarray
    tok_par: np.ndarray
    tok_feats: list[list[str]]
    tok_content: np.ndarray  # whether each token could carry a technique (``text.is_content``)
    # Token spans are decoded per sentence, and begin and end on a word (letter or digit), not
    # on a quote or full stop: annotated spans do (93% end on a word; 4% cross a sentence).
    tok_sent: np.ndarray  # sentence index (into ``sent_ranges``) of each token; -1 - paragraph
    # index in a paragraph without sentences, so runs still stop at its ends
    tok_word: np.ndarray  # whether each token has a letter or digit

    @cached_property
    def doc_texts(self) -> list[str]:
        """Each document's analysed text: its content paragraphs joined by newlines (built once:
        the paragraph, genre and frame features all read it)."""
        parts: list[list[str]] = [[] for _ in self.docs]
        for d, t in zip(self.par_doc, self.par_texts, strict=True):
            parts[d].append(t)
        return ["\n".join(p) for p in parts]

    def sentence_layout(self) -> RunLayout:
        """Sentence spans: each selected sentence is one span of its own."""
        return RunLayout(self.sent_ranges, np.arange(len(self.sent_texts)))

    def token_layout(self, max_gap: int) -> RunLayout:
        """Token spans: runs within a sentence, joined across ``max_gap`` tokens, trimmed to
        words, dropped when made only of function words or marks."""
        return RunLayout(self.tok_ranges, self.tok_sent, self.tok_content, max_gap, self.tok_word)

    def gold_spans(self, label: str) -> np.ndarray:
        """Gold spans of ``label`` in global offsets (``m x 2``)."""
        rows = [(self.base[d] + s.start, self.base[d] + s.end)
                for d, doc in enumerate(self.docs) for s in doc.spans if s.label == label]
        return np.array(rows, dtype=np.int64).reshape(-1, 2)

    def locate(self, pos: int) -> int:
        """Index of the document holding global offset ``pos``."""
        return int(np.searchsorted(self.base, pos, side="right") - 1)


def paragraph_bounds(par: np.ndarray, n_par: int) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last token index of each of ``n_par`` paragraphs (``par``: each
    token's paragraph, non-decreasing); equal for a paragraph without tokens."""
    paragraphs = np.arange(n_par)
    return np.searchsorted(par, paragraphs), np.searchsorted(par, paragraphs, side="right")


def build_units(docs: Sequence[Document], *, with_tokens: bool = True) -> Units:
    """Collect the content paragraphs (not wholly boilerplate) with their sentences and tokens."""
    base = np.zeros(len(docs), dtype=np.int64)
    pos = 0
    paragraphs: list[Paragraph] = []
    par_doc, par_texts = [], []
    sent_ranges, sent_par, sent_texts = [], [], []
    tok_ranges, tok_par, tok_feats, tok_content, tok_sent, tok_word = [], [], [], [], [], []
    for d, doc in enumerate(docs):
        base[d] = pos
        pos += len(doc.text) + 1  # the gap keeps runs from touching across documents
        if not doc.paragraphs:
            doc.paragraphs = split_paragraphs(doc.text)
        text = doc.text
        paras = doc.content_paragraphs()
        counts = word_counts([text[s:e].lower() for p in paras for s, e in tokenize(text, p.start, p.end)]) \
            if with_tokens else None
        for p in paras:
            pi = len(paragraphs)
            paragraphs.append(p)
            par_doc.append(d)
            par_texts.append(text[p.start:p.end])
            sents = sentences(text, p.start, p.end)
            for s, e in sents:
                sent_ranges.append((base[d] + s, base[d] + e))
                sent_par.append(pi)
                sent_texts.append(text[s:e])
            if counts is None:
                continue
            toks = tokenize(text, p.start, p.end)
            words = [text[s:e] for s, e in toks]
            lowers = [w.lower() for w in words]
            sent_starts = [s for s, _ in sents]
            starts = set(sent_starts)
            first_sent = len(sent_texts) - len(sents)
            for i, (s, e) in enumerate(toks):
                tok_ranges.append((base[d] + s, base[d] + e))
                tok_par.append(pi)
                tok_feats.append(token_features(words, lowers, i, counts, s in starts))
                tok_content.append(is_content(words[i]))
                tok_sent.append(first_sent + max(bisect_right(sent_starts, s) - 1, 0) if sents else -1 - pi)
                tok_word.append(is_word(words[i]))
    return Units(
        docs, base, pos, paragraphs, np.array(par_doc, dtype=np.int64), par_texts,
        np.array(sent_ranges, dtype=np.int64).reshape(-1, 2), np.array(sent_par, dtype=np.int64),
        sent_texts, np.array(tok_ranges, dtype=np.int64).reshape(-1, 2),
        np.array(tok_par, dtype=np.int64), tok_feats, np.array(tok_content, dtype=bool),
        np.array(tok_sent, dtype=np.int64), np.array(tok_word, dtype=bool),
    )


def unit_labels(ranges: np.ndarray, gold: np.ndarray, total: int, *, min_cover: float) -> np.ndarray:
    """1 where at least ``min_cover`` of a unit's characters lie inside gold spans."""
    cum = coverage(gold, total)
    covered = cum[ranges[:, 1]] - cum[ranges[:, 0]]
    return (covered >= min_cover * (ranges[:, 1] - ranges[:, 0])).astype(np.int8)
