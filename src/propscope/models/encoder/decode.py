"""From token probabilities to spans a reader can trust: whole words, one run per technique.

A technique's span is a run of consecutive tokens whose probability reaches its threshold
(a gap of one token below it does not break the run: "a known anti-Russia hawk" is one
span even where "known" scores a little lower). The run's characters are widened to whole
words (a span never starts or ends inside a word) and trimmed of spaces; its score is the
mean probability of its tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from propscope.document import Span

DEFAULT_GAP = 1  # tokens below the threshold inside a run


def _runs(active: np.ndarray, gap: int = DEFAULT_GAP) -> list[tuple[int, int]]:
    """``[first, last]`` index pairs of runs of True, joining runs at most ``gap`` apart."""
    idx = np.flatnonzero(active)
    if not len(idx):
        return []
    runs = [[int(idx[0]), int(idx[0])]]
    for i in idx[1:]:
        if i - runs[-1][1] <= gap + 1:
            runs[-1][1] = int(i)
        else:
            runs.append([int(i), int(i)])
    return [(a, b) for a, b in runs]


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` grown to whole words and trimmed of surrounding spaces."""
    while start > 0 and text[start - 1].isalnum() and start < len(text) and text[start].isalnum():
        start -= 1
    while end < len(text) and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def decode_spans(text: str, offsets: np.ndarray, probs: np.ndarray, thresholds: np.ndarray,
                 labels: Sequence[str], *, gap: int = DEFAULT_GAP) -> list[Span]:
    """Spans of one window: ``offsets`` ``[n, 2]`` character ranges of its tokens (``-1`` for
    the specials), ``probs`` ``[n, L]`` their probabilities, ``thresholds`` ``[L]`` (above 1:
    none of that technique), runs joined over ``gap`` weaker tokens."""
    real = offsets[:, 0] >= 0
    out: list[Span] = []
    for j, label in enumerate(labels):
        if thresholds[j] > 1:
            continue
        for a, b in _runs(real & (probs[:, j] >= thresholds[j]), gap):
            start, end = widen(text, int(offsets[a, 0]), int(offsets[b, 1]))
            if end > start:
                score = float(probs[a:b + 1, j][real[a:b + 1]].mean())
                out.append(Span(start, end, label, round(min(max(score, 0.0), 1.0), 4)))
    return out
