"""Score a model on the fixed validation set (``datasets/task.py``), per language and in all.

    .venv/bin/python benchmarks/validation.py --data ../shared/data --model hybrid-v1

Prints one row per language (and "all") of the shared task's metrics: paragraph micro-F1 (with
precision and recall), span technique-aware and -agnostic F1 (precision), genre macro-F1 and
frames micro-F1; ``--json FILE`` writes them. The genre and frame scores also count the
validation articles labelled for genre and frames only. A model trained on any validation
article is refused (its scores there would measure memory), unless ``--allow-trained``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from propscope.datasets.task import ANNOTATED, load_task
from propscope.document import Document
from propscope.evaluation import evaluate
from propscope.training.predict import predict_fresh
from propscope.training.train import trained_article_ids


def scores(gold: list[Document], pred: list[Document], doc_gold: list[Document],
           doc_pred: list[Document]) -> dict[str, float]:
    """The headline scores of ``pred`` (technique-annotated articles) and, for genre and
    frames, of those and ``doc_pred`` (articles labelled for genre and frames only)."""
    r = evaluate(gold, pred).to_dict()
    d = evaluate(gold + doc_gold, pred + doc_pred).to_dict() if doc_gold else r
    par, aware, agn = r["paragraphs"], r["spans"]["technique_aware"], r["spans"]["technique_agnostic"]
    return {"articles": len(gold), "paragraph_micro_f1": par["micro_f1"],
            "paragraph_precision": par["scores"]["micro"]["precision"],
            "paragraph_recall": par["scores"]["micro"]["recall"],
            "span_aware_f1": aware["f1"], "span_aware_precision": aware["precision"],
            "span_agnostic_f1": agn["f1"], "genre_macro_f1": d["genre"]["macro_f1"],
            "genre_articles": d["genre"]["articles"],
            "frames_micro_f1": d["frames"]["micro_f1"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="the shared data folder (../shared/data)")
    ap.add_argument("--model", default=None, help="a shipped model's name or an artifact folder")
    ap.add_argument("--languages", default=",".join(ANNOTATED))
    ap.add_argument("--sensitivity", default=None)
    ap.add_argument("--allow-trained", action="store_true",
                    help="score a model that trained on validation articles (its scores measure memory)")
    ap.add_argument("--json", type=Path, help="write the scores here")
    args = ap.parse_args(argv)
    task = load_task(args.data, args.languages.split(","))
    seen = trained_article_ids(args.model) or set()
    overlap = seen & {d.id for d in task.validation}
    if overlap and not args.allow_trained:
        print(f"The model trained on {len(overlap)} validation articles; retrain it without them "
              "or pass --allow-trained.", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    pred = predict_fresh(args.model, task.validation, sensitivity=args.sensitivity)
    doc_pred = predict_fresh(args.model, task.validation_document_level, sensitivity=args.sensitivity)
    seconds = time.perf_counter() - t0
    rows: dict[str, dict[str, float]] = {}
    for lang in [*args.languages.split(","), "all"]:
        def of(docs: list[Document], lang: str = lang) -> list[Document]:
            return [d for d in docs if lang == "all" or d.language == lang]
        rows[lang] = scores(of(task.validation), of(pred), of(task.validation_document_level), of(doc_pred))
    cols = ["paragraph_micro_f1", "paragraph_precision", "paragraph_recall", "span_aware_f1",
            "span_aware_precision", "span_agnostic_f1", "genre_macro_f1", "frames_micro_f1"]
    print("lang  arts " + " ".join(f"{c[:14]:>14}" for c in cols))
    for lang, r in rows.items():
        print(f"{lang:<5} {int(r['articles']):>4} " + " ".join(f"{100 * r[c]:>14.1f}" for c in cols))
    print(f"({len(pred) + len(doc_pred)} articles analysed in {seconds:.0f} s)", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"model": args.model, "scores": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
