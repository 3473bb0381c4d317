"""Terminal tables of an ``EvaluationReport``: headline scores, genres, and per technique."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from propscope.evaluation.metrics import PRF
from propscope.evaluation.report import EvaluationReport
from propscope.taxonomy import GENRES


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _prf_cells(s: PRF) -> list[str]:
    return [_pct(s.precision), _pct(s.recall), _pct(s.f1), str(s.support)]


def headline_table(report: EvaluationReport, *, title: str) -> Table:
    """One row per headline score; the shared task's official score of each subtask is marked."""
    t = Table(title=title, title_justify="left", caption_justify="left",
              caption="scores in %; official = the shared task's ranking score")
    t.add_column("task")
    t.add_column("score")
    for name in ("P", "R", "F1"):
        t.add_column(name, justify="right")
    t.add_column("support", justify="right")
    para, spans, genre, frames = report.paragraphs, report.spans, report.genre, report.frames
    n_para = f"{para.scores.units} paras"
    t.add_row("paragraphs", "micro (official)", *_prf_cells(para.scores.micro)[:3], n_para)
    t.add_row("", f"macro ({len(para.scores.macro_labels)} labels)",
              *_prf_cells(para.scores.macro)[:3], "")
    t.add_row("", "macro (19 trainable)", "", "", _pct(para.macro_f1_trainable), "")
    t.add_row("spans", "technique-aware", *_prf_cells(spans.aware)[:3], f"{spans.aware.support} spans")
    t.add_row("", "technique-agnostic", *_prf_cells(spans.agnostic)[:3], f"{spans.agnostic.support} spans",
              end_section=True)
    t.add_row("genre", "macro (official)", *_prf_cells(genre.scores.macro)[:3],
              f"{genre.scores.units} articles")
    t.add_row("", "accuracy", "", "", _pct(genre.accuracy), "")
    t.add_row("frames", "micro (official)", *_prf_cells(frames.scores.micro)[:3],
              f"{frames.scores.units} articles")
    t.add_row("", "macro", *_prf_cells(frames.scores.macro)[:3], "")
    return t


def confidence_table(report: EvaluationReport) -> Table:
    """Mean confidence against the observed rate of predicted spans and paragraph labels."""
    t = Table(title="Confidence against outcome", title_justify="left", caption_justify="left",
              caption="right = overlaps a gold span of its technique / the gold paragraph has it "
                      "/ the gold genre; ECE = mean gap over 0.1-wide bins")
    t.add_column("predictions")
    for name in ("count", "mean confidence", "right", "ECE", "Brier"):
        t.add_column(name, justify="right")
    c = report.confidence
    for name, r in (("spans", c.spans), ("paragraph labels", c.paragraphs), ("genre", c.genre)):
        if not r.count:
            continue
        t.add_row(name, str(r.count), f"{r.mean_confidence:.3f}", f"{r.observed:.3f}", f"{r.ece:.3f}",
                  f"{r.brier:.3f}")
    return t


def genre_table(report: EvaluationReport) -> Table:
    """Precision, recall, F1 and support of each genre."""
    t = Table(title="Genre per class", title_justify="left")
    t.add_column("genre")
    for name in ("P", "R", "F1", "support"):
        t.add_column(name, justify="right")
    per = report.genre.scores.per_label
    for g in GENRES:
        if g in per:
            t.add_row(g, *_prf_cells(per[g]))
    return t


def technique_table(report: EvaluationReport) -> Table:
    """Paragraph P/R/F1/support and span F1/support of each technique seen in gold or prediction."""
    t = Table(title="Per technique", title_justify="left", pad_edge=False, caption_justify="left",
              caption="para n = gold paragraphs with the technique; span n = merged gold spans")
    # The longest technique name is 31 characters; numbers give way to it on narrow terminals.
    t.add_column("technique", no_wrap=True, min_width=31)
    for name in ("para P", "para R", "para F1", "para n", "span F1", "span n"):
        t.add_column(name, justify="right")
    para, spans = report.paragraphs.scores.per_label, report.spans.per_technique
    names = list(para) + [n for n in spans if n not in para]
    zero = PRF(0.0, 0.0, 0.0, 0)
    for n in names:
        p, s = para.get(n, zero), spans.get(n, zero)
        t.add_row(n, *_prf_cells(p), _pct(s.f1), str(s.support))
    return t


def render_report(report: EvaluationReport, console: Console, *, title: str,
                  per_technique: bool = True) -> None:
    """Print the headline table, the genre table and (optionally) the per-technique table."""
    console.print(headline_table(report, title=title))
    console.print(genre_table(report))
    console.print(confidence_table(report))
    if per_technique:
        console.print(technique_table(report))
    notes = [f"{report.documents} articles"]
    if report.model is not None:
        notes.append(f"model {report.model.name} {report.model.version}")
    if report.missing:
        notes.append(f"[yellow]{len(report.missing)} without a prediction (scored as empty)[/]")
    if report.unmatched:
        notes.append(f"{report.unmatched} predictions not in the gold (ignored)")
    console.print(" · ".join(notes))
    console.print()
