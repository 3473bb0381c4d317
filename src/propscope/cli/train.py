"""`propscope train`: fit a model kind on SemEval-2023 Task 3 data and write its artifact."""

from __future__ import annotations

import argparse
from pathlib import Path

DESCRIPTION = """\
Train a persuasion model on data in the SemEval-2023 Task 3 layout, score it on held-out
validation articles (split by article), and write the artifact folder: model.json, the
kind's weight files, validation.json and MODEL_CARD.md (data, split, scores, thresholds,
limits)."""

EPILOG = """\
Examples:
  # retrain the shipped model (hybrid-v1) on the project's validation split (~6 min, 2 cores)
  propscope train --data ../shared/data/semeval2023-task3-en

  # another seed, written elsewhere, then used for analysis
  propscope train --data DATA --seed 1 --out runs/hybrid-seed1
  propscope analyze article.txt --model runs/hybrid-seed1

  # the linear model alone, without the tagger
  propscope train --data DATA --kind linear --out runs/linear"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("train", help="train a model on SemEval-2023 Task 3 data",
                       description=DESCRIPTION, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, metavar="DIR", type=Path,
                   help="training data folder in the shared task's layout")
    p.add_argument("--kind", default="hybrid", metavar="KIND",
                   help="model kind to train: hybrid (shipped), linear or transformer (default: hybrid)")
    p.add_argument("--out", metavar="DIR", type=Path,
                   help="artifact folder to write (default: the shipped folder of the kind, "
                        "e.g. hybrid -> propscope/models/artifacts/hybrid-v1)")
    p.add_argument("--split", metavar="FILE", type=Path,
                   help="validation article ids, one per line (default: the project's split, "
                        "splits/validation.txt); an empty file trains on every article")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--name", metavar="NAME", help="artifact name recorded in analyses")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from propscope.datasets import read_ids
    from propscope.errors import DataError
    from propscope.models.training import DEFAULT_OUT, train_model

    console = Console(stderr=True)
    out = args.out or DEFAULT_OUT.get(args.kind)
    if out is None:
        raise DataError(f"No default output folder for kind {args.kind!r}; pass --out DIR.")
    if args.split is not None and not args.split.is_file():
        raise DataError(f"Split file {args.split} not found; pass a file of article ids, one per line.")
    ids = read_ids(args.split) if args.split is not None else None
    with console.status("training", spinner="dots") as status:
        def progress(msg: str) -> None:
            console.log(msg)
            status.update(msg)

        report = train_model(args.kind, args.data, Path(out), validation_ids=ids, seed=args.seed,
                             name=args.name, progress=progress)
    table = Table(title=f"{args.kind} model written to {report.out_dir}")
    table.add_column("validation metric")
    table.add_column("all", justify="right")
    table.add_column("ids 83*", justify="right")
    recent = report.headline("recent_metrics")
    for key, value in report.headline().items():
        table.add_row(key.replace("_", " "), f"{100 * value:.1f}",
                      f"{100 * recent[key]:.1f}" if key in recent else "-")
    Console().print(table)
    console.print(f"{report.train_articles} training / {report.validation_articles} validation articles, "
                  f"fit in {report.seconds:.0f} s, artifact {report.size_bytes / 1e6:.1f} MB; "
                  f"see {report.out_dir / 'MODEL_CARD.md'}")
    return 0
