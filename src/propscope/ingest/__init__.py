"""Reading inputs into Documents (text, markdown, HTML, JSONL) and finding site boilerplate.

Public API: ``read_path``, ``read_bytes``, ``read_text``, ``iter_documents``, ``estimate_inputs``,
``IngestFailure``, ``SkippedInput`` and ``find_boilerplate``.
"""

from __future__ import annotations

from propscope.ingest.boilerplate import find_boilerplate
from propscope.ingest.failure import IngestFailure, SkippedInput
from propscope.ingest.readers import (
    EXTENSIONS,
    estimate_inputs,
    format_of,
    iter_documents,
    read_bytes,
    read_path,
    read_text,
)

__all__ = [
    "EXTENSIONS",
    "IngestFailure",
    "SkippedInput",
    "estimate_inputs",
    "find_boilerplate",
    "format_of",
    "iter_documents",
    "read_bytes",
    "read_path",
    "read_text",
]
