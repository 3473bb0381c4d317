"""Atomic file output: write to a temporary file beside the target, then rename it into place.

``os.replace`` within one folder is atomic on POSIX and Windows, so a reader (or a crash, or
Ctrl-C) sees either the old file or the complete new one, never a half-written file. Every
output propscope writes goes through these helpers.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@contextmanager
def atomic_open(path: str | Path, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Open ``path`` for writing text; it appears only if the ``with`` block completes.

    The data goes to a hidden temporary file in the target's folder (so the final rename
    never crosses file systems); on any exception, ``KeyboardInterrupt`` included, the
    temporary file is removed and an existing ``path`` is left untouched.

    Args:
        path: the file to create or replace; its folder is created if missing.
        encoding: text encoding of the file.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        # BaseException: an interrupted run must not leave temporary files behind either.
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: str | Path, data: str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_open(path, encoding=encoding) as fh:
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
