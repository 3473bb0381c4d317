"""Decision thresholds from out-of-fold predictions, chosen for the metrics that are reported.

The official paragraph and span scores are *micro*-averaged over techniques. Thresholds that
maximise each technique's own F1 are not the ones that maximise the micro score: a rare,
imprecise technique with its best F1 at 5 % still adds many false positives to the pooled
count. Micro-F1 needs every technique's marginal predictions to be right at least F/2 of the
time, where F is the pooled score; these functions choose the thresholds jointly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from propscope.models.linear.spans import RunLayout, coverage, overlap_prf
from propscope.models.linear.units import Units
from propscope.taxonomy import GENRES


def micro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """F1 pooled over every cell of boolean arrays ``pred`` against ``y`` (same shape)."""
    tp = float(np.sum(pred & y))
    denom = float(pred.sum() + y.sum())
    return 2 * tp / denom if denom else 0.0


def f1_at(y: np.ndarray, p: np.ndarray, t: float) -> float:
    """Binary F1 of predictions ``p >= t`` against ``y``."""
    return micro_f1(y > 0, p >= t)


THRESHOLD_GRID = tuple(round(x, 3) for x in np.arange(0.05, 0.96, 0.025))
# A span detector's units count only in paragraphs whose probability of the technique reaches
# this multiple of the paragraph threshold: spans then always agree with a paragraph label the
# classifier itself gives, and a lone word in a plain paragraph never becomes a span.
GATE_GRID = (1.0, 1.15, 1.3)
OFF = 1.01  # a threshold no probability reaches: the detector is switched off


def micro_thresholds(y: np.ndarray, probs: np.ndarray, grid: Sequence[float] = THRESHOLD_GRID,
                     ) -> tuple[np.ndarray, float]:
    """Per-label thresholds maximising micro-F1 over all labels jointly, and that F1.

    ``y`` and ``probs`` are ``rows x labels``. Micro-F1 = 2 TP / (P + G) is a ratio; for a
    fixed F the objective 2 TP - F (P + G) separates over labels, so each label takes its
    best threshold for that F and F is updated until it stops changing (Dinkelbach's
    method, a few rounds). Ties go to the higher threshold.
    """
    g = np.asarray(grid, dtype=np.float32)
    pos = y.astype(bool)
    above = probs[:, :, None] >= g[None, None, :]  # rows x labels x thresholds
    tp = (above & pos[:, :, None]).sum(axis=0).astype(np.float64)
    pred = above.sum(axis=0).astype(np.float64)
    gold = float(pos.sum())
    labels = np.arange(y.shape[1])
    f, choice = 0.0, np.full(y.shape[1], len(g) - 1)
    for _ in range(20):
        gain = 2 * tp - f * pred
        choice = len(g) - 1 - np.argmax(gain[:, ::-1], axis=1)  # last maximum: higher threshold
        new = 2 * tp[labels, choice].sum() / max(pred[labels, choice].sum() + gold, 1.0)
        if abs(new - f) < 1e-9:
            break
        f = new
    return g[choice], float(f)


@dataclass(frozen=True)
class SpanOption:
    """One (paragraph gate, unit threshold) setting of a span detector and its OOF credits.

    ``precision_credit`` sums, over predicted spans, the fraction of each covered by gold;
    ``recall_credit`` sums, over gold spans, the fraction covered by predictions (SemEval's
    partial-overlap scorer).
    """

    gate: float
    threshold: float
    predicted: int
    precision_credit: float
    recall_credit: float

    def f1(self, n_gold: int) -> float:
        """This setting's own partial-overlap F1 against ``n_gold`` gold spans."""
        return _micro([self], n_gold)


def span_options(labels: Sequence[str], probs: np.ndarray, par_probs: np.ndarray,
                 layout: RunLayout, units: Units, gates: Mapping[str, Sequence[float]],
                 ) -> tuple[dict[str, list[SpanOption]], dict[str, int]]:
    """Every setting of each technique's detector with its out-of-fold credits.

    ``probs`` holds unit probabilities (units x labels), ``par_probs`` the out-of-fold
    probability of the same technique for each unit's paragraph; ``layout`` cuts the units
    into spans as analysis does. Returns the options per technique (the first one switched
    off) and the number of gold spans per technique.
    """
    options: dict[str, list[SpanOption]] = {}
    n_gold: dict[str, int] = {}
    for j, t in enumerate(labels):
        gold = units.gold_spans(t)
        gcum = coverage(gold, units.total)
        n_gold[t] = len(gold)
        options[t] = [SpanOption(1.0, OFF, 0, 0.0, 0.0)]
        for gate in gates[t]:
            p = np.where(par_probs[:, j] >= gate, probs[:, j], 0.0)
            for th in THRESHOLD_GRID:
                spans, _ = layout.decode(p, th)
                prec, rec, _ = overlap_prf(gold, spans, units.total, gcum)
                options[t].append(SpanOption(gate, th, len(spans), prec * len(spans), rec * len(gold)))
    return options, n_gold


def _micro(chosen: Sequence[SpanOption], n_gold: int) -> float:
    pred = sum(o.predicted for o in chosen)
    if not pred or not n_gold:
        return 0.0
    p = sum(o.precision_credit for o in chosen) / pred
    r = sum(o.recall_credit for o in chosen) / n_gold
    return 2 * p * r / (p + r) if p + r else 0.0


def choose_span_options(options: dict[str, list[SpanOption]], n_gold: dict[str, int], *,
                        rounds: int = 4) -> tuple[dict[str, SpanOption], float]:
    """Each detector's own best setting, or off where that raises pooled (micro) span F1.

    ``options[t][0]`` must be the switched-off setting. Each technique starts at the setting
    with its own best F1; then, in turn, a technique is switched off (or back on) when that
    raises the pooled score with the others held fixed, until a round changes nothing; one
    that leaves the pooled score unchanged is off.
    Returns the chosen settings and the pooled F1.

    Only on/off is decided jointly: letting the pooled score pick any threshold chose
    whole-paragraph runs (one long span earns full recall credit for one prediction) that
    won out of fold and lost on held-out articles.
    """
    total = sum(n_gold.values())
    own = {t: max(opts[1:] or opts[:1], key=partial(SpanOption.f1, n_gold=n_gold[t]))
           for t, opts in options.items()}
    chosen = dict(own)
    for _ in range(rounds):
        changed = False
        for t, opts in options.items():
            rest = [o for k, o in chosen.items() if k != t]
            # Off first: on a tie (a detector that earned nothing out of fold, often because
            # its gate was never reached there) it stays off rather than fire on new text.
            best = max((opts[0], own[t]), key=lambda o: _micro([*rest, o], total))
            changed |= best is not chosen[t]
            chosen[t] = best
        if not changed:
            break
    return chosen, _micro(list(chosen.values()), total)


def genre_labels(probs: np.ndarray, divisors: dict[str, float]) -> np.ndarray:
    """Genre names by ``argmax(p / divisor)`` for (n, len(GENRES)) probabilities."""
    return np.asarray(GENRES)[np.argmax(probs / np.array([divisors[g] for g in GENRES]), axis=1)]


def calibrate_genre(probs: np.ndarray, gold: Sequence[str]) -> tuple[dict[str, float], float]:
    """Per-genre divisors ("thresholds") maximising out-of-fold macro-F1 of ``argmax(p / t)``.

    The majority genre keeps 0.5; the others are searched on a grid, because balanced class
    weights alone still leave the rare genres (reporting, satire) almost never predicted.
    """
    from sklearn.metrics import f1_score

    counts = {g: gold.count(g) for g in GENRES}
    top = max(counts, key=counts.__getitem__)
    others = [g for g in GENRES if g != top and counts[g]]
    grid = THRESHOLD_GRID[::2]
    best: tuple[float, dict[str, float]] = (-1.0, {g: 0.5 for g in GENRES})
    candidates: list[dict[str, float]] = [{}]
    for g in others:
        candidates = [c | {g: t} for c in candidates for t in grid]
    for cand in candidates:
        th = {g: 0.5 for g in GENRES} | cand
        pred = genre_labels(probs, th)
        score = float(f1_score(list(gold), list(pred), labels=[g for g in GENRES if counts[g]],
                               average="macro", zero_division=0))
        if score > best[0]:
            best = (score, th)
    return best[1], best[0]
