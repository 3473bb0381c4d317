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
import time
from pathlib import Path
from typing import Any

from propscope.datasets import load_semeval
from propscope.evaluation import evaluate, predict_fresh
from propscope.models import MODELS
from propscope.models.base import _import_builtin_models
from propscope.models.folds import article_folds, ordered_folds, topic_folds


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


# Ids of the SemEval-2023 English training articles that follow collection order; the
# others (111111xxx, 999xxxxxx) carry no date (see the module docstring).
DATED_IDS = range(600_000_000, 900_000_000)


def collection_order(doc_id: str) -> float | None:
    """The article's position in collection order, or None where its id says nothing."""
    return float(doc_id) if doc_id.isdigit() and int(doc_id) in DATED_IDS else None


def _value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="SemEval-2023 Task 3 folder (English)")
    ap.add_argument("--kind", default="hybrid", help="model kind (default: hybrid, the shipped one)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="model constructor parameter (repeatable)")
    ap.add_argument("--folds-by", choices=("article", "topic", "time"), default="article",
                    help="article: a seeded permutation (default); topic: whole clusters of similar "
                         "articles held out together; time: contiguous stretches of collection "
                         "order, oldest first")
    ap.add_argument("--out", type=Path, help="write the scores as JSON here")
    ap.add_argument("--document-level", action="store_true",
                    help="add the articles labelled for genre and frames only to every training fold "
                         "(measured: no gain, so the shipped model leaves them out)")
    args = ap.parse_args(argv)
    params = {k: _value(v) for k, v in (s.split("=", 1) for s in args.set)}
    _import_builtin_models()
    data = load_semeval(args.data)
    docs = data.documents  # scored; with --document-level, data.document_level joins every training fold
    document_level = data.document_level if args.document_level else []
    clusters: list[str] = []
    if args.folds_by == "topic":
        fold, clusters = topic_folds([d.text for d in docs], args.folds, args.seed)
        for line in clusters:
            print(line, file=sys.stderr)
    elif args.folds_by == "time":
        keys = [collection_order(d.id) for d in docs]
        fold = ordered_folds(keys, args.folds, args.seed)
        for f in range(args.folds):
            dated = sorted(d.id for d, k, key in zip(docs, fold, keys, strict=True)
                           if k == f and key is not None)
            print(f"fold {f + 1}: {int(sum(fold == f))} articles, dated ids {dated[0]}-{dated[-1]}",
                  file=sys.stderr)
    else:
        fold = article_folds(len(docs), args.folds, args.seed)
    preds, per_fold, seconds = [], [], []
    for f in range(args.folds):
        train = [d for d, k in zip(docs, fold, strict=True) if k != f]
        test = [d for d, k in zip(docs, fold, strict=True) if k == f]
        t0 = time.perf_counter()
        model = MODELS[args.kind](seed=args.seed, **params).fit(train, document_level=document_level)
        seconds.append(time.perf_counter() - t0)
        pred = predict_fresh(model, test)
        report = evaluate(test, pred)
        per_fold.append({name: get(report) for name, get in HEADLINE.items()})
        preds.extend(pred)
        print(f"fold {f + 1}/{args.folds}: fit {seconds[-1]:.0f} s, "
              + ", ".join(f"{k} {100 * v:.1f}" for k, v in per_fold[-1].items()), file=sys.stderr, flush=True)
    pooled = evaluate(docs, preds)
    recent_ids = {d.id for d in docs if d.id.startswith("83")}
    recent = evaluate([d for d in docs if d.id in recent_ids], [p for p in preds if p.id in recent_ids])
    result = {
        "kind": args.kind, "params": params, "document_level_articles": len(document_level),
        "folds": args.folds, "folds_by": args.folds_by, "clusters": clusters, "seed": args.seed,
        "articles": len(docs),
        "fit_seconds_mean": round(statistics.mean(seconds), 1),
        "pooled": {k: round(get(pooled), 4) for k, get in HEADLINE.items()},
        "fold_sd": {k: round(statistics.stdev([p[k] for p in per_fold]), 4) for k in HEADLINE}
        if args.folds > 1 else {},
        "recent_83": {k: round(get(recent), 4) for k, get in HEADLINE.items()},
        "per_fold": [{k: round(v, 4) for k, v in p.items()} for p in per_fold],
    }
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
