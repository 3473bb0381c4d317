"""Ingest with the trained model: hostile inputs skipped, re-runs idempotent, kills resumable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from corpus_fixtures import ARTICLES

from propscope.corpus.engines import AnalysisSpec, LocalEngine
from propscope.corpus.runner import ingest, ingest_paths
from propscope.corpus.store import CorpusStore
from propscope.document import Document, Metadata
from propscope.ingest import estimate_inputs

HTML = ("<html><head><title>Frost and orchards</title><script>document.write('pwned')</script>"
        "</head><body><nav>Home | News</nav><article><h1>Frost arrives late</h1>"
        + "".join(f"<p>{p}</p>" for p in ARTICLES["orchard"].split("\n\n")[1:])
        + "<script>alert('pwned')</script></article></body></html>")


def write_batch(folder: Path) -> Path:
    folder.mkdir()
    (folder / "harbour.txt").write_text(ARTICLES["harbour"], encoding="utf-8")
    (folder / "orchard.html").write_text(HTML, encoding="utf-8")
    records = [{"id": "rail", "text": ARTICLES["rail"], "outlet": "Rail Times",
                "author": "A. Driver", "published": "2022-03-01", "url": "https://rail.example/1"},
               {"id": "chess", "text": ARTICLES["chess"], "outlet": "Board Weekly"}]
    lines = [json.dumps(records[0]), "{not json", json.dumps(records[1])]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(bytes(range(256)) * 8)
    return folder


@pytest.mark.slow
def test_bad_inputs_are_reported_and_skipped_and_reruns_add_nothing(
        tmp_path: Path, model_name: str) -> None:
    batch = write_batch(tmp_path / "in")
    engine = LocalEngine(AnalysisSpec(model_name), workers=1, task_size=2)
    assert estimate_inputs([batch]) == 7  # four files plus three JSONL lines
    with CorpusStore(tmp_path / "c.duckdb") as store:
        report = ingest_paths(store, [str(batch)], engine, chunk_size=2, max_bytes=1 << 20)
        assert (report.added, report.failed, report.skipped) == (4, 3, 0)
        failed = sorted(Path(f.source).name for f in report.failures)
        assert failed == ["empty.txt", "feed.jsonl:2", "image.txt"]
        assert store.count_rows("failures") == 3
        texts = " ".join(r[0] for r in store.query("SELECT text FROM articles"))
        assert "pwned" not in texts and "Frost" in texts
        assert store.query("SELECT outlet, author, published_date::VARCHAR, url FROM articles "
                           "WHERE doc_id = 'rail'") == [
            ("Rail Times", "A. Driver", "2022-03-01", "https://rail.example/1")]
        assert store.query("SELECT count(DISTINCT model) FROM articles WHERE model IS NOT NULL") == [(1,)]

        again = ingest_paths(store, [str(batch)], engine, chunk_size=2, max_bytes=1 << 20)
        assert (again.added, again.skipped) == (0, 4)
        assert store.count() == 4
        assert store.count_rows("failures") == 3  # each input's latest failure, not one per run

        (batch / "empty.txt").write_text(ARTICLES["chess"] + "\nA fixed file.\n", encoding="utf-8")
        fixed = ingest_paths(store, [str(batch)], engine, chunk_size=2, max_bytes=1 << 20)
        assert (fixed.added, fixed.failed) == (1, 2)
        assert sorted(Path(r[0]).name for r in store.query("SELECT source FROM failures")) == [
            "feed.jsonl:2", "image.txt"]


def test_an_article_that_fails_analysis_costs_only_itself(tmp_path: Path, model_name: str) -> None:
    docs = [Document(ARTICLES["rail"], id="ok1"), Document(" \n\t ", id="blank", source="blank.txt"),
            Document(ARTICLES["chess"], id="ok2", metadata=Metadata(outlet="X"))]
    with CorpusStore(tmp_path / "c.duckdb") as store:
        report = ingest(store, docs, LocalEngine(AnalysisSpec(model_name), task_size=3))
        assert (report.added, report.failed) == (2, 1)
        assert report.failures[0].source == "blank.txt"
        assert "empty" in report.failures[0].message
        assert sorted(r[0] for r in store.query("SELECT doc_id FROM articles")) == ["ok1", "ok2"]


def test_a_text_repeated_in_one_run_is_told_apart_from_one_stored_before(
        tmp_path: Path, model_name: str) -> None:
    docs = [Document(ARTICLES["rail"], id="a"), Document(ARTICLES["rail"], id="copy"),
            Document(ARTICLES["chess"], id="b")]
    with CorpusStore(tmp_path / "c.duckdb") as store:
        engine = LocalEngine(AnalysisSpec(model_name), task_size=3)
        first = ingest(store, docs, engine)
        assert (first.added, first.repeated, first.skipped, first.processed) == (2, 1, 0, 3)
        again = ingest(store, docs, engine)
        assert (again.added, again.repeated, again.skipped) == (0, 0, 3)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "propscope.cli.main", "corpus", *args]


@pytest.mark.slow
def test_a_killed_ingest_resumes_without_losing_or_duplicating(tmp_path: Path, model_name: str) -> None:
    feed = tmp_path / "feed.jsonl"
    texts = list(ARTICLES.values())
    with feed.open("w", encoding="utf-8") as fh:
        for i in range(40):
            fh.write(json.dumps({"id": f"r{i}", "text": texts[i % 5] + f"\nReader letter {i}.",
                                 "outlet": f"outlet{i % 3}"}) + "\n")
    db = tmp_path / "c.duckdb"
    args = _cli("ingest", str(feed), "--db", str(db), "--workers", "1", "--chunk-size", "3",
                "--task-size", "1", "--no-progress", "--model", model_name)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("committed"):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    with CorpusStore(db, read_only=True) as store:
        kept = store.count()
    assert 3 <= kept < 40

    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"added {40 - kept}, already stored {kept}, failed 0" in " ".join(done.stderr.split())
    with CorpusStore(db, read_only=True) as store:
        assert store.query("SELECT count(*), count(DISTINCT doc_id) FROM articles") == [(40, 40)]
        # Normalised tables hold each article's analysis exactly once.
        assert store.query("""
            SELECT count(*) FROM articles a WHERE json_array_length(a.analysis->'paragraphs')
                != (SELECT count(*) FROM paragraphs p WHERE p.article_id = a.article_id)
            OR json_array_length(a.analysis->'spans')
                != (SELECT count(*) FROM spans s WHERE s.article_id = a.article_id)""") == [(0,)]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_stopped_ingest_leaves_no_process_behind(tmp_path: Path, model_name: str,
                                                   sig: signal.Signals) -> None:
    # SIGTERM is what kill, timeout, systemd and container stops send: it stops the ingest as
    # Ctrl-C does, with the chunk in progress committed. After either signal the forkserver,
    # the workers and the resource tracker end with it.
    feed = tmp_path / "feed.jsonl"
    texts = list(ARTICLES.values())
    feed.write_text("".join(json.dumps({"id": f"r{i}", "text": f"{texts[i % 5]}\nLetter {i}."})
                            + "\n" for i in range(150)), encoding="utf-8")
    db, log = tmp_path / "c.duckdb", tmp_path / "stderr.txt"
    args = _cli("ingest", str(feed), "--db", str(db), "--workers", "2", "--chunk-size", "2",
                "--task-size", "1", "--no-progress", "--model", model_name)
    with log.open("w") as err:  # a file: orphaned workers would hold a pipe open for ever
        proc = subprocess.Popen(args, stderr=err, stdout=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while "committed" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.02)
    helpers = psutil.Process(proc.pid).children(recursive=True)
    assert len(helpers) >= 3  # forkserver, two workers (and the resource tracker)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    _, alive = psutil.wait_procs(helpers, timeout=15)
    for p in alive:
        p.kill()
    assert not alive, [p.cmdline() for p in alive]
    if sig == signal.SIGKILL:
        return
    said = log.read_text()
    assert proc.returncode == 130, said  # as Ctrl-C
    assert said.rstrip().endswith("propscope: interrupted"), said
    [line] = [line for line in said.splitlines() if line.startswith("interrupted: ")]
    assert f"(committed to {db})" in line and "run the same command again" in line
    with CorpusStore(db, read_only=True) as store:
        assert store.count() == int(line.split()[2]) < 150


def test_dask_engine_needs_a_scheduler_address(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLES["rail"], encoding="utf-8")
    done = subprocess.run(_cli("ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "c.duckdb"),
                               "--engine", "dask"), capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if k != "PROPSCOPE_SCHEDULER"})
    assert done.returncode == 1
    assert "--scheduler" in done.stderr


@pytest.mark.parametrize("bad_db", ["missing/dir/c.duckdb"])
def test_queries_on_a_missing_database_fail_cleanly(tmp_path: Path, bad_db: str) -> None:
    done = subprocess.run(_cli("profile", "--db", str(tmp_path / bad_db)), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert "propscope corpus ingest" in done.stderr


def test_profiles_of_the_shipped_model_estimate_correct_detections(tmp_path: Path, model_name: str) -> None:
    from propscope.corpus.profile import compute_profile

    angry = ("Senate vote\n\nThese corrupt, treasonous traitors in Washington have betrayed every "
             "decent citizen. They are a gang of thieves and disgusting liars.")
    docs = [Document(angry + f"\n\nPart {i}.", id=f"loud{i}", metadata=Metadata(outlet="Loud"))
            for i in range(2)]
    docs.append(Document(ARTICLES["rail"], id="rail", metadata=Metadata(outlet="Calm")))
    with CorpusStore(tmp_path / "c.duckdb") as store:
        ingest(store, docs, LocalEngine(AnalysisSpec(model_name), task_size=3))
        flags = store.query("SELECT json_extract_string(analysis, '$.model.calibrated') FROM articles")
        if {f[0] for f in flags} != {"true"}:
            pytest.skip(f"model {model_name} has raw scores")
        [(words, count, total)] = store.query(
            "SELECT (SELECT sum(words) FROM articles WHERE outlet = 'Loud'), count(*), sum(score) "
            "FROM spans JOIN articles USING (article_id) WHERE outlet = 'Loud' "
            "AND category = 'Attack_on_Reputation'")
        assert count >= 2  # the insults are found in both copies
        r = compute_profile(store, n_boot=50).rate(("Loud",), "Attack_on_Reputation")
        assert r is not None and r.count == count
        assert r.expected == pytest.approx(total / words * 1000)
        assert 0 < r.expected < r.rate
