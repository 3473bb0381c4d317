"""The JSON contract: built in one place and reversible."""

from __future__ import annotations

import json

import pytest

from propscope.document import (
    BYLINE,
    DATELINE,
    GIVEN,
    Document,
    Frame,
    Genre,
    ModelInfo,
    Quote,
    Region,
    Span,
    split_paragraphs,
)
from propscope.errors import InputError
from propscope.serialize import SCHEMA_VERSION, from_dict, to_dict, to_json

CONTRACT_KEYS = {"id", "source", "text", "language", "notes", "genre", "frames", "spans", "paragraphs",
                 "boilerplate", "metadata", "model", "quotes"}


def _doc() -> Document:
    doc = Document("Héllo “traitors”.\n\nVia Somewhere", id="a1", source="a1.txt")
    doc.paragraphs = split_paragraphs(doc.text)
    doc.add_spans([Span(6, 16, "Name_Calling-Labeling", 0.9)])
    doc.paragraphs[0].techniques = ["Name_Calling-Labeling"]
    doc.paragraphs[0].evidence = {"Name_Calling-Labeling": [(7, 15)]}
    doc.boilerplate = [Region(19, 32, "syndication_header")]
    doc.genre = Genre("opinion", {"opinion": 0.8, "reporting": 0.15, "satire": 0.05})
    doc.frames = [Frame("Political", 0.7)]
    doc.model = ModelInfo("m", "1", "data")
    return doc


def test_contract_keys_and_span_fields() -> None:
    d = to_dict(_doc())
    assert set(d) == CONTRACT_KEYS
    span = d["spans"][0]
    assert span == {"technique": "Name_Calling-Labeling", "category": "Attack_on_Reputation",
                    "start": 6, "end": 16, "text": "“traitors”", "score": 0.9,
                    "quote": None, "speaker": None}
    assert set(d["metadata"]) >= {"title", "outlet", "author", "published", "republished_from"}


def test_a_span_inside_a_quote_carries_its_speaker() -> None:
    text = "“These traitors must go,” says Jane Roe.\nThe outlet calls it a scandal."
    doc = Document(text)
    doc.paragraphs = split_paragraphs(text)
    doc.add_quotes([Quote(1, 23, "Jane Roe", 31, 39, "says", 0.9)])
    doc.add_spans([Span(7, 15, "Name_Calling-Labeling", 0.8), Span(62, 70, "Loaded_Language", 0.7)])
    doc.paragraphs[0].techniques = ["Name_Calling-Labeling"]
    doc.paragraphs[1].techniques = ["Loaded_Language"]
    d = to_dict(doc)
    assert d["quotes"] == [{"start": 1, "end": 23, "text": "These traitors must go", "speaker": "Jane Roe",
                            "speaker_start": 31, "speaker_end": 39, "cue": "says", "confidence": 0.9}]
    inside, outside = d["spans"]
    assert (inside["quote"], inside["speaker"]) == (0, "Jane Roe")
    assert (outside["quote"], outside["speaker"]) == (None, None)
    assert d["paragraphs"][0]["voices"] == {"Name_Calling-Labeling": {"quote": 0, "speaker": "Jane Roe"}}
    assert d["paragraphs"][1]["voices"] == {"Loaded_Language": {"quote": None, "speaker": None}}
    assert to_dict(from_dict(json.loads(json.dumps(d)))) == d


def test_no_text_omits_only_text() -> None:
    assert set(to_dict(_doc(), include_text=False)) == CONTRACT_KEYS - {"text"}


def test_round_trip_through_json() -> None:
    doc = _doc()
    again = from_dict(json.loads(to_json(doc)))
    assert to_dict(again) == to_dict(doc)


@pytest.mark.parametrize("bad", [
    {}, {"text": 3}, {"text": "abc", "spans": [{"start": 0}]}, [],
    # each of these was accepted, or failed with a builtin error, and some crashed to_dict later
    {"text": "abc", "metadata": ["outlet"]},
    {"text": "abc", "spans": [{"start": 0.0, "end": 2.0, "technique": "Doubt"}]},
    {"text": "abc", "spans": [{"start": False, "end": True, "technique": "Doubt"}]},
    {"text": "abc", "spans": [{"start": 0, "end": 2, "technique": "Not_A_Technique"}]},
    {"text": "abc", "spans": [{"start": 0, "end": 2, "technique": None}]},
    {"text": "abc", "paragraphs": [{"line": 1, "start": 0, "end": 10_000}]},
    {"text": "abc", "paragraphs": [{"line": 1, "start": 0, "end": 3,
                                    "evidence": {"Doubt": [{"start": 500, "end": 900}]}}]},
    {"text": "abc", "boilerplate": [{"start": 2, "end": 1, "kind": "share"}]},
    {"text": "abc", "quotes": [{"start": 0, "end": 9, "speaker": None}]},
    {"text": "abc", "quotes": [{"start": 0, "end": 2, "speaker": 3}]},
    {"text": "abc", "quotes": [{"start": 0, "end": 2, "speaker": "X", "speaker_start": 1}]},
    # accepted, then written back as records that name no known label or hold no number
    {"text": "abc", "paragraphs": [{"line": 0, "start": 0, "end": 3}]},
    {"text": "abc", "paragraphs": [{"line": "1", "start": 0, "end": 3}]},
    {"text": "abc", "paragraphs": [{"line": 1, "start": 0, "end": 3, "scores": {"Doubt": "high"}}]},
    {"text": "abc", "paragraphs": [{"line": 1, "start": 0, "end": 3, "scores": {"Nope": 0.5}}]},
    {"text": "abc", "genre": {"label": "poetry"}},
    {"text": "abc", "genre": {"label": "opinion", "scores": {"opinion": None}}},
    {"text": "abc", "frames": [{"label": "Weather", "score": 0.5}]},
    {"text": "abc", "frames": [{"label": "Political", "score": True}]},
    {"text": "abc", "metadata": {"sources": {"outlet": 3}}},
    {"text": "abc", "metadata": {"sources": {"colour": "byline"}}},
])
def test_from_dict_rejects_malformed(bad: object) -> None:
    with pytest.raises(InputError, match=r"^(An analysis record|Malformed analysis record: [^M]*$)"):
        from_dict(bad)  # type: ignore[arg-type]


def test_metadata_says_where_each_value_came_from_and_round_trips() -> None:
    doc = _doc()
    doc.metadata.fill_from(BYLINE, author="Jane Doe")
    doc.metadata.set_from(GIVEN, outlet="Example News", title="")  # empty: not a value
    doc.metadata.fill_from(DATELINE, outlet="Other Times")  # known already: kept
    md = to_dict(doc)["metadata"]
    assert (md["author"], md["outlet"], md["title"]) == ("Jane Doe", "Example News", None)
    assert md["sources"] == {"author": "byline", "outlet": "given"}
    assert to_dict(from_dict(json.loads(to_json(doc)))) == to_dict(doc)
    older = to_dict(doc)
    del older["metadata"]["sources"]  # a record of schema 1.0
    assert from_dict(older).metadata.sources == {}
    assert SCHEMA_VERSION == "1.1"


def test_from_dict_leaves_out_model_fields_of_a_newer_version() -> None:
    record = to_dict(_doc())
    record["model"] = {"name": "m", "version": "9", "trained_on": "x", "schema": "2"}
    doc = from_dict(record)
    assert doc.model is not None and doc.model.version == "9"


def test_paragraph_evidence_carries_its_text() -> None:
    para = to_dict(_doc())["paragraphs"][0]
    assert para["evidence"] == {"Name_Calling-Labeling": [{"start": 7, "end": 15, "text": "traitors"}]}
    assert "evidence" not in to_dict(_doc())["paragraphs"][1]  # none given: the key is left out


def test_model_calibration_flag_round_trips_and_defaults_to_raw() -> None:
    from dataclasses import replace

    doc = _doc()
    doc.model = replace(doc.model, calibrated=True)  # type: ignore[arg-type]
    d = to_dict(doc)
    assert d["model"]["calibrated"] is True
    assert from_dict(json.loads(to_json(doc))).model == doc.model
    del d["model"]["calibrated"]  # a record written before the flag existed
    d["text"] = doc.text
    old = from_dict(d).model
    assert old is not None and old.calibrated is False


def test_model_sensitivity_round_trips_and_defaults_to_calibrated() -> None:
    from dataclasses import replace

    doc = _doc()
    doc.model = replace(doc.model, sensitivity=0.5)  # type: ignore[arg-type]
    d = to_dict(doc)
    assert d["model"]["sensitivity"] == 0.5
    assert from_dict(json.loads(to_json(doc))).model == doc.model
    del d["model"]["sensitivity"]  # a record written before the level existed
    d["text"] = doc.text
    old = from_dict(d).model
    assert old is not None and old.sensitivity == 0.0


def test_the_language_and_the_notes_round_trip() -> None:
    from propscope.languages.detect import Detection

    doc = Document("Le conseil a voté mardi le nouveau budget des écoles et des routes.", language="fr")
    doc.language_detection = Detection("fr", 0.97)
    doc.model = ModelInfo("m", "1", "data", languages=("en",), transfer=("es",))
    record = to_dict(doc)
    assert record["language"] == {"code": "fr", "name": "French", "detected": True, "confidence": 0.97,
                                  "note": None, "support": "unsupported"}
    assert record["notes"] and "which m does not read (it reads English, Spanish)" in record["notes"][0]
    back = from_dict(record)
    assert back.language == "fr" and back.language_detection == Detection("fr", 0.97)
    assert back.model is not None and back.model.languages == ("en",) and back.model.transfer == ("es",)
    assert to_dict(back) == record
    given = Document("Hello there.", language="en")
    given.model = ModelInfo("m", "1", "data")
    assert to_dict(given)["language"]["detected"] is False and to_dict(given)["notes"] == []
