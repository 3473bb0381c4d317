"""K-fold cross-validation by article of a model kind on SemEval-2023 Task 3 training data.

Every article is scored once, by the model fitted on the other folds; the pooled
predictions are scored with the official metrics, and per-fold scores give the spread.

    python benchmarks/cv.py --data ../shared/data/semeval2023-task3-en --folds 5 \
        --set static_dim=0 --out cv-baseline.json

``--set key=value`` passes constructor parameters (values parsed as JSON when they parse).
Folds are a seeded permutation of article ids, the same for every parameter setting.

``--folds-by topic`` holds out whole topics instead: articles are clustered by their words
(TF-IDF, k-means into ``4 x folds`` clusters) and whole clusters are dealt to folds, so every
article is scored by a model that saw no article of its cluster. The training data has no
dates or outlets, so this is the project's proxy for news about events the model never saw.

``--folds-by time`` holds out stretches of time: the articles' ids follow the order in which
they were collected (the Las Vegas shooting of October 2017 sits at 694-727 million, the
Westerville police shooting of February 2018 at 730 million, the Haspel hearings of May 2018
at 738-740 million, the Wahhaj compound of August 2018 at 777-787 million, the newest
articles at 83x million), so ids in that sequence are sorted and cut into contiguous
blocks, oldest first. The last fold is then scored by models fitted on earlier articles
only. The 63 articles with ids outside the sequence (111111xxx and 999xxxxxx: no date
known) are dealt to folds at random.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from propscope.datasets import load_semeval
from propscope.document import Document
from propscope.evaluation import evaluate, evaluate_recent
from propscope.models import model_class
from propscope.sensitivity import resolve_sensitivity
from propscope.training.crossval import FOLDS_BY, cross_validate
from propscope.training.levels import LevelPredictions
from propscope.training.train import parse_params


def _genre_f1(report: Any, genre: str) -> float:
    prf = report.genre.scores.per_label.get(genre)
    return prf.f1 if prf is not None else 0.0


HEADLINE = {
    "paragraph micro-F1": lambda r: r.paragraphs.micro_f1,
    "paragraph macro-F1": lambda r: r.paragraphs.macro_f1,
    "span aware F1": lambda r: r.spans.aware.f1,
    "span agnostic F1": lambda r: r.spans.agnostic.f1,
    "genre macro-F1": lambda r: r.genre.macro_f1,
    "genre reporting F1": lambda r: _genre_f1(r, "reporting"),
    "genre satire F1": lambda r: _genre_f1(r, "satire"),
    "frames micro-F1": lambda r: r.frames.micro_f1,
    "span confidence ECE": lambda r: r.confidence.spans.ece,
    "paragraph confidence ECE": lambda r: r.confidence.paragraphs.ece,
    "genre confidence ECE": lambda r: r.confidence.genre.ece,
}


def _scores(report: Any) -> dict[str, float]:
    """The headline scores of one evaluation report, rounded; ``{}`` for no report."""
    return {k: round(get(report), 4) for k, get in HEADLINE.items()} if report is not None else {}


def _shifted_scores(runs: list[tuple[list[Document], list[Document]]]) -> dict[str, Any]:
    """Pooled and per-fold headline scores of one sensitivity's out-of-fold predictions."""
    gold = [g for gs, _ in runs for g in gs]
    pred = [p for _, ps in runs for p in ps]
    return {"pooled": _scores(evaluate(gold, pred)), "recent_83": _scores(evaluate_recent(gold, pred)),
            "per_fold": [_scores(evaluate(gs, ps)) for gs, ps in runs]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="SemEval-2023 Task 3 folder (English)")
    ap.add_argument("--kind", default="hybrid", help="model kind (default: hybrid, the shipped one)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="model constructor parameter (repeatable)")
    ap.add_argument("--folds-by", choices=FOLDS_BY, default="article",
                    help="article: a seeded permutation (default); topic: whole clusters of similar "
                         "articles held out together; time: contiguous stretches of collection "
                         "order, oldest first")
    ap.add_argument("--out", type=Path, help="write the scores as JSON here")
    ap.add_argument("--also-sensitivity", type=resolve_sensitivity, action="append", default=[],
                    metavar="SHIFT",
                    help="also score every fold's model at this sensitivity (a threshold shift in "
                         "logits, sensitivity.py; repeatable): no extra fits")
    ap.add_argument("--document-level", action="store_true",
                    help="add the articles labelled for genre and frames only to every training fold "
                         "(measured: no gain, so the shipped model leaves them out)")
    args = ap.parse_args(argv)
    params = parse_params(args.set)
    data = load_semeval(args.data)
    docs = data.documents  # scored; with --document-level, data.document_level joins every training fold
    document_level = data.document_level if args.document_level else []

    def progress(msg: str) -> None:
        # Only the fold-level stages: the fits' own steps would flood the log.
        if msg.startswith("cross-validation"):
            print(msg, file=sys.stderr, flush=True)

    # Predictions of every fold's model at each extra sensitivity, fold by fold.
    shifted = LevelPredictions({f"{s:g}": s for s in args.also_sensitivity})
    cv = cross_validate(lambda: model_class(args.kind)(seed=args.seed, **params), docs, folds=args.folds,
                        folds_by=args.folds_by, seed=args.seed, document_level=document_level,
                        progress=progress, on_fit=shifted.add)
    per_fold = [{name: get(r) for name, get in HEADLINE.items()} for r in cv.per_fold]
    for f, (scores, sec) in enumerate(zip(per_fold, cv.fit_seconds, strict=True)):
        print(f"fold {f + 1}/{args.folds}: fit {sec:.0f} s, "
              + ", ".join(f"{k} {100 * v:.1f}" for k, v in scores.items()), file=sys.stderr)
    result = {
        "kind": args.kind, "params": params, "document_level_articles": len(document_level),
        "folds": args.folds, "folds_by": args.folds_by,
        "clusters": cv.plan.notes if args.folds_by == "topic" else [], "seed": args.seed,
        "articles": len(docs),
        "fit_seconds_mean": round(statistics.mean(cv.fit_seconds), 1),
        "pooled": _scores(cv.pooled),
        "fold_sd": {k: round(statistics.stdev([p[k] for p in per_fold]), 4) for k in HEADLINE},
        "recent_83": _scores(cv.recent),
        "per_fold": [{k: round(v, 4) for k, v in p.items()} for p in per_fold],
        "sensitivity": {name: _shifted_scores(shifted.pairs(name)) for name in shifted.shifts},
    }
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
