"""`propscope corpus` sub-commands run in-process on a store built from known annotations."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from corpus_fixtures import ARTICLES, annotated, store_docs

from propscope.cli.main import main
from propscope.corpus.store import CorpusStore


def test_reuse_prints_and_saves_the_pairs(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "reuse", "--db", db, "--format", "json"]) == 0
    [pair] = json.loads(capsys.readouterr().out)
    assert (pair["a"]["outlet"], pair["b"]["outlet"], pair["reason"]) == ("Coast News", "Echo", "published")
    assert pair["passages"][0]["words"] > 20
    with CorpusStore(db, read_only=True) as store:
        assert store.count_rows("reuse_pairs") == 1


def test_reuse_without_pairs_says_what_it_compared(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "reuse", "--db", db, "--threshold", "0.99"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # no empty table
    assert "No reuse pairs among 3 articles at Jaccard ≥ 0.99, across outlets" in captured.err
    assert "--same-outlet" in captured.err


def test_profile_csv_has_rates_with_intervals(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "profile", "--db", db, "--by", "outlet", "--format", "csv",
                 "--bootstrap", "50"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    row = next(r for r in rows if r["group"] == "Coast News" and r["label"] == "Loaded_Language")
    assert (row["count"], row["articles"], row["method"]) == ("1", "1", "poisson")
    assert float(row["low"]) < float(row["rate"]) < float(row["high"])


@pytest.mark.parametrize("kind", ["technique", "genre"])
def test_profile_table_by_month(db: str, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    assert main(["corpus", "profile", "--db", db, "--by", "month", "--kind", kind,
                 "--bootstrap", "20"]) == 0
    out = capsys.readouterr().out
    assert "2021-04" in out and ("Loaded language" in out if kind == "technique" else "opinion" in out)


def test_profile_table_written_to_a_file_keeps_long_names_whole(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long.duckdb"
    outlet = "The Extraordinarily Long-Named Evening Chronicle of Record"
    with CorpusStore(path) as store:
        store_docs(store, [annotated(ARTICLES["harbour"], id="h", outlet=outlet, published="2021-04-03",
                                     spans=(("smother the mussel beds", "Appeal_to_Fear-Prejudice"),))])
    assert main(["corpus", "profile", "--db", str(path), "--by", "outlet", "--by", "month",
                 "--bootstrap", "20"]) == 0
    out = capsys.readouterr().out  # captured: not a terminal, as when redirected to a file
    assert outlet in out and "Appeal to fear / prejudice" in out and "…" not in out


def test_search_json_and_exit_code_when_nothing_matches(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "search", "mussel", "--db", db, "--technique", "Loaded_Language",
                 "--format", "json"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["outlet"] == "Coast News" and hit["spans"][0]["text"] == "smother the mussel beds"
    assert main(["corpus", "search", "zeppelin", "--db", db]) == 1
    capsys.readouterr()
    assert main(["corpus", "search", "zeppelin", "--db", db, "--format", "json"]) == 1  # as the table
    assert json.loads(capsys.readouterr().out) == []


def test_report_and_export_write_files(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "report", "--db", db, "-o", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["corpus", "export", "--db", db, "--format", "jsonl", "-o", str(tmp_path / "a.jsonl")]) == 0
    assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_corpus_without_subcommand_shows_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus"]) == 2
    assert "ingest" in capsys.readouterr().out


def test_profile_table_shows_expected_correct_detections_only_for_calibrated_scores(
        tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    from propscope.document import ModelInfo

    assert main(["corpus", "profile", "--db", db, "--bootstrap", "20"]) == 0
    assert "≈ right" not in capsys.readouterr().out  # these analyses carry raw scores
    path = tmp_path / "cal.duckdb"
    doc = annotated(ARTICLES["harbour"], id="h", outlet="Coast News",
                    spans=(("smother the mussel beds", "Loaded_Language"),))
    doc.model = ModelInfo("m", "1", "data", calibrated=True)
    with CorpusStore(path) as store:
        store_docs(store, [doc])
    assert main(["corpus", "profile", "--db", str(path), "--bootstrap", "20"]) == 0
    captured = capsys.readouterr()
    assert "≈ right" in captured.out and "calibrated scores" in captured.err
    assert main(["corpus", "profile", "--db", str(path), "--format", "json", "--bootstrap", "20"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out)["rows"] if r["label"] == "Loaded_Language")
    assert row["expected"] == pytest.approx(0.9 * row["rate"])


def test_ingest_records_the_sensitivity_and_warns_when_it_mixes_levels(
        tmp_path: Path, model_name: str, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "harbour.txt", tmp_path / "rail.txt"
    first.write_text(ARTICLES["harbour"], encoding="utf-8")
    second.write_text(ARTICLES["rail"], encoding="utf-8")
    db = str(tmp_path / "levels.duckdb")
    ingest = ["corpus", "ingest", "--db", db, "--workers", "1", "--no-progress", "--model", model_name]
    assert main([*ingest, str(first), "--sensitivity", "broad"]) == 0
    assert "mix levels" not in capsys.readouterr().err
    with CorpusStore(db, read_only=True) as store:
        assert store.sensitivities() == [0.5]
    assert main([*ingest, str(first)]) == 0  # nothing new: nothing mixed, no warning
    assert "mix levels" not in capsys.readouterr().err
    assert main([*ingest, str(second)]) == 0
    assert "holds analyses made at sensitivity broad; the new article was analysed at " \
        "balanced, so rates in its profiles mix levels" in " ".join(capsys.readouterr().err.split())
    with CorpusStore(db, read_only=True) as store:
        assert store.sensitivities() == [0.0, 0.5]
    capsys.readouterr()
    assert main(["corpus", "profile", "--db", db]) == 0
    assert "Analysed at sensitivity balanced, broad" in capsys.readouterr().err


def test_ingest_exits_1_when_an_input_fails_and_still_stores_the_others(
        tmp_path: Path, model_name: str, capsys: pytest.CaptureFixture[str]) -> None:
    # As analyze: a script's `ingest && report` must see that something was not stored.
    good, bad = tmp_path / "harbour.txt", tmp_path / "scan.txt"
    good.write_text(ARTICLES["harbour"], encoding="utf-8")
    bad.write_bytes(b"\x00\x01PK\x03\x04" * 50)
    db = str(tmp_path / "c.duckdb")
    argv = ["corpus", "ingest", "--db", db, "--workers", "1", "--no-progress", "--model", model_name]
    assert main([*argv, str(good), str(bad)]) == 1
    assert "added 1, already stored 0, failed 1" in capsys.readouterr().err
    with CorpusStore(db, read_only=True) as store:
        assert store.count() == 1 and store.count_rows("failures") == 1
    assert main([*argv, str(good)]) == 0  # nothing failed this time


@pytest.mark.parametrize(("argv", "said"), [
    (["search", "x", "--since", "2021-13-01"], "'2021-13-01' is not a date as YYYY-MM-DD"),
    (["profile", "--until", "yesterday"], "'yesterday' is not a date as YYYY-MM-DD"),
    (["profile", "--bootstrap", "0"], "--bootstrap: expected a whole number of at least 1"),
    (["report", "--max-outlets", "0"], "--max-outlets: expected a whole number of at least 1"),
    (["reuse", "--threshold", "1.5"], "--threshold: expected a number above 0 and at most 1"),
    (["reuse", "--shingle-size", "0"], "--shingle-size: expected a whole number of at least 1"),
    (["reuse", "--num-perm", "1"], "--num-perm: expected a whole number of at least 2"),
    (["ingest", "x.txt", "--task-size", "0"], "--task-size: expected a whole number of at least 1"),
    (["ingest", "x.txt", "--max-bytes", "0"], "--max-bytes: expected a whole number of bytes"),
    (["ingest", "x.txt", "--encoding", "klingon"], "unknown encoding 'klingon'"),
])
def test_bad_option_values_are_usage_errors_that_touch_no_store(
        db: str, argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Before, these reached DuckDB or numpy as tracebacks, and --shingle-size 0 deleted the
    # saved reuse pairs; --task-size 0 stored nothing and exited 0.
    with CorpusStore(db, read_only=True) as store:
        before = store.count(), store.count_rows("reuse_pairs")
    with pytest.raises(SystemExit) as stop:
        main(["corpus", *argv, "--db", db])
    assert stop.value.code == 2
    assert said in capsys.readouterr().err
    with CorpusStore(db, read_only=True) as store:
        assert (store.count(), store.count_rows("reuse_pairs")) == before


@pytest.fixture
def titled(tmp_path: Path) -> str:
    """One article with two Doubt spans, a thought-terminating cliché and a loaded phrase."""
    path = tmp_path / "titled.duckdb"
    with CorpusStore(path) as store:
        store_docs(store, [annotated(ARTICLES["harbour"], id="h", outlet="Coast News", spans=(
            ("Fishermen from the old quay say", "Doubt"), ("The authority replies", "Doubt"),
            ("strict monitoring will keep the water clear enough", "Conversation_Killer"),
            ("smother the mussel beds", "Loaded_Language")))])
    return str(path)


@pytest.mark.parametrize(("typed", "found"), [
    ("Casting doubt", "Casting doubt"), ("casting-doubt", "Casting doubt"), ("Doubt", "Casting doubt"),
    ("Thought-terminating cliché", "Thought-terminating cliché"),
    ("thought terminating cliche", "Thought-terminating cliché"),
    ("Conversation_Killer", "Thought-terminating cliché"),
])
def test_search_takes_the_technique_names_reports_show(
        titled: str, typed: str, found: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "search", "--technique", typed, "--db", titled]) == 0
    assert f"{found}: “" in capsys.readouterr().out


def test_search_suggests_the_closest_technique_on_a_miss(
        titled: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "search", "--technique", "Casting dout", "--db", titled]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "Unknown technique 'Casting dout'" in err and "Did you mean “Casting doubt” (Doubt)?" in err


def test_profile_shows_display_names_most_frequent_first(
        titled: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Rows came in taxonomy order, under names such as Name_Calling-Labeling.
    assert main(["corpus", "profile", "--db", titled, "--bootstrap", "20"]) == 0
    out = capsys.readouterr().out
    order = [out.index(t) for t in ("Casting doubt", "Loaded language", "Thought-terminating cliché")]
    assert order == sorted(order) and "Conversation_Killer" not in out and "Doubt " not in out
    assert main(["corpus", "profile", "--db", titled, "--bootstrap", "20", "--format", "csv"]) == 0
    rows = [r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["kind"] == "technique"]
    assert [r["label"] for r in rows[:3]] == ["Doubt", "Loaded_Language", "Conversation_Killer"]
    assert rows[0]["label_title"] == "Casting doubt"
    rates = [float(r["rate"]) for r in rows]
    assert rates == sorted(rates, reverse=True)
