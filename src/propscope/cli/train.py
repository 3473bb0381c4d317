"""`propscope train`: fit a model kind on SemEval-2023 Task 3 data and write its artifact."""

from __future__ import annotations

import argparse
from pathlib import Path

from propscope.datasets.task import ANNOTATED, ENGLISH_DIR
from propscope.models.base import KINDS

DESCRIPTION = """\
Train a persuasion model on data in the SemEval-2023 Task 3 layout, score it, and write the
artifact folder: model.json, the kind's weight files, validation.json and MODEL_CARD.md
(data, how it was scored, scores, thresholds, limits).

By default the model learns from every article and is scored by 3-fold cross-validation by
article first (each article scored once by a model fitted on the other two thirds): the
shipped recipe. --split FILE holds the listed articles out instead and scores the model on
them (faster, but the model never learns from them)."""

EPILOG = """\
Examples:
  # retrain the shipped model (hybrid-v1) in place: 3-fold CV, then every article
  # (~40 min, 2 cores); --force because the folder holds the shipped model already
  propscope train --data ../shared/data/semeval2023-task3-en --force

  # hold out the project's validation split instead (~6 min), e.g. to score it later
  propscope train --data DATA --split splits/validation.txt --out runs/hybrid-split
  propscope evaluate --data DATA --split splits/validation.txt --model runs/hybrid-split

  # every article, no scores (~10 min)
  propscope train --data DATA --cv 0 --out runs/hybrid-all

  # another seed, written elsewhere, then used for analysis
  propscope train --data DATA --seed 1 --out runs/hybrid-seed1
  propscope analyze article.txt --model runs/hybrid-seed1

  # the linear model alone, without the tagger
  propscope train --data DATA --kind linear --out runs/linear

  # change a parameter (a wrong name lists the kind's parameters); held out to compare
  propscope train --data DATA --set c_paragraph=8 --split splits/validation.txt --out runs/c8"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("train", help="train a model on SemEval-2023 Task 3 data",
                       description=DESCRIPTION, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, metavar="DIR", type=Path,
                   help="training data: a folder in the shared task's layout (English), or the shared "
                        "data folder holding every language's (../shared/data: trained on the six "
                        "languages and scored on the fixed validation set)")
    p.add_argument("--languages", metavar="CODES", default=",".join(ANNOTATED),
                   help="with the shared data folder: the annotated languages to train on "
                        f"(default {','.join(ANNOTATED)})")
    p.add_argument("--kind", default="hybrid", choices=sorted(KINDS),
                   help="model kind to train (default: hybrid, the shipped one)")
    p.add_argument("--out", metavar="DIR", type=Path,
                   help="artifact folder to write (default: the shipped folder of the kind: "
                        "hybrid -> propscope/models/artifacts/hybrid-v1, linear -> .../linear-v0)")
    p.add_argument("--force", action="store_true",
                   help="replace a model already in the --out folder (the shipped one, by "
                        "default); without it such a folder is refused before any training")
    p.add_argument("--split", metavar="FILE", type=Path,
                   help="hold out these article ids (one per line, e.g. splits/validation.txt) and "
                        "score the model on them instead of cross-validating")
    p.add_argument("--cv", type=int, metavar="K",
                   help="folds of the cross-validation that scores a model trained on every article "
                        "(default: 3; 0 skips scoring; not with --split). It fits the model K+1 times")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--name", metavar="NAME", help="artifact name recorded in analyses")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="params",
                   help="a model constructor parameter, repeatable (values read as JSON where "
                   "they parse), e.g. --set c_paragraph=8 --set confidence_folds=article; an "
                   "unknown key is an error that lists the kind's parameters")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import warnings

    from rich.console import Console
    from rich.table import Table
    from sklearn.exceptions import ConvergenceWarning

    from propscope.datasets import read_ids
    from propscope.errors import DataError
    from propscope.training.train import DEFAULT_OUT, parse_params, train_model, train_on_task

    console = Console(stderr=True, log_path=False)
    out = args.out or DEFAULT_OUT.get(args.kind)
    if out is None:
        raise DataError(f"No default output folder for kind {args.kind!r}; pass --out DIR.")
    if args.split is not None and not args.split.is_file():
        raise DataError(f"Split file {args.split} not found; pass a file of article ids, one per line.")
    if args.split is not None and args.cv:
        raise DataError("--split scores on held-out articles and --cv by cross-validation: pass one of them.")
    params = parse_params(args.params)
    seed, name = params.pop("seed", args.seed), params.pop("name", args.name)  # --set wins
    ids = read_ids(args.split) if args.split is not None else []
    cv = 0 if args.split is not None else (3 if args.cv is None else args.cv)
    if cv < 0 or cv == 1:
        raise DataError(f"--cv takes 0 (no scores) or at least 2 folds, not {cv}.")
    with console.status("training", spinner="dots") as status:
        def progress(msg: str) -> None:
            console.log(msg)
            status.update(msg)

        with warnings.catch_warnings():
            # liblinear's "failed to converge" for some of the hundreds of small fits: the
            # folds' scores, not the warnings, say whether the fits are good.
            warnings.simplefilter("ignore", ConvergenceWarning)
            if (args.data / ENGLISH_DIR).is_dir():  # the shared data folder: every language
                report = train_on_task(args.kind, args.data, Path(out), languages=args.languages.split(","),
                                       seed=seed, name=name, progress=progress, replace=args.force, **params)
            else:
                report = train_model(args.kind, args.data, Path(out), validation_ids=ids, cv_folds=cv,
                                     seed=seed, name=name, progress=progress, replace=args.force,
                                     **params)
    if not report.metrics:
        console.print(f"{args.kind} model written to {report.out_dir}, not scored (--cv 0); "
                      f"{report.train_articles} training articles, fit in {report.seconds:.0f} s.",
                      markup=False, highlight=False)
        return 0
    table = Table(title=f"{args.kind} model written to {report.out_dir}")
    table.add_column(f"{cv}-fold cross-validation metric" if cv else "validation metric")
    table.add_column("all", justify="right")
    table.add_column("ids 83*", justify="right")
    recent = report.headline("recent_metrics")
    for key, value in report.headline().items():
        table.add_row(key.replace("_", " "), f"{100 * value:.1f}",
                      f"{100 * recent[key]:.1f}" if key in recent else "-")
    Console().print(table)
    scored = (f"cross-validation {report.cv_seconds:.0f} s, " if cv else
              f"{report.validation_articles} validation articles, ")
    console.print(f"{report.train_articles} training articles, {scored}fit in {report.seconds:.0f} s, "
                  f"artifact {report.size_bytes / 1e6:.1f} MB; see {report.out_dir / 'MODEL_CARD.md'}")
    return 0
