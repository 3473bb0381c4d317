"""Turn model outputs into annotations: spans at character offsets, paragraph labels, genre
and frames, using the calibrated decision thresholds."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from propscope.document import Document, Frame, Genre, Span
from propscope.models.transformer.heads import DocOutput
from propscope.models.transformer.windows import DocTokens
from propscope.sensitivity import shift_threshold
from propscope.taxonomy import FRAMES, GENRES


@dataclass
class Decision:
    """Calibrated decision rules.

    Attributes:
        span: per-technique threshold on token probabilities.
        paragraph: per-technique threshold on the paragraph score.
        para_mix: paragraph score = ``para_mix`` * paragraph head + (1 - ``para_mix``) *
            highest token probability in the paragraph.
        max_gap: tokens below threshold bridged inside one span (0: none).
        frames: per-frame threshold on frame probabilities.
        genre_bias: added to the log-probabilities of (opinion, reporting, satire) before the
            argmax, so rare genres are not swamped by the 88% opinion prior.
    """

    span: dict[str, float] = field(default_factory=dict)
    paragraph: dict[str, float] = field(default_factory=dict)
    para_mix: float = 0.5
    max_gap: int = 0
    frames: dict[str, float] = field(default_factory=dict)
    genre_bias: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return asdict(self)

    def shifted(self, shift: float) -> Decision:
        """These rules with every span and paragraph threshold moved by ``shift`` logits
        (``sensitivity.py``); frames and genre unchanged."""
        if shift == 0:
            return self
        return replace(self, span={k: shift_threshold(v, shift) for k, v in self.span.items()},
                       paragraph={k: shift_threshold(v, shift) for k, v in self.paragraph.items()})

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Decision:
        """Inverse of ``to_dict``."""
        return cls(**d)


def _grow_to_word(text: str, start: int, end: int) -> tuple[int, int]:
    # A span ending inside a word ("propagand|ist") reads wrong; extend it to whole words.
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def token_runs(above: np.ndarray, para: np.ndarray, max_gap: int) -> list[tuple[int, int]]:
    """``[first, stop)`` runs of True tokens within one paragraph, bridging ``max_gap`` Falses."""
    idx = np.flatnonzero(above)
    runs: list[tuple[int, int]] = []
    for i in idx:
        if runs and i - runs[-1][1] <= max_gap and para[i] == para[runs[-1][0]]:
            runs[-1] = (runs[-1][0], int(i) + 1)
        else:
            runs.append((int(i), int(i) + 1))
    return runs


def decode_spans(doc: Document, dt: DocTokens, probs: np.ndarray, labels: list[str],
                 decision: Decision) -> list[Span]:
    """Spans above each technique's threshold, extended to word boundaries.

    Spans touching a boilerplate region or holding no letter or digit are dropped.
    """
    text = doc.text
    out: list[Span] = []
    for j, label in enumerate(labels):
        thr = decision.span.get(label, 0.5)
        for a, b in token_runs(probs[:, j] >= thr, dt.para, decision.max_gap):
            start, end = _grow_to_word(text, int(dt.starts[a]), int(dt.ends[b - 1]))
            if not any(c.isalnum() for c in text[start:end]):
                continue
            if any(r.start < end and start < r.end for r in doc.boilerplate):
                continue
            score = float(np.clip(probs[a:b, j].max(), 0.0, 1.0))
            out.append(Span(start, end, label, score))
    return out


def paragraph_scores(out: DocOutput, decision: Decision) -> np.ndarray:
    """[P, L] paragraph scores mixing the paragraph head and the token maximum."""
    return decision.para_mix * out.para_probs + (1.0 - decision.para_mix) * out.para_tokmax


def apply(doc: Document, dt: DocTokens, out: DocOutput, labels: list[str], decision: Decision,
          genre_probs: np.ndarray, frame_probs: np.ndarray) -> None:
    """Write spans, paragraph techniques and scores, genre and frames into ``doc``."""
    doc.spans = []
    doc.add_spans(decode_spans(doc, dt, out.token_probs, labels, decision))
    for p in doc.paragraphs:
        p.techniques, p.scores = [], {}
    scores = paragraph_scores(out, decision)
    for p, row in zip(dt.paragraphs, scores, strict=True):
        p.scores = {lab: round(float(s), 4) for lab, s in zip(labels, row, strict=True) if s >= 0.01}
        p.techniques = [lab for lab, s in zip(labels, row, strict=True)
                        if s >= decision.paragraph.get(lab, 0.5)]
    logp = np.log(np.maximum(genre_probs, 1e-9)) + np.asarray(decision.genre_bias)
    doc.genre = Genre(GENRES[int(np.argmax(logp))],
                      {g: round(float(s), 4) for g, s in zip(GENRES, genre_probs, strict=True)})
    doc.frames = sorted((Frame(f, round(float(s), 4)) for f, s in zip(FRAMES, frame_probs, strict=True)
                         if s >= decision.frames.get(f, 0.5)), key=lambda fr: -fr.score)
