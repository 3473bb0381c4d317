"""Where articles are analysed: in this process, in a local process pool, or on a Dask cluster.

Every engine takes a stream of ``(key, Document)`` and yields lists of ``Outcome``, one list
per task, in completion order. Each keeps a bounded number of tasks in flight, so memory
does not grow with the corpus, and each worker process loads the model once (a pool
initializer locally, a per-process cache on Dask workers) and reuses it for every task.
Results travel back as the JSON contract without the text, which the caller already holds.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Protocol, TypeVar

from propscope.config import AnalyzerConfig
from propscope.document import Document
from propscope.errors import PropscopeError

T = TypeVar("T")
Item = tuple[str, Document]


class EngineError(PropscopeError, RuntimeError):
    """The analysis engine (process pool or cluster) failed as a whole."""


@dataclass(slots=True)
class Outcome:
    """The result of analysing one article: a contract record, or the reason it failed."""

    key: str
    record: dict[str, Any] | None
    words: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class AnalysisSpec:
    """What a worker needs to build its Analyzer: picklable, sent once per worker or task."""

    model: str | None = None
    analyzer: AnalyzerConfig = field(default_factory=AnalyzerConfig)


class Engine(Protocol):
    """Analyses a stream of keyed documents, yielding one list of outcomes per task."""

    def run(self, items: Iterable[Item]) -> Iterator[list[Outcome]]: ...


# One Analyzer per (process, spec): loading the model is the expensive part of a task.
_ANALYZERS: dict[AnalysisSpec, Any] = {}
_LOCK = threading.Lock()


def _analyzer(spec: AnalysisSpec) -> Any:
    with _LOCK:  # Dask workers may run tasks on several threads
        if spec not in _ANALYZERS:
            from propscope.analyzer import Analyzer

            _ANALYZERS[spec] = Analyzer(spec.model, config=spec.analyzer)
        return _ANALYZERS[spec]


def init_worker(spec: AnalysisSpec, parent: Connection | None = None) -> None:
    """Process-pool initializer: one math thread per process, model loaded before any task,
    and an end to the process when the ingest that started it ends.

    The pool already runs one process per core; BLAS/OpenMP threads on top of that would
    only oversubscribe the cores.

    Args:
        spec: model and analyzer settings.
        parent: the reading end of a pipe whose writing end only the ingest process holds.
    """
    import signal

    from threadpoolctl import threadpool_limits

    # Ctrl-C in a terminal reaches every process of the group: the ingest stops the pool
    # itself, after committing, so a worker has nothing to do with it (and would print a
    # KeyboardInterrupt traceback each).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()
    threadpool_limits(1)
    _analyzer(spec)


def _exit_with(parent: Connection) -> None:
    """End this worker when the ingest process ends, however it ends (SIGKILL included).

    A worker's parent is the forkserver, not the ingest, so neither PR_SET_PDEATHSIG nor
    polling os.getppid() would see the ingest die; and the forkserver and the resource
    tracker stay for as long as any worker does. The end of a pipe is what every POSIX
    system reports when a process dies: its writing end closes, and this read returns, with
    no polling and no process id that could be reused.
    """
    try:
        parent.poll(None)
    finally:
        os._exit(1)


def analyze_batch(items: list[Item], spec: AnalysisSpec) -> list[Outcome]:
    """Analyse one task's documents; a document that fails is reported, not raised
    (``Analyzer.analyze_each``: one bad input only costs itself)."""
    from propscope.serialize import to_dict

    failed: dict[int, str] = {}

    def report(doc: Document, exc: Exception) -> None:
        failed[id(doc)] = f"analysis failed: {type(exc).__name__}: {exc}"

    # Run to the end first: a failure is known only once its batch has been tried.
    done = iter(list(_analyzer(spec).analyze_each([d for _, d in items], report, errors=(Exception,))))
    out = []
    for key, doc in items:
        if id(doc) in failed:
            out.append(Outcome(key, None, error=failed[id(doc)]))
        else:
            d = next(done)
            out.append(Outcome(key, to_dict(d, include_text=False), d.word_count()))
    return out


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def default_workers() -> int:
    """One worker per CPU core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class LocalEngine:
    """Analyses in this machine's cores.

    Args:
        spec: model and analyzer settings.
        workers: processes; 1 analyses in this process (no pool, no start-up cost).
        task_size: documents per task.
    """

    spec: AnalysisSpec
    workers: int = 1
    task_size: int = 16

    def run(self, items: Iterable[Item]) -> Iterator[list[Outcome]]:
        if self.workers <= 1:
            for chunk in batched(items, self.task_size):
                yield analyze_batch(chunk, self.spec)
            return
        import multiprocessing

        # forkserver: children start from a clean process, not a fork of one holding DuckDB
        # threads and an open database.
        ctx = multiprocessing.get_context("forkserver")
        alive, alive_w = ctx.Pipe(duplex=False)  # the workers read, only this process writes
        pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=init_worker,
                                   initargs=(self.spec, alive))
        pending: set[Future[list[Outcome]]] = set()
        finished = False
        try:
            for chunk in batched(items, self.task_size):
                pending.add(pool.submit(analyze_batch, chunk, self.spec))
                if len(pending) >= 2 * self.workers:  # bounded in-flight work
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
            finished = True
        except BrokenProcessPool as exc:
            raise EngineError(f"An analysis process died ({exc}); committed articles are kept, "
                              "re-run the same command to resume (try fewer --workers if memory "
                              "ran out).") from exc
        finally:
            if finished:
                pool.shutdown(wait=True)  # every task is done: the workers just exit
            else:
                # Interrupted (Ctrl-C, SIGTERM, the caller closing this generator) or failed:
                # the tasks in flight are not waited for, so the command ends at once.
                for process in list((pool._processes or {}).values()):
                    process.terminate()
                pool.shutdown(wait=False, cancel_futures=True)
            alive.close()
            alive_w.close()


def _check_address(address: str) -> None:
    """Raise ``EngineError`` unless ``address`` is one a Dask client can connect to.

    ``distributed.Client`` raises ``ValueError`` for an unknown scheme or a missing port, and
    the half-built client then blocks the interpreter's exit for ever; so the address is
    parsed first, with distributed's own parser.
    """
    try:
        from distributed.comm.addressing import get_address_host_port, parse_address
        from distributed.comm.registry import get_backend
    except ImportError:  # pragma: no cover - a declared dependency; run() says what to install
        return
    try:
        scheme, _ = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls", "ws", "wss"):  # host:port ones; inproc:// has no port
            get_address_host_port(address)
    except ValueError as exc:
        raise EngineError(f"{address!r} is not a Dask scheduler address ({exc}); give one such "
                          "as tcp://10.0.0.5:8786.") from exc


@dataclass
class DaskEngine:
    """Analyses on an existing Dask cluster; results come back here to be stored.

    Args:
        spec: model and analyzer settings (the model name or path must resolve on workers).
        scheduler: the scheduler's address, e.g. ``tcp://10.0.0.5:8786``.
        task_size: documents per task.
        connect_timeout: seconds to wait for the scheduler.
    """

    spec: AnalysisSpec
    scheduler: str
    task_size: int = 32
    connect_timeout: float = 30.0

    def __post_init__(self) -> None:
        _check_address(self.scheduler)

    def run(self, items: Iterable[Item]) -> Iterator[list[Outcome]]:
        try:
            from distributed import Client, KilledWorker, as_completed
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise EngineError("The dask engine needs `distributed`; pip install 'dask[distributed]'.") \
                from exc
        try:
            client = Client(self.scheduler, set_as_default=False, timeout=self.connect_timeout)
        except OSError as exc:
            raise EngineError(f"Cannot reach the Dask scheduler at {self.scheduler}: {exc}. "
                              "Start one (`dask scheduler`) or pass the right --scheduler.") from exc
        try:
            info = client.scheduler_info(n_workers=-1)
            threads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()) or 1
            futures = as_completed(loop=client.loop)
            for chunk in batched(items, self.task_size):
                # The spec is a few bytes: sent with each task, it needs no scattered future.
                futures.add(client.submit(analyze_batch, chunk, self.spec, pure=False))
                while futures.count() >= 2 * threads:  # bounded in-flight work
                    yield next(futures).result()
            for f in futures:
                yield f.result()
        except KilledWorker as exc:
            raise EngineError(f"A Dask worker died while analysing ({exc}); committed articles "
                              "are kept, re-run the same command to resume.") from exc
        finally:
            client.close()
