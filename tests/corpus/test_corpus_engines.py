"""Engines: a local process pool and a real Dask cluster give the same analyses as one process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_fixtures import ARTICLES

from propscope.corpus.engines import AnalysisSpec, DaskEngine, Engine, LocalEngine, batched
from propscope.corpus.runner import ingest
from propscope.corpus.store import CorpusStore
from propscope.document import Document, Metadata


def corpus() -> list[Document]:
    return [Document(text + f"\nEdition {i}.", id=f"{name}-{i}", source=f"{name}-{i}.txt",
                     metadata=Metadata(outlet=f"outlet{i}"))
            for i in range(2) for name, text in ARTICLES.items()]


def analyses(tmp_path: Path, name: str, engine: Engine) -> dict[str, str]:
    with CorpusStore(tmp_path / f"{name}.duckdb") as store:
        report = ingest(store, corpus(), engine, chunk_size=4)
        assert (report.added, report.failed) == (10, 0)
        return dict(store.query("SELECT doc_id, analysis::VARCHAR FROM articles"))


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", memory_limit="2GiB") as cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
def test_process_pool_and_dask_match_a_single_process(tmp_path: Path, model_name: str,
                                                      dask_scheduler: str) -> None:
    spec = AnalysisSpec(model_name)
    one = analyses(tmp_path, "one", LocalEngine(spec, workers=1, task_size=3))
    assert analyses(tmp_path, "pool", LocalEngine(spec, workers=2, task_size=3)) == one
    assert analyses(tmp_path, "dask", DaskEngine(spec, dask_scheduler, task_size=3)) == one


def test_dask_engine_reports_an_unreachable_scheduler(model_name: str) -> None:
    from propscope.corpus.engines import EngineError

    engine = DaskEngine(AnalysisSpec(model_name), "tcp://127.0.0.1:9", connect_timeout=1)
    engine_run = engine.run(iter([]))
    with pytest.raises(EngineError, match="Dask scheduler"):
        next(engine_run)


@pytest.mark.parametrize(("n", "size", "lengths"), [(0, 3, []), (7, 3, [3, 3, 1]), (3, 5, [3])])
def test_batched(n: int, size: int, lengths: list[int]) -> None:
    assert [len(b) for b in batched(range(n), size)] == lengths
