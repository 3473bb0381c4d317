"""`propscope corpus` commands that read a store: ``reuse``, ``profile``, ``search``,
``report`` and ``export`` (``cli/corpus.py`` defines the commands and runs ``ingest``)."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from propscope.render.printable import printable
from propscope.taxonomy import display_name

if TYPE_CHECKING:
    from propscope.corpus.articles import ArticleRef
    from propscope.corpus.search import SearchHit


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


def _article_cell(ref: ArticleRef) -> str:
    """An article as a table cell names it as the user gave it: outlet and date, title, the
    file or URL it was read from, and its document id."""
    head = ref.outlet or "(unknown outlet)"
    if ref.published:
        head += f" · {ref.published.isoformat()}"
    lines = [head, ref.title or "(untitled)", *ref.places, f"id {ref.doc_id}" if ref.doc_id else ""]
    return "\n".join(_clip(x) for x in lines if x)


def _write_csv(rows: list[dict[str, Any]], fields: list[str]) -> None:
    w = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)


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
        passages = [shared_passages(store, p.a.article_id, p.b.article_id, limit=args.passages)
                    if args.passages else []
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
    table = Table(title=f"{len(pairs)} reuse pair{'' if len(pairs) == 1 else 's'} (showing {len(shown)})")
    for col in ("first / original", "copy", "jaccard", "est.", "order", "shared passage"):
        table.add_column(col, overflow="fold")
    for p, ps in zip(shown, passages, strict=True):
        table.add_row(_article_cell(p.a), _article_cell(p.b), f"{p.jaccard:.2f}",
                      f"{p.estimated:.2f}", p.reason, "\n".join(f"“{_clip(x.text, 160)}”" for x in ps))
    _console_out(table)
    return 0


def _console_out(renderable: Any) -> None:
    """Print a table to standard output. Piped or redirected output gets a wide page instead of
    rich's 80 columns, so technique names and outlets reach a file whole, not cut with "…"."""
    from rich.console import Console

    Console(width=None if sys.stdout.isatty() else 200).print(renderable)


def run_profile(args: argparse.Namespace) -> int:
    from rich.table import Table

    from propscope.corpus.profile import Rate, Share, compute_profile
    from propscope.corpus.store import CorpusStore
    from propscope.sensitivity import levels_text

    by = tuple(dict.fromkeys(args.by or ["outlet"]))
    with CorpusStore(args.db, read_only=True) as store:
        prof = compute_profile(store, by=by, n_boot=args.bootstrap, since=args.since,
                               until=args.until, outlet=args.outlet)
        levels = levels_text(store.sensitivities())
    # Within each group, the most frequent first (ties by name): what a reader looks for.
    figures: list[Rate | Share] = sorted(
        [*prof.rates, *prof.shares], key=lambda r: (
            r.group, r.kind, -(r.rate if isinstance(r, Rate) else r.share), display_name(r.label)))
    rows = [{"group": " / ".join(r.group), "label_title": display_name(r.label),
             **{k: v for k, v in dataclasses.asdict(r).items() if k != "group"}} for r in figures]
    if args.format == "json":
        print(dump_json({"by": by, "confidence": prof.confidence, "rows": rows}))
    elif args.format == "csv":
        _write_csv(rows, list(dict.fromkeys(k for r in rows for k in r)))
    else:
        value = "share" if args.kind in ("genre", "frame") else "rate"
        table = Table(title=f"{args.kind} {'share of articles' if value == 'share' else 'per 1,000 words'}"
                      f" by {' × '.join(by)}, most frequent first (95% interval)")
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
            cells = [*map(_clip, r.group), str(prof.groups[r.group]), display_name(r.label),
                     fmt.format(v), f"{fmt.format(r.low)}–{fmt.format(r.high)}", str(r.count)]
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
        if args.kind in ("technique", "category"):  # a row's articles, named one by one
            outlet = ' --outlet "OUTLET"' if "outlet" in by else ""
            print(f"The articles behind a row: propscope corpus search --{args.kind} \"NAME\""
                  f"{outlet} --db {printable(args.db)}", file=sys.stderr)
    return 0


# Search's columns in CSV (JSON rows have the same keys, with the spans as a list).
SEARCH_FIELDS = ["article_id", "doc_id", "source", "url", "title", "outlet", "published",
                 "score", "snippet", "spans"]


def _hit_row(hit: SearchHit, *, spans_as_text: bool) -> dict[str, Any]:
    """A search hit as a CSV or JSON row: the article's names, the score, snippet and spans."""
    spans: Any = [{**dataclasses.asdict(s), "title": display_name(s.technique)} for s in hit.spans]
    if spans_as_text:
        spans = "; ".join(f"{display_name(s.technique)}: “{s.text}”" for s in hit.spans)
    return {**hit.article.row(), "score": hit.score, "snippet": hit.snippet, "spans": spans}


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
    # Exit 1 when nothing matched, in every format (as grep does), so scripts can test it.
    code = 0 if hits else 1
    if args.format == "json":
        print(dump_json([_hit_row(h, spans_as_text=False) for h in hits]))
    elif args.format == "jsonl":
        for h in hits:
            print(json.dumps(_hit_row(h, spans_as_text=False), ensure_ascii=False, default=str))
    elif args.format == "csv":
        _write_csv([_hit_row(h, spans_as_text=True) for h in hits], SEARCH_FIELDS)
    else:
        table = Table(title=f"{len(hits)} article{'' if len(hits) == 1 else 's'}")
        for col in ("score", "article", "snippet", "spans"):
            table.add_column(col, overflow="fold")
        for h in hits:
            table.add_row(f"{h.score:.2f}", _article_cell(h.article), _clip(h.snippet),
                          "\n".join(f"{display_name(s.technique)}: “{_clip(s.text, 80)}”"
                                    for s in h.spans))
        _console_out(table)
    return code


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
