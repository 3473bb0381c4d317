"""Permalinks: analyses kept as JSON files under ``ServerConfig.store``, within a bound.

An analysis is stored under the first 20 hex digits of the SHA-256 of its JSON, so the same
analysis gets the same link and ids carry no guessable counter. Ids are checked against a
strict pattern before any path is built from them, so a crafted id cannot leave the folder.

The folder holds at most ``max_bytes`` of analyses: above it, the ones saved or opened
longest ago are removed until it is nine tenths full; and analyses neither saved nor
opened for ``max_age`` seconds are removed too. A put that cannot write (a full disk, a
folder the server may not write) raises ``OSError``: the analysis itself is still good.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from propscope.config import expand
from propscope.render.files import atomic_write

ID_RE = re.compile(r"^[0-9a-f]{20}$")
FILE_RE = re.compile(r"^[0-9a-f]{20}\.json$")
RESCAN = 3600.0  # seconds between looks for expired analyses (the size is counted as it grows)


def _touch(path: Path) -> None:
    """Mark ``path`` as used now; best effort (a read-only store is still read)."""
    with contextlib.suppress(OSError):
        os.utime(path)


class AnalysisStore:
    """A folder of analyses in the JSON contract, addressed by content hash.

    Args:
        folder: where the files go (``~`` is expanded; created on first write).
        max_bytes: most bytes of analyses kept; ``None`` for no limit.
        max_age: seconds an analysis is kept after it was last saved or opened; ``None`` for
            no limit.
    """

    def __init__(self, folder: str | Path, *, max_bytes: int | None = None,
                 max_age: float | None = None) -> None:
        self.folder = expand(str(folder))
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._lock = threading.Lock()  # puts run in worker threads
        self._size: int | None = None  # bytes kept, once the folder has been looked at
        self._scanned = 0.0

    def _path(self, analysis_id: str) -> Path | None:
        return self.folder / f"{analysis_id}.json" if ID_RE.match(analysis_id) else None

    def put(self, record: dict[str, Any]) -> str:
        """Store ``record`` (the JSON contract) and return its id.

        Raises:
            OSError: the analysis could not be written.
        """
        data = json.dumps(record, ensure_ascii=False, sort_keys=True)
        analysis_id = hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]
        path = self.folder / f"{analysis_id}.json"
        with self._lock:
            if path.exists():
                _touch(path)
            else:
                # Written then renamed, so a reader never sees a half-written file; readable by
                # the server's user only (the texts people pasted).
                atomic_write(path, data, private=True)
                if self._size is not None:
                    self._size += path.stat().st_size
            with contextlib.suppress(OSError):  # kept all the same; tried again next time
                self._prune(keep=path)
        return analysis_id

    def _prune(self, *, keep: Path) -> None:
        """Remove expired analyses and, above ``max_bytes``, the least recently used; the
        folder is looked at when the size is unknown or over, or ``RESCAN`` seconds passed."""
        over = self.max_bytes is not None and self._size is not None and self._size > self.max_bytes
        expiry_due = self.max_age is not None and time.monotonic() - self._scanned > RESCAN
        if self._size is not None and not over and not expiry_due:
            return
        now = time.time()
        files = []
        for entry in os.scandir(self.folder):
            if FILE_RE.match(entry.name) and entry.path != str(keep):
                with contextlib.suppress(FileNotFoundError):  # another server process removed it
                    info = entry.stat()
                    files.append((info.st_mtime, info.st_size, entry.path))
        files.sort()
        total = sum(size for _, size, _ in files) + keep.stat().st_size
        # Over the limit, down to nine tenths of it: not a removal at every put after.
        trim_to = self.max_bytes * 9 // 10 if self.max_bytes is not None and total > self.max_bytes else None
        for mtime, size, name in files:  # least recently used first
            expired = self.max_age is not None and now - mtime > self.max_age
            if expired or (trim_to is not None and total > trim_to):
                Path(name).unlink(missing_ok=True)
                total -= size
        self._size, self._scanned = total, time.monotonic()

    def get(self, analysis_id: str) -> dict[str, Any] | None:
        """The stored record, or ``None`` when the id is malformed or unknown."""
        path = self._path(analysis_id)
        if path is None or not path.is_file():
            return None
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        _touch(path)  # a link people open is kept
        return record
