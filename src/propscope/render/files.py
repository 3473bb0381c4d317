"""Atomic file output: write to a temporary file beside the target, then rename it into place.

``os.replace`` within one folder is atomic on POSIX and Windows, so a reader (or a crash, or
Ctrl-C) sees either the old file or the complete new one, never a half-written file. Every
output of ``analyze``, ``evaluate --json``, the server's permalinks and the ``corpus`` report and
exports goes through these helpers (a training run writes a whole new artifact folder).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _read_umask() -> int:
    # There is no getter: set and restore it, once, at import (before any server thread runs).
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


@contextmanager
def atomic_path(path: str | Path, *, private: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it if the ``with`` block completes.

    For writers that open files themselves (DuckDB's ``COPY``); ``atomic_open`` builds on it.
    The temporary file is in the target's folder (so the final rename never crosses file
    systems); on any exception, ``KeyboardInterrupt`` included, it is removed and an existing
    ``path`` is left untouched. A ``path`` that exists but is no regular file (``/dev/null``,
    a named pipe, ``/dev/stdout``) is written to directly; a symbolic link is followed, so the
    file it names is replaced and the link stays.

    Args:
        path: the file to create or replace; its folder is created if missing.
        private: keep the file readable by its owner only. Otherwise it gets the permissions
            a plain ``open()`` would give it (``mkstemp`` makes every file 0600, so reports
            written for colleagues or a web server would be unreadable to them).
    """
    target = Path(path)
    if target.exists() and not target.is_file():
        # A device, a pipe or a terminal (``-o /dev/null``, ``-o >(gzip > x.gz)``, a FIFO):
        # there is nothing to replace atomically, and renaming over it would destroy it.
        yield target
        return
    if target.is_symlink():  # replace the file the link names, not the link
        target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        if not private:  # a replaced file keeps its mode, as it would under open("w")
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        # BaseException: an interrupted run must not leave temporary files behind either.
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_open(path: str | Path, *, encoding: str = "utf-8", private: bool = False) -> Iterator[TextIO]:
    """Open ``path`` for writing text; it appears only if the ``with`` block completes
    (see ``atomic_path``, which also says what ``private`` means).

    Args:
        path: the file to create or replace; its folder is created if missing.
        encoding: text encoding of the file.
    """
    with atomic_path(path, private=private) as tmp, tmp.open("w", encoding=encoding, newline="") as fh:
        yield fh


def atomic_write(path: str | Path, data: str, *, encoding: str = "utf-8", private: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_open(path, encoding=encoding, private=private) as fh:
        fh.write(data)
    return Path(path)


def safe_stem(name: str, *, default: str = "document") -> str:
    """A file-name-safe version of an article id: ASCII letters, digits, ``.``, ``_``, ``-``.

    Ids come from input file names or records and may hold path separators or control
    characters; this keeps every output inside its folder.
    """
    stem = _UNSAFE.sub("_", name).strip("._")
    return stem[:120] or default


class UniqueNames:
    """Hands out distinct names: the second ``a`` becomes ``a-2``, the third ``a-3``.

    Two inputs from different folders can share an id (``x/a.txt`` and ``y/a.txt``); without
    this the second output would silently replace the first.
    """

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, name: str) -> str:
        n = self._seen.get(name, 0) + 1
        self._seen[name] = n
        if n == 1:
            return name
        candidate = f"{name}-{n}"
        while candidate in self._seen:
            n += 1
            candidate = f"{name}-{n}"
        self._seen[name] = n
        self._seen[candidate] = 1
        return candidate
