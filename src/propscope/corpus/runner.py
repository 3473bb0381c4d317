"""Ingest: read inputs, skip what is stored, analyse the rest on an engine, commit in chunks.

The loop is a stream end to end: inputs are read lazily, only articles in flight or waiting
for the next commit are held in memory, and each commit is one transaction of at most
``chunk_size`` articles. Killing the process loses at most the uncommitted chunk; running
the same command again skips every committed article (by content key) and resumes.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from propscope.corpus.engines import Engine, Item, Outcome, batched
from propscope.corpus.store import CorpusStore, Failure, StoredArticle, content_key, fetched_from
from propscope.document import Document
from propscope.ingest.failure import SkippedInput

# How many failures an IngestReport keeps to show (all are stored in the `failures` table).
MAX_REPORTED_FAILURES = 50


@dataclass
class IngestReport:
    """Counts of one ingest run, updated as it goes.

    Attributes:
        added: articles analysed and committed.
        skipped: inputs whose text (or page) the store held before this run.
        repeated: inputs whose text came earlier in this run (a copy, a page under two URLs).
        failed: inputs that could not be read or analysed.
        committed_chunks: transactions committed.
        failures: the first failures (source and reason), for display.
    """

    added: int = 0
    skipped: int = 0
    repeated: int = 0
    failed: int = 0
    committed_chunks: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    @property
    def processed(self) -> int:
        """Inputs dealt with so far, whatever became of them."""
        return self.added + self.skipped + self.repeated + self.failed

    @property
    def rate(self) -> float:
        """Articles added per second."""
        return self.added / self.seconds if self.seconds else 0.0


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped an ingest after it committed what was analysed.

    A ``KeyboardInterrupt``, so it ends a command as Ctrl-C does; ``report`` counts what the
    store holds from this run.
    """

    def __init__(self, report: IngestReport) -> None:
        super().__init__()
        self.report = report


class ProgressSink(Protocol):
    """Receives the running report: after each task (``committed=False``) and each commit."""

    def __call__(self, report: IngestReport, *, committed: bool) -> None: ...


class _Run:
    """The state of one ingest: what is in flight, what waits for the next commit."""

    def __init__(self, store: CorpusStore, chunk_size: int, progress: ProgressSink | None) -> None:
        self.store = store
        self.chunk_size = chunk_size
        self.progress = progress
        self.report = IngestReport()
        self.started = time.perf_counter()
        self.docs: dict[str, Document] = {}  # in flight or waiting for commit, by key
        self.ready: list[StoredArticle] = []
        self.failures: list[Failure] = []
        self.aliases: list[tuple[str, str]] = []  # (url, stored article) for store.add
        self.twins: dict[str, list[str]] = {}  # URLs of pages whose text is in flight, by key

    def fail(self, source: str, message: str) -> None:
        f = Failure(source, message)
        self.failures.append(f)
        self.report.failed += 1
        if len(self.report.failures) < MAX_REPORTED_FAILURES:
            self.report.failures.append(f)

    def candidates(self, inputs: Iterable[object]) -> Iterator[Item]:
        """New documents, keyed; failures and already-stored inputs are counted, not yielded."""
        for group in batched(inputs, self.chunk_size):
            keyed: list[Item] = []
            for it in group:
                if isinstance(it, Document):
                    keyed.append((content_key(it), it))
                elif isinstance(it, SkippedInput):  # a stored page, not fetched again
                    self.report.skipped += 1
                else:  # an IngestFailure: the reader could not make a document of it
                    line = getattr(it, "line", None)
                    source = str(getattr(it, "source", it))
                    self.fail(f"{source}:{line}" if line else source, str(getattr(it, "message", "")))
            stored = self.store.existing([k for k, _ in keyed])
            for key, doc in keyed:
                if key in stored or key in self.docs:
                    # A page fetched under a new URL whose text is stored (or on its way):
                    # remember the URL, or every re-run over the same feed fetches it again.
                    if key in stored:
                        self.aliases += [(url, key) for url in fetched_from(doc)]
                        self.report.skipped += 1
                    else:  # remembered once its twin is committed
                        self.twins.setdefault(key, []).extend(fetched_from(doc))
                        self.report.repeated += 1
                    continue
                self.docs[key] = doc
                yield key, doc
            self.tick(committed=False)

    def take(self, outcomes: list[Outcome]) -> None:
        for o in outcomes:
            if o.record is None:
                self.twins.pop(o.key, None)
                doc = self.docs.pop(o.key)
                self.fail(doc.source or doc.id, o.error or "analysis failed")
            else:
                self.ready.append(StoredArticle(o.key, self.docs[o.key], o.record, o.words))
        if len(self.ready) >= self.chunk_size:
            self.commit()
        else:
            self.tick(committed=False)

    def commit(self, *, interrupted: bool = False) -> None:
        if interrupted and self.ready:
            # The interrupt may have come after the last chunk's COMMIT, before the add
            # returned: what is stored is counted, not added a second time.
            stored = self.store.existing([a.key for a in self.ready])
            self.report.added += len(stored)
            self.ready = [a for a in self.ready if a.key not in stored]
        for a in self.ready:
            self.aliases += [(url, a.key) for url in self.twins.pop(a.key, [])]
        if not self.ready and not self.failures and not self.aliases:
            return
        self.store.add(self.ready, self.failures, self.aliases)
        added, self.ready, self.failures, self.aliases = self.ready, [], [], []
        for a in added:
            del self.docs[a.key]
        self.report.added += len(added)
        self.report.committed_chunks += 1
        self.tick(committed=True)

    def tick(self, *, committed: bool) -> None:
        self.report.seconds = time.perf_counter() - self.started
        if self.progress:
            self.progress(self.report, committed=committed)


def ingest(store: CorpusStore, inputs: Iterable[object], engine: Engine, *, chunk_size: int = 64,
           progress: ProgressSink | None = None) -> IngestReport:
    """Analyse and store every new document of ``inputs``.

    Args:
        store: the corpus to add to.
        inputs: ``Document`` or ``IngestFailure`` items, as ``propscope.ingest.iter_documents``
            yields them, and ``SkippedInput`` items (counted as skipped).
        engine: where the analysis runs.
        chunk_size: articles per transaction.
        progress: called with the running report after each task and each commit.

    Returns:
        The counts of the run.

    Raises:
        IngestInterrupted: on Ctrl-C (or SIGTERM, which ``propscope`` turns into one), once
            the engine's tasks are stopped and the articles already analysed are committed.
    """
    run = _Run(store, max(1, chunk_size), progress)
    results = engine.run(run.candidates(inputs))
    try:
        for outcomes in results:
            run.take(list(outcomes))
    except KeyboardInterrupt as exc:
        if isinstance(results, Generator):  # stop its tasks now, not when it is collected
            results.close()
        run.commit(interrupted=True)
        raise IngestInterrupted(run.report) from exc
    run.commit()
    run.tick(committed=False)
    return run.report


def ingest_paths(store: CorpusStore, paths: list[str], engine: Engine, *, chunk_size: int = 64,
                 max_bytes: int, encoding: str | None = None,
                 progress: ProgressSink | None = None) -> IngestReport:
    """``ingest`` over files, directories and JSONL files read by ``propscope.ingest``."""
    from propscope.ingest import iter_documents

    return ingest(store, iter_documents(paths, max_bytes=max_bytes, encoding=encoding), engine,
                  chunk_size=chunk_size, progress=progress)
