"""Choose how an encoder model turns token probabilities into spans, on held-out training articles.

    .venv/bin/python benchmarks/encoder_decoding.py --data ../shared/data --model runs/NAME [--write]

The model's calibration share of the training articles (never trained on; the fixed
validation set is not used here, so it stays a fair test) is encoded once; spans are then
decoded under each setting of the gap a run may bridge, the paragraph gate (a span only in a
paragraph whose probability of the technique reaches this share of its threshold) and a
shift of the span thresholds, and scored. The table shows technique-aware span precision,
recall and F1 and paragraph micro-F1 for each. ```--write`` stores the setting with the best
span F1 among those with precision of at least ``--min-precision`` in the model's heads, and
refits its score maps for it.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

from propscope.analyzer import Analyzer
from propscope.datasets.task import load_task
from propscope.evaluation import evaluate
from propscope.models.encoder.windows import held_out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--model", required=True, help="an encoder artifact folder")
    ap.add_argument("--min-precision", type=float, default=0.45)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    analyzer = Analyzer(args.model)
    model = analyzer.model
    task = load_task(args.data)
    gold = [d for d in task.train if held_out(d.id, model.calibration)]  # type: ignore[attr-defined]
    docs = [analyzer.preprocess(g.unannotated()) for g in gold]
    scores = model.score(docs)  # type: ignore[attr-defined]
    rows = []
    for gap, gate, shift in itertools.product((0, 1, 2, 3), (0.0, 0.5, 1.0), (-0.5, 0.0, 0.5, 1.0)):
        model.decide(docs, scores, sensitivity=0.0, gap=gap, gate=gate)  # type: ignore[attr-defined]
        heads = model.heads_  # type: ignore[attr-defined]
        saved = heads["token.thresholds"].copy()
        if shift:
            from propscope.sensitivity import shift_threshold

            heads["token.thresholds"] = np.array([shift_threshold(float(t), -shift) for t in saved],
                                                 dtype=np.float32)
            model.decide(docs, scores, sensitivity=0.0, gap=gap, gate=gate)  # type: ignore[attr-defined]
            heads["token.thresholds"] = saved
        r = evaluate(gold, docs).to_dict()
        aware = r["spans"]["technique_aware"]
        rows.append((gap, gate, shift, aware["precision"], aware["recall"], aware["f1"],
                     r["paragraphs"]["micro_f1"], sum(len(d.spans) for d in docs)))
    print(f"{len(gold)} held-out training articles")
    print("gap gate shift  span P  span R  span F1  par F1  spans")
    for row in rows:
        print(f"{row[0]:>3} {row[1]:>4} {row[2]:>5} {100 * row[3]:7.1f} {100 * row[4]:7.1f} "
              f"{100 * row[5]:8.1f} {100 * row[6]:7.1f} {row[7]:6}")
    ok = [r for r in rows if r[3] >= args.min_precision] or rows
    best = max(ok, key=lambda r: r[5])
    print(f"best: gap {best[0]}, gate {best[1]}, shift {best[2]} (span P {100 * best[3]:.1f}, "
          f"F1 {100 * best[5]:.1f})")
    if args.write:
        from propscope.sensitivity import shift_threshold

        heads = model.heads_  # type: ignore[attr-defined]
        heads["decode.gap"] = np.array([best[0]], dtype=np.float32)
        heads["decode.gate"] = np.array([best[1]], dtype=np.float32)
        heads["token.thresholds"] = np.array([shift_threshold(float(t), -best[2])
                                              for t in heads["token.thresholds"]], dtype=np.float32)
        model.calibrate(gold)  # type: ignore[attr-defined]  # the score maps, for the new decoding
        np.savez_compressed(Path(args.model) / "heads.npz", **model.heads_)  # type: ignore[attr-defined]
        print(f"written to {args.model}/heads.npz")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
