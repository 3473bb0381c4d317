"""The URL fetcher: pages on an allowed host are analysed; everything that could reach inside is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from serverkit import BLATANT, TOKEN, Server

from propscope.ingest.fetch import AddressPolicy, FetchRefused, _retry_after, check_url


def test_fetches_and_analyses_a_page_on_an_allowed_host(server: Server, pages: str) -> None:
    r = httpx.post(server.url + "/api/analyze", json={"url": pages + "/article.html"}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    assert BLATANT in body["text"]
    assert "<p>" not in body["text"]
    assert body["source"] == pages + "/article.html"
    assert body["metadata"]["url"] == pages + "/article.html"


@pytest.mark.parametrize(("path", "word"), [("/legacy-header.html", "caf\u00e9"),
                                          ("/legacy-bare.html", "\u201ccaf\u00e9\u201d")])
def test_a_page_that_is_not_utf8_is_read_as_a_browser_reads_it(server: Server, pages: str,
                                                                path: str, word: str) -> None:
    # The server's charset, else windows-1252: before, both were refused with advice to pass
    # --encoding, which neither a fetched URL nor the web page can take.
    r = httpx.post(server.url + "/api/analyze", json={"url": pages + path}, timeout=60)
    assert r.status_code == 200, r.text
    assert f"The {word} owners of the old town" in r.json()["text"]


def test_follows_a_redirect_to_an_allowed_page(server: Server, pages: str) -> None:
    r = httpx.post(server.url + "/api/analyze", json={"url": pages + "/to-article", "id": "x"},
                   timeout=60)
    assert r.status_code == 200, r.text
    assert r.json()["source"] == pages + "/article.html"
    assert r.json()["id"] == "x"


@pytest.mark.parametrize(("path", "status", "fragment"), [
    ("/big.html", 413, "fetch limit"),
    ("/image.png", 415, "image/png"),
    ("/feed.xml", 415, "It looks like a feed or sitemap: `propscope analyze --feed URL` reads"),
    ("/missing", 502, "HTTP 404"),
    ("/to-metadata", 422, "169.254.169.254"),
    ("/to-file", 422, "scheme 'file'"),
    ("/to-nowhere", 502, "HTTP 302 without saying where to"),
])
def test_fetch_failures_have_clear_statuses(server: Server, pages: str, path: str, status: int,
                                            fragment: str) -> None:
    r = httpx.post(server.url + "/api/analyze", json={"url": pages + path}, timeout=60)
    assert r.status_code == status, r.text
    assert fragment in r.json()["error"]["message"]


@pytest.mark.parametrize(("url", "fragment"), [
    ("file:///etc/passwd", "only http:// and https://"),
    ("ftp://example.org/a.txt", "only http:// and https://"),
    ("javascript:alert(1)", "only http:// and https://"),
    ("http://10.0.0.1/", "non-public address"),
    ("http://169.254.169.254/latest/meta-data/", "non-public address"),
    ("http://[::1]:8000/", "non-public address"),
    ("http://localhost:8000/api/health", "non-public address"),
    ("http://127.0.0.1:8000/", "non-public address"),
    ("http://0.0.0.0/", "non-public address"),
])
def test_server_without_allow_list_refuses_internal_urls(strict_server: Server, url: str,
                                                         fragment: str) -> None:
    r = httpx.post(strict_server.url + "/api/analyze", json={"url": url},
                   headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert r.status_code == 422, r.text
    assert fragment in r.json()["error"]["message"]


def test_allow_list_is_per_host(server: Server) -> None:
    # The main server allows 127.0.0.1 only: "localhost" is a different host and stays refused.
    r = httpx.post(server.url + "/api/analyze", json={"url": "http://localhost:9/"}, timeout=30)
    assert r.status_code == 422
    assert "non-public" in r.json()["error"]["message"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://x/", "http:///nohost", "data:text/plain,hi"])
def test_check_url_refuses_non_http_urls(url: str) -> None:
    with pytest.raises(FetchRefused):
        check_url(url)


@pytest.mark.parametrize(("url", "sent"), [
    ("http://bücher.example/", "http://xn--bcher-kva.example/"),
    ("https://example.org/café?q=ü&x=%20", "https://example.org/caf%C3%A9?q=%C3%BC&x=%20"),
    ("http://user@BÜCHER.example:8080/a b", "http://user@xn--bcher-kva.example:8080/a%20b"),
    ("http://example.org/plain?ascii=1", "http://example.org/plain?ascii=1"),
])
def test_check_url_sends_international_urls_in_ascii(url: str, sent: str) -> None:
    assert check_url(url) == sent


@pytest.mark.parametrize(("url", "fragment"), [
    ("http://127.0.0.1:99999/", "Port out of range"), ("http://127.0.0.1:abc/", "Port could not be cast"),
    ("http://[::1/", "Invalid IPv6 URL"),
])
def test_malformed_urls_are_refused_not_crashed_on(server: Server, url: str, fragment: str) -> None:
    with pytest.raises(FetchRefused, match=fragment):
        check_url(url)
    r = httpx.post(server.url + "/api/analyze", json={"url": url}, timeout=30)
    assert r.status_code == 422, r.text  # a 500 before
    assert fragment in r.json()["error"]["message"]


def test_a_non_ascii_path_is_fetched_percent_encoded(server: Server, pages: str) -> None:
    r = httpx.post(server.url + "/api/analyze", json={"url": pages + "/artículo.html"}, timeout=60)
    assert r.status_code == 200, r.text  # a 500 (TypeError) before
    assert r.json()["source"] == pages + "/art%C3%ADculo.html"
    # A redirect to a non-ASCII path, its Location header sent as UTF-8 bytes.
    r = httpx.post(server.url + "/api/analyze", json={"url": pages + "/to-artículo"}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.json()["source"] == pages + "/art%C3%ADculo.html"


@pytest.mark.parametrize(("host", "allowed"), [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.0.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("::1", False), ("fe80::1", False),
    ("::ffff:127.0.0.1", False), ("224.0.0.1", False), ("0.0.0.0", False),
    ("8.8.8.8", True), ("2001:4860:4860::8888", True),
    # IPv6 addresses with an IPv4 address inside, reached through a translator or tunnel:
    # NAT64 of 169.254.169.254 and of 10.0.0.1, IPv4-compatible 127.0.0.1, 6to4 of 127.0.0.1,
    # a network's own NAT64 prefix, Teredo; NAT64 and 6to4 of a public address stay allowed.
    ("64:ff9b::a9fe:a9fe", False), ("64:ff9b::a00:1", False), ("::7f00:1", False),
    ("2002:7f00:1::", False), ("64:ff9b:1::a00:1", False), ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
    ("64:ff9b::808:808", True), ("2002:808:808::1", True)])
def test_address_policy_checks_every_resolved_address(host: str, allowed: bool) -> None:
    async def resolve() -> list[str]:
        return await AddressPolicy().addresses(host, 80)

    if allowed:
        assert anyio.run(resolve)
    else:
        with pytest.raises(FetchRefused):
            anyio.run(resolve)


def test_address_policy_allow_list_lets_named_hosts_through() -> None:
    async def resolve() -> list[str]:
        return await AddressPolicy(["127.0.0.1"]).addresses("127.0.0.1", 80)

    assert anyio.run(resolve) == ["127.0.0.1"]


def test_the_cli_analyses_a_url_as_the_page_fetches_it(pages: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from propscope.cli.main import main

    # Loopback is refused unless allowed, exactly as on the web page.
    assert main(["analyze", pages + "/article.html", "--format", "json"]) == 1
    assert "non-public address" in capsys.readouterr().err
    monkeypatch.setenv("PROPSCOPE_FETCH_ALLOW_HOSTS", "127.0.0.1")
    out = tmp_path / "a.jsonl"
    # A page, a failing page and a file, in order; the failure is reported and the rest kept.
    local = tmp_path / "local.txt"
    local.write_text("Local story\n\nCorrupt traitors lied to the nation again.\n", encoding="utf-8")
    assert main(["analyze", pages + "/to-article", pages + "/image.png", str(local), "-o", str(out),
                 "--quiet"]) == 1
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in records] == [pages + "/article.html", str(local)]  # after the redirect
    assert BLATANT in records[0]["text"] and records[0]["metadata"]["url"] == pages + "/article.html"
    assert records[0]["spans"]
    err = capsys.readouterr().err
    assert f"propscope: {pages}/image.png: " in err and "image/png" in err


def test_the_web_page_does_not_retry_a_busy_site(server: Server, pages: str, page_log: Any) -> None:
    # Its user is there to try again; a bulk fetch tries once more by itself.
    r = httpx.post(server.url + "/api/analyze", json={"url": pages + "/story/63?fail=1"}, timeout=60)
    assert r.status_code == 502 and "answered HTTP 503" in r.json()["error"]["message"]
    assert page_log.hits == ["/story/63?fail=1"]


@pytest.mark.parametrize(("value", "seconds"), [
    ("0", 0.0), (" 7 ", 7.0), ("", None), ("soon", None), ("-3", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: no wait
])
def test_retry_after_is_read_as_seconds_or_a_date(value: str, seconds: float | None) -> None:
    assert _retry_after(value) == seconds
    future = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 < (_retry_after(future) or 0) <= 30
