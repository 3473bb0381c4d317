"""What each sensitivity level gains and costs, on articles the model never trained on.

Usage: python benchmarks/sensitivity.py --data ../shared/data/semeval2023-task3-en
       --model runs/hybrid-split [--split splits/validation.txt] [--json OUT]

For every named level (``models/sensitivity.py``) the held-out articles are analysed through
the real pipeline at that level and scored: spans per article, technique-aware and -agnostic
span precision/recall/F1 (partial overlap), paragraph-label precision/recall/F1, and the
calibration error (ECE) of the span and paragraph-label scores, which says whether a score
still reads as the chance that the label is right at that level. The shipped model trained on
every article, so ``--model`` must be one trained with ``propscope train --split FILE``
(``make evaluate`` builds ``runs/hybrid-split``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    from heldout import add_arguments, held_out

    from propscope.evaluation import evaluate, predict_fresh
    from propscope.models import load_model
    from propscope.models.sensitivity import LEVELS

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(ap, model_required=True)
    ap.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = ap.parse_args()
    gold = held_out(args)
    model = load_model(args.model)
    rows = []
    for name, shift in sorted(LEVELS.items(), key=lambda kv: kv[1]):
        pred = predict_fresh(model, gold, sensitivity=name)
        r = evaluate(gold, pred)
        par = r.paragraphs.scores.micro
        rows.append({"level": name, "shift": shift, "articles": len(gold),
                     "spans_per_article": sum(len(d.spans) for d in pred) / len(gold),
                     "labels_per_article": sum(len(p.techniques) for d in pred for p in d.paragraphs)
                     / len(gold),
                     "aware": r.spans.aware.to_dict(), "agnostic": r.spans.agnostic.to_dict(),
                     "paragraphs": par.to_dict(), "span_ece": r.confidence.spans.ece,
                     "paragraph_ece": r.confidence.paragraphs.ece})
    print(f"{len(gold)} held-out articles ({args.split.name}), model {model.info.name} "
          f"{model.info.version} ({args.model}); scores x100")
    print("| level (shift) | spans / article | spans aware P / R / F1 | spans agnostic P / R / F1 "
          "| paragraph labels / article | paragraph P / R / F1 | ECE spans / paragraphs |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        def prf(d: dict[str, float]) -> str:
            return " / ".join(f"{100 * d[k]:.1f}" for k in ("precision", "recall", "f1"))
        print(f"| {row['level']} ({row['shift']:+g}) | {row['spans_per_article']:.1f} | {prf(row['aware'])} "
              f"| {prf(row['agnostic'])} | {row['labels_per_article']:.1f} | {prf(row['paragraphs'])} "
              f"| {100 * row['span_ece']:.1f} / {100 * row['paragraph_ece']:.1f} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
