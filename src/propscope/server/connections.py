"""Limits below the app: a deadline for each request's headers, and caps on open connections.

The app's guards (token, rate limit, body size) act once a request's headers have arrived. A
client that opens connections and sends half a request got past all of them: each such
connection held a file descriptor for ever, and about a thousand locked every other client
out ("Too many open files"). These limits live in the HTTP protocol object uvicorn makes for
each connection, so they act before a header is read:

- a connection over ``max_connections``, or over ``max_client_connections`` from one address,
  is answered 503 and closed at once;
- a request whose headers are not complete ``header_timeout`` seconds after the connection
  opened (or after the previous response) is answered 408 and closed; an idle connection is
  just closed.

Behind a reverse proxy every connection comes from the proxy: its address, listed in
``trusted_proxies``, counts only toward ``max_connections``, and its ``X-Forwarded-For``
names the client for the rate limit. No other address's forwarded headers are believed.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from propscope.config import ServerConfig
from propscope.server.errors import ServerConfigError

# File descriptors the server needs besides its connections: the listening socket, the model
# and store files, the fetcher's connections (``fetch_concurrency`` more), the event loop's.
RESERVED_DESCRIPTORS = 64


def _answer(transport: asyncio.BaseTransport, status: int, reason: str, message: str) -> None:
    """Send a complete error response (the API's JSON shape) and close the connection."""
    assert isinstance(transport, asyncio.WriteTransport)
    body = json.dumps({"error": {"status": status, "message": message}}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n")
    if status == 503:
        head += "retry-after: 10\r\n"
    transport.write(head.encode() + b"\r\n" + body)
    transport.close()


def limited_protocol(config: ServerConfig) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol class with ``config``'s header deadline and connection caps."""
    trusted = frozenset(config.trusted_proxies)
    per_client: Counter[str] = Counter()  # open connections by address, for this server

    class LimitedProtocol(H11Protocol):
        address = ""
        counted = False  # taken into ``per_client`` and uvicorn's connections
        started = False  # bytes of a request have come since the deadline was set
        awaited: object = None  # the request before the one whose headers are awaited
        deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            peer = transport.get_extra_info("peername")
            self.address = str(peer[0]) if peer else ""
            if len(self.connections) >= config.max_connections:
                _answer(transport, 503, "Service Unavailable",
                        f"The server has {config.max_connections} connections open, its limit "
                        "(max_connections); try again shortly.")
                return
            if self.address not in trusted and per_client[self.address] >= config.max_client_connections:
                _answer(transport, 503, "Service Unavailable",
                        f"This address has {config.max_client_connections} connections open, "
                        "the limit per client (max_client_connections); close some first.")
                return
            per_client[self.address] += 1
            self.counted = True
            assert isinstance(transport, asyncio.Transport)
            super().connection_made(transport)
            self._await_headers()

        def connection_lost(self, exc: Exception | None) -> None:
            if not self.counted:  # refused: uvicorn never saw it
                return
            per_client[self.address] -= 1
            if not per_client[self.address]:
                del per_client[self.address]
            if self.deadline is not None:
                self.deadline.cancel()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            self.started = True
            super().data_received(data)

        def on_response_complete(self) -> None:
            self._await_headers()  # before a pipelined request is taken up
            super().on_response_complete()

        def _await_headers(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
            self.awaited, self.started = self.cycle, False
            self.deadline = self.loop.call_later(config.header_timeout, self._expire)

        def _expire(self) -> None:
            # A new request cycle means its headers arrived in time.
            if self.cycle is not self.awaited or self.transport.is_closing():
                return
            if self.started:
                _answer(self.transport, 408, "Request Timeout",
                        f"The request's headers did not arrive within {config.header_timeout:g} "
                        "seconds (header_timeout).")
            else:
                self.transport.close()

    return LimitedProtocol


def check_descriptors(config: ServerConfig, fetch_concurrency: int) -> None:
    """Make sure this process may open a descriptor for every connection ``config`` allows
    and each of its ``fetch_concurrency`` fetches, raising its soft limit up to the hard one
    if needed; ``ServerConfigError`` otherwise."""
    try:
        import resource
    except ImportError:  # not a POSIX system: no such limit to read
        return
    need = config.max_connections + fetch_concurrency + RESERVED_DESCRIPTORS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        if hard == resource.RLIM_INFINITY or hard >= need:
            resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
            return
        raise ServerConfigError(
            f"max_connections {config.max_connections} needs {need} open files, but this process "
            f"may open {hard} (ulimit -n); lower --max-connections to at most "
            f"{max(1, hard - need + config.max_connections)}, or raise the limit.")


def server_options(config: ServerConfig) -> dict[str, Any]:
    """The ``uvicorn.run`` options that apply ``config``'s connection limits and proxy trust."""
    # No WebSockets (the app has no such route): an upgraded connection would leave this
    # protocol, and with it the count of its client's connections.
    return {"http": limited_protocol(config), "ws": "none",
            "proxy_headers": bool(config.trusted_proxies),
            "forwarded_allow_ips": list(config.trusted_proxies) or None}
