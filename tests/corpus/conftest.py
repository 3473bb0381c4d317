"""Fixtures for the corpus tests: an empty store, and the trained model when it exists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_fixtures import ARTICLES, annotated, store_docs

from propscope.config import from_env
from propscope.corpus.store import CorpusStore
from propscope.models.base import DEFAULT_MODEL, resolve_model_path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CorpusStore]:
    """An empty corpus file in the test's temporary folder."""
    with CorpusStore(tmp_path / "corpus.duckdb") as s:
        yield s


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A corpus file of three articles: a harbour story, its copy in another outlet, and one
    more; one Loaded_Language span."""
    path = tmp_path / "c.duckdb"
    with CorpusStore(path) as store:
        store_docs(store, [
            annotated(ARTICLES["harbour"], id="h", outlet="Coast News", published="2021-04-03",
                      spans=(("smother the mussel beds", "Loaded_Language"),), genre="reporting"),
            annotated(ARTICLES["harbour"].replace("Tuesday", "Monday"), id="h2", outlet="Echo",
                      published="2021-04-09", genre="opinion"),
            annotated(ARTICLES["rail"], id="r", outlet="Echo", published="2021-05-01"),
        ])
    return str(path)


@pytest.fixture(scope="session")
def model_name() -> str:
    """The trained model the ingest tests analyse with (``PROPSCOPE_MODEL`` or the shipped one)."""
    name = from_env().analyzer.model or DEFAULT_MODEL
    if not (resolve_model_path(name) / "model.json").is_file():
        pytest.skip(f"model {name} is not trained yet (no model.json)")
    return name
