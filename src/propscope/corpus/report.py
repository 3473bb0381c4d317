"""The corpus report: one self-contained HTML page of charts and tables about a store.

``render_report(store)`` is a pure function of the store's contents (it reads, never
writes), so the CLI writes its result to a file and the web app can serve it as a page.
The template is rendered with Jinja2 autoescaping: every string from the corpus (outlet,
title, passage) is escaped; charts are base64 SVG images.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, FileSystemLoader

from propscope.corpus import plots
from propscope.corpus.profile import MIN_BOOTSTRAP, UNKNOWN, Profile, compute_profile
from propscope.corpus.reuse import ReusePair, find_reuse, load_pairs, shared_passages
from propscope.corpus.store import CorpusStore
from propscope.errors import PropscopeError
from propscope.render.html import http_url
from propscope.render.printable import finalize
from propscope.sensitivity import levels_text
from propscope.taxonomy import CATEGORIES, FRAMES, GENRES, TECHNIQUES
from propscope.version import __version__

TEMPLATES = Path(__file__).parent / "templates"


class ReportError(PropscopeError, OSError):
    """The report file cannot be written."""


@dataclass(frozen=True, slots=True)
class PairView:
    """A reuse pair as the report shows it, with its longest shared passage."""

    pair: ReusePair
    passage: str
    passage_words: int


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, finalize=finalize)
    env.filters["num"] = lambda v, d=1: f"{v:,.{d}f}"
    # "1 author", "2 authors": the noun as a count needs it.
    env.filters["for_count"] = lambda noun, n, plural=None: noun if n == 1 else plural or f"{noun}s"
    env.globals["link"] = http_url
    return env


def _summary(store: CorpusStore) -> dict[str, Any]:
    row = store.query("""
        SELECT count(*), count(DISTINCT outlet), count(DISTINCT author), sum(words),
               min(published_date), max(published_date), count(published_date),
               string_agg(DISTINCT model, ', '), count(*) FILTER (WHERE outlet IS NULL)
        FROM articles""")[0]
    spans = store.query("SELECT count(*) FROM spans")[0][0]
    failures = store.query("SELECT count(*) FROM failures")[0][0]
    keys = ("articles", "outlets", "authors", "words", "first", "last", "dated", "models",
            "no_outlet")
    # Rates depend on the level the analyses were made at: say it unless it is the default.
    return {**dict(zip(keys, row, strict=True)), "spans": spans, "failures": failures,
            "sensitivity": levels_text(store.sensitivities())}


def _outlet_views(prof: Profile, outlets: list[str]) -> dict[str, Any]:
    groups = [(o,) for o in outlets]
    used = [t for t in TECHNIQUES
            if any((r := prof.rate(g, t)) and r.count for g in groups)]
    heat = np.array([[prof.rate(g, t).rate for t in used] for g in groups])  # type: ignore[union-attr]
    rows = [{"outlet": o, "articles": prof.groups[(o,)],
             "rates": [prof.rate((o,), c) for c in CATEGORIES]} for o in outlets]
    genre = {g: [s.share for s in prof.shares if s.kind == "genre" and s.label == g
                 and s.group in groups] for g in GENRES}
    n_genre = [next(s.articles for s in prof.shares if s.group == g and s.kind == "genre")
               for g in groups]
    frame = np.array([[next(s.share for s in prof.shares if s.group == g and s.label == f)
                       for f in FRAMES] for g in groups])
    return {
        # Columns by the titles the rest of the report uses, not the taxonomy's ids.
        "technique_chart": plots.heatmap(heat, outlets, [TECHNIQUES[t].title for t in used],
                                         cbar="spans per 1,000 words",
                                         title="Technique rate per outlet (spans per 1,000 words)")
        if used else None,
        "category_rows": rows,
        "genre_chart": plots.stacked_shares(outlets, genre, n_genre,
                                            title="Genre mix (share of articles)"),
        "frame_chart": plots.heatmap(frame * 100, outlets, [f.replace("_", " ") for f in FRAMES],
                                     fmt="{:.0f}",
                                     cmap="Blues", cbar="% of articles",
                                     title="Frame mix (% of articles with the frame)"),
    }


def _time_view(store: CorpusStore, n_boot: int) -> str | None:
    prof = compute_profile(store, by=("month",), n_boot=n_boot)
    periods = [g[0] for g in prof.groups if g[0] != UNKNOWN]
    if len(periods) < 2:
        return None
    series = {}
    for c in CATEGORIES:
        rates = [prof.rate((p,), c) for p in periods]
        series[c] = ([r.rate for r in rates if r], [r.low for r in rates if r],
                     [r.high for r in rates if r])
    return plots.time_series(periods, series, ylabel="spans per 1,000 words",
                             title="Techniques over time, by category (band: 95% interval)")


def _reuse_view(store: CorpusStore, pairs: list[ReusePair], outlets: dict[str, int],
                top: int) -> dict[str, Any]:
    edges: dict[tuple[str, str], tuple[int, bool]] = {}
    for p in pairs:
        a, b = p.a.outlet or UNKNOWN, p.b.outlet or UNKNOWN
        if a == b:
            continue
        if p.first is None:  # undirected: one edge per outlet pair whatever the order
            a, b = sorted((a, b))
        n, directed = edges.get((a, b), (0, True))
        edges[(a, b)] = (n + 1, directed and p.first is not None)
    shown: list[PairView] = []
    for p in pairs[:top]:
        best = shared_passages(store, p.a.article_id, p.b.article_id, limit=1)
        shown.append(PairView(p, best[0].text if best else "", best[0].words if best else 0))
    involved = {o for k in edges for o in k}
    return {
        "pairs": shown, "total": len(pairs),
        "chart": plots.reuse_network({o: outlets.get(o, 1) for o in involved}, edges,
                                     title="Reuse between outlets (arrow: original → copy)")
        if edges else None,
    }


def render_report(store: CorpusStore, *, title: str = "propscope corpus report",
                  max_outlets: int = 12, n_boot: int = 1000, top_pairs: int = 15,
                  pairs: list[ReusePair] | None = None) -> str:
    """The HTML report of ``store``: summary, technique profiles, time series, mixes, reuse.

    Args:
        store: the corpus (read only).
        title: page title.
        max_outlets: outlets shown in per-outlet charts (the ones with most articles).
        n_boot: bootstrap resamples behind each interval.
        top_pairs: reuse pairs listed with their shared passage.
        pairs: reuse pairs to show; default: those saved by the last `corpus reuse`, or
            found now if none were saved.
    """
    summary = _summary(store)
    ctx: dict[str, Any] = {"title": title, "summary": summary, "version": __version__,
                           "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                           "categories": CATEGORIES, "min_bootstrap": MIN_BOOTSTRAP, "unknown": UNKNOWN,
                           "n_boot": n_boot}
    if summary["articles"]:
        prof = compute_profile(store, by=("outlet",), n_boot=n_boot)
        counts = {g[0]: n for g, n in prof.groups.items()}
        outlets = sorted(counts, key=lambda o: (-counts[o], o))[:max_outlets]
        ctx.update(_outlet_views(prof, outlets))
        ctx["time_chart"] = _time_view(store, n_boot)
        if pairs is None:
            pairs = load_pairs(store) or find_reuse(store)
        ctx["reuse"] = _reuse_view(store, pairs, counts, top_pairs)
        ctx["outlets_shown"] = len(outlets)
        ctx["unknown_shown"] = UNKNOWN in outlets
    return _env().get_template("report.html.j2").render(**ctx)


def write_report(store: CorpusStore, path: str | Path, **kwargs: Any) -> Path:
    """Render the report and write it to ``path`` (UTF-8, atomically).

    Raises:
        ReportError: ``path`` is a folder or cannot be written.
    """
    from propscope.render.files import atomic_write

    target = Path(path)
    if target.is_dir():  # checked first: rendering the charts takes a while
        raise ReportError(f"{target} is a folder; the report is one HTML file: give -o a file "
                          f"path such as {target / 'report.html'}.")
    html = render_report(store, **kwargs)
    try:
        return atomic_write(target, html)
    except OSError as exc:
        raise ReportError(f"Cannot write the report to {target}: {exc.strerror or exc}") from exc
