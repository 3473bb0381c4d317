"""Many web pages at once: `--urls FILE` and `--feed SOURCE` for analyze and corpus ingest,
against a real page server on 127.0.0.1 that records what it was asked for."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from propscope.cli.main import main
from propscope.config import FetchConfig
from propscope.ingest.fetch import FetchedPage, fetch_many, read_page
from propscope.ingest.sources import Inputs


@pytest.fixture
def allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPSCOPE_FETCH_ALLOW_HOSTS", "127.0.0.1")
    monkeypatch.setenv("PROPSCOPE_FETCH_TIMEOUT", "5")


def write_list(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def said(capsys: pytest.CaptureFixture[str]) -> str:
    """What the command wrote to standard error, unwrapped."""
    return " ".join(capsys.readouterr().err.split())


def test_analyze_reads_a_url_list_in_order_and_reports_bad_lines(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Story 1 is answered only once story 2 has been asked for (fetched at once, it is the
    # last to finish); the output must still follow the list.
    links = write_list(tmp_path / "links.txt", [
        "# stories for the test", "", f"{pages}/story/1?meet=2&group=list&delay=0.2",
        f"  {pages}/story/2?meet=2&group=list  ", "ftp://example.org/story", f"{pages}/image.png",
        f"{pages}/story/3?delay=0.1", f"{pages}/story/4", "example.org/no-scheme"])
    out = tmp_path / "pages.jsonl"
    assert main(["analyze", "--urls", str(links), "-o", str(out), "--quiet"]) == 1
    got = records(out)
    assert [r["metadata"]["title"] for r in got] == ["Story 1", "Story 2", "Story 3", "Story 4"]
    assert got[1]["source"] == f"{pages}/story/2?meet=2&group=list"  # spaces around it dropped
    assert all(r["spans"] for r in got)
    err = capsys.readouterr().err
    assert f"{links}: line 5: 'ftp://example.org/story' is not an http:// or https:// URL" in err
    assert f"{links}: line 9: 'example.org/no-scheme'" in err
    assert f"{pages}/image.png" in err and "image/png" in err
    assert page_log.in_flight[1] >= 2  # pages were fetched at the same time


def test_a_bad_line_does_not_hold_up_the_pages_around_it(allowed: None, pages: str, page_log: Any,
                                                         tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    # The two pages meet only if they are fetched together, across the bad line between them.
    links = write_list(tmp_path / "links.txt", [f"{pages}/story/30?meet=2&group=split", "not a url",
                                                f"{pages}/story/31?meet=2&group=split"])
    out = tmp_path / "pages.jsonl"
    assert main(["analyze", "--urls", str(links), "-o", str(out), "--quiet"]) == 1
    assert [r["metadata"]["title"] for r in records(out)] == ["Story 30", "Story 31"]
    assert f"{links}: line 2: 'not a url' is not an http:// or https:// URL" in capsys.readouterr().err
    assert page_log.in_flight[1] == 2


def test_concurrency_one_fetches_one_page_at_a_time(allowed: None, pages: str, page_log: Any,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPSCOPE_FETCH_CONCURRENCY", "1")
    # Were two fetched at once, they would meet; one at a time, each waits out the 3 s alone.
    links = write_list(tmp_path / "links.txt", [f"{pages}/story/{n}?meet=2&group=one" for n in (5, 6)])
    out = tmp_path / "pages.jsonl"
    assert main(["analyze", "--urls", str(links), "-o", str(out), "--quiet"]) == 0
    assert len(records(out)) == 2
    assert page_log.in_flight[1] == 1


def test_url_arguments_files_and_lists_keep_their_order(allowed: None, pages: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "local.txt"
    local.write_text("Local story\n\nCorrupt traitors lied to the nation again.\n", encoding="utf-8")
    links = write_list(tmp_path / "links.txt", [f"{pages}/story/10"])
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{pages}/story/11\n"))
    out = tmp_path / "all.jsonl"
    argv = ["analyze", f"{pages}/story/9", str(local), "--urls", str(links), "--urls", "-",
            "-o", str(out), "--quiet"]
    assert main(argv) == 0
    assert [r["metadata"]["title"] for r in records(out)] == [
        "Story 9", "Local story", "Story 10", "Story 11"]


@pytest.mark.parametrize(("argv", "message"), [
    (["analyze"], "give at least one INPUT"),
    (["analyze", "--urls", "missing-list.txt"], "--urls missing-list.txt: no such file"),
    (["analyze", "-", "--urls", "-"], "standard input (-) can be read only once"),
    (["analyze", "--urls", "{tmp}"], "--urls {tmp}: is a folder, not a list of URLs"),
    (["analyze", "--urls", "https://example.org/links.txt"],  # a list is a file, not a page
     "--urls https://example.org/links.txt: no such file"),
    (["analyze", "--feed", "{tmp}"], "--feed {tmp}: is a folder, not a feed"),
    (["analyze", "--feed", "missing-feed.xml"], "--feed missing-feed.xml: no such file"),
    (["analyze", "-", "--feed", "-"], "standard input (-) can be read only once"),
    (["analyze", "x.txt", "--feed-since", "2026-11-01"], "--feed-since chooses among the entries of --feed"),
    (["corpus", "ingest", "--db", "{tmp}/c.duckdb"], "give at least one INPUT"),
])
def test_inputs_that_cannot_be_read_are_usage_errors(argv: list[str], message: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 2
    assert message.replace("{tmp}", str(tmp_path)) in capsys.readouterr().err
    assert not (tmp_path / "c.duckdb").exists()


def test_corpus_ingest_of_a_url_list_skips_stored_pages_without_fetching_them(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    stories = [f"{pages}/story/{n}" for n in range(20, 26)]
    links = write_list(tmp_path / "links.txt", [*stories, f"{pages}/missing", "not a url"])
    db = tmp_path / "c.duckdb"
    argv = ["corpus", "ingest", "--urls", str(links), "--db", str(db), "--workers", "1",
            "--no-progress"]
    assert main(argv) == 1  # two inputs failed
    assert "added 6, already stored 0, failed 2" in said(capsys)
    with duckdb.connect(str(db), read_only=True) as con:
        assert sorted(r[0] for r in con.execute("SELECT source FROM articles").fetchall()) == sorted(stories)
        failed = con.execute("SELECT source, message FROM failures ORDER BY source").fetchall()
        outlets = con.execute("SELECT DISTINCT outlet FROM articles").fetchall()
    assert outlets == [("127.0.0.1",)]  # the pages name no site, so their host is the outlet
    assert [f[0] for f in failed] == [f"{links}:8", f"{pages}/missing"]
    assert "HTTP 404" in failed[1][1]

    page_log.hits.clear()
    more = write_list(tmp_path / "more.txt", [*stories, f"{pages}/story/26", f"{pages}/story/26"])
    assert main([*argv[:3], str(more), *argv[4:]]) == 0
    assert "added 1, already stored 7, failed 0" in said(capsys)
    # The six stored pages were not fetched again, nor the new one twice.
    assert page_log.hits == ["/story/26"]


def test_estimate_counts_urls_and_list_lines(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text("text", encoding="utf-8")
    links = write_list(tmp_path / "links.txt", ["# two pages", "https://a.example/1", "", "https://a.example/2"])
    inputs = Inputs(("https://a.example/0", str(folder)), (str(links),))
    assert inputs.estimate() == 6
    assert inputs.several and inputs.urls_given
    assert not Inputs((str(folder / "0.txt"),)).urls_given


def test_fetch_many_stops_early_without_fetching_the_rest(pages: str, page_log: Any) -> None:
    config = FetchConfig(fetch_allow_hosts=("127.0.0.1",), fetch_timeout=5)
    urls = (f"{pages}/story/{n}?delay=0.05" for n in range(100, 200))
    got = fetch_many(urls, config, max_bytes=100_000, concurrency=2,
                     known=lambda url: url.endswith("/story/101?delay=0.05"))
    first = [next(got) for _ in range(3)]
    got.close()
    assert [type(x).__name__ for _, x in first] == ["list", "SkippedInput", "list"]
    # At most the window (2 x concurrency) past what was taken was ever asked for.
    assert len(page_log.hits) <= 3 + 4


@pytest.mark.parametrize(("url", "head", "outlet"), [
    ("https://www.example.org/news/a.html", "", "example.org"),
    ("https://news.example.org/a.html", '<meta property="og:site_name" content="Daily Example">',
     "Daily Example"),
])
def test_a_fetched_page_without_a_site_name_gets_its_host_as_outlet(url: str, head: str,
                                                                     outlet: str) -> None:
    body = (f"<html><head><title>T</title>{head}</head><body><article><h1>T</h1><p>The council "
            "met on Tuesday and approved the budget for the coming year.</p></article></body></html>")
    [doc] = read_page(FetchedPage(url=url, name="a.html", data=body.encode()), max_bytes=100_000)
    assert doc.metadata.outlet == outlet


def test_analyze_reads_the_pages_of_feeds_with_the_feeds_hints(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "feed.jsonl"
    argv = ["analyze", "--feed", f"{pages}/feed.xml", "--feed", f"{pages}/more/feed.xml",
            "-o", str(out), "--quiet"]
    assert main(argv) == 1  # the mailto: entry is reported
    got = records(out)
    # Feed order, relative links resolved against each feed; story 41 is in both and read twice
    # (analyze keeps no store); the page's own title wins over the feed's.
    assert [r["source"] for r in got] == [f"{pages}/story/41", f"{pages}/story/40",
                                          f"{pages}/story/42", f"{pages}/story/41"]
    assert [r["metadata"]["title"] for r in got] == ["Story 41", "Story 40", "Story 42", "Story 41"]
    assert (got[0]["metadata"]["author"], got[0]["metadata"]["published"]) == (
        "Ann Feed", "2026-11-30T09:15:00+00:00")
    assert got[1]["metadata"]["author"] is None and got[1]["metadata"]["published"] is None
    assert got[2]["metadata"]["published"] == "2026-12-01T07:00:00+00:00"
    assert f"{pages}/feed.xml: entry 3: link 'mailto:desk@example.org' is not an http(s) URL" in said(capsys)
    assert "/api/42" not in page_log.hits  # an Atom rel="self" link is not the story


@pytest.mark.parametrize(("path", "story"), [
    ("/sitemap.xml.gz", 45),
    ("/labelled-html.xml", 46),  # an RSS feed its server calls text/html
    ("/octets.xml.gz", 47),  # a gzip sitemap served as application/octet-stream
])
def test_compressed_and_mislabelled_feeds_are_read(
        path: str, story: int, allowed: None, pages: str, page_log: Any, tmp_path: Path) -> None:
    out = tmp_path / "sitemap.jsonl"
    assert main(["analyze", "--feed", pages + path, "-o", str(out), "--quiet"]) == 0
    assert [r["source"] for r in records(out)] == [f"{pages}/story/{story}"]
    assert page_log.hits == [path, f"/story/{story}"]


def test_an_opml_list_reads_each_feed_in_turn_and_reports_each_failure_in_place(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    opml = tmp_path / "subscriptions.opml"  # as a feed reader exports it
    opml.write_text(f"""<?xml version="1.0" encoding="UTF-8"?><opml version="1.0"><body>
<outline text="Outlets"><outline text="Atom" xmlUrl="{pages}/more/feed.xml"/>
<outline text="Gone" xmlUrl="{pages}/missing"/><outline text="Nested" xmlUrl="{pages}/list.opml"/>
</outline></body></opml>""", encoding="utf-8")
    out = tmp_path / "opml.jsonl"
    assert main(["analyze", "--feed", str(opml), "-o", str(out), "--quiet"]) == 1
    assert [r["source"] for r in records(out)] == [f"{pages}/story/42", f"{pages}/story/41"]
    err = said(capsys)
    assert f"{pages}/missing: answered HTTP 404" in err
    assert f"{pages}/list.opml: an OPML list inside an OPML list is not followed" in err
    assert "/feed.xml" not in page_log.hits  # the nested list's feed
    out.unlink()
    assert main(["analyze", "--feed", f"{pages}/list.opml", "-o", str(out), "--quiet"]) == 1
    assert [r["source"] for r in records(out)] == [f"{pages}/story/41", f"{pages}/story/40"]


@pytest.mark.parametrize(("path", "message"), [
    ("/sitemap-index.xml", "a sitemap index of 4 sitemaps, not a list of pages; add --feed-since "
                           "DAY to read the pages of those changed since then, or give the "
                           "sitemaps you want with --feed, for example --feed {pages}/sitemap-1.xml"),
    ("/article.html", "is text/html; a feed or sitemap is XML"),
    ("/laughs.xml", "refused: the XML declares entities"),
    ("/missing", "answered HTTP 404"),
])
def test_a_feed_that_cannot_be_read_is_reported_and_nothing_else_is_fetched(
        path: str, message: str, allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "none.jsonl"
    assert main(["analyze", "--feed", pages + path, "-o", str(out), "--quiet"]) == 1
    assert f"{pages}{path}: " + message.replace("{pages}", pages) in said(capsys)
    assert page_log.hits == [path]
    assert not out.exists()


def test_corpus_ingest_follows_a_feed_and_a_rerun_fetches_only_the_feed(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "saved.xml"  # a saved feed file lists absolute links
    saved.write_text(f"<rss><channel><item><link>{pages}/story/44</link><title>Saved 44</title>"
                     "</item></channel></rss>", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    argv = ["corpus", "ingest", "--feed", f"{pages}/feed.xml", "--feed", str(saved), "--db", str(db),
            "--workers", "1", "--no-progress"]
    assert main(argv) == 1  # one input failed
    assert "added 3, already stored 0, failed 1" in said(capsys)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source, author, published FROM articles ORDER BY source").fetchall()
    assert rows == [(f"{pages}/story/40", None, None),
                    (f"{pages}/story/41", "Ann Feed", "2026-11-30T09:15:00+00:00"),
                    (f"{pages}/story/44", None, None)]
    page_log.hits.clear()
    assert main(argv) == 1
    assert "added 0, already stored 3, failed 1" in said(capsys)
    assert page_log.hits == ["/feed.xml"]


def test_a_redirected_page_is_not_fetched_again_on_a_rerun(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    links = write_list(tmp_path / "links.txt", [f"{pages}/go/50", f"{pages}/story/51"])
    db = tmp_path / "c.duckdb"
    argv = ["corpus", "ingest", "--urls", str(links), "--db", str(db), "--workers", "1",
            "--no-progress"]
    assert main(argv) == 0
    assert sorted(page_log.hits) == ["/go/50", "/story/50", "/story/51"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT source FROM articles ORDER BY source").fetchall() == [
            (f"{pages}/story/50",), (f"{pages}/story/51",)]  # stored under where it led
    said(capsys)
    page_log.hits.clear()
    assert main(argv) == 0
    assert "added 0, already stored 2, failed 0" in said(capsys)
    assert page_log.hits == []
    assert main(["corpus", "export", "--db", str(db), "--format", "csv", "-o", str(tmp_path / "x")]) == 0
    assert f"{pages}/go/50," in (tmp_path / "x" / "fetched_urls.csv").read_text(encoding="utf-8")


def test_two_urls_of_one_text_in_one_run_are_both_remembered(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["corpus", "ingest", f"{pages}/story/53", f"{pages}/go/53", "--db", str(tmp_path / "c.duckdb"),
            "--workers", "1", "--no-progress"]
    assert main(argv) == 0
    assert "added 1, already stored 0, repeated in this run 1, failed 0" in said(capsys)
    page_log.hits.clear()
    assert main(argv) == 0
    assert page_log.hits == []


def test_a_new_url_for_a_stored_text_is_remembered_and_not_fetched_again(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Stored first from its own URL, then met behind a feed's tracking redirect: fetched once,
    # found stored by its text and URL, and remembered.
    db = tmp_path / "c.duckdb"
    common = ["--db", str(db), "--workers", "1", "--no-progress"]
    assert main(["corpus", "ingest", f"{pages}/story/52", *common]) == 0
    assert "added 1, already stored 0, failed 0" in said(capsys)
    again = ["corpus", "ingest", f"{pages}/go/52", *common]
    page_log.hits.clear()
    assert main(again) == 0
    assert "added 0, already stored 1, failed 0" in said(capsys)
    assert page_log.hits == ["/go/52", "/story/52"]
    page_log.hits.clear()
    assert main(again) == 0
    assert "added 0, already stored 1, failed 0" in said(capsys)
    assert page_log.hits == []


def test_a_busy_page_is_tried_once_more_in_bulk(allowed: None, pages: str, page_log: Any,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    once, twice = f"{pages}/story/60?fail=1", f"{pages}/story/61?fail=2&status=429"
    later = f"{pages}/story/62?fail=1&after=3600"  # a site asking for an hour is not waited for
    links = write_list(tmp_path / "links.txt", [once, twice, later, f"{pages}/missing"])
    out = tmp_path / "busy.jsonl"
    assert main(["analyze", "--urls", str(links), "-o", str(out), "--quiet"]) == 1
    assert [r["source"] for r in records(out)] == [once]
    err = said(capsys)
    assert f"{twice}: answered HTTP 429; nothing to analyse (tried twice, 0 s apart)." in err
    assert f"{later}: answered HTTP 503; nothing to analyse (it asks to wait 3600 s; not waited for)." in err
    assert sorted(page_log.hits) == sorted([once.removeprefix(pages)] * 2 + [twice.removeprefix(pages)] * 2
                                           + [later.removeprefix(pages), "/missing"])  # 404: once


def test_the_feeds_of_a_list_are_fetched_together_and_read_in_order(
        allowed: None, pages: str, page_log: Any, tmp_path: Path) -> None:
    # The three feeds meet only if they are fetched at once; one after another, the first
    # two would wait out their meeting alone.
    feeds = [f"{pages}/feeds/{n}.xml?meet=3&amp;group=opml" for n in (55, 56, 57)]
    opml = tmp_path / "reader.opml"
    opml.write_text("<opml><body>" + "".join(f'<outline text="F" xmlUrl="{f}"/>' for f in feeds)
                    + "</body></opml>", encoding="utf-8")
    out = tmp_path / "feeds.jsonl"
    assert main(["analyze", "--feed", str(opml), "-o", str(out), "--quiet"]) == 0
    assert [r["source"] for r in records(out)] == [f"{pages}/story/{n}" for n in (55, 56, 57)]
    assert page_log.alone == []


def test_feed_since_takes_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["analyze", "--feed", "f.xml", "--feed-since", "1 Nov"])
    assert stop.value.code == 2
    assert "--feed-since: '1 Nov' is not a date as YYYY-MM-DD" in capsys.readouterr().err


def test_feed_since_reads_only_recent_entries_and_says_how_many_were_left_out(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    sitemap = tmp_path / "sitemap.xml"  # a site's whole archive
    sitemap.write_text(f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{pages}/story/70</loc><news:news><news:publication_date>2026-10-01</news:publication_date>
</news:news></url><url><loc>{pages}/story/71</loc><lastmod>2026-11-20T10:00:00Z</lastmod></url>
<url><loc>{pages}/story/72</loc></url><url><loc>{pages}/story/73</loc><lastmod>2025-01-01</lastmod></url>
</urlset>""", encoding="utf-8")
    out = tmp_path / "recent.jsonl"
    db = tmp_path / "c.duckdb"
    assert main(["analyze", "--feed", str(sitemap), "--feed-since", "2026-11-01", "-o", str(out)]) == 0
    assert [r["source"] for r in records(out)] == [f"{pages}/story/71", f"{pages}/story/72"]
    assert (f"{sitemap}: left out 2 of 4 entries dated before 2026-11-01; read 1 undated anyway "
            "(--feed-since).") in said(capsys)
    assert sorted(page_log.hits) == ["/story/71", "/story/72"]
    assert records(out)[0]["metadata"]["published"] is None  # lastmod is no publication date
    assert main(["corpus", "ingest", "--feed", str(sitemap), "--feed-since", "2026-11-01",
                 "--db", str(db), "--workers", "1", "--no-progress"]) == 0
    assert "left out 2 of 4 entries dated before 2026-11-01" in said(capsys)


def test_feed_since_follows_a_sitemap_index_into_the_sitemaps_changed_since_then(
        allowed: None, pages: str, page_log: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site.jsonl"
    index = f"{pages}/sitemap-index.xml"
    assert main(["analyze", "--feed", index, "--feed-since", "2026-11-01", "-o", str(out)]) == 1
    # sitemap-1 (changed 2026-11-20) gives its recent page, the undated gzip sitemap its
    # page; sitemap-2 (changed 2025) is not fetched, and the index listing itself is refused.
    assert [r["source"] for r in records(out)] == [f"{pages}/story/90", f"{pages}/story/45"]
    err = said(capsys)
    assert (f"{index}: left out 1 of 4 sitemaps last changed before 2026-11-01; read 2 undated "
            "anyway (--feed-since).") in err
    assert f"{pages}/sitemap-1.xml: left out 1 of 2 entries dated before 2026-11-01 (--feed-since)." in err
    assert f"{pages}/sitemap.xml.gz: 1 of 1 entries are undated: read anyway (--feed-since)." in err
    assert f"{index}: a sitemap index inside a sitemap index is not followed; give it with --feed." in err
    assert sorted(page_log.hits) == sorted(["/sitemap-index.xml", "/sitemap-1.xml", "/story/90",
                                            "/sitemap.xml.gz", "/story/45", "/sitemap-index.xml"])


def test_a_feed_can_be_piped_in(allowed: None, pages: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    # curl -b cookies.txt https://example.org/members/rss | propscope analyze --feed -
    feed = f"<rss><channel><item><link>{pages}/story/80</link><title>Piped</title></item>"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(feed.encode() + b"</channel></rss>")))
    out = tmp_path / "piped.jsonl"
    assert main(["analyze", "--feed", "-", "-o", str(out), "--quiet"]) == 0
    assert [r["source"] for r in records(out)] == [f"{pages}/story/80"]


def test_a_consumer_that_stops_does_not_wait_for_a_busy_sites_retry(
        pages: str, page_log: Any) -> None:
    busy = f"{pages}/story/64?fail=1&after=8"  # asks for 8 s: waited for, unless the run stops
    config = FetchConfig(fetch_allow_hosts=("127.0.0.1",), fetch_timeout=5)
    fetched = fetch_many([f"{pages}/story/65", busy], config, max_bytes=100_000, concurrency=2)
    url, _ = next(fetched)
    assert url == f"{pages}/story/65"
    fetched.close()  # what Ctrl-C or a broken pipe does to the reading loop
    assert page_log.hits.count("/story/64?fail=1&after=8") == 1  # no second try after close


def interrupted(argv: list[str], page_log: Any, requests: int) -> tuple[int, str]:
    """Run ``propscope ARGV`` as a real process, send it a real SIGINT once the page server
    has had ``requests`` requests, and return its exit status and standard error."""
    env = {**os.environ, "NO_COLOR": "1", "PROPSCOPE_FETCH_ALLOW_HOSTS": "127.0.0.1",
           "PROPSCOPE_FETCH_TIMEOUT": "5", "PROPSCOPE_FETCH_CONCURRENCY": "2"}
    # SIGINT's default action restored in the child: a suite started in the background (`make
    # test &`) hands its children SIGINT ignored, and the interrupt would never land.
    proc = subprocess.Popen([sys.executable, "-m", "propscope.cli.main", *argv], env=env,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while len(page_log.hits) < requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(page_log.hits) == requests, f"asked for {page_log.hits}, not {requests} pages"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err


def test_ctrl_c_while_pages_are_fetched_says_what_it_waits_for(
        pages: str, page_log: Any, tmp_path: Path) -> None:
    # The interrupt lands while a slow page is fetched and a busy site has asked for 8 s
    # before the second try: the run waits for the first, not the second.
    busy = "/story/91?fail=1&after=8"
    links = write_list(tmp_path / "links.txt", [f"{pages}/story/90?delay=2", pages + busy] +
                       [f"{pages}/story/{n}" for n in range(92, 96)])
    code, err = interrupted(["analyze", "--urls", str(links), "-o", str(tmp_path / "out.jsonl")],
                            page_log, 2)
    assert code == 130, err
    assert "propscope: stopping: waiting for 2 fetches in flight (at most 5 s)" in err
    assert err.rstrip().endswith("propscope: interrupted")
    # No second try of the busy page; the pages queued behind were never fetched.
    assert sorted(page_log.hits) == ["/story/90?delay=2", busy]  # asked for at once


def test_ctrl_c_while_a_busy_feed_waits_to_be_tried_again_stops_at_once(
        pages: str, page_log: Any, tmp_path: Path) -> None:
    busy = "/feeds/30.xml?fail=1&after=8"  # asks for 8 s before the second try
    code, err = interrupted(["corpus", "ingest", "--feed", pages + busy, "--db",
                             str(tmp_path / "c.duckdb"), "--no-progress"], page_log, 1)
    assert code == 130, err
    assert "stopping: waiting for 1 fetch in flight" in err
    assert page_log.hits == [busy]  # not tried again after the 8 s
