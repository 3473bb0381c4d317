"""`propscope analyze`: analyse files, folders or standard input and write the results.

The model is loaded once; articles stream through it in batches, and a file that cannot be
read or analysed is reported on stderr (``propscope: FILE: problem``) without stopping the
others. The exit code is 0 when every input was analysed, 1 when any failed, 2 on a usage
error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from propscope.cli.options import (
    HelpFormatter,
    add_sensitivity,
    add_web_inputs,
    at_least,
    encoding,
    inputs_from,
    language_code,
)
from propscope.ingest.sources import Inputs, is_url
from propscope.render.formats import format_for_suffix, formats
from propscope.render.printable import printable

if TYPE_CHECKING:
    from rich.progress import Progress

    from propscope.analyzer import Analyzer
    from propscope.document import Document
    from propscope.model_info import ModelQuality

DESCRIPTION = """\
Find persuasion techniques, genre and frames in news. INPUT: a .txt/.md/.html/.jsonl file, a
folder, a URL or - (stdin). Format: --format, else -o's extension, else jsonl when piped
several, else text; docs/cli.md has the long form.

formats:
{formats}
"""

EPILOG = """\
examples:
  propscope analyze article.txt                      highlighted view in the terminal
  propscope analyze news/ --lang fr -o out.jsonl     a folder of French news, a JSON line each"""


def _score(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value!r}") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value}")
    return x


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # The formats, their help and -o's folder formats come from the registry (render/formats/).
    names = list(formats())
    listed = "\n".join(f"  {f.name:<8} {f.help}".replace("\n", "\n" + " " * 11) for f in formats().values())
    folders = "/".join(f.name for f in formats().values() if f.folder)
    p = sub.add_parser("analyze", help="find persuasion techniques, genre and frames in articles",
                       description=DESCRIPTION.replace("{formats}", listed), epilog=EPILOG,
                       formatter_class=HelpFormatter)
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="file, folder, URL, or - for standard input")
    add_web_inputs(p)
    p.add_argument("--format", "-f", choices=names, metavar="FORMAT",
                   help=f"{'|'.join(names)} (default: see above)")
    p.add_argument("-o", "--output", metavar="PATH",
                   help=f"output file, or folder for {folders} (default: standard output)")
    p.add_argument("--no-text", action="store_true",
                   help="leave the article text out of json/jsonl; text: the summary only")
    p.add_argument("--model", metavar="NAME_OR_PATH",
                   help="a shipped model's name (hybrid-v1) or a model folder")
    p.add_argument("--min-score", type=_score, metavar="X", default=0.0,
                   help="drop spans and paragraph labels scored below X (0-1; default 0)")
    add_sensitivity(p)
    p.add_argument("--max-bytes", type=at_least(1, "of bytes"), metavar="N",
                   help="refuse inputs over N bytes (default 10 MiB, PROPSCOPE_MAX_BYTES)")
    p.add_argument("--encoding", type=encoding, metavar="ENC",
                   help="read files as ENC, not UTF-8 (cp1252, ...; auto: file by file)")
    p.add_argument("--lang", type=language_code, metavar="CODE",
                   help="the inputs' language (ISO 639-1: fr); default: detected")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or final count")
    p.set_defaults(func=run)


def _usage_error(message: str) -> int:
    message = printable(message, keep="\n")  # a file name in it may hold escape sequences
    print(f"propscope: error: {message}", file=sys.stderr)
    return 2


def _same_as_an_input(target: Path, inputs: Inputs) -> str | None:
    """What the file ``target`` names already is, if it is an input: an INPUT article, a
    --urls list or a saved --feed, which writing there would replace."""
    if not target.is_file():
        return None
    for what, names in (("the input", inputs.args), ("the --urls list", inputs.url_lists),
                        ("the --feed file", inputs.feeds)):
        for name in names:
            if (name != "-" and not is_url(name) and Path(name).is_file()
                    and os.path.samefile(name, target)):
                return f"{what} {name}"
    return None


def choose_format(args: argparse.Namespace, *, stdout_is_tty: bool) -> str:
    """The output format: explicit, else from -o's extension, else by inputs and terminal."""
    if args.format:
        return str(args.format)
    if args.output and args.output != "-" and (chosen := format_for_suffix(args.output)):
        return chosen
    return "jsonl" if inputs_of(args).several and not stdout_is_tty else "text"


def inputs_of(args: argparse.Namespace) -> Inputs:
    """The command's inputs: the INPUT arguments, then the pages of every --urls file, then
    those of every --feed."""
    return inputs_from(args, args.inputs)


def filter_scores(doc: Document, min_score: float) -> Document:
    """Drop spans, and paragraph labels whose score is known, below ``min_score``."""
    if min_score <= 0:
        return doc
    doc.spans = [s for s in doc.spans if s.score >= min_score]
    for p in doc.paragraphs:
        p.techniques = [t for t in p.techniques if p.scores.get(t, 1.0) >= min_score]
    return doc


def _progress(enabled: bool) -> Progress:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(SpinnerColumn(), TextColumn("analysing"), BarColumn(),
                    TextColumn("{task.completed} done, {task.fields[failed]} failed"),
                    TimeElapsedColumn(), console=console, transient=True,
                    disable=not (enabled and console.is_terminal))


def _quality(analyzer: Analyzer) -> ModelQuality | None:
    """The model's recorded rates for the text view and HTML reports; unreadable ones are
    reported, not fatal."""
    return analyzer.quality(on_error=lambda exc: print(
        f"propscope: warning: going on without the model's detection rates: {exc}", file=sys.stderr))


def run(args: argparse.Namespace) -> int:
    """Analyse every input and write the chosen format; return the exit code."""
    import dataclasses
    import time

    from propscope.analyzer import Analyzer
    from propscope.config import from_env
    from propscope.document import Document
    from propscope.errors import InputError
    from propscope.render.formats import OutputError, open_output

    inputs = inputs_of(args)
    if problem := inputs.problem():
        return _usage_error(problem)
    fmt = choose_format(args, stdout_is_tty=sys.stdout.isatty())
    several = inputs.several
    spec = formats()[fmt]
    if not spec.several and (len(args.inputs) > 1 or inputs.url_lists or inputs.feeds):
        return _usage_error(f"--format {fmt} writes one article; with several inputs use --format jsonl.")
    target = Path(args.output) if args.output and args.output != "-" else None
    if target and spec.folder is None and target.is_dir():
        folders = "/".join(f.name for f in formats().values() if f.folder)
        return _usage_error(f"-o {target} is a folder; give a file name for --format {fmt}, "
                            f"or use --format {folders} to fill a folder.")
    if target and spec.folder is not None and not spec.one_file and target.is_file():
        return _usage_error(f"-o {target} is a file; --format {fmt} writes a folder of files.")
    if target and (same := _same_as_an_input(target, inputs)):
        return _usage_error(f"-o {target} is also {same}; writing there would replace it with "
                            "the analysis. Give another -o.")
    env = from_env()
    config = env.analyzer
    if args.max_bytes:
        config = dataclasses.replace(config, max_bytes=args.max_bytes)
    analyzer = Analyzer(args.model or config.model, config=config, sensitivity=args.sensitivity)

    failed = 0
    started = time.perf_counter()
    with _progress(several and not args.quiet) as progress:
        task = progress.add_task("analyse", total=None, failed=0)

        def say(line: str) -> None:
            # Through the progress console so the line lands above the bar; the message is data
            # (a file name), never markup or an escape sequence, and stays one unwrapped line for
            # tools like grep.
            progress.console.print(f"propscope: {printable(line, keep='')}", soft_wrap=True,
                                   markup=False, highlight=False, emoji=False)

        def report(problem: str) -> None:
            nonlocal failed
            failed += 1
            progress.update(task, failed=failed)
            say(problem)

        def report_doc(doc: Document, exc: Exception) -> None:
            # An InputError's text already starts with its source.
            named = isinstance(exc, InputError) and exc.source
            report(str(exc) if named else f"{doc.source or doc.id}: {exc}")

        def documents() -> Iterator[Document]:
            # The run's own output, when inside a folder it reads, is no article (a daily
            # `analyze news/ -o news/out.jsonl` read yesterday's records back).
            for item in inputs.read(max_bytes=config.max_bytes, fetch=env.fetch,
                                    encoding=args.encoding, note=None if args.quiet else say,
                                    skip=[target] if target else []):
                if isinstance(item, Document):
                    item.language = args.lang or item.language
                    yield item
                else:  # "FILE: problem" (FILE: line N: ... for a JSONL record), "URL: problem"
                    report(str(item))

        done = 0
        try:
            # The text view and HTML reports say how often each label is right.
            rates = _quality(analyzer) if fmt in ("text", "html") else None
            with open_output(fmt, args.output, include_text=not args.no_text) as out:
                for doc in analyzer.analyze_each(documents(), report_doc):
                    if rates is not None and doc.model is not None:
                        doc.model = doc.model.with_quality(rates)
                    out.add(filter_scores(doc, args.min_score))
                    done += 1
                    progress.update(task, completed=done)
        except OutputError as exc:
            return _usage_error(str(exc))
        except BrokenPipeError:
            raise  # ``| head``: main() ends quietly
        except OSError as exc:
            print(f"propscope: error: cannot write the output: {printable(str(exc), keep='')}",
                  file=sys.stderr)
            return 1
    index = getattr(out, "index", None)  # a folder of HTML reports and its index page
    where = f"; open {index} for the list of reports" if index else ""
    if several and not args.quiet:
        print(f"propscope: analysed {done} article{'s' * (done != 1)}, {failed} failed "
              f"({time.perf_counter() - started:.1f} s){where}", file=sys.stderr)
    elif done and not args.quiet and spec.folder is not None and not getattr(out, "single", False):
        # One article into a folder: the file is named after its id, which the user may not
        # know, so say where it went.
        written = getattr(out, "written", None)
        into = written[0] if written else target or Path(spec.folder)
        print(f"propscope: wrote {printable(str(into), keep='')}{where}", file=sys.stderr)
    return 1 if failed else 0
