"""The report's charts, drawn with matplotlib and returned as self-contained SVG data URIs.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot global state), so reports can
be rendered from web-server threads. Charts are embedded as ``<img src="data:image/svg+xml;
base64,...">``: crisp at any zoom, and any text inside them (outlet names come from the
input) cannot run as script, which inline ``<svg>`` markup could.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from propscope.render.printable import printable
from propscope.taxonomy import CATEGORIES

GENRE_COLORS = {"opinion": "#e07a5f", "reporting": "#3d8bd4", "satire": "#81b29a"}


def label(text: str, width: int = 28) -> str:
    """A label safe for matplotlib (no mathtext from ``$``, no control characters), shortened
    to ``width``."""
    text = printable(text)
    text = text if len(text) <= width else text[: width - 1] + "…"
    return text.replace("$", r"\$")


def wrapped(text: str, width: int = 22, lines: int = 3) -> str:
    """A column label on up to ``lines`` lines of ``width`` characters: "Name calling /
    labeling" whole, where one cut line read "Name calling / labeli…"."""
    return label(textwrap.fill(" ".join(text.split()), width, max_lines=lines, placeholder="…"),
                 width=(width + 1) * lines)


def _dark(color: str, f: float = 0.7) -> tuple[float, float, float]:
    r, g, b = to_rgb(color)
    return r * f, g * f, b * f


def to_data_uri(fig: Figure) -> str:
    """Serialise a figure as an SVG data URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def heatmap(matrix: np.ndarray, rows: list[str], cols: list[str], *, title: str,
            fmt: str = "{:.1f}", cmap: str = "Reds", cbar: str = "") -> str:
    """A rows × columns heatmap with each cell's value written in it."""
    fig = Figure(figsize=(max(6.0, 0.45 * len(cols) + 3), max(2.5, 0.4 * len(rows) + 1.8)))
    ax = fig.subplots()
    im = ax.imshow(matrix, aspect="auto", cmap=cmap, vmin=0)
    ax.set_xticks(range(len(cols)), [wrapped(c) for c in cols], rotation=50, ha="right",
                  rotation_mode="anchor", fontsize=8, linespacing=1.0)
    ax.set_yticks(range(len(rows)), [label(r) for r in rows], fontsize=8)
    top = float(np.nanmax(matrix)) if matrix.size else 0.0
    for (i, j), v in np.ndenumerate(matrix):
        if v > 0:
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=6.5,
                    color="white" if v > 0.6 * top else "black")
    ax.set_title(title, fontsize=10)
    fig.colorbar(im, ax=ax, shrink=0.8, label=cbar)
    return to_data_uri(fig)


def time_series(periods: list[str], series: dict[str, tuple[list[float], list[float], list[float]]],
                *, title: str, ylabel: str) -> str:
    """One line per category over ``periods``, with its confidence band."""
    fig = Figure(figsize=(9, 3.8))
    ax = fig.subplots()
    x = np.arange(len(periods))
    for name, (rate, low, high) in series.items():
        color = CATEGORIES[name].color if name in CATEGORIES else "#888888"
        ax.plot(x, rate, marker="o", ms=3, lw=1.8, color=_dark(color),
                label=label(CATEGORIES[name].title if name in CATEGORIES else name))
        ax.fill_between(x, low, high, color=color, alpha=0.25, lw=0)
    step = max(1, math.ceil(len(periods) / 18))
    ax.set_xticks(x[::step], [periods[i] for i in range(0, len(periods), step)], rotation=45,
                  ha="right", fontsize=8)
    ax.set_ylabel(ylabel, fontsize=9)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, ncols=3, loc="upper left", frameon=False)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    return to_data_uri(fig)


def stacked_shares(rows: list[str], shares: dict[str, list[float]], counts: list[int], *,
                   title: str) -> str:
    """Horizontal 100% bars: one per row (outlet), segments per label (genre)."""
    fig = Figure(figsize=(8, max(2.2, 0.38 * len(rows) + 1.4)))
    ax = fig.subplots()
    left = np.zeros(len(rows))
    for name, vals in shares.items():
        v = np.asarray(vals)
        ax.barh(range(len(rows)), v, left=left, color=GENRE_COLORS.get(name, "#999999"),
                label=name, edgecolor="white", height=0.7)
        left += v
    ax.set_yticks(range(len(rows)), [f"{label(r)} (n={n})" for r, n in zip(rows, counts, strict=True)],
                  fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.06), frameon=False)
    return to_data_uri(fig)


def reuse_network(outlets: dict[str, int], edges: dict[tuple[str, str], tuple[int, bool]], *,
                  title: str) -> str:
    """Outlets on a circle (size: articles), arrows from the original's outlet to the copy's.

    Edges whose direction is unknown are drawn as plain lines; width grows with the number
    of reused articles.
    """
    fig = Figure(figsize=(7, 7))
    ax = fig.subplots()
    names = sorted(outlets, key=lambda o: -outlets[o])
    n = len(names)
    angle = {o: 2 * math.pi * i / max(n, 1) for i, o in enumerate(names)}
    pos = {o: (math.cos(a), math.sin(a)) for o, a in angle.items()}
    top = max((w for w, _ in edges.values()), default=1)
    for (src, dst), (w, directed) in edges.items():
        if src not in pos or dst not in pos:
            continue
        (x0, y0), (x1, y1) = pos[src], pos[dst]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops={
            "arrowstyle": "-|>" if directed else "-", "lw": 0.8 + 4 * w / top,
            "color": "#c0392b", "alpha": 0.6, "shrinkA": 12, "shrinkB": 12,
            "connectionstyle": "arc3,rad=0.12"})
    big = max(outlets.values(), default=1)
    for o in names:
        x, y = pos[o]
        ax.scatter([x], [y], s=120 + 900 * outlets[o] / big, color="#3d8bd4", zorder=3, alpha=0.85)
        ax.text(x * 1.18, y * 1.18, label(o, 24), ha="center", va="center", fontsize=8)
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-1.5, 1.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)
    return to_data_uri(fig)
