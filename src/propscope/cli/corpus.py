"""`propscope corpus`: ingest articles into a DuckDB store and study them as a corpus.

Sub-commands: ``ingest`` (analyse and store, resumable), ``reuse`` (republications and
near-copies), ``profile`` (technique rates, genre and frame mix per outlet/author/month),
``search`` (full text plus technique filters), ``report`` (HTML) and ``export``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propscope.cli.options import add_sensitivity, add_web_inputs, at_least, day_text, encoding, share
from propscope.config import from_env

if TYPE_CHECKING:
    from propscope.corpus.store import CorpusStore

EPILOG = """Examples:
  propscope corpus ingest articles/ feeds.jsonl --db corpus.duckdb
  propscope corpus ingest --urls links.txt            web pages; a re-run fetches only new ones
  propscope corpus ingest --feed https://example.org/rss --feed https://example.net/sitemap.xml
                                                      follow outlets: run daily, only new pages are fetched
  propscope corpus ingest --feed subscriptions.opml   every feed a feed reader exports
  propscope corpus ingest --feed https://example.org/sitemap.xml --feed-since 2026-11-01
                                                      a site's archive (or its index): recent pages
  propscope corpus ingest big.jsonl --engine dask --scheduler tcp://10.0.0.5:8786
  propscope corpus reuse --db corpus.duckdb
  propscope corpus profile --by outlet --by month --format csv > profile.csv
  propscope corpus search "vaccine mandate" --technique Loaded_Language --since 2020-01-01
  propscope corpus report -o report.html
  propscope corpus export --format parquet -o corpus-parquet/"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cfg = from_env()
    c = cfg.corpus
    p = sub.add_parser("corpus", help="analyse many articles into a DuckDB store; reuse, profiles, "
                       "search, reports", description=__doc__, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(func=lambda args: p.print_help() or 2)
    cmds = p.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND")

    def add(name: str, help: str, func: Any) -> argparse.ArgumentParser:
        q = cmds.add_parser(name, help=help, description=help)
        q.add_argument("--db", type=db_file, default=c.db,
                       help=f"corpus database file (default: {c.db})")
        q.set_defaults(func=func)
        return q

    q = add("ingest", "read, analyse and store new articles (re-runs skip stored ones); the exit "
            "code is 1 when any input failed (stored in the table `failures`), as for analyze",
            run_ingest)
    q.add_argument("paths", nargs="*", metavar="PATH",
                   help="files, folders, JSONL files or http(s) URLs (pages already stored are not "
                        "fetched again)")
    add_web_inputs(q)
    q.add_argument("--workers", type=at_least(0), default=c.workers,
                   help="analysis processes for --engine local; 0 = one per core")
    q.add_argument("--engine", choices=("local", "dask"), default=c.engine,
                   help="where analysis runs (default: %(default)s)")
    q.add_argument("--scheduler", default=c.scheduler, help="Dask scheduler address for --engine dask")
    q.add_argument("--chunk-size", type=at_least(1), default=c.chunk_size,
                   help="articles per committed transaction (default: %(default)s)")
    q.add_argument("--task-size", type=at_least(1), default=c.task_size,
                   help="articles per worker task (default: %(default)s)")
    q.add_argument("--model", default=cfg.analyzer.model, help="model name or artifact folder")
    q.add_argument("--max-bytes", type=at_least(1, "of bytes"), default=cfg.analyzer.max_bytes,
                   help="largest input accepted, in bytes (analysing a text takes about 1 GB "
                        "of memory per MB of text, in each worker)")
    add_sensitivity(q, cfg.analyzer.sensitivity)
    q.add_argument("--encoding", type=encoding, default=None,
                   help="input encoding instead of UTF-8 (auto: UTF-8 where valid, else a guess, "
                        "file by file)")
    q.add_argument("--no-progress", action="store_true",
                   help="print one line per commit instead of a progress bar")

    q = add("reuse", "find republications and near-copies across outlets; the pairs are saved in "
            "the store for `corpus report`, except in a store this user cannot write (they are "
            "then shown but not saved, and the report finds them again)", run_reuse)
    q.add_argument("--threshold", type=share, default=c.reuse_threshold,
                   help="least exact Jaccard similarity (default: %(default)s)")
    q.add_argument("--shingle-size", type=at_least(1), default=c.shingle_size,
                   help="words per shingle (default: %(default)s)")
    q.add_argument("--num-perm", type=at_least(2), default=c.num_perm,
                   help="MinHash permutations (default: %(default)s)")
    q.add_argument("--same-outlet", action="store_true", help="also pair articles of one outlet")
    q.add_argument("--limit", type=at_least(1), default=50,
                   help="pairs shown; all are saved in a writable store (default: %(default)s)")
    q.add_argument("--passages", type=at_least(0), default=1,
                   help="shared passages shown per pair (default: %(default)s)")
    q.add_argument("--format", choices=("table", "json"), default="table", help="(default: %(default)s)")

    q = add("profile", "technique rates, genre and frame mix per outlet/author/month", run_profile)
    q.add_argument("--by", action="append", choices=("outlet", "author", "month", "genre"),
                   help="grouping (repeat to combine, e.g. --by outlet --by month; default outlet)")
    q.add_argument("--kind", choices=("technique", "category", "genre", "frame"), default="technique",
                   help="what to show in table format (csv/json hold everything)")
    q.add_argument("--since", type=day_text, help="first publication date (YYYY-MM-DD)")
    q.add_argument("--until", type=day_text, help="last publication date (YYYY-MM-DD)")
    q.add_argument("--outlet", help="only this outlet")
    q.add_argument("--bootstrap", type=at_least(1), default=c.bootstrap,
                   help="bootstrap resamples for the intervals (default: %(default)s)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")

    q = add("search", "find articles and spans by words, technique, outlet and date (exit code 1 "
            "when nothing matches, 2 for an error such as an unknown technique, as grep)",
            run_search)
    q.add_argument("query", nargs="?", default="", help='words (all must occur); "quoted phrases"')
    q.add_argument("--technique", help="only articles with this technique (e.g. Loaded_Language)")
    q.add_argument("--category", help="only articles with a technique of this category")
    q.add_argument("--outlet", help="only this outlet")
    q.add_argument("--since", type=day_text, help="first publication date (YYYY-MM-DD)")
    q.add_argument("--until", type=day_text, help="last publication date (YYYY-MM-DD)")
    q.add_argument("--limit", type=at_least(1), default=20, help="most articles (default: %(default)s)")
    q.add_argument("--format", choices=("table", "json"), default="table", help="(default: %(default)s)")

    q = add("report", "write a self-contained HTML report with charts", run_report)
    q.add_argument("-o", "--output", default="report.html", help="HTML file (default: %(default)s)")
    q.add_argument("--title", default="propscope corpus report")
    q.add_argument("--max-outlets", type=at_least(1), default=12, help="outlets shown in charts")

    q = add("export", "export tables (parquet/csv) or analysis records (jsonl)", run_export)
    q.add_argument("--format", choices=("parquet", "csv", "jsonl"), required=True)
    q.add_argument("-o", "--output", required=True,
                   help="folder (parquet, csv: one file per table) or file (jsonl; - for "
                        "standard output)")


def db_file(value: str) -> str:
    """An argparse type for ``--db``: a file path. DuckDB takes ``""`` (as from an unset
    ``--db "$DB"``) and ``:memory:`` for a database dropped at exit, so an ingest into one
    would report success and keep nothing."""
    if not value.strip() or value.startswith(":memory:"):
        raise argparse.ArgumentTypeError(f"expected a database file path, got {value!r}; an "
                                         "in-memory database keeps nothing after the command")
    return value


def _error(message: str, *, code: int = 2) -> int:
    """Print ``message`` as propscope's errors are printed and return ``code`` (2: usage)."""
    print(f"propscope: error: {message}", file=sys.stderr)
    return code


def _overwrites(output: str, db: str) -> bool:
    """Whether writing ``output`` would replace the database ``db``, also through a link."""
    out, base = Path(output), Path(db)
    try:
        return out.resolve() == base.resolve() or (out.exists() and base.exists()
                                                   and out.samefile(base))
    except (OSError, RuntimeError):  # a link loop: it cannot be the database either
        return False


# Longest cell text in a terminal table: a 100,000-character title would fill hundreds of
# lines for one hit. JSON output keeps every value whole.
CELL_CHARS = 200


def _clip(text: str, limit: int = CELL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _dump(rows: Any) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str)


def _engine(args: argparse.Namespace) -> Any:
    from propscope.config import AnalyzerConfig
    from propscope.corpus.engines import AnalysisSpec, DaskEngine, LocalEngine, default_workers
    from propscope.errors import InputError

    spec = AnalysisSpec(args.model, AnalyzerConfig(model=args.model, max_bytes=args.max_bytes,
                                                   sensitivity=args.sensitivity))
    if args.engine == "dask":
        if not args.scheduler:
            raise InputError("--engine dask needs --scheduler ADDRESS (or PROPSCOPE_SCHEDULER).")
        return DaskEngine(spec, args.scheduler, task_size=args.task_size)
    workers = args.workers if args.workers > 0 else default_workers()
    return LocalEngine(spec, workers=workers, task_size=args.task_size)


def run_ingest(args: argparse.Namespace) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from propscope.cli.inputs import inputs_from
    from propscope.corpus.runner import IngestReport, ingest
    from propscope.corpus.store import CorpusStore

    inputs = inputs_from(args, args.paths)
    if problem := inputs.problem():
        return _error(problem)
    console = _console()
    engine = _engine(args)
    bar = not args.no_progress and console.is_terminal
    progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[note]}"), TimeElapsedColumn(), TextColumn("ETA"),
                        TimeRemainingColumn(), console=console, disable=not bar)
    task = progress.add_task("ingest", total=inputs.estimate() or None, note="")

    def show(report: IngestReport, *, committed: bool) -> None:
        r = report
        total = progress.tasks[0].total
        progress.update(task, completed=r.processed, total=max(total or 0, r.processed) or None,
                        note=f"{r.rate:.1f}/s, {r.skipped + r.repeated} known, {r.failed} failed")
        if committed and not bar:
            print(f"committed {r.added} articles ({r.skipped} already stored, {r.repeated} repeated, "
                  f"{r.failed} failed, "
                  f"{r.rate:.1f} articles/s)", file=sys.stderr, flush=True)

    with CorpusStore(args.db) as store, progress:
        level, others = _levels(store, args.sensitivity)
        seen = store.urls() if inputs.urls_given else set()

        def known(url: str) -> bool:
            # Stored before this run, or already asked for in it (called in list order, from
            # this thread, before each page is fetched).
            if url in seen:
                return True
            seen.add(url)
            return False

        items = inputs.read(max_bytes=args.max_bytes, server=from_env().server,
                            encoding=args.encoding, known=known,
                            note=lambda line: console.print(line, markup=False, highlight=False))
        report = ingest(store, items, engine, chunk_size=args.chunk_size, progress=show)
        total = store.count()
    for f in report.failures:
        console.print(f"[yellow]skipped[/] {f.source}: {f.message}", markup=True, highlight=False)
    if report.failed > len(report.failures):
        console.print(f"… and {report.failed - len(report.failures)} more (table `failures`).")
    repeated = f", repeated in this run {report.repeated}" if report.repeated else ""
    console.print(f"added {report.added}, already stored {report.skipped}{repeated}, "
                  f"failed {report.failed} "
                  f"in {report.seconds:.1f}s ({report.rate:.1f} articles/s); {total} articles in "
                  f"{args.db}", highlight=False)
    if others and report.added:
        # Profiles compare rates across groups, so a store should hold one sensitivity. Said
        # only when this run added articles: a rerun that stores nothing mixes nothing.
        added = "the new article was" if report.added == 1 else f"the {report.added} new articles were"
        console.print(f"[yellow]warning[/] {args.db} holds analyses made at sensitivity "
                      f"{', '.join(others)}; {added} analysed at {level}, so rates in its profiles "
                      "mix levels (stored articles are not redone). Use a new --db to compare "
                      "levels.", markup=True, highlight=False)
    return 1 if report.failed else 0  # as analyze: a script's `ingest && report` sees a loss


def _levels(store: CorpusStore, level: str) -> tuple[str, list[str]]:
    """The name of sensitivity ``level``, and of those in ``store`` other than it."""
    from propscope.models.sensitivity import resolve_sensitivity, sensitivity_name

    want = resolve_sensitivity(level)
    return sensitivity_name(want), [sensitivity_name(x) for x in store.sensitivities() if x != want]


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
        print(_dump([{**dataclasses.asdict(p), "passages": [dataclasses.asdict(x) for x in ps]}
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
                      "\n".join(f"“{x.text[:160]}”" for x in ps))
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
    from propscope.models.sensitivity import levels_text

    by = tuple(dict.fromkeys(args.by or ["outlet"]))
    with CorpusStore(args.db, read_only=True) as store:
        prof = compute_profile(store, by=by, n_boot=args.bootstrap, since=args.since,
                               until=args.until, outlet=args.outlet)
        levels = levels_text(store.sensitivities())
    figures: list[Rate | Share] = [*prof.rates, *prof.shares]
    rows = [{"group": " / ".join(r.group), **{k: v for k, v in dataclasses.asdict(r).items()
                                              if k != "group"}} for r in figures]
    if args.format == "json":
        print(_dump({"by": by, "confidence": prof.confidence, "rows": rows}))
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
        return _error(str(exc))
    # Exit 1 when nothing matched, in either format (as grep does), so scripts can test it.
    if args.format == "json":
        print(_dump([dataclasses.asdict(h) for h in hits]))
        return 0 if hits else 1
    table = Table(title=f"{len(hits)} articles")
    for col in ("score", "outlet / date", "article", "spans"):
        table.add_column(col, overflow="fold")
    for h in hits:
        table.add_row(f"{h.score:.2f}", f"{_clip(h.outlet or '?')}\n{h.published or ''}",
                      f"{_clip(h.title or h.source or h.article_id)}\n{h.snippet}",
                      "\n".join(f"{s.technique}: “{s.text[:80]}”" for s in h.spans))
    _console_out(table)
    return 0 if hits else 1


def run_report(args: argparse.Namespace) -> int:
    from propscope.corpus.report import write_report
    from propscope.corpus.store import CorpusStore

    if _overwrites(args.output, args.db):
        return _error(f"-o {args.output} is the corpus database (--db); give another file.")
    with CorpusStore(args.db, read_only=True) as store:
        out = write_report(store, args.output, title=args.title, max_outlets=args.max_outlets)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from propscope.corpus.export import export
    from propscope.corpus.store import CorpusStore

    if args.output != "-" and _overwrites(args.output, args.db):
        return _error(f"-o {args.output} is the corpus database (--db); give another path.")
    with CorpusStore(args.db, read_only=True) as store:
        written = export(store, args.format, args.output)
    for path in written:
        print(path)
    return 0
