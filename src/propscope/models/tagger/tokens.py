"""Token ids of the tagger: the word-vector vocabulary plus a few marks that carry meaning.

The tagger reads the same tokens as the linear token detectors (``linear.text.tokenize``:
words, and punctuation one mark at a time), lowercased. Quotes, question and exclamation
marks get their own rows: quoted speech, doubt and slogans show in them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

QUOTE_MARKS = frozenset("\"'“”‘’«»")
# Rows after the vocabulary's own, in this order; "<pad>" stays all zeros (training only).
SPECIALS = ("<unk>", "<quote>", "<question>", "<exclamation>", "<punct>", "<pad>")


def special_id(vocab_size: int, name: str) -> int:
    """Row of special token ``name`` in a table of ``vocab_size`` words plus ``SPECIALS``."""
    return vocab_size + SPECIALS.index(name)


def token_ids(words: Sequence[str], index: dict[str, int]) -> np.ndarray:
    """``len(words)`` row ids for lowercased tokens (``index``: word -> row)."""
    n = len(index)
    marks = {"?": special_id(n, "<question>"), "!": special_id(n, "<exclamation>")}
    unk, quote, punct = special_id(n, "<unk>"), special_id(n, "<quote>"), special_id(n, "<punct>")
    out = np.empty(len(words), dtype=np.int64)
    for i, w in enumerate(words):
        j = index.get(w)
        if j is None:
            if w in QUOTE_MARKS:
                j = quote
            elif w in marks:
                j = marks[w]
            else:
                j = unk if w[:1].isalnum() else punct
        out[i] = j
    return out

