"""Connection limits of a real `propscope serve` on 127.0.0.1: slow clients cannot lock it.

The server may open 400 files, as if `ulimit -n` were 400. Before the limits, 600
connections that sent half a request took every descriptor, and no other client could
connect; forwarded headers from loopback also made each request a new client to the rate
limit.
"""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial

import httpx
import pytest
from serverkit import Server, start_server, stop_server

from propscope.config import ServerConfig
from propscope.server.connections import server_options

HALF = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # the blank line never comes


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # Settings by environment, so that the same test runs against a server without them.
    s = start_server(tmp_path_factory.mktemp("guarded"), "--rate-limit", "5", open_files=400,
                     env={"PROPSCOPE_HEADER_TIMEOUT": "1"})
    yield s
    stop_server(s)


def _port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _half_requests(server: Server, n: int, client: str = "127.0.0.1") -> list[socket.socket]:
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", _port(server)), timeout=10,
                                     source_address=(client, 0))
        s.sendall(HALF)
        socks.append(s)
    return socks


def test_slow_clients_do_not_lock_others_out(guarded: Server) -> None:
    socks = _half_requests(guarded, 600)
    try:
        other = httpx.HTTPTransport(local_address="127.0.0.2")  # another client
        with httpx.Client(transport=other, timeout=5) as client:
            assert client.get(guarded.url + "/api/health").status_code == 200
    finally:
        for s in socks:
            s.close()


def test_a_client_past_its_connections_is_answered_at_once(guarded: Server) -> None:
    socks = _half_requests(guarded, 33, client="127.0.0.4")  # 32 per client by default
    try:
        answer = socks[-1].recv(4096)
        assert answer.startswith(b"HTTP/1.1 503") and b"max_client_connections" in answer
    finally:
        for s in socks:
            s.close()


def test_headers_that_do_not_come_in_time_end_the_connection(guarded: Server) -> None:
    [half] = _half_requests(guarded, 1)
    idle = socket.create_connection(("127.0.0.1", _port(guarded)), timeout=10)
    started = time.monotonic()
    try:
        answer = half.recv(4096)
        assert answer.startswith(b"HTTP/1.1 408") and b"header_timeout" in answer
        assert half.recv(4096) == b""  # closed
        assert idle.recv(4096) == b""  # nothing sent, nothing answered: just closed
        assert time.monotonic() - started < 5
    finally:
        half.close()
        idle.close()


def test_forwarded_headers_do_not_make_new_clients(guarded: Server) -> None:
    # uvicorn believed X-Forwarded-For from 127.0.0.1: each forged address had its own limit
    # (of 5 requests a minute; the start-up's health checks count too).
    statuses = [httpx.get(guarded.url + "/api/version", headers={"X-Forwarded-For": f"10.0.0.{i}"},
                          timeout=10).status_code for i in range(6)]
    assert statuses[-1] == 429


def test_a_trusted_proxy_is_the_only_one_whose_forwarded_headers_count() -> None:
    assert server_options(ServerConfig())["proxy_headers"] is False
    behind = server_options(ServerConfig(trusted_proxies=("10.0.0.2",)))
    assert behind["proxy_headers"] is True and behind["forwarded_allow_ips"] == ["10.0.0.2"]


def test_more_connections_than_open_files_is_refused_before_loading_the_model() -> None:
    done = subprocess.run([sys.executable, "-m", "propscope.cli.main", "serve", "--max-connections",
                           "1000"], capture_output=True, text=True, timeout=60,
                          preexec_fn=partial(resource.setrlimit, resource.RLIMIT_NOFILE, (400, 400)))
    assert done.returncode == 1
    assert "max_connections 1000 needs 1068 open files, but this process may open 400" in done.stderr
    assert "loading model" not in done.stderr


def test_websocket_upgrades_do_not_use_up_a_clients_connections(guarded: Server) -> None:
    # An upgraded connection left the protocol that counts connections per client, and its
    # count with it: 32 upgrades locked the address out for good.
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    other = httpx.HTTPTransport(local_address="127.0.0.3")
    with httpx.Client(transport=other, timeout=10) as client:
        for _ in range(40):
            with client.stream("GET", guarded.url + "/", headers=upgrade) as r:
                assert r.status_code != 101
        assert client.get(guarded.url + "/api/health").status_code == 200
