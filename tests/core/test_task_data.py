"""The six-language task data: noisy offsets placed on words, and the fixed validation split."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.datasets.offsets import repair_spans
from propscope.datasets.task import load_task
from propscope.document import split_paragraphs

TEXT = "Titre\n\nLes élites corrompues mentent.\n\nLe conseil a voté mardi.\n"


def _paragraphs(labels: dict[int, list[str]]):  # type: ignore[no-untyped-def]
    pars = split_paragraphs(TEXT)
    for i, p in enumerate(pars):
        p.techniques = labels.get(i, [])
    return pars


def test_offsets_counted_with_crlf_line_ends_are_read_back() -> None:
    start = TEXT.index("élites corrompues")
    end = start + len("élites corrompues")
    newlines = TEXT[:start].count("\n")  # each counted twice by the annotation tool
    raw = [("Loaded_Language", start + newlines, end + newlines)]
    placed, how = repair_spans(TEXT, raw, _paragraphs({1: ["Loaded_Language"]}))
    assert how.reading == "crlf" and how.dropped == 0
    assert [TEXT[s:e] for _, s, e in placed] == ["élites corrompues"]


def test_a_drifted_span_snaps_to_words_in_a_labelled_paragraph_or_is_dropped() -> None:
    start = TEXT.index("corrompues")
    raw = [("Loaded_Language", start + 2, start + len("corrompues") + 2),  # two characters late
           ("Doubt", start, start + 10)]  # no paragraph carries Doubt
    placed, how = repair_spans(TEXT, raw, _paragraphs({1: ["Loaded_Language"]}))
    assert [(t, TEXT[s:e]) for t, s, e in placed] == [("Loaded_Language", "corrompues")]
    assert how.moved == 1 and how.dropped == 1


@pytest.mark.shared_data
def test_the_fixed_validation_holds_the_dev_splits_and_the_newest_english(semeval_dir: Path) -> None:
    if not (semeval_dir.parent / "semeval2023-task3-multi").is_dir():
        pytest.skip("the multilingual data is absent")
    task = load_task(semeval_dir.parent)
    by_lang = {lang: sum(d.language == lang for d in task.validation) for lang in
               ("en", "fr", "de", "it", "pl", "ru")}
    assert by_lang == {"en": 83, "fr": 53, "de": 45, "it": 76, "pl": 49, "ru": 48}
    assert not {d.id for d in task.train} & {d.id for d in task.validation}
    # Placed spans start and end on words, and every language keeps nearly all of its spans.
    for lang, counts in task.repaired.items():
        assert counts["dropped"] < 0.03 * counts["spans"], (lang, counts)
    for doc in task.train[-50:]:
        for s in doc.spans:
            assert doc.text[s.start].isalnum() and doc.text[s.end - 1].isalnum()
