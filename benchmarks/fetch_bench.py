"""Benchmark reading web pages in bulk: `propscope analyze --urls`, `corpus ingest --urls`
and `corpus ingest --feed`.

Usage:
    python benchmarks/fetch_bench.py [--pages 200] [--delay 0.2] [--concurrency 1 4 8]
        [--data ../shared/data/semeval2023-task3-en] [--workdir /tmp/propscope-fetch-bench]

A page server on 127.0.0.1 serves shared-task articles (train and unlabelled, cycled to
``--pages``) as HTML, each answer held ``--delay`` seconds to stand for a remote site's
latency (0.2 s is a typical news page's time to first byte from another continent). Each run
is the real CLI in a subprocess (model loading included) with PROPSCOPE_FETCH_CONCURRENCY set;
the corpus run is repeated to measure a re-run over a list whose pages are all stored (no page
is fetched again). ``/feed.xml`` is an RSS feed of every page through a tracking redirect
(``/go/N.html`` answers 302 to ``/N.html``), as many outlets' feeds are: its re-run shows
whether redirected pages are fetched again. ``/sitemap-index.xml`` is a site's archive as a
sitemap index of twelve monthly sitemaps (page N in month N mod 12 + 1 of 2026, each sitemap
dated by its month's last change): ``--feed-since 2026-12-01`` should fetch the index, one
sitemap and December's pages only. ``/reader.opml`` is a feed reader's list of 20 feeds
(``/feeds/K.xml``, each listing every 20th page): its re-run, every page stored, is the
daily run of a researcher following 20 outlets, and costs only the 21 feed fetches. Prints a
Markdown table; nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import html
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "semeval2023-task3-en"


def page_bodies(data: Path, n: int) -> list[bytes]:
    """``n`` HTML pages made of the shared-task articles (title line, then paragraphs)."""
    files = [f for folder in ("train-articles", "unlabelled-articles")
             for f in sorted((data / folder).glob("*.txt"))]
    if not files:
        raise SystemExit(f"no articles under {data}; pass --data")
    pages = []
    for i in range(n):
        lines = [ln for ln in files[i % len(files)].read_text(encoding="utf-8").split("\n") if ln.strip()]
        title, paras = html.escape(lines[0]), "".join(f"<p>{html.escape(p)}</p>" for p in lines[1:])
        # The page number keeps cycled articles distinct, so none is skipped as a repeat.
        pages.append(f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
                     f"<p>Page {i}.</p>{paras}</article></body></html>".encode())
    return pages


def serve(pages: list[bytes], delay: float) -> tuple[http.server.ThreadingHTTPServer, list[int]]:
    hits = [0]
    lock = threading.Lock()  # the handler threads count at once; the column must be exact
    items = "".join(f"<item><title>Page {i}</title><link>/go/{i}.html</link></item>"
                    for i in range(len(pages)))
    feed = f"<rss version='2.0'><channel><title>Bench</title>{items}</channel></rss>".encode()
    ns = "xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'"
    index = (f"<sitemapindex {ns}>" + "".join(
        f"<sitemap><loc>/sitemap-{m}.xml</loc><lastmod>2026-{m:02d}-28</lastmod></sitemap>"
        for m in range(1, 13)) + "</sitemapindex>").encode()
    feeds = {f"/feeds/{k}.xml": ("<rss><channel>" + "".join(
        f"<item><link>/{i}.html</link></item>" for i in range(k, len(pages), 20))
        + "</channel></rss>").encode() for k in range(20)}
    reader = ("<opml><body>" + "".join(f"<outline text='{k}' xmlUrl='/feeds/{k}.xml'/>" for k in range(20))
              + "</body></opml>").encode()
    monthly = {f"/sitemap-{m}.xml": (f"<urlset {ns}>" + "".join(
        f"<url><loc>/{i}.html</loc><lastmod>2026-{m:02d}-15</lastmod></url>"
        for i in range(len(pages)) if i % 12 + 1 == m) + "</urlset>").encode() for m in range(1, 13)}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                hits[0] += 1
            time.sleep(delay)
            if self.path.startswith("/go/"):
                self.send_response(302)
                self.send_header("Location", self.path.removeprefix("/go"))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == "/feed.xml":
                ctype, body = "application/rss+xml", feed
            elif self.path in feeds:
                ctype, body = "application/rss+xml", feeds[self.path]
            elif self.path == "/reader.opml":
                ctype, body = "text/x-opml", reader
            elif self.path == "/sitemap-index.xml" or self.path in monthly:
                ctype, body = "application/xml", monthly.get(self.path, index)
            else:
                n = int(self.path.strip("/").removesuffix(".html"))
                ctype, body = "text/html; charset=utf-8", pages[n]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, hits


def timed(argv: list[str], concurrency: int) -> float:
    env = {**os.environ, "PROPSCOPE_FETCH_ALLOW_HOSTS": "127.0.0.1",
           "PROPSCOPE_FETCH_CONCURRENCY": str(concurrency)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "propscope.cli.main", *argv], env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--delay", type=float, default=0.2, help="seconds each page is held (default 0.2)")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/propscope-fetch-bench"))
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    httpd, hits = serve(page_bodies(args.data, args.pages), args.delay)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    links = args.workdir / "links.txt"
    links.write_text("".join(f"{base}/{i}.html\n" for i in range(args.pages)), encoding="utf-8")

    print(f"{args.pages} pages, each held {args.delay:g} s; the real CLI in a subprocess\n")
    print("| command | concurrency | seconds | pages/s | pages fetched |")
    print("| --- | ---: | ---: | ---: | ---: |")

    def row(name: str, cmd: list[str], c: int, pages: int = args.pages) -> None:
        """One run of ``cmd``; ``pages``: how many pages it should read (for pages/s)."""
        before = hits[0]
        s = timed(cmd, c)
        print(f"| {name} | {c} | {s:.1f} | {pages / s:.1f} | {hits[0] - before} |", flush=True)

    for c in args.concurrency:
        out = args.workdir / f"pages-{c}.jsonl"
        row("`analyze --urls links.txt -o pages.jsonl`", ["analyze", "--urls", str(links), "-o", str(out),
                                                         "--quiet"], c)
    c = max(args.concurrency)
    db = args.workdir / "corpus.duckdb"
    db.unlink(missing_ok=True)
    ingest = ["corpus", "ingest", "--urls", str(links), "--db", str(db), "--no-progress"]
    row("`corpus ingest --urls links.txt` (new store)", ingest, c)
    row("the same again (every page stored)", ingest, c)
    db.unlink(missing_ok=True)
    follow = ["corpus", "ingest", "--feed", f"{base}/feed.xml", "--db", str(db), "--no-progress"]
    row("`corpus ingest --feed URL` (new store; links redirect)", follow, c)
    row("the same again (every page stored)", follow, c)
    db.unlink(missing_ok=True)
    recent = ["corpus", "ingest", "--feed", f"{base}/sitemap-index.xml", "--feed-since", "2026-12-01",
              "--db", str(db), "--no-progress"]
    row("`corpus ingest --feed INDEX --feed-since 2026-12-01` (new store; a month's pages)", recent, c,
        pages=sum(1 for i in range(args.pages) if i % 12 == 11))
    db.unlink(missing_ok=True)
    reading = ["corpus", "ingest", "--feed", f"{base}/reader.opml", "--db", str(db), "--no-progress"]
    row("`corpus ingest --feed reader.opml` (20 feeds; new store)", reading, c)
    row("the same again (every page stored: the feeds only)", reading, c)
    httpd.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
