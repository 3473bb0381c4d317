"""Damaged --db files: cut short, altered or another program's database give one clear error.

Every command that opens a store says which file is damaged and what to do, exits 1 (search:
2, its code for any error, since 1 means "no match"), prints no DuckDB traceback, and makes
DuckDB download nothing (a SQLite file made it fetch an extension to read it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from corpus_fixtures import ARTICLES, annotated, store_docs

from propscope.cli.main import main
from propscope.corpus.store import CorpusStore


def _cut_short(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # opens; the first query reading the rest fails


def _altered(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[12_388::4096] = bytes(b ^ 0x55 for b in data[12_388::4096])  # a byte in every block
    path.write_bytes(bytes(data))


def _sqlite(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE articles (text TEXT)")


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "cut short": (_cut_short, "The file is damaged"),
    "altered": (_altered, "The file is damaged"),
    "sqlite": (_sqlite, "is a SQLite database, not a DuckDB corpus"),
}


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A corpus file with enough text that its data blocks lie past its first half."""
    path = tmp_path_factory.mktemp("good") / "c.duckdb"
    with CorpusStore(path) as store:
        store_docs(store, [annotated(text * 20, id=name, outlet=name)
                           for name, text in ARTICLES.items()])
    return path.read_bytes()


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("argv", [
    ["profile"], ["search", "harbour"], ["report", "-o", "{tmp}/r.html"], ["reuse"],
    ["export", "--format", "jsonl", "-o", "{tmp}/out.jsonl"],
    ["ingest", "{tmp}/a.txt", "--workers", "1", "--no-progress"]])
def test_a_damaged_store_gives_one_clear_error(
        tmp_path: Path, good_store: bytes, damage: str, argv: list[str],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # where DuckDB keeps downloaded extensions
    (tmp_path / "a.txt").write_text(ARTICLES["rail"], encoding="utf-8")
    db = tmp_path / "c.duckdb"
    db.write_bytes(good_store)
    spoil, said = DAMAGE[damage]
    spoil(db)
    code = main(["corpus", *(a.format(tmp=tmp_path) for a in argv), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == (2 if argv[0] == "search" else 1), err
    assert err.startswith(f"propscope: error: Cannot read corpus database {db}" if damage != "sqlite"
                          else f"propscope: error: {db} is a SQLite database"), err
    assert said in err and "new --db" in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / ".duckdb").exists()  # no extension was fetched
