"""The corpus page serves the corpus report of a real DuckDB store, with no script allowed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from propscope.analyzer import Analyzer
from propscope.config import Config
from propscope.corpus.engines import AnalysisSpec, LocalEngine
from propscope.corpus.runner import ingest
from propscope.corpus.store import CorpusStore
from propscope.document import Document, Metadata
from propscope.models import DEFAULT_MODEL
from propscope.server.app import create_app


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    """The shipped model, loaded once for these tests."""
    return Analyzer(DEFAULT_MODEL)


def _client(tmp_path: Path, analyzer: Analyzer, corpus_db: str | None) -> TestClient:
    config = Config()
    config = dataclasses.replace(config, server=dataclasses.replace(
        config.server, store=str(tmp_path / "store"), corpus_db=corpus_db))
    return TestClient(create_app(config, analyzer=analyzer), base_url="http://127.0.0.1")


def test_corpus_page_without_store_explains_how(tmp_path: Path, analyzer: Analyzer) -> None:
    with _client(tmp_path, analyzer, None) as client:
        r = client.get("/corpus", headers={"accept": "application/json"})
    assert r.status_code == 404
    assert "--corpus-db" in r.json()["error"]["message"]


def test_corpus_page_renders_the_report(tmp_path: Path, analyzer: Analyzer) -> None:
    db = tmp_path / "c.duckdb"
    doc = Document("These corrupt traitors have betrayed our great nation again.\n\n"
                   "The <script>alert(1)</script> minister said nothing.", id="a1",
                   metadata=Metadata(outlet="Example <b>Outlet</b>", published="2020-01-02"))
    with CorpusStore(db) as store:
        report = ingest(store, [doc], LocalEngine(AnalysisSpec(DEFAULT_MODEL)))
    assert report.added == 1
    with _client(tmp_path, analyzer, str(db)) as client:
        r = client.get("/corpus")
        home = client.get("/")
    assert r.status_code == 200
    assert "script-src" not in r.headers["content-security-policy"]
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "<script>alert(1)" not in r.text and "<b>Outlet</b>" not in r.text
    assert 'href="/corpus"' in home.text


def test_corpus_page_while_an_ingest_holds_the_file_is_a_503_that_says_wait(
        tmp_path: Path, analyzer: Analyzer) -> None:
    import subprocess
    import sys

    db = tmp_path / "c.duckdb"
    with CorpusStore(db):
        pass
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; "
                               "c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                               "time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with _client(tmp_path, analyzer, str(db)) as client:
            r = client.get("/corpus", headers={"accept": "application/json"})
    finally:
        holder.kill()
        holder.wait()
    assert r.status_code == 503 and r.headers["retry-after"] == "60"
    message = r.json()["error"]["message"]
    assert "being updated" in message and str(tmp_path) not in message and "PID" not in message


def test_corpus_page_of_a_damaged_store_is_a_503_that_says_so(
        tmp_path: Path, analyzer: Analyzer, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "c.duckdb"
    docs = [Document("The harbour council met on Tuesday about the dredging plan.\n\n" * 400,
                     id=f"a{i}", metadata=Metadata(outlet=f"Outlet {i}")) for i in range(3)]
    with CorpusStore(db) as store:
        ingest(store, docs, LocalEngine(AnalysisSpec(DEFAULT_MODEL)))
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])  # opens, then fails at the first block it lacks
    with _client(tmp_path, analyzer, str(db)) as client:
        r = client.get("/corpus", headers={"accept": "application/json"})
    assert r.status_code == 503, r.text
    assert "cannot be read" in r.json()["error"]["message"]
    assert "The file is damaged" in caplog.text  # the details are for the operator
