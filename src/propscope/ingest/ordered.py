"""Calls run a few at a time on threads, answered in the order they were asked for.

The fetcher reads thousands of pages and feeds whose outputs must line up with their list;
``in_order`` keeps a window of calls in flight, so a long list streams and a slow page holds
up only the answers behind it.
"""

from __future__ import annotations

import threading
import typing
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

T = typing.TypeVar("T")
R = typing.TypeVar("R")


def in_order(fn: typing.Callable[[T], R], items: typing.Iterable[T], workers: int, *,
             now: typing.Callable[[T], R | None] = lambda _: None,
             stop: threading.Event | None = None,
             on_wait: typing.Callable[[int], None] | None = None,
             ) -> typing.Generator[tuple[T, R], None, None]:
    """``(item, fn(item))`` for each of ``items``, ``workers`` calls at a time, in the order
    given. ``items`` is read lazily and at most ``2 * workers`` answers wait ahead of the
    consumer, so a long list streams. ``now(item)``, when not ``None``, answers an item at
    once, in the consumer's thread and in order, without taking a worker. A consumer that
    stops early waits for the calls in flight, not for those queued behind them. Before that
    wait ``stop`` is set, so a call that pauses (a retry's wait) can end at once, and
    ``on_wait`` is told how many calls it waits for (when any), so a user who pressed Ctrl-C
    learns why the program has not stopped yet."""
    workers = max(1, workers)
    pool = ThreadPoolExecutor(workers, thread_name_prefix="propscope-fetch")
    window: deque[tuple[T, Future[R]]] = deque()
    try:
        for item in items:
            answer = now(item)
            if answer is None:
                window.append((item, pool.submit(fn, item)))
            else:
                done: Future[R] = Future()
                done.set_result(answer)
                window.append((item, done))
            if len(window) >= 2 * workers:
                # Taken off only once answered: a call interrupted while awaited is still
                # in the window, and counted among those in flight.
                first, got = window[0]
                yield first, got.result()
                window.popleft()
        while window:
            first, got = window[0]
            yield first, got.result()
            window.popleft()
    finally:
        if stop is not None:
            stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        running = sum(got.running() for _, got in window)
        if running and on_wait is not None:
            on_wait(running)
        pool.shutdown(wait=True)
