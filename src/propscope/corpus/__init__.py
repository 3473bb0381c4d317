"""Corpus analysis: a DuckDB store of analysed articles, reuse detection, profiles, search, reports.

Typical use::

    from propscope.corpus import CorpusStore, find_reuse, compute_profile, render_report

    with CorpusStore("corpus.duckdb", read_only=True) as store:
        pairs = find_reuse(store)
        html = render_report(store)

Heavy modules (matplotlib, datasketch, dask) load only when their function is first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from propscope.corpus.export import export
    from propscope.corpus.profile import Profile, compute_profile
    from propscope.corpus.report import render_report, write_report
    from propscope.corpus.reuse import ReusePair, find_reuse, shared_passages
    from propscope.corpus.runner import IngestReport, ingest, ingest_paths
    from propscope.corpus.search import SearchHit, search
    from propscope.corpus.store import CorpusStore

_EXPORTS = {
    "CorpusStore": "store", "IngestReport": "runner", "ingest": "runner", "ingest_paths": "runner",
    "ReusePair": "reuse", "find_reuse": "reuse", "shared_passages": "reuse", "Profile": "profile",
    "compute_profile": "profile", "SearchHit": "search", "search": "search",
    "render_report": "report", "write_report": "report", "export": "export",
}
__all__ = [
    "CorpusStore", "IngestReport", "Profile", "ReusePair", "SearchHit", "compute_profile", "export",
    "find_reuse", "ingest", "ingest_paths", "render_report", "search", "shared_passages",
    "write_report",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"propscope.corpus.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'propscope.corpus' has no attribute {name!r}")
