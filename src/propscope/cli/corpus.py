"""`propscope corpus`: ingest articles into a DuckDB store and study them as a corpus.

Sub-commands: ``ingest`` (analyse and store, resumable), ``reuse`` (republications and
near-copies), ``profile`` (technique rates, genre and frame mix per outlet/author/month),
``search`` (full text plus technique filters), ``report`` (HTML) and ``export``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from propscope.cli.corpus_queries import (
    run_export,
    run_profile,
    run_report,
    run_reuse,
    run_search,
    usage_error,
)
from propscope.cli.options import add_sensitivity, add_web_inputs, at_least, day_text, encoding, share
from propscope.config import Config, from_env
from propscope.errors import SettingError
from propscope.render.printable import printable

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
  propscope corpus search "vaccine mandate" --technique "loaded language" --since 2020-01-01
  propscope corpus search --technique "Casting doubt" --outlet "Example News" --format csv > doubt.csv
  propscope corpus report -o report.html
  propscope corpus export --format parquet -o corpus-parquet/"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # The options' defaults come from PROPSCOPE_* variables. A bad one fails the corpus
    # commands when they run, not the parser, which would break every command, --help and
    # --version included.
    problem: SettingError | None = None
    try:
        cfg = from_env()
    except SettingError as exc:
        cfg, problem = Config(), exc
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
        q.set_defaults(func=func if problem is None else lambda _args: usage_error(str(problem)))
        return q

    q = add("ingest", "read, analyse and store new articles (re-runs skip stored ones); the exit "
            "code is 1 when any input failed (stored in the table `failures`), as for analyze",
            run_ingest)
    q.add_argument("paths", nargs="*", metavar="PATH",
                   help="files, folders, JSONL files or http(s) URLs (pages already stored are not "
                        "fetched again)")
    add_web_inputs(q)
    q.add_argument("--workers", type=at_least(0), default=c.workers,
                   help="analysis processes for --engine local; 0 = one per core (default: "
                        "%(default)s)")
    q.add_argument("--engine", choices=("local", "dask"), default=c.engine,
                   help="where analysis runs (default: %(default)s)")
    q.add_argument("--scheduler", default=c.scheduler, help="Dask scheduler address for --engine dask")
    q.add_argument("--chunk-size", type=at_least(1), default=c.chunk_size,
                   help="articles per committed transaction (default: %(default)s)")
    q.add_argument("--task-size", type=at_least(1), default=c.task_size,
                   help="articles per worker task (default: %(default)s)")
    q.add_argument("--model", default=cfg.analyzer.model, help="model name or artifact folder")
    q.add_argument("--max-bytes", type=at_least(1, "of bytes"), default=cfg.analyzer.max_bytes,
                   help="largest input accepted, in bytes (default: %(default)s, or "
                        "PROPSCOPE_MAX_BYTES; analysing a text takes about 1 GB of memory per MB "
                        "of text, in each worker)")
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
    q.add_argument("--by", action="append", choices=("outlet", "author", "month", "genre", "language"),
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
            "when nothing matches, 2 for any error, such as an unknown technique or a locked or "
            "damaged store, as grep)",
            run_search)
    q.add_argument("query", nargs="?", default="", help='words (all must occur); "quoted phrases"')
    q.add_argument("--technique", help="only articles with this technique, by its name or its title "
                   "as reports show it, in any case (e.g. Loaded_Language or 'casting doubt')")
    q.add_argument("--category", help="only articles with a technique of this category (name or title)")
    q.add_argument("--outlet", help="only this outlet")
    q.add_argument("--since", type=day_text, help="first publication date (YYYY-MM-DD)")
    q.add_argument("--until", type=day_text, help="last publication date (YYYY-MM-DD)")
    q.add_argument("--limit", type=at_least(1), default=20, help="most articles (default: %(default)s)")
    q.add_argument("--format", choices=("table", "csv", "json", "jsonl"), default="table",
                   help="each article with its id, document id, file or URL, title, outlet and "
                        "date (default: %(default)s)")

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


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


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
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from propscope.cli.options import inputs_from
    from propscope.corpus.runner import IngestInterrupted, IngestReport, ingest
    from propscope.corpus.store import CorpusStore

    inputs = inputs_from(args, args.paths)
    if problem := inputs.problem():
        return usage_error(problem)
    console = _console()
    db = printable(args.db, keep="")  # as shown on the terminal
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

        items = inputs.read(max_bytes=args.max_bytes, fetch=from_env().fetch,
                            encoding=args.encoding, known=known,
                            note=lambda line: console.print(printable(line, keep=""), markup=False,
                                                            highlight=False))
        try:
            report = ingest(store, items, engine, chunk_size=args.chunk_size, progress=show)
        except IngestInterrupted as stop:  # Ctrl-C or SIGTERM: say what is kept
            r = stop.report
            console.print(f"interrupted: added {r.added} (committed to {db}), already "
                          f"stored {r.skipped}, failed {r.failed}; run the same command again "
                          "to resume.", markup=False, highlight=False, soft_wrap=True)
            raise
        total = store.count()
    for f in report.failures:
        # One unwrapped line per input, as analyze prints them, so that grep finds a file name.
        console.print(f"[yellow]skipped[/] {escape(printable(f.source, keep=''))}: "
                      f"{escape(printable(f.message, keep=''))}", markup=True,
                      highlight=False, soft_wrap=True)
    if report.failed > len(report.failures):
        console.print(f"… and {report.failed - len(report.failures)} more (table `failures`).")
    repeated = f", repeated in this run {report.repeated}" if report.repeated else ""
    console.print(f"added {report.added}, already stored {report.skipped}{repeated}, "
                  f"failed {report.failed} "
                  f"in {report.seconds:.1f}s ({report.rate:.1f} articles/s); {total} articles in "
                  f"{db}", markup=False, highlight=False, soft_wrap=True)
    if others and report.added:
        # Profiles compare rates across groups, so a store should hold one sensitivity. Said
        # only when this run added articles: a rerun that stores nothing mixes nothing.
        added = "the new article was" if report.added == 1 else f"the {report.added} new articles were"
        console.print(f"[yellow]warning[/] {escape(db)} holds analyses made at sensitivity "
                      f"{', '.join(others)}; {added} analysed at {level}, so rates in its profiles "
                      "mix levels (stored articles are not redone). Use a new --db to compare "
                      "levels.", markup=True, highlight=False)
    return 1 if report.failed else 0  # as analyze: a script's `ingest && report` sees a loss


def _levels(store: CorpusStore, level: str) -> tuple[str, list[str]]:
    """The name of sensitivity ``level``, and of those in ``store`` other than it."""
    from propscope.sensitivity import resolve_sensitivity, sensitivity_name

    want = resolve_sensitivity(level)
    return sensitivity_name(want), [sensitivity_name(x) for x in store.sensitivities() if x != want]

