"""``evaluate(gold, pred)``: the shared task's four scores for predicted Documents.

- Genre (subtask 1): macro-F1 over the genres (official), micro-F1, accuracy, per genre.
- Frames (subtask 2): micro-F1 (official) and macro-F1, multi-label per article, per frame.
- Paragraph techniques (subtask 3): micro-F1 (official) and macro-F1 over techniques, with
  paragraphs identified by (article id, line).
- Spans: partial-overlap precision/recall/F1 (``propscope.evaluation.spans``).
- Confidence: how the scores of predicted spans and paragraph labels compare with how often
  they are right (``propscope.evaluation.reliability``).

Macro averages run over the labels that occur in the gold or the prediction; for paragraphs
``macro_f1_trainable`` also gives the mean over the fixed set of trainable techniques.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from propscope.datasets.semeval import RECENT_PREFIX
from propscope.document import Document, ModelInfo
from propscope.errors import DataError
from propscope.evaluation.metrics import LabelScores, score_labels
from propscope.evaluation.reliability import ConfidenceReport, confidence_report
from propscope.evaluation.spans import SpanReport, score_spans
from propscope.taxonomy import FRAMES, GENRES, technique_names


@dataclass(frozen=True, slots=True)
class _LabelReport:
    """A subtask scored per label: micro, macro and per-label scores."""

    scores: LabelScores

    @property
    def micro_f1(self) -> float:
        return self.scores.micro.f1

    @property
    def macro_f1(self) -> float:
        return self.scores.macro.f1


@dataclass(frozen=True, slots=True)
class GenreReport(_LabelReport):
    """Subtask 1 over articles with a gold genre; the official score is ``macro_f1``."""

    accuracy: float

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.scores.units, "macro_f1": round(self.macro_f1, 6),
                "micro_f1": round(self.micro_f1, 6), "accuracy": round(self.accuracy, 6),
                "scores": self.scores.to_dict()}


@dataclass(frozen=True, slots=True)
class FrameReport(_LabelReport):
    """Subtask 2 over articles with gold frames; the official score is ``micro_f1``."""

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.scores.units, "micro_f1": round(self.micro_f1, 6),
                "macro_f1": round(self.macro_f1, 6), "scores": self.scores.to_dict()}


@dataclass(frozen=True, slots=True)
class ParagraphReport(_LabelReport):
    """Subtask 3 over every gold paragraph; the official score is ``micro_f1``.

    Attributes:
        scores: micro, macro (over techniques in the gold or the prediction) and per technique.
        macro_f1_trainable: mean F1 over the 19 trainable techniques, a technique absent from
            both gold and prediction counting 0 (comparable across splits of any size, but
            below 1 even for a perfect prediction on a split missing some technique).
    """

    macro_f1_trainable: float

    def to_dict(self) -> dict[str, Any]:
        return {"paragraphs": self.scores.units, "micro_f1": round(self.micro_f1, 6),
                "macro_f1": round(self.macro_f1, 6),
                "macro_f1_trainable": round(self.macro_f1_trainable, 6),
                "scores": self.scores.to_dict()}


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """All scores of one evaluation run.

    Attributes:
        documents: gold documents scored.
        missing: ids of gold documents with no prediction (scored as empty predictions).
        unmatched: predicted documents whose id is not in the gold (ignored).
        model: the model named by the predictions, if they say.
    """

    documents: int
    genre: GenreReport
    frames: FrameReport
    paragraphs: ParagraphReport
    spans: SpanReport
    confidence: ConfidenceReport
    missing: list[str] = field(default_factory=list)
    unmatched: int = 0
    model: ModelInfo | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        m = self.model
        return {
            "documents": self.documents,
            "missing": list(self.missing),
            "unmatched": self.unmatched,
            "model": {"name": m.name, "version": m.version, "trained_on": m.trained_on} if m else None,
            "paragraphs": self.paragraphs.to_dict(),
            "spans": self.spans.to_dict(),
            "genre": self.genre.to_dict(),
            "frames": self.frames.to_dict(),
            "confidence": self.confidence.to_dict(),
        }


def _index(docs: Sequence[Document], what: str) -> dict[str, Document]:
    out: dict[str, Document] = {}
    for d in docs:
        if d.id in out:
            raise DataError(f"The {what} documents hold id {d.id!r} twice; ids must be unique.")
        out[d.id] = d
    return out


def _pairs(gold: Sequence[Document], pred: Sequence[Document]) -> tuple[
        list[tuple[Document, Document | None]], int]:
    by_id = _index(pred, "predicted")
    _index(gold, "gold")
    pairs = []
    for g in gold:
        p = by_id.get(g.id)
        if p is not None and p.text != g.text:
            # The gold is read with universal newlines, as the task's offsets count them; an
            # article file checked out with Windows line endings keeps its "\r" when analysed.
            crlf = ("; its lines end in CRLF and the gold's in LF (a Windows checkout?): analyse "
                    "files with LF line endings" if p.text.replace("\r\n", "\n") == g.text else "")
            raise DataError(
                f"The prediction for article {g.id!r} has a different text from the gold "
                f"({len(p.text)} vs {len(g.text)} characters), so its offsets cannot be compared"
                f"{crlf or '; predict from the gold text exactly as read'}."
            )
        pairs.append((g, p))
    gold_ids = {g.id for g in gold}
    return pairs, sum(1 for pid in by_id if pid not in gold_ids)


def _paragraph_units(pairs: list[tuple[Document, Document | None]]) -> Iterator[tuple[list[str], list[str]]]:
    for g, p in pairs:
        predicted = {q.line: q.techniques for q in p.paragraphs} if p else {}
        for para in g.paragraphs:
            yield para.techniques, predicted.get(para.line, [])


def evaluate(gold: Sequence[Document], pred: Sequence[Document]) -> EvaluationReport:
    """Score predicted documents against gold ones, matched by ``id``.

    A gold document without a prediction is scored as an empty prediction and listed in
    ``missing``; predictions for ids not in the gold are ignored and counted in ``unmatched``.
    Gold articles without a genre (or without frames) are left out of that score.

    Raises:
        DataError: an id occurs twice, or a prediction's text differs from its gold text.
    """
    pairs, unmatched = _pairs(gold, pred)
    order = technique_names()
    genre_pairs = [(g.genre.label, p.genre.label if p and p.genre else None)
                   for g, p in pairs if g.genre is not None]
    genre_scores = score_labels((([gl], [pl] if pl else []) for gl, pl in genre_pairs), order=GENRES)
    accuracy = sum(gl == pl for gl, pl in genre_pairs) / len(genre_pairs) if genre_pairs else 0.0
    frames = score_labels((([f.label for f in g.frames], [f.label for f in p.frames] if p else [])
                           for g, p in pairs if g.frames), order=FRAMES)
    para = score_labels(_paragraph_units(pairs), order=order)
    spans = score_spans(((g.spans, p.spans if p else []) for g, p in pairs), order=order)
    model = next((p.model for _, p in pairs if p is not None and p.model is not None), None)
    return EvaluationReport(
        documents=len(pairs),
        genre=GenreReport(genre_scores, accuracy),
        frames=FrameReport(frames),
        paragraphs=ParagraphReport(para, para.macro_f1_over(technique_names(trainable_only=True))),
        spans=spans,
        confidence=confidence_report(pairs),
        missing=[g.id for g, p in pairs if p is None],
        unmatched=unmatched,
        model=model,
    )


def evaluate_recent(gold: Sequence[Document], pred: Sequence[Document]) -> EvaluationReport | None:
    """``evaluate`` on the newest articles only (ids starting with ``RECENT_PREFIX``), from the
    same predictions; ``None`` when the gold has none of them."""
    recent = [g for g in gold if g.id.startswith(RECENT_PREFIX)]
    if not recent:
        return None
    return evaluate(recent, [p for p in pred if p.id.startswith(RECENT_PREFIX)])
