"""Load-test ``POST /api/analyze`` of a real `propscope serve` process over loopback.

Usage: python benchmarks/server_load.py [--article FILE] [--concurrency 1 4 16]
                                        [--duration 20] [--max-requests 2000] [--model NAME]

Starts the server in a subprocess on a free port (no rate limit), then for each concurrency
level runs that many clients, each sending the same article back to back, for at most
``--duration`` seconds or ``--max-requests`` requests. Prints a Markdown table: requests/s,
p50/p95/max latency, non-200 answers and transport errors, and the server's peak resident
memory (sampled every 50 ms). The default article is the unlabelled shared-task article
closest to 700 words, or the bundled example repeated to that length.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
UNLABELLED = ROOT.parent / "shared" / "data" / "semeval2023-task3-en" / "unlabelled-articles"


def default_article(words: int = 700) -> tuple[str, str]:
    """(name, text) of the article closest to ``words`` words."""
    files = sorted(UNLABELLED.glob("*.txt")) if UNLABELLED.is_dir() else []
    if files:
        best = min(files, key=lambda p: abs(len(p.read_text(encoding="utf-8").split()) - words))
        return best.name, best.read_text(encoding="utf-8")
    text = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")
    repeats = max(1, round(words / max(1, len(text.split()))))
    return f"examples/article.txt x{repeats}", "\n".join([text] * repeats)


@dataclass
class Level:
    """What one concurrency level measured."""

    clients: int
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0

    def row(self) -> str:
        lat = sorted(self.latencies)
        p = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000) if lat else (lambda q: 0.0)
        ok = self.statuses.get(200, 0)
        bad = sum(n for s, n in self.statuses.items() if s != 200)
        return (f"| {self.clients} | {len(lat)} | {ok / self.seconds:.1f} | {p(0.5):.0f} | "
                f"{p(0.95):.0f} | {max(lat, default=0) * 1000:.0f} | {bad} | {self.errors} |")


async def run_level(url: str, body: dict[str, str], clients: int, duration: float,
                    max_requests: int) -> Level:
    level = Level(clients)
    deadline = time.perf_counter() + duration
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def worker() -> None:
            nonlocal sent
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                start = time.perf_counter()
                try:
                    r = await client.post("/api/analyze", json=body)
                    level.statuses[r.status_code] = level.statuses.get(r.status_code, 0) + 1
                    level.latencies.append(time.perf_counter() - start)
                except httpx.HTTPError:
                    level.errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        level.seconds = time.perf_counter() - start
    return level


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process (and its children) until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.05):
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                return


def start_server(model: str | None) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "propscope.cli.main", "serve", "--port", str(port),
           "--log-level", "error", "--store", str(Path(os.environ.get("TMPDIR", "/tmp")) / "psbench")]
    if model:
        cmd += ["--model", model]
    proc = subprocess.Popen(cmd, env={**os.environ, "PROPSCOPE_RATE_LIMIT": "0"})
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start within 2 minutes")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--article", type=Path, help="Article to send (default: ~700 words of real news).")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    ap.add_argument("--duration", type=float, default=20.0, help="Seconds per level (default 20).")
    ap.add_argument("--max-requests", type=int, default=2000, help="Requests per level at most.")
    ap.add_argument("--model", help="Model to serve (default: the shipped one).")
    args = ap.parse_args()

    name, text = (args.article.name, args.article.read_text(encoding="utf-8")) if args.article \
        else default_article()
    body = {"text": text, "id": "bench"}
    proc, url = start_server(args.model)
    memory = PeakMemory(proc.pid)
    try:
        rss_idle = psutil.Process(proc.pid).memory_info().rss
        memory.start()
        model = httpx.get(url + "/api/health").json()["model"]
        asyncio.run(run_level(url, body, 1, 3.0, 20))  # warm-up, not reported
        levels = [asyncio.run(run_level(url, body, c, args.duration, args.max_requests))
                  for c in args.concurrency]
    finally:
        memory.stopped.set()
        proc.terminate()
        proc.wait(timeout=20)
    cpu = platform.processor() or platform.machine()
    print(f"Article: {name}, {len(text.split())} words, {len(text.encode())} bytes; model "
          f"{model['name']} {model['version']}; {os.cpu_count()} CPUs ({cpu}), Python "
          f"{platform.python_version()}; {args.duration:g} s or {args.max_requests} requests "
          "per level, after a 3 s warm-up.\n")
    print("| clients | requests | requests/s | p50 ms | p95 ms | max ms | non-200 | transport errors |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for level in levels:
        print(level.row())
    print(f"\nServer resident memory: {rss_idle / 2**20:.0f} MiB after start, peak "
          f"{memory.peak / 2**20:.0f} MiB under load.")
    mean = statistics.mean(levels[0].latencies) if levels[0].latencies else 0.0
    print(f"Single-client mean latency: {mean * 1000:.0f} ms.")
    failed = sum(lv.errors + sum(n for s, n in lv.statuses.items() if s != 200) for lv in levels)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
