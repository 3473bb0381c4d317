"""The linear model's text helpers (``models/linear/text.py``)."""

from __future__ import annotations


def test_sentence_splitting_is_linear_in_runs_of_marks() -> None:
    # A run of marks with no space after it was scanned again from every mark in it: 40,000
    # dots took 52 s and held the server's interpreter lock. Now one pass, well under 1 s.
    import time

    from propscope.models.linear.text import sentences

    text = "Stop. Now!! Really?” Yes… " + "." * 200_000 + " " + "!?" * 100_000 + "x"
    start = time.perf_counter()
    got = sentences(text, 0, len(text))
    assert time.perf_counter() - start < 2.0
    assert [text[s:e] for s, e in got][:4] == ["Stop.", "Now!!", "Really?”", "Yes…"]
    assert len(got) == 6 and text[got[4][0]:got[4][1]] == "." * 200_000
