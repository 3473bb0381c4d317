"""The ordered window behind bulk fetches: answers in order, and an early stop that says
what it still waits for."""

from __future__ import annotations

import threading

from propscope.ingest.ordered import in_order


def test_answers_come_in_the_order_asked_whatever_order_they_finish_in() -> None:
    late = threading.Event()

    def slow_first(n: int) -> int:
        if n == 0:
            late.wait(5)  # the first answer arrives last
        elif n == 3:
            late.set()
        return n * n

    told: list[int] = []
    got = list(in_order(slow_first, range(6), 3, on_wait=told.append))
    assert got == [(n, n * n) for n in range(6)]
    assert told == []  # read to the end: nothing was left in flight


def test_a_consumer_that_stops_is_told_how_many_calls_it_waits_for() -> None:
    started = threading.Semaphore(0)
    release = threading.Event()
    ran: list[int] = []

    def call(n: int) -> int:
        ran.append(n)
        if n:
            started.release()
            release.wait(5)
        return n

    told: list[int] = []

    def waiting(running: int) -> None:
        told.append(running)
        release.set()  # what the timeout would do to a fetch in flight

    answers = in_order(call, range(10), 2, on_wait=waiting)
    assert next(answers) == (0, 0)
    for _ in range(2):  # both workers are busy with calls 1 and 2
        assert started.acquire(timeout=5)
    answers.close()
    assert told == [2]
    # Call 3, queued in the window behind them, was cancelled; later ones never asked for.
    assert sorted(ran) == [0, 1, 2]
