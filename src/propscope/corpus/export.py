"""Export the corpus: Parquet or CSV tables (one file per table), or JSONL analysis records.

Every table and every record carries the store's ``article_id``, so the files join: a reuse
pair's ``article_a`` is an ``articles`` row and a JSONL record. Every file is written
atomically (``render/files.py``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import duckdb

from propscope.corpus.store import CorpusStore
from propscope.errors import PropscopeError
from propscope.render.files import atomic_open, atomic_path

FORMATS = ("parquet", "csv", "jsonl")
# The query tables worth exporting; `terms` is the search index, rebuilt from the text.
# `fetched_urls` maps the other addresses pages were fetched under (redirects) to articles.
EXPORT_TABLES = ("articles", "spans", "paragraphs", "frames", "boilerplate", "reuse_pairs",
                 "failures", "fetched_urls")


class ExportError(PropscopeError, OSError):
    """The export destination cannot be written."""


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _write_records(store: CorpusStore, fh: TextIO) -> None:
    """Every stored analysis as a JSON contract record, one per line, led by its article id."""
    for article_id, rec in store.records():
        fh.write(json.dumps({"article_id": article_id, **rec}, ensure_ascii=False) + "\n")


def _table_sql(table: str) -> str:
    """What is exported of ``table``: all of it; the articles also with where each metadata
    value came from (kept in the analysis record, ``metadata.sources``)."""
    if table == "articles":
        return ("(SELECT *, json_extract(analysis, '$.metadata.sources') AS metadata_sources "
                "FROM articles)")
    return table


def export(store: CorpusStore, fmt: str, out: str | Path) -> list[Path]:
    """Write the corpus to ``out`` and return the files written.

    Args:
        store: the corpus.
        fmt: ``parquet`` or ``csv`` (``out`` is a folder receiving one file per table), or
            ``jsonl`` (``out`` is a file of JSON contract records, text included, one per line;
            ``-`` writes them to standard output).
    """
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}; choose from {', '.join(FORMATS)}.")
    if str(out) == "-":  # standard output, as for analyze -o -
        if fmt != "jsonl":
            raise ExportError(f"--format {fmt} writes one file per table into a folder; only "
                              "jsonl can go to standard output (-o -).")
        _write_records(store, sys.stdout)
        return []
    out = Path(out)
    try:
        if fmt == "jsonl":
            with atomic_open(out) as fh:
                _write_records(store, fh)
            return [out]
        if out.exists() and not out.is_dir():
            raise ExportError(f"{out} is a file; --format {fmt} writes one file per table into "
                              "a folder: give a folder path.")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        opts = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER"
        for table in EXPORT_TABLES:
            path = out / f"{table}.{fmt}"
            with atomic_path(path) as tmp:  # an interrupted export leaves no half-written table
                store.con.execute(f"COPY {_table_sql(table)} TO {_sql_path(tmp)} ({opts})")
            written.append(path)
        return written
    except (OSError, duckdb.Error) as exc:
        raise ExportError(f"Cannot write the export to {out}: {exc}") from exc
