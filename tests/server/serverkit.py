"""Helpers for the server tests: test texts and starting a real `propscope serve` process."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx
import pytest

from propscope.config import from_env
from propscope.models.base import resolve_model_path

# Text that any persuasion model should find something in.
BLATANT = ("These corrupt, treasonous traitors have betrayed our great nation. Every true patriot "
           "knows that if we do nothing now, our streets will be overrun by criminals and our "
           "children will pay the price. Either we stop them today or we lose everything forever.")
ARTICLE = f"Traitors Sold Out the Nation, Critics Say\n\n{BLATANT}\n\nLawmakers met on Tuesday to " \
          "discuss the budget; the committee heard from three witnesses.\n"
TOKEN = "test-token-0123456789"


@dataclass
class Server:
    """A running `propscope serve` process."""

    url: str
    process: subprocess.Popen[bytes]
    store: Path
    log: Path

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def model_dir() -> Path:
    """The model the servers load; tests skip when it has not been trained yet."""
    path = resolve_model_path(from_env().analyzer.model)
    if not (path / "model.json").is_file():
        pytest.skip(f"no trained model at {path}; train it with `make train`")
    return path


def start_server(folder: Path, *args: str, env: dict[str, str] | None = None,
                 host: str = "127.0.0.1", open_files: int | None = None) -> Server:
    """Start `propscope serve` with ``args`` and wait until /api/health answers; with
    ``open_files``, the process may open that many files (sockets included), no more."""
    model_dir()
    port = free_port()
    store = folder / "store"
    log = folder / "server.log"
    cmd = [sys.executable, "-m", "propscope.cli.main", "serve", "--host", host, "--port", str(port),
           "--store", str(store), "--log-level", "warning", *args]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})},
                                   preexec_fn=None if open_files is None else partial(
                                       resource.setrlimit, resource.RLIMIT_NOFILE,
                                       (open_files, open_files)))
    url = f"http://127.0.0.1:{port}"
    token = (env or {}).get("PROPSCOPE_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url + "/api/health", headers=headers, timeout=2).status_code == 200:
                return Server(url=url, process=process, store=store, log=log)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not answer within 90 s:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
