"""The Python API's checks of what it is given: each bad input is a clear, typed error, and
what it accepts can be written back out."""

from __future__ import annotations

import json

import pytest

from propscope.analyzer import Analyzer
from propscope.config import AnalyzerConfig
from propscope.document import Document, Metadata
from propscope.errors import EmptyInputError, EncodingError, InputTooLargeError, ModelError, SettingError
from propscope.models import DEFAULT_MODEL_DIR
from propscope.serialize import to_json

ANGRY = "These corrupt traitors have betrayed every decent citizen. They are liars."


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not (DEFAULT_MODEL_DIR / "model.json").is_file():
        pytest.skip("shipped model artifact not built")
    return Analyzer()


@pytest.mark.parametrize(("text", "said"), [
    ("", "text is empty"), ("  \n ", "text is empty"), ("\ufeff", "text is empty"),
    # Before, these were analysed: a genre, and a frame said present in a text of no words.
    ("!!!", "holds no words"), ("😡 😡", "holds no words"), ("\x00\u200b", "holds no words"),
])
def test_a_text_without_words_is_an_empty_input(analyzer: Analyzer, text: str, said: str) -> None:
    with pytest.raises(EmptyInputError, match=said):
        analyzer.analyze(text)
    with pytest.raises(EmptyInputError):
        list(analyzer.analyze_many([Document(text)]))


def test_a_lone_surrogate_is_refused_before_the_analysis(analyzer: Analyzer) -> None:
    # Accepted before, the analysis then failed to be written: to_json's text was no UTF-8.
    with pytest.raises(EncodingError, match=r"lone surrogate \(U\+D800 at character 9\)"):
        analyzer.analyze("Traitors \ud800 everywhere.")


def test_analysed_text_is_written_as_utf8(analyzer: Analyzer) -> None:
    doc = analyzer.analyze("Café owners are traitors 😡 and liars.")
    assert json.loads(to_json(doc).encode("utf-8"))["text"] == doc.text


@pytest.mark.parametrize(("value", "said"), [
    (b"Traitors.", r"got bytes \(decode the bytes first"), (None, "got NoneType"), (42, "got int"),
])
def test_analyze_wants_str(analyzer: Analyzer, value: object, said: str) -> None:
    with pytest.raises(TypeError, match=said):
        analyzer.analyze(value)  # type: ignore[arg-type]


def test_analyze_many_takes_strings_as_analyze_does(analyzer: Analyzer) -> None:
    texts = ["Senate vote\n\n" + ANGRY, "The council met on Tuesday."]
    got = list(analyzer.analyze_many(iter(texts)))
    want = [analyzer.analyze(t) for t in texts]
    assert [to_json(d) for d in got] == [to_json(d) for d in want]
    assert got[0].metadata.title == "Senate vote"
    with pytest.raises(TypeError, match="takes Documents or str, got bytes"):
        list(analyzer.analyze_many([b"x"]))  # type: ignore[list-item]


def test_too_large_says_how_to_raise_the_limit_in_python() -> None:
    if not (DEFAULT_MODEL_DIR / "model.json").is_file():
        pytest.skip("shipped model artifact not built")
    small = Analyzer(config=AnalyzerConfig(max_bytes=10))
    with pytest.raises(InputTooLargeError, match=r"AnalyzerConfig\(max_bytes=\.\.\.\)"):
        small.analyze(ANGRY)


def test_wrong_argument_types_are_named() -> None:
    with pytest.raises(TypeError, match="not int"):
        Analyzer(model=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="config is an AnalyzerConfig"):
        Analyzer(config={"sensitivity": "broad"})  # type: ignore[arg-type]
    for bad in ({"batch_size": 0}, {"max_bytes": 0}, {"batch_size": -1}):
        with pytest.raises(SettingError, match="at least 1"):
            AnalyzerConfig(**bad)  # type: ignore[arg-type]


def test_a_model_name_that_is_not_shipped_lists_the_shipped_ones() -> None:
    if not (DEFAULT_MODEL_DIR / "model.json").is_file():
        pytest.skip("shipped model artifact not built")
    with pytest.raises(ModelError, match=f"The shipped models are: .*{DEFAULT_MODEL_DIR.name}"):
        Analyzer("hybrid-v2")


def test_frames_are_listed_by_the_score_they_show(analyzer: Analyzer) -> None:
    doc = analyzer.analyze("Senate vote\n\nThese corrupt politicians betrayed the nation; the courts "
                           "must jail them, and the army must defend our borders and our values.")
    scores = [f.score for f in doc.frames]
    assert len(scores) >= 2 and scores == sorted(scores, reverse=True)


def test_the_api_says_what_it_is(analyzer: Analyzer) -> None:
    import propscope

    assert {"Analyzer", "Document", "Span"} <= set(dir(propscope))  # lazy names, for completion
    assert repr(analyzer).startswith(f"Analyzer(model={analyzer.model.info.name} ")


def test_analyze_each_goes_on_past_a_bad_document(analyzer: Analyzer) -> None:
    texts = ["Corrupt traitors lied again.", "!!!", "The council met on Tuesday.", ""]
    docs = [Document(t, id=f"d{i}") for i, t in enumerate(texts)]
    failed: list[tuple[str, str]] = []
    out = list(analyzer.analyze_each(docs, lambda d, e: failed.append((d.id, type(e).__name__))))
    assert [d.id for d in out] == ["d0", "d2"]
    assert failed == [("d1", "EmptyInputError"), ("d3", "EmptyInputError")]
    # The good ones are analysed as they are alone.
    assert [d.genre for d in out] == [analyzer.analyze(texts[0], id="d0", metadata=Metadata()).genre,
                                      analyzer.analyze(texts[2], id="d2", metadata=Metadata()).genre]
