"""Decomposed Unicode (a letter, then its combining accent) is analysed as its composed form,
with every offset on the text as given."""

from __future__ import annotations

import unicodedata

import pytest

from propscope.analyzer import Analyzer
from propscope.document import Document
from propscope.models import DEFAULT_MODEL_DIR
from propscope.models.composed import compose

ANGRY = ("Zürich council\n\nThese naïve, corrupt élites of Zürich are traitors and liars who "
         "betray every café owner. They are a disgusting gang of thieves.")


def test_composed_text_is_left_alone() -> None:
    assert compose(ANGRY) is None


def test_offsets_map_whole_letters_both_ways() -> None:
    given = "e\u0301lite cafe\u0301!"  # "élite café!" decomposed
    composed = compose(given)
    assert composed is not None
    text, offsets = composed
    assert text == "élite café!"
    assert offsets.to_given(0, 5) == (0, 6)  # "élite" takes the accent along
    assert offsets.to_given(6, 10) == (7, 12)
    assert offsets.to_given(10, 11) == (12, 13)
    assert offsets.to_composed(0, 6) == (0, 5)
    assert offsets.to_composed(1, 2) == (0, 1)  # the mark alone is its whole letter
    assert offsets.to_given(11, 11) == (13, 13)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not (DEFAULT_MODEL_DIR / "model.json").is_file():
        pytest.skip("shipped model artifact not built")
    return Analyzer()


def _view(doc: Document) -> tuple[object, ...]:
    spans = [(unicodedata.normalize("NFC", doc.span_text(s)), s.label, s.score) for s in doc.spans]
    pars = [(p.line, p.techniques, p.scores,
             {t: [unicodedata.normalize("NFC", doc.text[a:b]) for a, b in r] for t, r in p.evidence.items()})
            for p in doc.paragraphs]
    return spans, pars, doc.genre, doc.frames


@pytest.mark.parametrize("many", [False, True])
def test_decomposed_text_gets_the_composed_analysis_on_whole_words(analyzer: Analyzer, many: bool) -> None:
    # Before, "élites" decomposed was read as "e", "\u0301", "lites": spans such as "lites" or
    # "corrupt e" (ending before the accent) and other paragraph labels.
    nfd = unicodedata.normalize("NFD", ANGRY)
    assert nfd != ANGRY
    want = analyzer.analyze(ANGRY)
    got = (next(analyzer.analyze_many([Document(nfd, metadata=want.metadata)])) if many
           else analyzer.analyze(nfd))
    assert got.text == nfd  # offsets are on the text as given
    assert got.spans and _view(got) == _view(want)
    for s in got.spans:  # no span starts on an accent or ends just before one
        assert not unicodedata.combining(nfd[s.start])
        assert s.end == len(nfd) or not unicodedata.combining(nfd[s.end])
    assert [unicodedata.normalize("NFC", nfd[p.start:p.end]) for p in got.paragraphs] == [
        ANGRY[p.start:p.end] for p in want.paragraphs]
