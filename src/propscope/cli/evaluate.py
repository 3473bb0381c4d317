"""`propscope evaluate`: score a model (or saved predictions) against SemEval-2023 Task 3 gold data."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propscope.cli.options import add_sensitivity

if TYPE_CHECKING:
    from propscope.document import Document

DESCRIPTION = """\
Score predictions against gold data in the SemEval-2023 Task 3 layout (train-articles/,
train-labels-spans/, train-labels-paragraphs.txt, train-labels-genre.txt,
train-labels-frames.txt).

Each gold article is copied without its labels and analysed by the model exactly as a user's
article would be, then scored with the shared task's metrics:
  paragraph techniques  micro-F1 (official) and macro-F1, per (article, line)
  spans                 partial-overlap precision/recall/F1 (SemEval-2020 Task 11 scorer),
                        technique-aware and technique-agnostic
  genre                 macro-F1 (official), accuracy, per genre
  frames                micro-F1 (official) and macro-F1
Articles whose id starts with 83 (the newest) are also reported on their own.

The shipped model was trained on every annotated article (its model card gives
cross-validation scores), so scoring it on them measures memory, not accuracy; the command
warns when a model's training articles are among those scored (with --model; saved
--predictions cannot be checked). To score held-out articles,
train a model with `propscope train --split FILE` and evaluate that artifact."""

EPILOG = """\
Examples:
  # a model trained without the project's validation split, scored on it
  propscope train --data ../shared/data/semeval2023-task3-en --split splits/validation.txt \\
      --out runs/hybrid-split
  propscope evaluate --data ../shared/data/semeval2023-task3-en --split splits/validation.txt \\
      --model runs/hybrid-split

  # per-technique table, scores saved as JSON
  propscope evaluate --data DATA --split splits/validation.txt --model runs/hybrid-split \\
      --per-technique --json scores.json

  # predictions saved earlier by `propscope analyze --format jsonl`
  propscope evaluate --data DATA --predictions analyses.jsonl"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("evaluate", help="score a model against SemEval-2023 Task 3 gold data",
                       description=DESCRIPTION, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, metavar="DIR", type=Path,
                   help="gold data folder in the shared task's layout")
    p.add_argument("--split", metavar="FILE", type=Path,
                   help="score only the article ids listed in FILE (one per line, e.g. "
                        "splits/validation.txt); default: every article in DIR")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--model", metavar="NAME_OR_PATH",
                        help="shipped model name or artifact folder (default: the shipped model)")
    source.add_argument("--predictions", metavar="FILE.jsonl", type=Path,
                        help="score saved analyses (one JSON document per line, as written by "
                             "`propscope analyze --format jsonl`) instead of running a model")
    add_sensitivity(p, from_env=False)
    p.add_argument("--json", metavar="OUT.json", type=Path, help="also write every score to this JSON file")
    p.add_argument("--per-technique", action="store_true",
                   help="print paragraph and span scores of each technique")
    p.set_defaults(func=run)


def _check_layout(data: Path) -> None:
    from propscope.errors import DataError

    if not data.is_dir():
        raise DataError(f"{data} is not a folder; --data expects the shared task's data folder "
                        "(e.g. ../shared/data/semeval2023-task3-en).")
    if not (data / "train-articles").is_dir():
        raise DataError(f"{data} is not in the SemEval-2023 Task 3 layout: no train-articles/ folder. "
                        "Point --data at the folder holding train-articles/ and the train-labels-* files.")
    if not ((data / "train-labels-spans").is_dir() or (data / "train-labels-paragraphs.txt").is_file()):
        raise DataError(f"{data} has articles but no gold labels (train-labels-spans/ or "
                        "train-labels-paragraphs.txt), so there is nothing to score against.")


def _load_gold(data: Path, split: Path | None) -> list[Document]:
    from propscope.datasets import load_semeval, read_ids
    from propscope.errors import DataError

    _check_layout(data)
    ids = None
    if split is not None:
        if not split.is_file():
            raise DataError(f"Split file {split} not found; --split expects a file of article ids.")
        ids = read_ids(split)
    loaded = load_semeval(data, ids=ids)
    for note in loaded.notes():
        print(f"propscope: warning: {note}.", file=sys.stderr)
    docs = loaded.documents
    if not docs:
        where = f"none of the {len(ids or [])} ids of {split}" if split else "no article*.txt file"
        raise DataError(f"No gold articles to score: {data}/train-articles/ holds {where}.")
    if ids is not None and len(docs) < len(set(ids)):
        print(f"propscope: warning: {len(set(ids)) - len(docs)} ids of {split} are not articles in {data}; "
              "they are left out.", file=sys.stderr)
    return docs


def _read_predictions(path: Path) -> list[Document]:
    from propscope.errors import InputError
    from propscope.serialize import from_dict

    if not path.is_file():
        raise InputError("file not found; --predictions expects a JSON-lines file of analyses.",
                         source=str(path))
    docs = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                doc = from_dict(json.loads(line))
            except (json.JSONDecodeError, InputError) as exc:
                raise InputError(f"line {n} is not an analysis record ({exc}); expected one JSON "
                                 "document per line.", source=str(path)) from exc
            # `analyze` names a record after its file (article728153988); the gold ids drop
            # the prefix, as the label files do.
            if doc.id.startswith("article") and doc.id[len("article"):].isdigit():
                doc.id = doc.id[len("article"):]
            docs.append(doc)
    return docs


def _check_json_target(args: argparse.Namespace) -> None:
    """Refuse a --json path that is a folder or one of the inputs, before any work."""
    from propscope.errors import DataError

    out = args.json.resolve()
    if args.json.is_dir():
        raise DataError(f"--json {args.json} is a folder; give a file name, e.g. {args.json}/scores.json.")
    inputs = [p for p in (args.predictions, args.split) if p is not None]
    if any(p.exists() and p.resolve() == out for p in inputs) or out.is_relative_to(args.data.resolve()):
        raise DataError(f"--json {args.json} is one of the inputs (the predictions, the split or a "
                        "file of --data); writing the scores there would replace it. Give another path.")


def _predict(model_name: str | None, gold: Sequence[Document], sensitivity: str | None) -> list[Document]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from propscope.models.base import load_model
    from propscope.training.predict import predict_fresh

    model = load_model(model_name)
    columns = (TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("analysing", total=len(gold))
        return predict_fresh(model, gold, on_document=lambda _: progress.advance(task),
                             sensitivity=sensitivity)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON so that ``path`` holds either the old file or the whole new one."""
    from propscope.render.files import atomic_write

    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _warn_if_trained_on(model_name: str | None, gold: Sequence[Document]) -> int:
    """Warn when the model learnt from some of the gold articles; return how many."""
    from propscope.training.train import trained_article_ids

    trained = trained_article_ids(model_name)
    seen = len(trained & {g.id for g in gold}) if trained else 0
    if seen:
        print(f"propscope: warning: the model was trained on {seen} of these {len(gold)} articles, so "
              "its scores on them are not held-out scores (they measure memory, not accuracy). Its "
              "model card has cross-validation scores; for held-out ones, train with "
              "`propscope train --split FILE` and evaluate that model on the same FILE.", file=sys.stderr)
    return seen


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from propscope.datasets import RECENT_PREFIX
    from propscope.evaluation import evaluate, evaluate_recent, render_report
    from propscope.sensitivity import resolve_sensitivity, sensitivity_name

    if args.predictions and args.sensitivity:
        print("propscope: error: --sensitivity applies when a model analyses the articles; saved "
              "--predictions were made at the level their records name.", file=sys.stderr)
        return 2
    if args.json:
        _check_json_target(args)
    gold = _load_gold(args.data, args.split)
    seen = 0 if args.predictions else _warn_if_trained_on(args.model, gold)
    pred = (_read_predictions(args.predictions) if args.predictions
            else _predict(args.model, gold, args.sensitivity))
    if pred and not {p.id for p in pred} & {g.id for g in gold}:
        from propscope.errors import DataError

        raise DataError(f"None of the {len(pred)} predictions is for a gold article (predicted ids "
                        f"such as {pred[0].id!r}, gold ids such as {gold[0].id!r}); every score "
                        "would be 0. Predict the articles of --data, named by their files.")
    console = Console()
    scope = f"{args.split.name} ({len(gold)} articles)" if args.split else f"all {len(gold)} articles"
    level = resolve_sensitivity(args.sensitivity)
    if level:
        scope += f", sensitivity {sensitivity_name(level)}"
    reports = {"all": evaluate(gold, pred)}
    render_report(reports["all"], console, title=f"Evaluation on {scope}", per_technique=args.per_technique)
    recent = evaluate_recent(gold, pred)
    if recent is not None:
        reports["recent"] = recent
        render_report(recent, console, per_technique=args.per_technique,
                      title=f"Newest articles only (id {RECENT_PREFIX}*, {recent.documents} articles)")
    if args.json:
        write_json_atomic(args.json, {
            "data": str(args.data), "split": str(args.split) if args.split else None,
            "predictions": str(args.predictions) if args.predictions else None,
            "recent_prefix": RECENT_PREFIX, "trained_on_scored_articles": seen,
            "sensitivity": level,
            **{name: r.to_dict() for name, r in reports.items()},
        })
        console.print(f"scores written to {args.json}", markup=False, highlight=False)
    return 0
