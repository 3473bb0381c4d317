"""The corpus store: articles, their analyses and query tables in one embedded DuckDB file.

Each article is keyed by a content hash (text plus URL and outlet), so re-ingesting the same
input is a no-op and the same text published by two outlets is kept twice (which is what
reuse detection needs). The JSON contract from ``propscope.serialize.to_dict`` is kept
verbatim in ``articles.analysis`` (without the text, which has its own column); the
normalised tables (``spans``, ``paragraphs``, ``frames``, ``boilerplate``, ``terms``) are
derived from it for SQL queries. A batch of articles is written in one transaction, so an
interrupted ingest leaves only whole, committed batches behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from propscope.corpus.faults import OFFLINE, interrupts_kept, is_damage, is_interruption, is_sqlite
from propscope.document import Document
from propscope.errors import PropscopeError
from propscope.ingest.failure import REQUESTED_URL

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, doc_id VARCHAR, source VARCHAR, title VARCHAR,
    outlet VARCHAR, author VARCHAR, published VARCHAR, published_date DATE, url VARCHAR,
    republished_from VARCHAR, genre VARCHAR, words INTEGER, chars INTEGER, model VARCHAR,
    ingested_at TIMESTAMP, text VARCHAR, analysis JSON);
CREATE TABLE IF NOT EXISTS spans (
    article_id VARCHAR, technique VARCHAR, category VARCHAR, start_char INTEGER,
    end_char INTEGER, text VARCHAR, score DOUBLE);
CREATE TABLE IF NOT EXISTS paragraphs (
    article_id VARCHAR, line INTEGER, start_char INTEGER, end_char INTEGER,
    techniques VARCHAR[]);
CREATE TABLE IF NOT EXISTS frames (article_id VARCHAR, frame VARCHAR, score DOUBLE);
CREATE TABLE IF NOT EXISTS boilerplate (
    article_id VARCHAR, start_char INTEGER, end_char INTEGER, kind VARCHAR);
CREATE TABLE IF NOT EXISTS terms (article_id VARCHAR, term VARCHAR, tf INTEGER);
CREATE TABLE IF NOT EXISTS failures (source VARCHAR, message VARCHAR, failed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS fetched_urls (url VARCHAR, article_id VARCHAR);
CREATE TABLE IF NOT EXISTS reuse_pairs (
    article_a VARCHAR, article_b VARCHAR, estimated DOUBLE, jaccard DOUBLE,
    containment DOUBLE, first_id VARCHAR, first_reason VARCHAR);
"""

# Tables derived from one article, in the order they are written and deleted.
ARTICLE_TABLES = ("articles", "spans", "paragraphs", "frames", "boilerplate", "terms",
                  "fetched_urls")

WORD_RE = re.compile(r"\w+")  # search terms and reuse shingles share these words
_SPACE_RE = re.compile(r"\s+")


class StoreError(PropscopeError, OSError):
    """The corpus database cannot be opened or is not a propscope corpus."""


class StoreLockedError(StoreError):
    """Another process holds the corpus database open for writing (an ingest): wait, retry."""


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens, the unit of the search index and of reuse shingles."""
    return WORD_RE.findall(text.lower())


def article_filter(*, outlet: str | None, since: str | None, until: str | None,
                   alias: str = "") -> tuple[list[str], list[object]]:
    """SQL conditions and their parameters restricting ``articles`` to one outlet and to a
    publication-date range (ISO dates, inclusive); unset bounds add nothing. ``alias``
    prefixes the column names (``"a."``)."""
    conds: list[str] = []
    params: list[object] = []
    for cond, val in ((f"{alias}outlet = ?", outlet), (f"{alias}published_date >= CAST(? AS DATE)", since),
                      (f"{alias}published_date <= CAST(? AS DATE)", until)):
        if val:
            conds.append(cond)
            params.append(val)
    return conds, params


def content_key(doc: Document) -> str:
    """Stable key of an input: hash of its whitespace-normalised text, URL and outlet."""
    text = _SPACE_RE.sub(" ", unicodedata.normalize("NFC", doc.text)).strip()
    md = doc.metadata
    payload = "\0".join((text, md.url or "", md.outlet or ""))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def parse_date(value: str | None) -> date | None:
    """The calendar date at the start of an ISO 8601 string, or ``None`` if it has none."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


@dataclass(slots=True)
class StoredArticle:
    """An analysed article ready to be written: the input document and its contract record.

    Attributes:
        key: the content key (``content_key`` of the input document).
        doc: the document as ingested (text and metadata).
        record: ``to_dict(analysed, include_text=False)``.
        words: words outside boilerplate (the denominator of technique rates).
    """

    key: str
    doc: Document
    record: dict[str, Any]
    words: int


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be read or analysed."""

    source: str
    message: str


def _requested(doc: Document) -> list[str]:
    """The URL asked for when a redirect led to ``doc``'s page (``read_page``), if any."""
    requested = doc.extra.get(REQUESTED_URL)
    return [requested] if isinstance(requested, str) else []


def fetched_from(doc: Document) -> list[str]:
    """The web addresses ``doc`` was fetched from: its source if it is a URL, and the URL asked
    for when a redirect led there ([] for a file's document)."""
    source = doc.source or ""
    return ([source] if source.startswith(("http://", "https://")) else []) + _requested(doc)


def _arrow(columns: dict[str, list[Any]], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pydict(columns, schema=schema)


_SPAN_SCHEMA = pa.schema([("article_id", pa.string()), ("technique", pa.string()),
                          ("category", pa.string()), ("start_char", pa.int32()),
                          ("end_char", pa.int32()), ("text", pa.string()), ("score", pa.float64())])
_PARA_SCHEMA = pa.schema([("article_id", pa.string()), ("line", pa.int32()),
                          ("start_char", pa.int32()), ("end_char", pa.int32()),
                          ("techniques", pa.list_(pa.string()))])
_FRAME_SCHEMA = pa.schema([("article_id", pa.string()), ("frame", pa.string()),
                           ("score", pa.float64())])
_BP_SCHEMA = pa.schema([("article_id", pa.string()), ("start_char", pa.int32()),
                        ("end_char", pa.int32()), ("kind", pa.string())])
_TERM_SCHEMA = pa.schema([("article_id", pa.string()), ("term", pa.string()), ("tf", pa.int32())])
# A page's URL as asked for, when a redirect led elsewhere (``articles.source`` is where it led).
_FETCHED_SCHEMA = pa.schema([("url", pa.string()), ("article_id", pa.string())])


def _rows(batch: Sequence[StoredArticle]) -> dict[str, pa.Table]:
    """Column-wise Arrow tables for one batch, one per article table."""
    now = datetime.now(UTC).replace(tzinfo=None)
    art: dict[str, list[Any]] = {k: [] for k in (
        "article_id", "doc_id", "source", "title", "outlet", "author", "published",
        "published_date", "url", "republished_from", "genre", "words", "chars", "model",
        "ingested_at", "text", "analysis")}
    spans: dict[str, list[Any]] = {n: [] for n in _SPAN_SCHEMA.names}
    paras: dict[str, list[Any]] = {n: [] for n in _PARA_SCHEMA.names}
    frames: dict[str, list[Any]] = {n: [] for n in _FRAME_SCHEMA.names}
    bps: dict[str, list[Any]] = {n: [] for n in _BP_SCHEMA.names}
    terms: dict[str, list[Any]] = {n: [] for n in _TERM_SCHEMA.names}
    fetched: dict[str, list[Any]] = {n: [] for n in _FETCHED_SCHEMA.names}
    for a in batch:
        for requested in _requested(a.doc):  # its source is in ``articles``
            fetched["url"].append(requested)
            fetched["article_id"].append(a.key)
        r, md, k = a.record, a.record["metadata"], a.key
        for col, val in (("article_id", k), ("doc_id", r["id"]), ("source", r["source"]),
                         ("title", md["title"]), ("outlet", md["outlet"]),
                         ("author", md["author"]), ("published", md["published"]),
                         ("published_date", parse_date(md["published"])), ("url", md["url"]),
                         ("republished_from", md["republished_from"]),
                         ("genre", (r["genre"] or {}).get("label")), ("words", a.words),
                         ("chars", len(a.doc.text)),
                         ("model", (r["model"] or {}).get("name")), ("ingested_at", now),
                         ("text", a.doc.text), ("analysis", json.dumps(r, ensure_ascii=False))):
            art[col].append(val)
        for s in r["spans"]:
            for col, val in zip(_SPAN_SCHEMA.names, (k, s["technique"], s["category"], s["start"],
                                                     s["end"], s["text"], s["score"]), strict=True):
                spans[col].append(val)
        for p in r["paragraphs"]:
            for col, val in zip(_PARA_SCHEMA.names, (k, p["line"], p["start"], p["end"],
                                                     p["techniques"]), strict=True):
                paras[col].append(val)
        for f in r["frames"]:
            frames["article_id"].append(k)
            frames["frame"].append(f["label"])
            frames["score"].append(f["score"])
        for b in r["boilerplate"]:
            for col, val in zip(_BP_SCHEMA.names, (k, b["start"], b["end"], b["kind"]), strict=True):
                bps[col].append(val)
        for term, tf in Counter(tokenize(a.doc.text)).items():
            terms["article_id"].append(k)
            terms["term"].append(term)
            terms["tf"].append(tf)
    return {"articles": pa.Table.from_pydict(art), "spans": _arrow(spans, _SPAN_SCHEMA),
            "paragraphs": _arrow(paras, _PARA_SCHEMA), "frames": _arrow(frames, _FRAME_SCHEMA),
            "boilerplate": _arrow(bps, _BP_SCHEMA), "terms": _arrow(terms, _TERM_SCHEMA),
            "fetched_urls": _arrow(fetched, _FETCHED_SCHEMA)}


def _open_error(path: str, exc: duckdb.Error) -> StoreError:
    """Why ``duckdb.connect(path)`` failed, with the fix: waiting helps only a lock conflict."""
    text = str(exc).rstrip(".!")  # DuckDB ends some messages with "!"; ours end the sentence
    if "Could not set lock" in text:  # another process holds the file open for writing
        return StoreLockedError(f"Cannot open corpus database {path}: {text}. If another "
                                "propscope process is ingesting into it, wait for it to finish.")
    return damaged(path, exc) or StoreError(f"Cannot open corpus database {path}: {text}.")


def damaged(path: str, exc: BaseException) -> StoreError | None:
    """The error to show for ``exc`` if it says the file ``path`` is damaged or not a DuckDB
    database (a read error, a failed checksum), else ``None``."""
    if not is_damage(exc):
        return None
    return StoreError(f"Cannot read corpus database {path}: {str(exc).rstrip('.!')}. The file "
                      "is damaged (cut short or altered) or is not a DuckDB database; restore it "
                      "from a backup, or ingest again into a new --db file.")


def write_problem(path: str | Path) -> str | None:
    """Why an existing corpus file cannot be written, or ``None`` if it can (or is new).

    DuckDB opens a read-only file for writing without complaint and fails only at the first
    commit, after an ingest has done all its analysis; and it writes a ``.wal`` file next to
    the database, so the folder must be writable too.
    """
    file = Path(path)
    if not file.is_file():
        return None  # a new file: connecting says whether it can be created
    if not os.access(file, os.W_OK):
        return "the file is read-only"
    if not os.access(file.parent, os.W_OK):
        return (f"its folder {file.parent} is read-only (DuckDB writes a {file.name}.wal file "
                "next to it)")
    return None


class CorpusStore:
    """A DuckDB corpus file (created on first use).

    Args:
        path: the database file; ``:memory:`` for a throw-away store.
        read_only: open without taking the write lock (queries, reports); the file must exist.

    DuckDB lets one process write a file at a time: a read-only open fails while an ingest
    is running on the same file. A writable open refuses a file it cannot write, and an
    existing DuckDB file that holds tables but is not a corpus (another program's data).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        memory = self.path in ("", ":memory:")  # DuckDB's names for a database kept in memory
        if not memory and Path(self.path).is_dir():
            raise StoreError(f"{self.path} is a folder, not a corpus database file; give --db a "
                             "file path (such as corpus.duckdb).")
        if read_only and not memory and not Path(self.path).is_file():
            raise StoreError(f"No corpus database at {self.path}; create one with "
                             f"`propscope corpus ingest PATHS --db {self.path}`.")
        if not read_only and not memory and (problem := write_problem(self.path)):
            raise StoreError(f"Cannot write to corpus database {self.path}: {problem}.")
        if not memory and is_sqlite(self.path):
            raise StoreError(f"{self.path} is a SQLite database, not a DuckDB corpus; give --db "
                             "a file made by `propscope corpus ingest`, or ingest into a new "
                             "--db file.")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only, config=OFFLINE)
        except duckdb.Error as exc:
            raise _open_error(self.path, exc) from exc
        try:
            # A file with tables must already be a corpus: creating ours among another
            # program's tables would change its database (and fail on a clashing name).
            if read_only or self._has_tables():
                self._check_schema()
            if not read_only:
                self.con.execute(_SCHEMA)
                self.con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                                 [SCHEMA_VERSION])
        except duckdb.Error as exc:
            self.close()
            raise _open_error(self.path, exc) from exc

    def _has_tables(self) -> bool:
        row = self.con.execute("SELECT count(*) FROM information_schema.tables").fetchone()
        return bool(row and row[0])

    def _check_schema(self) -> None:
        try:
            row = self.con.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except (duckdb.CatalogException, duckdb.BinderException):  # no meta, or another's meta
            row = None
        if row is None or row[0] != SCHEMA_VERSION:
            self.close()
            raise StoreError(f"{self.path} is not a propscope corpus of schema version "
                             f"{SCHEMA_VERSION} (found {row[0] if row else 'none'}); "
                             "ingest into a new --db file.")

    def close(self) -> None:
        """Close the connection (committed data is already on disk)."""
        self.con.close()

    def __enter__(self) -> CorpusStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
        if exc is not None and is_interruption(exc):  # Ctrl-C stops a long query as any other step
            raise KeyboardInterrupt from exc
        # A damaged block is found by the first query that reads it, anywhere in a command.
        if isinstance(exc, duckdb.Error) and (error := damaged(self.path, exc)):
            raise error from exc

    @interrupts_kept()
    def existing(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` are already stored."""
        if not keys:
            return set()
        rows = self.con.execute("SELECT article_id FROM articles WHERE article_id IN "
                                "(SELECT unnest(?))", [list(keys)]).fetchall()
        return {r[0] for r in rows}

    def urls(self) -> set[str]:
        """Every web address the stored articles came from: their sources, the URLs their
        pages name and the URLs that redirected to them, so a re-run over a URL list or feed
        can skip what is stored without fetching."""
        rows = self.con.execute("SELECT source FROM articles UNION SELECT url FROM articles "
                                "UNION SELECT url FROM fetched_urls").fetchall()
        return {r[0] for r in rows if r[0]}

    @interrupts_kept()
    def add(self, batch: Sequence[StoredArticle], failures: Sequence[Failure] = (),
            aliases: Sequence[tuple[str, str]] = ()) -> None:
        """Write a batch of analysed articles (and the failures met on the way) atomically.

        Args:
            batch: the analysed articles.
            failures: inputs that could not be read or analysed.
            aliases: ``(url, article_id)`` pairs of fetched pages whose text a stored article
                already has, so a re-run skips those URLs without fetching them.
        """
        now = datetime.now(UTC).replace(tzinfo=None)
        self.con.execute("BEGIN TRANSACTION")
        try:
            if batch:
                for table, rows in _rows(batch).items():
                    self.con.register("_batch", rows)
                    self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _batch")
                    self.con.unregister("_batch")
            # The failures table holds each input's latest failure: a re-run replaces it, and
            # an input that now went in (a fixed file, a page that answered) leaves it.
            settled = {f.source for f in failures} | {a.doc.source for a in batch if a.doc.source}
            if settled:
                self.con.executemany("DELETE FROM failures WHERE source = ?", [(s,) for s in settled])
            if failures:
                self.con.executemany("INSERT INTO failures VALUES (?, ?, ?)",
                                     [(f.source, f.message, now) for f in failures])
            if aliases:
                self.con.executemany("INSERT INTO fetched_urls VALUES (?, ?)", list(aliases))
            self.con.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(duckdb.TransactionException):  # a failed COMMIT ended it
                self.con.execute("ROLLBACK")
            if isinstance(exc, duckdb.IOException | duckdb.TransactionException):
                # The disk or the file system, not a bug: say so without a traceback.
                raise StoreError(f"Cannot write to corpus database {self.path}: {exc}") from exc
            raise

    def count(self) -> int:
        """Number of stored articles."""
        row = self.con.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0

    def sensitivities(self) -> list[float]:
        """The sensitivity levels (``sensitivity.py``) the stored analyses were made at,
        ascending; records from before levels existed count as 0 (the calibrated thresholds)."""
        rows = self.con.execute(
            "SELECT DISTINCT coalesce(TRY_CAST(json_extract(analysis, '$.model.sensitivity') "
            "AS DOUBLE), 0.0) AS level FROM articles ORDER BY level").fetchall()
        return [float(r[0]) for r in rows]

    def count_rows(self, table: str) -> int:
        """Rows in one of the store's tables."""
        if table not in (*ARTICLE_TABLES, "failures", "reuse_pairs"):
            raise ValueError(f"No table {table!r} in a corpus store.")
        row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a read query and return all rows."""
        return self.con.execute(sql, params or []).fetchall()

    def records(self, *, batch: int = 500) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every stored article as its article id and its full JSON contract (text included),
        in ingest order."""
        cur = self.con.cursor()
        cur.execute("SELECT article_id, text, analysis FROM articles ORDER BY ingested_at, article_id")
        while rows := cur.fetchmany(batch):
            for article_id, text, analysis in rows:
                rec = json.loads(analysis)
                yield article_id, {"id": rec["id"], "source": rec["source"], "text": text,
                                   **{k: v for k, v in rec.items() if k not in ("id", "source")}}
        cur.close()
