"""Reading feeds and sitemaps: RSS 2.0, RSS 1.0, Atom, sitemaps and indexes, hostile XML."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from propscope.document import Document, Metadata
from propscope.errors import InputError
from propscope.ingest.feeds import (
    MAX_UNPACKED,
    FeedEntry,
    FeedError,
    apply_entry,
    dated_since,
    parse_feed,
    read_feed_file,
)

BASE = "https://news.example.org/rss"


def test_rss2_items_give_absolute_links_and_what_the_feed_says() -> None:
    feed = parse_feed(b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>News</title>
<item><title>  First   story </title><link>/2026/first</link>
  <pubDate>Tue, 01 Dec 2026 10:30:00 +0100</pubDate><dc:creator>Jane Roe</dc:creator></item>
<item><title>Second</title><guid>https://news.example.org/second</guid>
  <author>desk@example.org (Desk)</author></item>
<item><title>Opaque id</title><guid isPermaLink="false">tag:1234</guid></item>
<item><title>Mail</title><link>mailto:tips@example.org</link></item>
<item><link>https://news.example.org/2026/first</link></item>
</channel></rss>""", source="rss", base=BASE)
    assert feed.kind == "RSS feed"
    assert feed.entries == [
        FeedEntry("https://news.example.org/2026/first", "First story", "Jane Roe",
                  "2026-12-01T10:30:00+01:00"),
        FeedEntry("https://news.example.org/second", "Second", "desk@example.org (Desk)", None),
    ]  # the repeated link is listed once
    assert feed.skipped == ["entry 3: it has no link",
                            "entry 4: link 'mailto:tips@example.org' is not an http(s) URL"]


def test_rss1_and_atom_feeds() -> None:
    rdf = parse_feed(b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://e.org/"><title>E</title></channel>
<item rdf:about="https://e.org/a"><title>A</title><dc:date>2026-11-02</dc:date></item>
</rdf:RDF>""", source="rdf")
    assert (rdf.kind, rdf.entries) == ("RSS 1.0 feed", [FeedEntry("https://e.org/a", "A", None,
                                                                  "2026-11-02")])
    atom = parse_feed(b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>E</title>
<entry><title type="html">B</title><link rel="self" href="https://e.org/api/b"/>
<link rel="alternate" type="text/html" href="b.html"/><updated>2026-11-03T08:00:00Z</updated>
<author><name>Ann Atom</name></author></entry>
<entry><title>C</title><id>https://e.org/c</id></entry>
<entry><title>D</title><id>urn:uuid:1</id></entry></feed>""", source="atom", base="https://e.org/feed")
    assert atom.kind == "Atom feed"
    assert atom.entries == [FeedEntry("https://e.org/b.html", "B", "Ann Atom", "2026-11-03T08:00:00+00:00",
                                      modified="2026-11-03T08:00:00+00:00"),
                            FeedEntry("https://e.org/c", "C", None, None)]
    assert atom.skipped == ["entry 3: link 'urn:uuid:1' is not an http(s) URL"]


def test_sitemaps_use_news_dates_but_not_lastmod_and_indexes_list_their_sitemaps() -> None:
    sitemap = parse_feed(b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://e.org/1</loc><lastmod>2026-11-30</lastmod><news:news>
<news:publication_date>2026-11-29T12:00:00+00:00</news:publication_date><news:title>One</news:title>
</news:news></url><url><loc>https://e.org/2</loc><lastmod>2026-11-30</lastmod></url></urlset>""",
                         source="sitemap")
    # lastmod is when a page last changed: kept for date filters, never a publication date.
    assert sitemap.entries == [FeedEntry("https://e.org/1", "One", None, "2026-11-29T12:00:00+00:00",
                                         modified="2026-11-30"),
                               FeedEntry("https://e.org/2", modified="2026-11-30")]
    assert [e.day for e in sitemap.entries] == ["2026-11-29", "2026-11-30"]
    index = parse_feed(b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/s1.xml</loc><lastmod>2026-11-30T08:00:00Z</lastmod></sitemap>
<sitemap><loc>https://e.org/s2.xml</loc></sitemap><sitemap><loc>/s1.xml</loc></sitemap>
</sitemapindex>""", source="index", base="https://e.org/sitemap.xml")
    assert (index.kind, index.entries) == ("sitemap index", [])
    # Each sitemap once, with when it last changed (what --feed-since chooses by).
    assert index.feeds == [FeedEntry("https://e.org/s1.xml", modified="2026-11-30T08:00:00+00:00"),
                           FeedEntry("https://e.org/s2.xml")]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "it is empty"),
    (b"  \n", "it is empty"),
    (b"<html><body><a href='/a'>a</a></body></html>", "its root element is <html>"),
    (b"<rss><channel><item>", "the XML is malformed"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "the XML is malformed"),
    (b'<?xml version="1.0" encoding="rot13"?><rss><channel></channel></rss>', "declares an encoding"),
    (b'<?xml version="1.0" encoding="undefined"?><rss><channel></channel></rss>', "declares an encoding"),
    # A billion laughs, and an external entity that would read a local file.
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
     b"<rss><channel><item><title>&b;</title></item></channel></rss>", "refused"),
    (b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss><channel><item>'
     b"<title>&e;</title><link>https://e.org/x</link></item></channel></rss>", "refused"),
])
def test_what_is_no_feed_is_a_clear_input_error(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message) as caught:
        parse_feed(data, source="bad.xml")
    assert isinstance(caught.value, InputError) and str(caught.value).startswith("bad.xml: ")


def test_an_opml_list_names_its_feeds_at_any_depth() -> None:
    feed = parse_feed(b"""<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head>
<body><outline text="News"><outline text="A" type="rss" xmlUrl="https://a.example/rss"/>
<outline text="B" type="rss" xmlUrl="/b/atom.xml" htmlUrl="https://b.example/"/></outline>
<outline text="A again" xmlUrl="https://a.example/rss"/><outline text="Folder only"/>
<outline text="Bad" xmlUrl="feed://c.example/rss"/></body></opml>""", source="mine.opml",
                      base="https://lists.example/mine.opml")
    assert (feed.kind, feed.entries) == ("OPML list of feeds", [])
    assert feed.feeds == [FeedEntry("https://a.example/rss", "A"),
                          FeedEntry("https://lists.example/b/atom.xml", "B")]
    assert feed.skipped == ["outline 4: xmlUrl 'feed://c.example/rss' is not an http(s) URL"]


SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://e.org/1</loc></url>
</urlset>"""


def test_a_gzip_sitemap_is_unpacked() -> None:
    feed = parse_feed(gzip.compress(SITEMAP), source="sitemap.xml.gz")
    assert (feed.kind, feed.entries) == ("sitemap", [FeedEntry("https://e.org/1")])


@pytest.mark.parametrize(("data", "message"), [
    # 50 MB and a little more of spaces packs into about 50 KB: a bomb must not be unpacked.
    (gzip.compress(b" " * (MAX_UNPACKED + 1)), "unpacks to more than 50 MB"),
    (gzip.compress(SITEMAP)[:-12], "cut short"),
    (b"\x1f\x8b" + bytes(40), "the gzip data is corrupt"),
])
def test_bad_gzip_is_a_clear_input_error(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(data, source="bad.xml.gz")


def test_a_saved_feed_file_is_read_within_its_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(b"<rss><channel><item><link>https://e.org/a</link></item>"
                     b"<item><link>/relative</link></item></channel></rss>")
    feed = read_feed_file(path, max_bytes=1000)
    assert [e.url for e in feed.entries] == ["https://e.org/a"]
    assert feed.skipped == ["entry 2: link '/relative' is not an http(s) URL"]  # no base to resolve
    with pytest.raises(InputError, match="above the"):
        read_feed_file(path, max_bytes=50)


def test_feed_hints_fill_only_what_the_page_leaves_unknown() -> None:
    doc = Document("Text.", metadata=Metadata(title="The page's own title"))
    apply_entry(doc, FeedEntry("https://e.org/a", "Feed title", "Feed Author", "2026-12-01"))
    assert (doc.metadata.title, doc.metadata.author, doc.metadata.published) == (
        "The page's own title", "Feed Author", "2026-12-01")


def test_dated_since_keeps_newer_and_undated_entries() -> None:
    entries = [FeedEntry("https://e.org/old", published="2026-10-31T23:59:00+00:00"),
               FeedEntry("https://e.org/changed", published=None, modified="2026-11-01"),
               FeedEntry("https://e.org/undated"),
               FeedEntry("https://e.org/new-but-edited-late", published="2026-10-01",
                         modified="2026-12-01")]  # published decides when it is known
    kept, older = dated_since(entries, date(2026, 11, 1))
    assert [e.url for e in kept] == ["https://e.org/changed", "https://e.org/undated"]
    assert older == 2
