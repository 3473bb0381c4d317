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
