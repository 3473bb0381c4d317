"""Fixtures: real `propscope serve` processes on 127.0.0.1 and a tiny page server to fetch from.

Each server is the real command in a subprocess on a free port, started once per test
session; tests talk to it over loopback with httpx (and Chromium in the browser tests).
"""

from __future__ import annotations

import gzip
import http.server
import threading
import time
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import parse_qs

import pytest
from serverkit import ARTICLE, BLATANT, TOKEN, Server, start_server, stop_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The main server: small limits so limit tests are cheap; fetching 127.0.0.1 allowed."""
    s = start_server(tmp_path_factory.mktemp("server"), "--max-body-bytes", "200000",
                     "--max-batch", "3", "--fetch-max-bytes", "50000", "--fetch-timeout", "3",
                     "--allow-fetch-host", "127.0.0.1")
    yield s
    stop_server(s)


@pytest.fixture(scope="session")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a token, a rate limit and no fetch allow-list, bound to all interfaces."""
    s = start_server(tmp_path_factory.mktemp("strict"), "--rate-limit", "60", "--fetch-timeout", "3",
                     env={"PROPSCOPE_TOKEN": TOKEN}, host="0.0.0.0")
    yield s
    stop_server(s)


LEGACY = ("<html><head><title>Caf\u00e9 owners</title></head><body><article><h1>Caf\u00e9 owners"
          "</h1><p>The caf\u00e9 owners of the old town met the mayor on Tuesday to discuss "
          "the new rents and the closing hours of the market.</p></article></body></html>"
          ).encode("latin-1")


class _Pages(http.server.BaseHTTPRequestHandler):
    """Serves test pages: an article, a large page, a binary file, feeds, redirects and numbered
    stories: ``/story/N``, optionally slowed by ``?delay=SECONDS``, held until ``meet=K``
    requests of ``group=NAME`` have arrived (so can ``/feeds/N.xml``, an RSS feed of it), or
    (either) busy for the first ``fail=K`` requests (``status``, default 503, with ``Retry-After:
    after``, default 0), and ``/go/N``, a redirect to ``/story/N``."""

    routes: ClassVar[dict[str, tuple[int, str, bytes, dict[str, str]]]] = {
        "/article.html": (200, "text/html; charset=utf-8",
                          f"<html><head><title>Fetched story</title></head><body><article><h1>"
                          f"Fetched story</h1><p>{BLATANT}</p><p>The committee met on Tuesday "
                          f"to discuss the budget and heard three witnesses.</p></article>"
                          f"</body></html>".encode(), {}),
        "/article.txt": (200, "text/plain; charset=utf-8", ARTICLE.encode(), {}),
        "/art%C3%ADculo.html": (200, "text/html; charset=utf-8", LEGACY.decode("latin-1").encode(), {}),
        # Legacy pages that are not UTF-8: one names its charset only in the HTTP header, one
        # names none anywhere (browsers read both as windows-1252).
        "/legacy-header.html": (200, "text/html; charset=ISO-8859-1", LEGACY, {}),
        "/legacy-bare.html": (200, "text/html", LEGACY.replace(b"The caf\xe9", b"The \x93caf\xe9\x94"), {}),
        "/big.html": (200, "text/html", b"<p>" + b"word " * 40_000 + b"</p>", {}),
        "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64), {}),
        "/missing": (404, "text/plain", b"not here", {}),
        "/to-article": (302, "text/plain", b"", {"Location": "/article.html"}),
        # The header's UTF-8 bytes (http.server writes header values as latin-1).
        "/to-art%C3%ADculo": (302, "text/plain", b"",
                              {"Location": "/artículo.html".encode().decode("latin-1")}),
        "/to-metadata": (302, "text/plain", b"", {"Location": "http://169.254.169.254/latest/"}),
        "/to-file": (302, "text/plain", b"", {"Location": "file:///etc/passwd"}),
        "/to-nowhere": (302, "text/html", b"<p>Moved somewhere.</p>", {}),
        # Feeds list stories by relative links, resolved against the feed's URL.
        "/feed.xml": (200, "application/rss+xml", b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Test news</title>
<item><title>Feed title 41</title><link>/story/41</link><dc:creator>Ann Feed</dc:creator>
<pubDate>Mon, 30 Nov 2026 09:15:00 +0000</pubDate></item>
<item><title>Feed title 40</title><link>story/40</link></item>
<item><title>Elsewhere</title><link>mailto:desk@example.org</link></item>
</channel></rss>""", {}),
        "/more/feed.xml": (200, "application/atom+xml", b"""<feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>Atom 42</title><link rel="self" href="/api/42"/><link href="/story/42"/>
<published>2026-12-01T07:00:00Z</published></entry>
<entry><title>Again 41</title><link href="/story/41"/></entry></feed>""", {}),
        # A site's index: a sitemap changed recently, an old one (never fetched with
        # --feed-since), an undated one, and itself (an index inside an index).
        "/sitemap-index.xml": (200, "application/xml", b"""<sitemapindex
 xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/sitemap-1.xml</loc><lastmod>2026-11-20</lastmod></sitemap>
<sitemap><loc>/sitemap-2.xml</loc><lastmod>2025-06-01T00:00:00Z</lastmod></sitemap>
<sitemap><loc>/sitemap.xml.gz</loc></sitemap><sitemap><loc>/sitemap-index.xml</loc></sitemap>
</sitemapindex>""", {}),
        "/sitemap-1.xml": (200, "application/xml", b"""<urlset
 xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/story/90</loc><lastmod>2026-11-25</lastmod></url>
<url><loc>/story/91</loc><lastmod>2026-10-01</lastmod></url></urlset>""", {}),
        # Compressed sitemaps are served as gzip files, not with a Content-Encoding.
        "/sitemap.xml.gz": (200, "application/x-gzip", gzip.compress(
            b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>/story/45</loc>"
            b"</url></urlset>"), {}),
        # Feeds mislabelled by their servers, recognised by their first bytes.
        "/labelled-html.xml": (200, "text/html; charset=utf-8", b"""\xef\xbb\xbf
<?xml version="1.0"?><rss><channel><item><link>/story/46</link></item></channel></rss>""", {}),
        "/octets.xml.gz": (200, "application/octet-stream", gzip.compress(
            b"<urlset><url><loc>/story/47</loc></url></urlset>"), {}),
        "/list.opml": (200, "text/x-opml", b"""<opml version="2.0"><body>
<outline text="Test" xmlUrl="/feed.xml"/></body></opml>""", {}),
        "/laughs.xml": (200, "text/xml", b"""<?xml version="1.0"?><!DOCTYPE rss [
<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss><channel><item><title>&c;</title><link>/story/43</link></item></channel></rss>""", {}),
    }

    # Every path asked for, and the most requests served at once (URL-list tests read them).
    hits: ClassVar[list[str]] = []
    in_flight: ClassVar[list[int]] = [0, 0]  # now, most
    arrived: ClassVar[dict[str, int]] = {}  # requests per ?group= (see _meet)
    alone: ClassVar[list[str]] = []  # the group of each request that waited out its meeting
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_GET(self) -> None:
        with self.lock:
            self.hits.append(self.path)
            self.in_flight[0] += 1
            self.in_flight[1] = max(self.in_flight[1], self.in_flight[0])
        try:
            self._answer()
        finally:
            with self.lock:
                self.in_flight[0] -= 1

    def _meet(self, group: str, count: int) -> None:
        """Hold this request until ``count`` requests of ``group`` have arrived (3 s at most):
        requests made one after another never meet, requests made at once always do."""
        with self.lock:
            self.arrived[group] = self.arrived.get(group, 0) + 1
        deadline = time.monotonic() + 3
        while self.arrived[group] < count and time.monotonic() < deadline:
            time.sleep(0.005)
        if self.arrived[group] < count:
            with self.lock:
                self.alone.append(group)

    def _answer(self) -> None:
        path, _, query = self.path.partition("?")
        q = {k: v[0] for k, v in parse_qs(query).items()}
        if self.path.startswith("/go/"):  # a tracking link: /go/N redirects to /story/N
            self.routes[self.path] = (302, "text/plain", b"",
                                      {"Location": self.path.replace("/go/", "/story/", 1)})
        elif self.path.startswith("/feeds/"):  # /feeds/N.xml: an RSS feed of /story/N
            if "meet" in q:
                self._meet(q.get("group", ""), int(q["meet"]))
            n = path.removeprefix("/feeds/").removesuffix(".xml")
            self.routes[self.path] = (200, "application/rss+xml", f"<rss><channel><item><link>"
                                      f"/story/{n}</link></item></channel></rss>".encode(), {})
        elif self.path.startswith("/story/"):  # a distinct article per N; see the class docstring
            time.sleep(float(q.get("delay", 0)))
            if "meet" in q:
                self._meet(q.get("group", ""), int(q["meet"]))
            n = path.removeprefix("/story/")
            body = (f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
                    f"<p>Story number {n}: {BLATANT}</p></article></body></html>").encode()
            self.routes[self.path] = (200, "text/html; charset=utf-8", body, {})
        if self.path.startswith(("/story/", "/feeds/")):
            with self.lock:
                asked = self.hits.count(self.path)
            if asked <= int(q.get("fail", 0)):  # busy: the first K requests are told to retry
                self.routes[self.path] = (int(q.get("status", 503)), "text/plain", b"busy",
                                          {"Retry-After": q.get("after", "0")})
        status, ctype, body, headers = self.routes.get(self.path, (404, "text/plain", b"", {}))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def pages() -> Iterator[str]:
    """Base URL of a tiny HTTP server on 127.0.0.1 serving the test pages (``_Pages``)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def page_log(pages: str) -> type[_Pages]:
    """The page server's record of requests (``hits``, ``in_flight``), cleared for the test."""
    with _Pages.lock:
        _Pages.hits.clear()
        _Pages.in_flight[1] = 0
        _Pages.arrived.clear()
        _Pages.alone.clear()
    return _Pages
