"""`propscope corpus` against odd paths and values: the store is never lost, errors say what is wrong.

Read-only conditions are made with file modes; the root user ignores those, so as root the
command runs under ``setpriv`` without the capabilities that override file permissions.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from corpus_fixtures import ARTICLES, annotated, store_docs

from propscope.cli.main import main
from propscope.corpus import plots
from propscope.corpus.engines import AnalysisSpec, DaskEngine, EngineError
from propscope.corpus.report import render_report
from propscope.corpus.store import CorpusStore, StoreError

DROP_PRIVILEGES = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


def cli(*args: str, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``propscope corpus ARGS`` in a new process (as a user file modes apply to)."""
    argv = [sys.executable, "-m", "propscope.cli.main", "corpus", *args]
    if unprivileged and os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: file modes cannot be tested")
        argv = DROP_PRIVILEGES + argv
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """An empty folder no one may write in (writable again afterwards, for the clean-up)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


@pytest.fixture
def article(tmp_path: Path) -> str:
    path = tmp_path / "harbour.txt"
    path.write_text(ARTICLES["harbour"], encoding="utf-8")
    return str(path)


def tables(path: Path | str) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
                      .fetchall())


@pytest.mark.parametrize("argv", [
    ["report", "-o", "{db}"],
    ["export", "--format", "jsonl", "-o", "{db}"],
    ["export", "--format", "jsonl", "-o", "{folder}/./c.duckdb"],  # another spelling
    ["export", "--format", "parquet", "-o", "{db}"],
])
def test_output_that_is_the_database_is_refused(db: str, argv: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # Before, `report -o c.duckdb --db c.duckdb` replaced the whole store with HTML.
    before = Path(db).read_bytes()
    folder = str(Path(db).parent)
    assert main(["corpus", *(a.format(db=db, folder=folder) for a in argv), "--db", db]) == 2
    assert "would replace the corpus database (--db)" in capsys.readouterr().err
    assert Path(db).read_bytes() == before


@pytest.mark.parametrize("argv", [
    ["export", "--format", "csv", "-o", "{folder}"],  # writes {folder}/articles.csv
    ["export", "--format", "jsonl", "-o", "{db}.wal"],
    ["report", "-o", "{db}.wal"],
])
def test_output_over_the_database_inside_a_folder_or_its_journal_is_refused(
        tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "articles.csv"  # a store whose name is one of a csv export's files
    with CorpusStore(db) as store:
        store_docs(store, [annotated(ARTICLES["harbour"], id="h")])
    wal = Path(f"{db}.wal")
    wal.write_bytes(b"journal")  # as a crashed run leaves it, to be replayed on next open
    before = db.read_bytes()
    assert main(["corpus", *(a.format(db=db, folder=tmp_path) for a in argv), "--db", str(db)]) == 2
    assert "would replace the corpus database (--db)" in capsys.readouterr().err
    assert (db.read_bytes(), wal.read_bytes()) == (before, b"journal")


def test_output_linked_to_the_database_is_refused(db: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "link.html"
    link.symlink_to(db)
    assert main(["corpus", "report", "--db", db, "-o", str(link)]) == 2
    with CorpusStore(db, read_only=True) as store:
        assert store.count() == 3


@pytest.mark.parametrize("name", ["", ":memory:"])
def test_in_memory_database_is_a_usage_error(name: str, article: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    # DuckDB keeps "" and ":memory:" in memory: the ingest reported success and kept nothing.
    with pytest.raises(SystemExit) as stop:
        main(["corpus", "ingest", article, "--db", name, "--no-progress"])
    assert stop.value.code == 2
    assert "expected a database file path" in capsys.readouterr().err


@pytest.mark.parametrize("schema", ["CREATE TABLE foo (x INT)", "CREATE TABLE articles (x INT)",
                                    "CREATE TABLE meta (k INT)"])
def test_ingest_leaves_another_programs_database_alone(
        tmp_path: Path, article: str, schema: str, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute(schema)
    before = tables(other)
    assert main(["corpus", "ingest", article, "--db", str(other), "--no-progress",
                 "--model", str(tmp_path / "no-model")]) == 1
    assert "is not a propscope corpus" in capsys.readouterr().err
    assert tables(other) == before  # no propscope table, no meta.schema_version


def test_an_empty_duckdb_file_becomes_a_corpus(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with CorpusStore(path) as store:
        assert store.count() == 0
    assert "articles" in tables(path)


def test_ingest_into_a_read_only_folder_fails_before_analysing(
        db: str, article: str, read_only_folder: Path) -> None:
    # Before, the analysis ran to the end, then the commit failed and "cannot rollback - no
    # transaction is active" hid the real error in a traceback. The bogus model shows that
    # no analysis was tried (it would have failed each article).
    read_only_folder.chmod(0o755)
    shutil.copy(db, read_only_folder / "c.duckdb")
    read_only_folder.chmod(0o555)
    done = cli("ingest", article, "--db", str(read_only_folder / "c.duckdb"), "--no-progress",
               "--model", "/no/such/model", unprivileged=True)
    assert done.returncode == 1
    assert f"its folder {read_only_folder} is read-only" in done.stderr
    assert "Traceback" not in done.stderr and "analysis failed" not in done.stderr


def test_a_failed_commit_raises_its_own_error(db: str, tmp_path: Path) -> None:
    # The folder turns read-only after the store was opened: the commit error must surface
    # as a StoreError, not as the failed ROLLBACK that followed it.
    script = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from pathlib import Path
from corpus_fixtures import ARTICLES, annotated, store_docs
from propscope.corpus.store import CorpusStore, StoreError
store = CorpusStore({db!r})
Path({db!r}).parent.chmod(0o555)
try:
    store_docs(store, [annotated(ARTICLES["chess"], id="c")])
except StoreError as exc:
    print("StoreError:", exc)
finally:
    Path({db!r}).parent.chmod(0o755)
"""
    argv = [sys.executable, "-c", script]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: file modes cannot be tested")
        argv = DROP_PRIVILEGES + argv
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    Path(db).parent.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert "StoreError: Cannot write to corpus database" in done.stdout
    assert "Permission denied" in done.stdout and "rollback" not in done.stdout


@pytest.mark.parametrize("address", ["garbage://x", "tcp://127.0.0.1", "tcp://host:port"])
def test_dask_engine_refuses_an_address_it_cannot_use(address: str) -> None:
    with pytest.raises(EngineError, match="is not a Dask scheduler address"):
        DaskEngine(AnalysisSpec(), address)


def test_ingest_with_a_bad_scheduler_exits(tmp_path: Path, article: str) -> None:
    # Before: a ValueError traceback, then the process never exited (the half-built client).
    db = tmp_path / "dk.duckdb"
    done = cli("ingest", article, "--db", str(db), "--engine", "dask", "--scheduler",
               "garbage://x", "--no-progress")
    assert done.returncode == 1
    assert "'garbage://x' is not a Dask scheduler address" in done.stderr
    assert "Traceback" not in done.stderr and not db.exists()


def test_report_to_a_folder_says_so(db: str, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").mkdir()
    assert main(["corpus", "report", "--db", db, "-o", str(tmp_path / "out")]) == 1
    assert "is a folder; the report is one HTML file" in capsys.readouterr().err


def test_report_into_a_read_only_folder_says_so(db: str, read_only_folder: Path) -> None:
    done = cli("report", "--db", db, "-o", str(read_only_folder / "r.html"), unprivileged=True)
    assert done.returncode == 1
    assert f"Cannot write the report to {read_only_folder / 'r.html'}: Permission denied" \
        in done.stderr
    assert "Traceback" not in done.stderr


def test_only_a_lock_conflict_advises_waiting(db: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(StoreError) as err:
        CorpusStore(text, read_only=True)
    assert "not a valid DuckDB database file" in str(err.value)
    assert "wait for it to finish" not in str(err.value)
    # Another process holds the file open for writing, as a running ingest does.
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({db!r}); print('open', "
         "flush=True); sys.stdin.read()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="wait for it to finish"):
            CorpusStore(db, read_only=True)
    finally:
        holder.communicate("", timeout=60)


def test_reuse_on_a_read_only_store_shows_pairs_without_saving(db: str, tmp_path: Path) -> None:
    Path(db).chmod(0o444)
    before = Path(db).read_bytes()
    done = cli("reuse", "--db", db, "--format", "json", unprivileged=True)
    assert done.returncode == 0, done.stderr
    [pair] = json.loads(done.stdout)
    assert pair["b"]["outlet"] == "Echo"
    assert f"the pairs are not saved in {db}: the file is read-only" in done.stderr
    assert Path(db).read_bytes() == before


def test_reuse_on_a_missing_store_creates_nothing(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.duckdb"
    assert main(["corpus", "reuse", "--db", str(missing)]) == 1
    assert "No corpus database at" in capsys.readouterr().err
    assert not missing.exists()


@pytest.mark.parametrize(("argv", "said"), [
    ([], "Give search words or at least one filter"),
    (["x", "--technique", "Bogus"], "Unknown technique 'Bogus'"),
    (["x", "--category", "bogus"], "Unknown category 'bogus'"),
    (["😀"], "The query '😀' holds no searchable word"),
    (["%"], "The query '%' holds no searchable word"),
    (['"("'], """The query '"("' holds no searchable word"""),
    (["😀", "--outlet", "Coast News"], "leave the query out to list every article the filters"),
])
def test_search_errors_exit_2_not_1_which_means_no_match(
        db: str, argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "search", *argv, "--db", db]) == 2
    assert said in capsys.readouterr().err


def test_search_without_a_store_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "search", "harbour", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "No corpus database at" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["search", "harbour"], ["profile"], ["report"], ["reuse"],
                                  ["ingest", "x.txt"]])
def test_a_folder_as_db_is_named_a_folder(tmp_path: Path, argv: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "dir.duckdb"
    folder.mkdir()
    assert main(["corpus", *argv, "--db", str(folder)]) in (1, 2)
    err = capsys.readouterr().err
    assert f"{folder} is a folder, not a corpus database file" in err
    assert "create one with" not in err


def test_search_table_cuts_long_titles_but_json_keeps_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long.duckdb"
    doc = annotated(ARTICLES["harbour"], id="h", outlet="O" * 5000)
    doc.metadata.title = "T" * 100_000
    with CorpusStore(path) as store:
        store_docs(store, [doc])
    assert main(["corpus", "search", "harbour", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) < 40 and "…" in out
    assert main(["corpus", "search", "harbour", "--db", str(path), "--format", "json"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert (len(hit["title"]), len(hit["outlet"])) == (100_000, 5000)


def test_control_characters_in_names_reach_neither_charts_nor_html(store: CorpusStore) -> None:
    store_docs(store, [
        annotated(ARTICLES["harbour"], id="h", outlet="Coast\x00News\x1b", published="2021-03-02",
                  spans=(("smother the mussel beds", "Loaded_Language"),)),
        annotated(ARTICLES["harbour"].replace("Tuesday", "Monday"), id="h2", outlet="Echo",
                  published="2021-05-09"),
    ])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "Glyph 0 missing from font(s)"
        html = render_report(store, n_boot=50)
    assert "\x00" not in html and "\x1b" not in html
    assert "Coast\ufffdNews\ufffd" in html
    assert plots.label("a\x00b\tc") == "a\ufffdb\tc"


@pytest.mark.parametrize("command", [["search", "harbour"], ["reuse"], ["profile"]])
def test_markup_and_escapes_in_names_are_shown_as_text_in_tables(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # An outlet named "[/y] News" made each table a rich MarkupError traceback, and an ESC in a
    # title reached the terminal as an escape sequence (here: one that retitles the window).
    path = tmp_path / "names.duckdb"
    first = annotated(ARTICLES["harbour"], id="h", outlet="[/y] News",
                      spans=(("smother the mussel beds", "Loaded_Language"),))
    first.metadata.title = "Harbour \x1b]0;PWNED\x07 [bold]plan"
    copy = annotated(ARTICLES["harbour"], id="h2", outlet="Echo [/]")
    with CorpusStore(path) as store:
        store_docs(store, [first, copy])
    assert main(["corpus", *command, "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "[/y] News" in out
    assert "\x1b" not in out and "\x07" not in out
    if command[0] != "profile":
        assert "Harbour \ufffd]0;PWNED\ufffd [bold]plan" in out


def test_a_skipped_file_is_named_as_it_is_even_if_it_looks_like_markup(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "[bold]empty.txt").write_text("", encoding="utf-8")
    (folder / "harbour.txt").write_text(ARTICLES["harbour"], encoding="utf-8")
    db = tmp_path / "[red]c.duckdb"
    assert main(["corpus", "ingest", str(folder), "--db", str(db), "--no-progress"]) == 1
    err = capsys.readouterr().err.splitlines()  # one line each, long paths unwrapped
    assert any(line.startswith("skipped ") and "[bold]empty.txt:" in line for line in err)
    assert any(line.endswith(f"articles in {db}") for line in err)


ESCAPES = "\x1b[2J\x1b]0;owned\x07\r"  # clear the screen, set the window title, overwrite the line


def test_file_names_reach_the_terminal_without_their_escape_sequences(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"empty{ESCAPES}.txt").write_bytes(b"")
    db = tmp_path / f"c{ESCAPES}.duckdb"
    assert main(["corpus", "ingest", str(folder), "--db", str(db), "--workers", "1",
                 "--no-progress"]) == 1
    assert main(["corpus", "profile", "--db", str(tmp_path / f"none{ESCAPES}.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "skipped" in err and "No corpus database at" in err
    assert err.count("\ufffd[2J\ufffd]0;owned\ufffd\ufffd") == 4  # skipped, summary, error (twice)
    assert not any(c in err for c in "\x1b\x07\r")
