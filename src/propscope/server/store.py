"""Permalinks: analyses kept as JSON files under ``ServerConfig.store``.

An analysis is stored under the first 20 hex digits of the SHA-256 of its JSON, so the same
analysis gets the same link and ids carry no guessable counter. Ids are checked against a
strict pattern before any path is built from them, so a crafted id cannot leave the folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from propscope.config import expand
from propscope.render.files import atomic_write

ID_RE = re.compile(r"^[0-9a-f]{20}$")


class AnalysisStore:
    """A folder of analyses in the JSON contract, addressed by content hash.

    Args:
        folder: where the files go (``~`` is expanded; created on first write).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = expand(str(folder))

    def _path(self, analysis_id: str) -> Path | None:
        return self.folder / f"{analysis_id}.json" if ID_RE.match(analysis_id) else None

    def put(self, record: dict[str, Any]) -> str:
        """Store ``record`` (the JSON contract) and return its id."""
        data = json.dumps(record, ensure_ascii=False, sort_keys=True)
        analysis_id = hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]
        path = self.folder / f"{analysis_id}.json"
        if not path.exists():
            # Written then renamed, so a reader never sees a half-written file; readable by the
            # server's user only (the texts people pasted).
            atomic_write(path, data, private=True)
        return analysis_id

    def get(self, analysis_id: str) -> dict[str, Any] | None:
        """The stored record, or ``None`` when the id is malformed or unknown."""
        path = self._path(analysis_id)
        if path is None or not path.is_file():
            return None
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return record
