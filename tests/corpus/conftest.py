"""Fixtures for the corpus tests: an empty store, and the trained model when it exists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from propscope.config import from_env
from propscope.corpus.store import CorpusStore
from propscope.models.base import DEFAULT_MODEL, resolve_model_path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CorpusStore]:
    """An empty corpus file in the test's temporary folder."""
    with CorpusStore(tmp_path / "corpus.duckdb") as s:
        yield s


@pytest.fixture(scope="session")
def model_name() -> str:
    """The trained model the ingest tests analyse with (``PROPSCOPE_MODEL`` or the shipped one)."""
    name = from_env().analyzer.model or DEFAULT_MODEL
    if not (resolve_model_path(name) / "model.json").is_file():
        pytest.skip(f"model {name} is not trained yet (no model.json)")
    return name
