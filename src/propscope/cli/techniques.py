"""`propscope techniques`: show the taxonomy — 6 categories, 23 techniques, what each means."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from propscope.taxonomy import NOT_PREDICTED

EPILOG = """\
Examples:
  propscope techniques                          all categories and techniques
  propscope techniques --category Call          one category (name or title, any case)
  propscope techniques --format json | jq '.techniques[].name'
  propscope techniques --format json | jq '.techniques[] | {name, found: .quality.found}'
  propscope techniques --model runs/my-model    rates of another trained model
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "techniques",
        help="list the persuasion techniques and their categories",
        description="The SemEval-2023 Task 3 taxonomy propscope predicts: 6 categories "
        "(with the colours used in reports) and 23 techniques, each with a definition and an "
        f"example. Techniques marked '{NOT_PREDICTED}' are part of the taxonomy but the "
        "shipped models never output them. Under each technique: how well the model finds it "
        "on articles it had not seen (of its paragraph labels, how many were right; of the "
        "annotated paragraphs, how many it found), from the scores recorded when it was "
        "trained.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (readable, default) or json (for programs)")
    p.add_argument("--category", metavar="NAME",
                   help="show only this category, e.g. Attack_on_Reputation or 'attack on reputation'")
    p.add_argument("--model", metavar="NAME|DIR",
                   help="whose detection rates to show: a shipped model's name or an artifact "
                   "folder (default: the shipped model)")
    p.add_argument("--no-quality", action="store_true",
                   help="the taxonomy alone, without the model's detection rates")
    p.set_defaults(func=run)


def _print_text(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.padding import Padding
    from rich.style import Style
    from rich.text import Text

    console = Console()
    if data.get("quality"):
        console.print(Text(data["quality"]["summary"], style="dim"))
        console.print()
    for cat in data["categories"]:
        head = Text()
        head.append(f" {cat['title']} ", style=Style(bgcolor=cat["color"], color="black", bold=True))
        name = "" if cat["name"] == cat["title"] else cat["name"]
        head.append(f"  {name}  {cat['color']}", style="dim")
        console.print(head)
        console.print(Padding(Text(cat["description"], style="italic"), (0, 0, 1, 2)))
        for t in (t for t in data["techniques"] if t["category"] == cat["name"]):
            line = Text(t["name"], style="bold")
            line.append(f" — {t['title']}")
            console.print(Padding(line, (0, 0, 0, 2)))
            body = Text()
            if not t["predicted"]:
                body.append(f"{NOT_PREDICTED[0].upper()}{NOT_PREDICTED[1:]}.\n", style="yellow")
            body.append(t["definition"])
            body.append(f"\nExample: “{t['example']}”", style="dim")
            if t.get("quality"):
                body.append(f"\n{t['quality']['summary']}", style="cyan")
            console.print(Padding(body, (0, 0, 1, 6)))


def run(args: argparse.Namespace) -> int:
    """Print the taxonomy (or one category) as text or JSON."""
    from propscope.taxonomy import find_category

    category = find_category(args.category) if args.category else None
    if args.category and category is None:
        from propscope.taxonomy import CATEGORIES

        print(f"propscope: error: --category {args.category!r} is not a category; use one of: "
              f"{', '.join(CATEGORIES)}.", file=sys.stderr)
        return 2
    from propscope.taxonomy import taxonomy_json

    data = taxonomy_json(category)
    if not args.no_quality:
        from propscope.models.quality import add_quality, load_quality

        # A model that cannot be read is a failure (exit 1), as for analyze, evaluate and serve.
        data = add_quality(data, load_quality(args.model))
    if args.format == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_text(data)
    return 0
