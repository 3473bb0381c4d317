"""What each sensitivity level gains and costs, on articles the model never trained on.

Usage: python benchmarks/sensitivity.py --data ../shared/data/semeval2023-task3-en
       --model runs/hybrid-split [--split splits/validation.txt] [--json OUT]

For every named level (``sensitivity.py``) the held-out articles are analysed through
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

    from propscope.models import load_model
    from propscope.sensitivity import LEVELS
    from propscope.training.card import sensitivity_table
    from propscope.training.levels import LevelPredictions

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(ap, model_required=True)
    ap.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = ap.parse_args()
    gold = held_out(args)
    model = load_model(args.model)
    levels = LevelPredictions(LEVELS)
    levels.add(model, gold)
    points = levels.points()
    print(f"{len(gold)} held-out articles ({args.split.name}), model {model.info.name} "
          f"{model.info.version} ({args.model}); scores x100")
    print(sensitivity_table(points))
    if args.json:
        args.json.write_text(json.dumps([p.to_dict() for p in points], indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
