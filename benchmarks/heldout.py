"""Gold articles a model never trained on, for the benchmarks that score one model on them."""

from __future__ import annotations

import argparse
from pathlib import Path

from propscope.document import Document

ROOT = Path(__file__).resolve().parents[1]


def add_arguments(ap: argparse.ArgumentParser, *, model_required: bool = False) -> None:
    """``--data``, ``--split`` (default ``splits/validation.txt``) and ``--model``."""
    ap.add_argument("--data", type=Path, required=True, help="SemEval-2023 Task 3 folder (English)")
    ap.add_argument("--split", type=Path, default=ROOT / "splits" / "validation.txt")
    ap.add_argument("--model", required=model_required, default=None,
                    help="artifact folder of a model trained with `propscope train --split FILE`"
                         + ("" if model_required else " (default: shipped)"))


def held_out(args: argparse.Namespace) -> list[Document]:
    """The gold articles of ``args.split``; exits when ``args.model`` trained on any of them
    (the shipped model trained on every article, so its scores there measure memory)."""
    from propscope.datasets import load_semeval, read_ids
    from propscope.training.train import trained_article_ids

    ids = read_ids(args.split)
    if set(ids) & (trained_article_ids(args.model) or set()):
        raise SystemExit(f"The model was trained on articles of {args.split}; pass --model a model "
                         f"trained with `propscope train --split {args.split}`.")
    return load_semeval(args.data, ids=ids).documents
