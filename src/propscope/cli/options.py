"""Options several commands share, so each is parsed and explained the same way."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from propscope.sensitivity import LEVELS, LIMIT

if TYPE_CHECKING:
    from propscope.ingest.sources import Inputs

# The levels, fewest labels first; what each gives is in docs/cli.md and on the page.
SENSITIVITY_HELP = (f"{', '.join(LEVELS)} (fewest labels first) or a logit shift, {-LIMIT:g} to "
                    f"{LIMIT:g}")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the description's line breaks, and starts option help at column 30 so that an
    option and its help share one line."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 30,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, width)


def _sensitivity(value: str) -> str:
    from propscope.errors import SettingError
    from propscope.sensitivity import resolve_sensitivity

    try:
        resolve_sensitivity(value)
    except SettingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def add_sensitivity(parser: argparse.ArgumentParser, default: str | None = None, *,
                    from_env: bool = True) -> None:
    """``--sensitivity LEVEL``, checked while parsing (a typo is a usage error); ``None``
    leaves the level to the settings (``PROPSCOPE_SENSITIVITY``, default balanced), or with
    ``from_env=False`` to balanced (scores must not depend on the caller's environment)."""
    where = "balanced, or PROPSCOPE_SENSITIVITY" if from_env else "balanced"
    parser.add_argument("--sensitivity", type=_sensitivity, metavar="LEVEL", default=default,
                        help=f"{SENSITIVITY_HELP} (default: {where})")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD") from None


def day_text(value: str) -> str:
    """An argparse type: ``value`` if it is a date as YYYY-MM-DD (kept as text, as the store
    compares it), else a usage error rather than the database's conversion error."""
    return _day(value).isoformat()


# The largest count any option takes: past it, limits overflow C integers (a pool's workers,
# a read's size, islice) or DuckDB's BIGINT, and would take longer than anyone waits anyway.
MOST = 2**31 - 1


def at_least(least: int, unit: str = "", most: int = MOST) -> Callable[[str], int]:
    """An argparse type: a whole number from ``least`` to ``most`` (``unit`` names what it
    counts)."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            n = least - 1
        if not least <= n <= most:
            what = f" {unit}" if unit else ""
            bound = f"at least {least}" if n < least else f"at most {most:,}"
            raise argparse.ArgumentTypeError(f"expected a whole number{what} of {bound}, "
                                             f"got {value!r}")
        return n

    return parse


def seconds(value: str) -> float:
    """An argparse type: a finite number of seconds above 0."""
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not (math.isfinite(x) and x > 0):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {value!r}")
    return x


def share(value: str) -> float:
    """An argparse type: a number above 0 and at most 1 (a similarity, a fraction)."""
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not 0 < x <= 1:
        raise argparse.ArgumentTypeError(f"expected a number above 0 and at most 1, got {value!r}")
    return x


def encoding(value: str) -> str:
    """An argparse type: ``auto`` or a text encoding Python knows, by its canonical name."""
    from propscope.ingest.decode import AUTO, text_codec

    name = AUTO if value.strip().lower() == AUTO else text_codec(value)
    if name is None:
        raise argparse.ArgumentTypeError(f"unknown encoding {value!r}; try auto, utf-8, latin-1 or cp1252")
    return name


def add_web_inputs(parser: argparse.ArgumentParser) -> None:
    """``--urls FILE`` (web pages to read, one URL per line; repeatable; ``-`` for standard
    input), ``--feed SOURCE`` (the pages an RSS/Atom feed or sitemap lists, or an OPML list's
    feeds; repeatable) and ``--feed-since DAY``, fetched PROPSCOPE_FETCH_CONCURRENCY at a time."""
    parser.add_argument("--urls", action="append", metavar="FILE",
                        help="also read the pages listed in FILE, one URL per line (- for stdin)")
    parser.add_argument("--feed", action="append", metavar="SOURCE",
                        help="also read the pages of an RSS/Atom feed, sitemap or OPML list")
    parser.add_argument("--feed-since", type=_day, metavar="YYYY-MM-DD",
                        help="only --feed entries dated this day or later (undated ones too)")


def inputs_from(args: argparse.Namespace, paths: Sequence[str]) -> Inputs:
    """A command's inputs: ``paths`` (its INPUT arguments), then the pages of the options
    ``add_web_inputs`` adds (absent options read as not given)."""
    from propscope.ingest.sources import Inputs

    return Inputs(tuple(paths), tuple(getattr(args, "urls", None) or ()),
                  tuple(getattr(args, "feed", None) or ()), getattr(args, "feed_since", None))


def language_code(value: str) -> str:
    """An argparse type: a two-letter ISO 639-1 language code, lowercased."""
    code = value.strip().lower()
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise argparse.ArgumentTypeError(f"expected a two-letter ISO 639-1 code such as fr or de, "
                                         f"got {value!r}")
    return code
