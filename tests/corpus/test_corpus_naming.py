"""Every corpus output names an article as the user gave it, with an id that joins the exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from corpus_fixtures import ARTICLES, annotated, store_docs

from propscope.cli.main import main
from propscope.corpus.report import render_report
from propscope.corpus.store import CorpusStore

URL = "https://coast.example/news/harbour"
HARBOUR = {"doc_id": "h", "source": "h.txt", "url": URL,
           "title": "Harbour dredging plan splits the council", "outlet": "Coast News",
           "published": "2021-04-03"}


@pytest.fixture
def named(tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A store of a harbour story (with its page's URL), its copy in another outlet and an
    unrelated article; and the article ids by document id."""
    original = annotated(ARTICLES["harbour"], id="h", outlet="Coast News", published="2021-04-03",
                         spans=(("smother the mussel beds", "Loaded_Language"),))
    original.metadata.url = URL
    docs = [original,
            annotated(ARTICLES["harbour"].replace("Tuesday", "Monday"), id="h2", outlet="Echo",
                      published="2021-04-09",
                      spans=(("smother the mussel beds", "Loaded_Language"),)),
            annotated(ARTICLES["rail"], id="r", outlet="Echo", published="2021-05-01")]
    path = tmp_path / "named.duckdb"
    with CorpusStore(path) as store:
        ids = store_docs(store, docs)
    return str(path), dict(zip(("h", "h2", "r"), ids, strict=True))


def test_reuse_json_names_both_articles(named: tuple[str, dict[str, str]],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    # Before, a pair was "a": "916da…" with a title and an outlet: no file, URL or document id.
    db, ids = named
    assert main(["corpus", "reuse", "--db", db, "--format", "json"]) == 0
    [pair] = json.loads(capsys.readouterr().out)
    assert pair["a"] == {"article_id": ids["h"], **HARBOUR}
    assert (pair["b"]["doc_id"], pair["b"]["source"], pair["b"]["outlet"]) == ("h2", "h2.txt", "Echo")
    assert pair["first"] == ids["h"]


def test_the_article_id_joins_reuse_search_and_every_export(
        named: tuple[str, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, ids = named
    assert main(["corpus", "reuse", "--db", db, "--format", "json"]) == 0
    [pair] = json.loads(capsys.readouterr().out)
    assert main(["corpus", "search", "mussel", "--db", db, "--format", "json"]) == 0
    hits = {h["article_id"]: h for h in json.loads(capsys.readouterr().out)}
    assert hits[ids["h"]]["doc_id"] == "h" and hits[ids["h"]]["url"] == URL
    assert main(["corpus", "export", "--db", db, "--format", "jsonl", "-o", str(tmp_path / "a.jsonl")]) == 0
    assert main(["corpus", "export", "--db", db, "--format", "csv", "-o", str(tmp_path / "csv")]) == 0
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    records = {r["article_id"]: r for r in map(json.loads, lines)}
    articles = {r["article_id"]: r for r in csv.DictReader((tmp_path / "csv" / "articles.csv").open())}
    assert "metadata_sources" in articles[ids["h"]]  # where each metadata value came from
    [saved] = csv.DictReader((tmp_path / "csv" / "reuse_pairs.csv").open())
    for aid in (pair["a"]["article_id"], pair["b"]["article_id"]):
        assert aid in hits and aid in records and aid in articles
        assert records[aid]["id"] == articles[aid]["doc_id"] == hits[aid]["doc_id"]
    assert (saved["article_a"], saved["article_b"]) == (ids["h"], ids["h2"])
    spans = list(csv.DictReader((tmp_path / "csv" / "spans.csv").open()))
    assert {s["article_id"] for s in spans} == {ids["h"], ids["h2"]}


def test_reuse_table_names_the_file_url_and_document_id(
        named: tuple[str, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = named
    assert main(["corpus", "reuse", "--db", db]) == 0
    out = capsys.readouterr().out
    for said in ("Coast News · 2021-04-03", URL, "id h", "h2.txt", "id h2", "Echo · 2021-04-09"):
        assert said in out


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_search_writes_the_articles_names_in_every_format(
        named: tuple[str, dict[str, str]], fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    db, ids = named
    assert main(["corpus", "search", "mussel", "--technique", "loaded language", "--db", db,
                 "--outlet", "Coast News", "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "csv":
        [row] = list(csv.DictReader(io.StringIO(out)))
        assert row["spans"] == "Loaded language: “smother the mussel beds”"
    else:
        [row] = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
        assert row["spans"][0]["title"] == "Loaded language"
    assert {k: row[k] for k in ("article_id", *HARBOUR)} == {"article_id": ids["h"], **HARBOUR}
    assert main(["corpus", "search", "zeppelin", "--db", db, "--format", fmt]) == 1  # as grep
    empty = capsys.readouterr().out
    assert empty == ("article_id,doc_id,source,url,title,outlet,published,score,snippet,spans\n"
                     if fmt == "csv" else "[]\n" if fmt == "json" else "")


def test_search_table_names_the_file_and_technique_titles(
        named: tuple[str, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = named
    assert main(["corpus", "search", "mussel", "--db", db, "--outlet", "Echo"]) == 0
    out = capsys.readouterr().out
    assert "h2.txt" in out and "id h2" in out and "Loaded language: “smother" in out
    assert "Loaded_Language" not in out


def test_report_names_the_paired_articles(named: tuple[str, dict[str, str]]) -> None:
    db, ids = named
    with CorpusStore(db, read_only=True) as store:
        html = render_report(store, n_boot=20)
    assert f'<a href="{URL}" rel="noopener noreferrer nofollow">{URL}</a>' in html
    assert "id h2 · article" in html and f"<code>{ids['h']}</code>" in html
    assert "h2.txt" in html
