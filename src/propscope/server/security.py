"""The app's guards, as plain ASGI middleware: headers, host/origin, token, rate and size limits.

Each guard is small and answers with the app's JSON error shape. They run outermost first:
security headers on every response, then the host and origin check (a page on another site
cannot drive a server bound to loopback through DNS rebinding or a cross-site form), then
the per-client rate limit (before the token, so guessing it is slow too), the token, and
the body size limit, which counts bytes as they
arrive so an oversized upload is refused without being read into memory.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time
from collections import deque
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.datastructures import Headers
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from propscope.config import ServerConfig
from propscope.server.errors import HTTPError, error_response

COOKIE = "propscope_session"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# Paths anyone may load: static assets hold no data, the login form is how a token arrives.
PUBLIC_PREFIXES = ("/static/", "/login", "/favicon.ico")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or IP literal) is a loopback address."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def session_value(token: str) -> str:
    """The cookie value standing for ``token``: derived from it, never the token itself."""
    return hmac.new(token.encode(), b"propscope-session-v1", hashlib.sha256).hexdigest()


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison, so response timing leaks nothing about the token."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode())


def _host_name(host_header: str) -> str:
    return (urlsplit("//" + host_header).hostname or "") if host_header else ""


class SecurityHeaders:
    """Adds CSP (no inline script), nosniff, frame and referrer policies to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in SECURITY_HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostGuard:
    """Refuses foreign Host headers on a loopback server and cross-origin writes everywhere."""

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.check_host = is_loopback(config.host) and not config.token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if self.check_host and host and not is_loopback(_host_name(host)):
            # A loopback server reached under another name is a DNS-rebinding attempt.
            await error_response(400, f"Unknown host {host!r}: this server only answers to "
                                      "localhost / 127.0.0.1.")(scope, receive, send)
            return
        origin = headers.get("origin")
        # "null" is what the login form's own post sends (the pages' Referrer-Policy is
        # no-referrer), but also what a sandboxed frame on any site sends: taken on /login only.
        null_ok = origin == "null" and scope.get("path") == "/login"
        if (scope["method"] not in ("GET", "HEAD", "OPTIONS") and origin and not null_ok
                and urlsplit(origin).netloc.lower() != host.lower()):
            await error_response(403, f"Cross-origin request from {origin} refused.")(
                scope, receive, send)
            return
        await self.app(scope, receive, send)


class TokenAuth:
    """Requires the configured token on every API and page request.

    Accepted as ``Authorization: Bearer TOKEN``, as the session cookie set by ``/login``, or
    once as ``?token=TOKEN`` on a page, which sets the cookie and redirects to the same page
    without the token in its address.
    """

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.token = config.token or ""
        self.session = session_value(self.token) if self.token else ""

    def _authorized(self, headers: Headers) -> bool:
        auth = headers.get("authorization", "")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() == "bearer" and token_matches(given.strip(), self.token):
            return True
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and token_matches(value, self.session):
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (not self.token or scope["type"] != "http"
                or path.startswith(PUBLIC_PREFIXES)):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if self._authorized(headers):
            await self.app(scope, receive, send)
            return
        response: Response
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = dict(query).get("token")
        if path.startswith("/api/"):
            response = error_response(
                401, "This server requires an API token: send 'Authorization: Bearer TOKEN'.",
                headers={"WWW-Authenticate": 'Bearer realm="propscope"'})
        elif given is not None and token_matches(given, self.token):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            # One leading slash: "//evil.example/" (or "/\\evil.example/") would send the
            # browser to another site.
            here = "/" + path.lstrip("/\\")
            response = RedirectResponse(here + ("?" + rest if rest else ""), status_code=303)
            set_session_cookie(response, self.token)
        else:
            response = RedirectResponse("/login" + ("?failed=1" if given is not None else ""),
                                        status_code=303)
        await response(scope, receive, send)


def set_session_cookie(response: Response, token: str) -> None:
    """Log the browser in: an HttpOnly, same-site-only cookie derived from the token."""
    response.set_cookie(COOKIE, session_value(token), httponly=True, samesite="strict", path="/")


class RateLimit:
    """At most ``rate_limit`` API requests per client per minute (sliding window); 429 above."""

    WINDOW = 60.0

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.limit = config.rate_limit
        self.hits: dict[str, deque[float]] = {}

    def _retry_after(self, client: str) -> int:
        """Seconds until the client may send again, or 0 if this request is allowed."""
        now = time.monotonic()
        if len(self.hits) > 1024:  # forget idle clients so the table cannot grow without bound
            self.hits = {c: q for c, q in self.hits.items() if q and now - q[-1] < self.WINDOW}
        q = self.hits.setdefault(client, deque())
        while q and now - q[0] >= self.WINDOW:
            q.popleft()
        if len(q) >= self.limit:
            return max(1, math.ceil(self.WINDOW - (now - q[0])))
        q.append(now)
        return 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.limit <= 0 or scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self._retry_after(client)
        if wait:
            await error_response(
                429, f"Rate limit of {self.limit} requests per minute reached; retry in {wait} s.",
                headers={"Retry-After": str(wait)})(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuses request bodies above ``max_body_bytes``, counting bytes while they stream in."""

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.max = config.max_body_bytes

    def error(self) -> HTTPError:
        # In words a reader of the page can act on (about 6 characters a word), then the
        # setting an operator changes.
        return HTTPError(413, f"Request body is larger than the {self.max:,}-byte limit, about "
                              f"{self.max // 6:,} words: send a shorter text, or split it "
                              "(server setting max_body_bytes / PROPSCOPE_MAX_BODY_BYTES).")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max:
            err = self.error()
            await error_response(err.status, err.message, {"Connection": "close"})(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max:
                    raise self.error()
            return message

        await self.app(scope, counting_receive, send)
