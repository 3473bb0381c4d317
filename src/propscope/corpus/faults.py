"""How DuckDB tells what went wrong with a corpus file: damage, another format, an interrupt.

DuckDB says these things in its own exception types and words; ``store.py`` turns them into
propscope's errors, or back into the KeyboardInterrupt they were, with the checks here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import duckdb

# Nothing is downloaded at run time: DuckDB would otherwise fetch and load an extension for
# a file it recognises as another format (a SQLite --db made it try to download one).
OFFLINE: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False, "autoload_known_extensions": False}
SQLITE_MAGIC = b"SQLite format 3\0"
# How DuckDB says a file is damaged, at open or at the first query that reads a bad block: a
# cut-short file fails a read, an altered one a block checksum (a plain duckdb.Error).
_DAMAGE_TYPES = (duckdb.SerializationException, duckdb.InternalException, duckdb.FatalException)
_DAMAGE_TEXT = re.compile(r"Could not read enough bytes|Corrupt database file|not a valid DuckDB")


def is_sqlite(path: str) -> bool:
    """Whether the file ``path`` is a SQLite database (False if it is missing or unreadable:
    connecting says which)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database file is damaged or is not a DuckDB database."""
    return isinstance(exc, _DAMAGE_TYPES) or bool(_DAMAGE_TEXT.search(str(exc)))


def is_interruption(exc: BaseException) -> bool:
    """Whether ``exc`` is DuckDB's account of a KeyboardInterrupt: Ctrl-C (or SIGTERM, which
    ``propscope`` turns into one) during a query comes out as ``RuntimeError("Query
    interrupted")``, and the command would end in a traceback instead of stopping."""
    return isinstance(exc, duckdb.InterruptException) or (
        type(exc) is RuntimeError and str(exc) == "Query interrupted")


@contextlib.contextmanager
def interrupts_kept() -> Iterator[None]:
    """Raise the KeyboardInterrupt a query swallowed (see ``is_interruption``) from the block
    or decorated function, so that an ingest commits and stops as on Ctrl-C."""
    try:
        yield
    except (RuntimeError, duckdb.Error) as exc:
        if is_interruption(exc):
            raise KeyboardInterrupt from exc
        raise
