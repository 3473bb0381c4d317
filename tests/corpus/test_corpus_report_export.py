"""The HTML report (charts, escaping, empty corpus) and the Parquet/CSV/JSONL exports."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import duckdb
import pytest
from corpus_fixtures import ARTICLES, annotated, store_docs

from propscope.corpus.export import EXPORT_TABLES, ExportError, export
from propscope.corpus.report import render_report, write_report
from propscope.corpus.store import CorpusStore
from propscope.serialize import from_dict, to_dict

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def filled(store: CorpusStore) -> CorpusStore:
    docs = [
        annotated(ARTICLES["harbour"], id="h", outlet="Coast News", published="2021-03-02",
                  spans=(("smother the mussel beds", "Loaded_Language"),), genre="reporting",
                  frames=("Economic",)),
        annotated(ARTICLES["harbour"].replace("Tuesday", "Monday"), id="h2", outlet=HOSTILE,
                  published="2021-05-09", genre="opinion"),
        annotated(ARTICLES["chess"], id="c", outlet="$Money$ Times", published="2021-04-01",
                  author="R. Lee", spans=(("the back room of a bakery", "Loaded_Language"),),
                  genre="satire", frames=("Cultural_identity", "Quality_of_life")),
    ]
    store_docs(store, docs)
    return store


def test_report_has_every_view_as_embedded_svg(filled: CorpusStore) -> None:
    html = render_report(filled, n_boot=100)
    for heading in ("Persuasion techniques per outlet", "Techniques over time", "Genre and frames",
                    "Republication and near-copies"):
        assert heading in html
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 5  # techniques, time, genre, frames, reuse network
    assert all(base64.b64decode(i).lstrip().startswith(b"<?xml") for i in images)
    assert "http://" not in html.replace("http://www.w3.org", "")  # nothing fetched from outside


def test_report_shows_expected_correct_detections_where_scores_are_calibrated(store: CorpusStore) -> None:
    from propscope.document import ModelInfo

    cal = annotated(ARTICLES["harbour"], id="h", outlet="Calibrated",
                    spans=(("smother the mussel beds", "Loaded_Language"),))
    cal.model = ModelInfo("m", "1", "data", calibrated=True)
    raw = annotated(ARTICLES["chess"], id="c", outlet="Raw",
                    spans=(("the back room of a bakery", "Loaded_Language"),))
    store_docs(store, [cal, raw])
    html = render_report(store, n_boot=50)
    rows = {m[0]: m[1] for m in re.findall(r"<tr><td>([^<]+)</td>(.*?)</tr>", html, flags=re.S)}
    assert "right</span>" in rows["Calibrated"] and "right</span>" not in rows["Raw"]


def test_report_escapes_text_from_the_corpus(filled: CorpusStore) -> None:
    html = render_report(filled, n_boot=50)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script" not in html


def test_report_of_an_empty_corpus_explains_how_to_fill_it(store: CorpusStore) -> None:
    assert "propscope corpus ingest" in render_report(store)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_table_exports_hold_every_row(filled: CorpusStore, tmp_path: Path, fmt: str) -> None:
    written = export(filled, fmt, tmp_path / "out")
    assert [p.name for p in written] == [f"{t}.{fmt}" for t in EXPORT_TABLES]
    reader = "read_parquet" if fmt == "parquet" else "read_csv_auto"
    con = duckdb.connect()
    for table in ("articles", "spans", "frames"):
        n = con.execute(f"SELECT count(*) FROM {reader}(?)", [str(tmp_path / "out" / f"{table}.{fmt}")])
        assert n.fetchone()[0] == filled.count_rows(table)  # type: ignore[index]


def test_jsonl_export_is_the_json_contract(filled: CorpusStore, tmp_path: Path) -> None:
    [out] = export(filled, "jsonl", tmp_path / "a.jsonl")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3
    # Each record is the contract, led by the store's article id (which joins the tables).
    assert {r.pop("article_id") for r in records} == {
        r[0] for r in filled.query("SELECT article_id FROM articles")}
    assert all(to_dict(from_dict(r)) == r for r in records)


def test_jsonl_export_to_standard_output(filled: CorpusStore, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert export(filled, "jsonl", "-") == []
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert not (tmp_path / "-").exists()  # no file named "-"
    with pytest.raises(ExportError, match="only jsonl can go to standard output"):
        export(filled, "csv", "-")


def test_exports_and_reports_are_readable_by_others_and_leave_no_temporary_files(
        filled: CorpusStore, tmp_path: Path, plain_open_mode: int) -> None:
    import stat

    written = [*export(filled, "csv", tmp_path / "csv"), *export(filled, "parquet", tmp_path / "pq"),
               *export(filled, "jsonl", tmp_path / "a.jsonl"),
               write_report(filled, tmp_path / "r.html", n_boot=20)]
    # Written atomically (render/files.py), yet with the mode a plain open() gives: 0600 would
    # lock colleagues and web servers out of a shared export.
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {plain_open_mode} != {0o600}
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_export_to_a_file_where_a_folder_is_needed_is_refused(filled: CorpusStore, tmp_path: Path) -> None:
    f = tmp_path / "x.parquet"
    f.write_text("")
    with pytest.raises(ExportError, match="folder"):
        export(filled, "parquet", f)


def test_report_says_the_sensitivity_when_it_is_not_the_default(store: CorpusStore) -> None:
    from propscope.document import ModelInfo

    doc = annotated(ARTICLES["harbour"], id="h", outlet="Coast News")
    doc.model = ModelInfo("m", "1", "data", calibrated=True)
    store_docs(store, [doc])
    assert "analysed at sensitivity" not in render_report(store, n_boot=50)
    broad = annotated(ARTICLES["chess"], id="c", outlet="Board Weekly")
    broad.model = ModelInfo("m", "1", "data", calibrated=True, sensitivity=0.5)
    store_docs(store, [broad])
    assert "analysed at sensitivity balanced, broad (rates depend on it)" in render_report(store, n_boot=50)


def test_report_counts_unknown_outlets_as_it_shows_them_and_names_techniques(store: CorpusStore) -> None:
    # The header said "1 outlets" over a chart of "the 2 outlets" ("(unknown)" among them), and
    # the heatmap's columns were taxonomy ids (Exaggeration-Minimisa…).
    store_docs(store, [
        annotated(ARTICLES["harbour"], id="h", outlet="Coast News",
                  spans=(("smother the mussel beds", "Loaded_Language"),)),
        annotated(ARTICLES["chess"], id="c", spans=(("the back room of a bakery", "Loaded_Language"),)),
    ])
    html = render_report(store, n_boot=50)
    assert "<b>1</b>outlet (and 1 article of unknown outlet)" in " ".join(html.split())
    assert "“(unknown)” gathering the articles whose outlet is not known" in " ".join(html.split())
    svg = b"".join(base64.b64decode(i) for i in re.findall(
        r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html))
    assert b"Loaded language" in svg and b"Loaded_Language" not in svg


def test_report_heatmap_labels_are_whole_and_counts_agree_with_their_nouns(store: CorpusStore) -> None:
    # "Name calling / labeli…" was cut at 22 characters; the header said "1 authors".
    store_docs(store, [annotated(ARTICLES["harbour"], id="h", outlet="Coast News", author="R. Lee",
                                 spans=(("Fishermen from the old quay", "Name_Calling-Labeling"),
                                        ("smother the mussel beds", "Obfuscation-Vagueness-Confusion")))])
    html = render_report(store, n_boot=20)
    [heatmap] = [base64.b64decode(i).decode() for i in re.findall(
        r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)][:1]
    words = " ".join(re.findall(r"<!-- (.*?) -->", heatmap))
    assert "Name calling /" in words and "labeling" in words and "…" not in words
    assert "vagueness / confusion" in words
    flat = " ".join(html.split())
    assert "<b>1</b>author</div>" in flat and "<b>1</b>article</div>" in flat
