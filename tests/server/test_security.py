"""Safe defaults: security headers, the token, host and origin checks, the rate limit."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest
from serverkit import ARTICLE, TOKEN, Server

from propscope.cli.main import main
from propscope.config import Config, ServerConfig
from propscope.server.app import check_config
from propscope.server.errors import ServerConfigError
from propscope.server.security import is_loopback, session_value, token_matches
from propscope.version import __version__


@pytest.mark.parametrize("path", ["/", "/api/health", "/static/app.js", "/api/nothing"])
def test_every_response_carries_the_security_headers(server: Server, path: str) -> None:
    r = httpx.get(server.url + path)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


class _TagAudit(HTMLParser):
    """Collects inline scripts, event-handler attributes and non-local resource links."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a.get("src") or "")
            if not (a.get("src") or "").startswith("/static/"):
                self.problems.append(f"inline or foreign script {a}")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"inline {name} on <{tag}>")
            if name in ("src", "href") and value and not (
                    (value.startswith("/") and not value.startswith("//")) or value.startswith("#")):
                self.problems.append(f"non-local {name}={value}")


@pytest.mark.parametrize(("which", "path"), [("server", "/"), ("strict_server", "/login")])
def test_pages_have_no_inline_script_and_only_local_resources(request: pytest.FixtureRequest,
                                                              which: str, path: str) -> None:
    page = httpx.get(request.getfixturevalue(which).url + path)
    assert page.status_code == 200
    audit = _TagAudit()
    audit.feed(page.text)
    assert audit.problems == []
    assert audit.scripts == ([] if path == "/login" else ["/static/app.js?v=" + __version__])


@pytest.mark.parametrize(("host", "expected"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.8.0.1", True),
    ("0.0.0.0", False), ("10.0.0.1", False), ("example.org", False), ("192.168.1.2", False)])
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_binding_beyond_loopback_without_token_is_refused(host: str) -> None:
    with pytest.raises(ServerConfigError, match="needs an API token"):
        check_config(Config(server=ServerConfig(host=host)))
    check_config(Config(server=ServerConfig(host=host, token="t")))


@pytest.mark.parametrize(("host", "token"), [("0.0.0.0", " "), ("0.0.0.0", "\t\n"), ("127.0.0.1", ""),
                                           ("127.0.0.1", "  ")])
def test_a_blank_token_is_refused(host: str, token: str) -> None:
    # " " protected a public server with a token anyone could send as ?token=%20.
    with pytest.raises(ServerConfigError, match="The API token is blank"):
        check_config(Config(server=ServerConfig(host=host, token=token)))


@pytest.mark.parametrize(("setting", "said"), [
    ({"header_timeout": 0.0}, "header_timeout must be above 0 and at most 300"),
    ({"header_timeout": 301.0}, "header_timeout must be above 0 and at most 300"),
    ({"max_connections": 0}, "max_connections must be at least 1"),
    ({"max_client_connections": 0}, "max_client_connections must be at least 1"),
    ({"max_connections": 10, "max_client_connections": 11}, "must be at most max_connections (10)"),
    ({"store_max_mb": 0}, "store_max_mb must be at least 1"),
    ({"store_days": -1}, "store_days must be 0 (no expiry) or more"),
])
def test_server_limits_are_bounded(setting: dict[str, float], said: str) -> None:
    with pytest.raises(ServerConfigError) as err:
        check_config(Config(server=ServerConfig(**setting)))  # type: ignore[arg-type]
    assert said in str(err.value)


def test_serve_command_refuses_public_address_without_token(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROPSCOPE_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 1
    assert "needs an API token" in capsys.readouterr().err


def test_token_comparison_is_exact() -> None:
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches(TOKEN[:-1], TOKEN)
    assert not token_matches("", TOKEN)
    assert session_value(TOKEN) != TOKEN and TOKEN not in session_value(TOKEN)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/health"), ("GET", "/api/techniques"), ("POST", "/api/analyze"),
    ("GET", "/api/openapi.json")])
def test_token_server_refuses_api_requests_without_the_token(strict_server: Server, method: str,
                                                             path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        r = httpx.request(method, strict_server.url + path, headers=headers)
        assert r.status_code == 401
        assert r.json()["error"]["status"] == 401
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_token_server_answers_with_bearer_token(strict_server: Server) -> None:
    r = httpx.post(strict_server.url + "/api/analyze", json={"text": ARTICLE},
                   headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert r.status_code == 200
    assert r.json()["text"] == ARTICLE


def test_page_login_with_token_query_sets_cookie_and_drops_token_from_url(strict_server: Server) -> None:
    with httpx.Client(base_url=strict_server.url) as browser:
        assert browser.get("/").headers["location"] == "/login"
        r = browser.get(f"/?token={TOKEN}")
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        assert TOKEN not in cookie
        assert browser.get("/").status_code == 200
        assert browser.get("/api/health").status_code == 200


@pytest.mark.parametrize("path", ["//evil.example/", "/%2F%2Fevil.example", "/%5Cevil.example/"])
def test_the_token_redirect_stays_on_this_server(strict_server: Server, path: str) -> None:
    # "//evil.example/?token=..." redirected to //evil.example/: another site, to a browser.
    url = httpx.URL(strict_server.url + "/").copy_with(raw_path=f"{path}?token={TOKEN}".encode())
    r = httpx.get(url)
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


def test_login_form(strict_server: Server) -> None:
    with httpx.Client(base_url=strict_server.url) as browser:
        assert browser.get("/login").status_code == 200
        assert browser.post("/login", data={"token": "nope"}).status_code == 401
        assert browser.get("/").status_code == 303
        r = browser.post("/login", data={"token": TOKEN})
        assert r.status_code == 303
        assert browser.get("/").status_code == 200


def test_wrong_token_query_goes_to_login(strict_server: Server) -> None:
    r = httpx.get(strict_server.url + "/?token=wrong")
    assert r.status_code == 303 and r.headers["location"] == "/login?failed=1"
    assert "set-cookie" not in r.headers


def test_loopback_server_refuses_foreign_host_header(server: Server) -> None:
    # A page on evil.example rebinding its name to 127.0.0.1 must not reach the API.
    r = httpx.get(server.url + "/api/health", headers={"Host": "evil.example"})
    assert r.status_code == 400
    assert "only answers to localhost" in r.json()["error"]["message"]
    assert httpx.get(server.url + "/api/health", headers={"Host": "localhost:1234"}).status_code == 200


def test_cross_origin_post_is_refused(server: Server) -> None:
    r = httpx.post(server.url + "/api/analyze", json={"text": ARTICLE},
                   headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    same = httpx.post(server.url + "/api/analyze", json={"text": ARTICLE}, timeout=60,
                      headers={"Origin": server.url})
    assert same.status_code == 200
    # A sandboxed frame on any site posts with "Origin: null": refused, except on /login,
    # whose form (under the pages' no-referrer policy) sends it too.
    sandboxed = httpx.post(server.url + "/api/analyses", json={"text": ARTICLE},
                           headers={"Origin": "null"})
    assert sandboxed.status_code == 403
    login = httpx.post(server.url + "/login", data={"token": "x"}, headers={"Origin": "null"})
    assert login.status_code != 403


def test_rate_limit_is_per_client_and_says_when_to_retry(strict_server: Server) -> None:
    # The strict server allows 60 API requests a minute per client; 127.0.0.2 is a client of
    # its own, so the other tests (from 127.0.0.1) are not affected.
    auth = {"Authorization": f"Bearer {TOKEN}"}
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=strict_server.url, transport=transport, headers=auth) as other:
        statuses = [other.get("/api/health").status_code for _ in range(61)]
        assert statuses == [200] * 60 + [429]
        r = other.get("/api/version")
        assert r.status_code == 429
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert "60 requests per minute" in r.json()["error"]["message"]
        assert other.get("/").status_code == 200  # pages are not rate limited
    assert httpx.get(strict_server.url + "/api/health", headers=auth).status_code == 200
