"""Reading inputs into Documents (text, markdown, HTML, JSONL) and finding site boilerplate.

Public API: ``read_path``, ``read_bytes``, ``read_text``, ``iter_documents``,
``IngestFailure`` and ``find_boilerplate``.
"""

from __future__ import annotations

from propscope.ingest.boilerplate import find_boilerplate
from propscope.ingest.failure import IngestFailure
from propscope.ingest.readers import (
    EXTENSIONS,
    format_of,
    iter_documents,
    read_bytes,
    read_path,
    read_text,
)

__all__ = [
    "EXTENSIONS",
    "IngestFailure",
    "find_boilerplate",
    "format_of",
    "iter_documents",
    "read_bytes",
    "read_path",
    "read_text",
]
