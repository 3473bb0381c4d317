"""The permalink store: bounded in size and age, and never the reason an analysis is lost."""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from pathlib import Path

import pytest
from serverkit import ARTICLE, model_dir
from starlette.testclient import TestClient

from propscope.analyzer import Analyzer
from propscope.config import Config
from propscope.server.app import create_app
from propscope.server.store import AnalysisStore

DAY = 86400


def _record(i: int) -> dict[str, object]:
    return {"id": f"doc-{i}", "text": f"Article {i}. " + "words " * 150}


def _saved(store: AnalysisStore, i: int, *, days_ago: float = 0) -> str:
    """Put record ``i``, dated as if saved ``days_ago`` days ago (``i`` seconds apart)."""
    analysis_id = store.put(_record(i))
    when = time.time() - days_ago * DAY - 1000 + i
    os.utime(store.folder / f"{analysis_id}.json", (when, when))
    return analysis_id


def test_the_least_recently_used_go_when_the_store_is_full(tmp_path: Path) -> None:
    store = AnalysisStore(tmp_path, max_bytes=10_000)  # about ten analyses of 1 KB
    ids = [_saved(store, i) for i in range(30)]
    kept_ids = [i for i, analysis_id in enumerate(ids) if (tmp_path / f"{analysis_id}.json").is_file()]
    assert kept_ids == list(range(30 - len(kept_ids), 30))  # the newest, whatever went
    kept = sum(p.stat().st_size for p in tmp_path.glob("*.json"))
    assert 5_000 < kept <= 10_000


def test_an_analysis_neither_saved_nor_opened_for_too_long_expires(tmp_path: Path) -> None:
    unbounded = AnalysisStore(tmp_path)
    old, opened = _saved(unbounded, 1, days_ago=40), _saved(unbounded, 2, days_ago=40)
    store = AnalysisStore(tmp_path, max_age=30 * DAY)
    assert store.get(opened) is not None  # opening a link keeps it
    store.put(_record(3))
    assert store.get(old) is None and store.get(opened) is not None


def test_a_store_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(OSError):
        AnalysisStore(tmp_path / "file").put(_record(1))


def test_an_analysis_is_answered_when_it_cannot_be_kept(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A full disk or an unwritable folder made every analysis on the page a 500.
    (tmp_path / "store").write_text("a file where the folder should be", encoding="utf-8")
    config = Config()
    config = dataclasses.replace(config, server=dataclasses.replace(config.server,
                                                                    store=str(tmp_path / "store")))
    app = create_app(config, analyzer=Analyzer(model_dir()))
    with TestClient(app, base_url="http://127.0.0.1") as client, caplog.at_level(logging.WARNING):
        r = client.post("/api/analyses", json={"text": ARTICLE, "id": "story"})
    assert r.status_code == 200, r.text
    assert r.json()["id"] == "story" and r.json()["spans"]
    assert "no permalink" in r.headers["x-analysis-not-kept"]
    assert "location" not in r.headers and "x-analysis-id" not in r.headers
    assert "Analysis not kept for a permalink" in caplog.text
