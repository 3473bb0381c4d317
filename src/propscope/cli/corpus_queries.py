"""`propscope corpus` commands that read a store: ``reuse``, ``profile``, ``search``,
``report`` and ``export`` (``cli/corpus.py`` defines the commands and runs ``ingest``)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from rich.markup import escape

from propscope.render.printable import printable


def usage_error(message: str, *, code: int = 2) -> int:
    """Print ``message`` as propscope's errors are printed and return ``code`` (2: usage)."""
    message = printable(message, keep="\n")  # a file name in it may hold escape sequences
    print(f"propscope: error: {message}", file=sys.stderr)
    return code


def dump_json(rows: Any) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str)


def _overwrites(outputs: list[Path], db: str) -> bool:
    """Whether writing any of ``outputs`` would replace the database ``db`` or its write-ahead
    log (``db.wal``, which holds what a crashed run had not checkpointed), also through a link."""
    for base in (Path(db), Path(f"{db}.wal")):
        for out in outputs:
            try:
                if out.resolve() == base.resolve() or (out.exists() and base.exists()
                                                       and out.samefile(base)):
                    return True
            except (OSError, RuntimeError):  # a link loop: it cannot be the database either
                continue
    return False


# Longest cell text in a terminal table: a 100,000-character title would fill hundreds of
# lines for one hit. JSON output keeps every value whole.
CELL_CHARS = 200


def _clip(text: str, limit: int = CELL_CHARS) -> str:
    """A cell's text: at most ``limit`` characters, control characters shown as "�" (an ESC
    in a stored title would otherwise reach the terminal as an escape sequence), and rich's
    markup escaped (an outlet named "[/y] News" made every table a MarkupError traceback)."""
    text = printable(text)
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def run_reuse(args: argparse.Namespace) -> int:
    from rich.table import Table

    from propscope.corpus.reuse import find_reuse, save_pairs, shared_passages
    from propscope.corpus.store import CorpusStore, write_problem

    # Saving the pairs is a convenience for `corpus report`, which finds them itself when
    # none are saved; so a store this user cannot write is read, not refused. A missing file
    # is opened read-only too, which says to ingest first instead of creating an empty one.
    unsaved = write_problem(args.db)
    with CorpusStore(args.db, read_only=bool(unsaved) or not Path(args.db).is_file()) as store:
        pairs = find_reuse(store, threshold=args.threshold, shingle_size=args.shingle_size,
                           num_perm=args.num_perm, same_outlet=args.same_outlet)
        if unsaved:
            print(f"note: the pairs are not saved in {args.db}: {unsaved}.", file=sys.stderr)
        else:
            save_pairs(store, pairs)
        shown = pairs[: args.limit]
        passages = [shared_passages(store, p.a, p.b, limit=args.passages) if args.passages else []
                    for p in shown]
        n_articles = store.count()
    if args.format == "json":
        print(dump_json([{**dataclasses.asdict(p), "passages": [dataclasses.asdict(x) for x in ps]}
                     for p, ps in zip(shown, passages, strict=True)]))
        return 0
    if not pairs:
        # An empty table says nothing; say what was compared and which knobs find looser copies.
        scope = "" if args.same_outlet else ", across outlets"
        print(f"No reuse pairs among {n_articles} articles at Jaccard ≥ {args.threshold}{scope}. "
              "A lower --threshold finds looser copies"
              + ("." if args.same_outlet else "; --same-outlet also pairs one outlet's articles."),
              file=sys.stderr)
        return 0
    table = Table(title=f"{len(pairs)} reuse pairs (showing {len(shown)})")
    for col in ("first / original", "copy", "jaccard", "est.", "order", "shared passage"):
        table.add_column(col, overflow="fold")
    for p, ps in zip(shown, passages, strict=True):
        table.add_row(f"{_clip(p.outlet_a or '?')}\n{_clip(p.title_a or p.a)}\n{p.published_a or ''}",
                      f"{_clip(p.outlet_b or '?')}\n{_clip(p.title_b or p.b)}\n{p.published_b or ''}",
                      f"{p.jaccard:.2f}", f"{p.estimated:.2f}", p.reason,
                      "\n".join(f"“{_clip(x.text, 160)}”" for x in ps))
    _console_out(table)
    return 0


def _console_out(renderable: Any) -> None:
    """Print a table to standard output. Piped or redirected output gets a wide page instead of
    rich's 80 columns, so technique names and outlets reach a file whole, not cut with "…"."""
    from rich.console import Console

    Console(width=None if sys.stdout.isatty() else 200).print(renderable)


def run_profile(args: argparse.Namespace) -> int:
    import csv

    from rich.table import Table

    from propscope.corpus.profile import Rate, Share, compute_profile
    from propscope.corpus.store import CorpusStore
    from propscope.sensitivity import levels_text

    by = tuple(dict.fromkeys(args.by or ["outlet"]))
    with CorpusStore(args.db, read_only=True) as store:
        prof = compute_profile(store, by=by, n_boot=args.bootstrap, since=args.since,
                               until=args.until, outlet=args.outlet)
        levels = levels_text(store.sensitivities())
    figures: list[Rate | Share] = [*prof.rates, *prof.shares]
    rows = [{"group": " / ".join(r.group), **{k: v for k, v in dataclasses.asdict(r).items()
                                              if k != "group"}} for r in figures]
    if args.format == "json":
        print(dump_json({"by": by, "confidence": prof.confidence, "rows": rows}))
    elif args.format == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=list(dict.fromkeys(k for r in rows for k in r)))
        w.writeheader()
        w.writerows(rows)
    else:
        value = "share" if args.kind in ("genre", "frame") else "rate"
        table = Table(title=f"{args.kind} {'share of articles' if value == 'share' else 'per 1,000 words'}"
                      f" by {' × '.join(by)} (95% interval)")
        # Expected correct detections (summed calibrated scores) where the scores allow it.
        expected = value == "rate" and any(
            isinstance(r, Rate) and r.expected is not None for r in figures)
        for col in (*by, "articles", args.kind, value, "interval", "n",
                    *(("≈ right", "interval") if expected else ())):
            table.add_column(col, overflow="fold")  # wrapped in a narrow terminal, never cut
        for r in figures:
            if r.kind != args.kind or not r.count:
                continue
            v = getattr(r, value)
            fmt = "{:.1%}" if value == "share" else "{:.2f}"
            cells = [*map(_clip, r.group), str(prof.groups[r.group]), r.label, fmt.format(v),
                     f"{fmt.format(r.low)}–{fmt.format(r.high)}", str(r.count)]
            if expected and isinstance(r, Rate):
                cells += [fmt.format(r.expected) if r.expected is not None else "–",
                          f"{fmt.format(r.expected_low)}–{fmt.format(r.expected_high)}"
                          if r.expected_low is not None and r.expected_high is not None else ""]
            table.add_row(*cells)
        _console_out(table)
        if expected:
            print("≈ right: expected correct detections per 1,000 words, the sum of the spans' "
                  "calibrated scores (most detected spans are not right).", file=sys.stderr)
        if levels:
            print(f"Analysed at sensitivity {levels}: span rates depend on the level.", file=sys.stderr)
    return 0


def run_search(args: argparse.Namespace) -> int:
    from rich.table import Table

    from propscope.corpus.search import search
    from propscope.corpus.store import CorpusStore
    from propscope.errors import PropscopeError

    try:
        with CorpusStore(args.db, read_only=True) as store:
            hits = search(store, args.query, technique=args.technique, category=args.category,
                          outlet=args.outlet, since=args.since, until=args.until, limit=args.limit)
    except PropscopeError as exc:  # not 1, which says "nothing matched" (grep's codes)
        return usage_error(str(exc))
    # Exit 1 when nothing matched, in either format (as grep does), so scripts can test it.
    if args.format == "json":
        print(dump_json([dataclasses.asdict(h) for h in hits]))
        return 0 if hits else 1
    table = Table(title=f"{len(hits)} articles")
    for col in ("score", "outlet / date", "article", "spans"):
        table.add_column(col, overflow="fold")
    for h in hits:
        table.add_row(f"{h.score:.2f}", f"{_clip(h.outlet or '?')}\n{h.published or ''}",
                      f"{_clip(h.title or h.source or h.article_id)}\n{_clip(h.snippet)}",
                      "\n".join(f"{s.technique}: “{_clip(s.text, 80)}”" for s in h.spans))
    _console_out(table)
    return 0 if hits else 1


def run_report(args: argparse.Namespace) -> int:
    from propscope.corpus.report import write_report
    from propscope.corpus.store import CorpusStore

    if _overwrites([Path(args.output)], args.db):
        return usage_error(f"-o {args.output} would replace the corpus database (--db) or its "
                           "journal; give another file.")
    with CorpusStore(args.db, read_only=True) as store:
        out = write_report(store, args.output, title=args.title, max_outlets=args.max_outlets)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from propscope.corpus.export import EXPORT_TABLES, export
    from propscope.corpus.store import CorpusStore

    # A folder format writes one file per table: a database named like one of them (say
    # articles.csv) inside the -o folder would be replaced as surely as -o naming it.
    out = Path(args.output)
    targets = [out] if args.format == "jsonl" else [out, *(out / f"{t}.{args.format}"
                                                          for t in EXPORT_TABLES)]
    if args.output != "-" and _overwrites(targets, args.db):
        return usage_error(f"-o {args.output} would replace the corpus database (--db) or its "
                           "journal; give another path.")
    with CorpusStore(args.db, read_only=True) as store:
        written = export(store, args.format, args.output)
    for path in written:
        print(path)
    return 0
