"""Shared fixtures: where the shared task data lives, skipping cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("PROPSCOPE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SEMEVAL = SHARED_DATA / "semeval2023-task3-en"


@pytest.fixture(scope="session")
def semeval_dir() -> Path:
    """The shared SemEval training data folder; tests using it skip when it is absent."""
    if not (SEMEVAL / "train-articles").is_dir():
        pytest.skip(f"shared data not found at {SEMEVAL}")
    return SEMEVAL


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The shared sample articles; skip when absent."""
    d = SHARED_DATA / "samples"
    if not d.is_dir():
        pytest.skip(f"shared samples not found at {d}")
    return d


@pytest.fixture(scope="session")
def plain_open_mode() -> int:
    """The permissions a plain ``open(path, "w")`` gives a new file under this process's umask
    (0o644 under the usual 022): what every shared output must get. Read here, not from
    ``render/files.py``, so the tests check that module against an independent value."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
