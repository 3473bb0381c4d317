"""The shared task's metrics (genre, frames, paragraph techniques, partial-overlap spans)."""

from propscope.evaluation.metrics import PRF, LabelScores, score_labels
from propscope.evaluation.render import render_report
from propscope.evaluation.report import (
    EvaluationReport,
    FrameReport,
    GenreReport,
    ParagraphReport,
    evaluate,
    evaluate_recent,
)
from propscope.evaluation.spans import SpanReport, merge_intervals, score_spans

__all__ = [
    "PRF",
    "EvaluationReport",
    "FrameReport",
    "GenreReport",
    "LabelScores",
    "ParagraphReport",
    "SpanReport",
    "evaluate",
    "evaluate_recent",
    "merge_intervals",
    "render_report",
    "score_labels",
    "score_spans",
]
