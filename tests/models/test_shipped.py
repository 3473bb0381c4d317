"""The shipped model on short texts written for the tests: blatant techniques are found at the
right offsets, a dry weather report gets nothing, outputs are well formed."""

from __future__ import annotations

import pytest

from propscope.document import Document, Region, split_paragraphs
from propscope.models import DEFAULT_MODEL, DEFAULT_MODEL_DIR, load_model
from propscope.models.hybrid import HybridModel
from propscope.models.linear import LinearModel
from propscope.taxonomy import FRAMES, GENRES, UNTRAINABLE_TECHNIQUES

ANGRY = ("Senate vote\n\nThese corrupt, treasonous traitors in Washington have betrayed every "
         "decent citizen. They are a gang of thieves and disgusting liars.")
WEATHER = ("Weather\n\nTomorrow will be mostly cloudy with a high of 14 degrees and a light "
           "westerly wind. Showers are possible in the evening, clearing overnight.")


def _doc(text: str) -> Document:
    doc = Document(text)
    doc.paragraphs = split_paragraphs(text)
    return doc


@pytest.fixture(scope="module")
def shipped() -> LinearModel:
    if not (DEFAULT_MODEL_DIR / "model.json").is_file():
        pytest.skip(f"{DEFAULT_MODEL} artifact not built")
    model = load_model()
    assert isinstance(model, LinearModel)  # the hybrid model is the linear one plus its tagger
    return model


def test_shipped_model_finds_name_calling_and_loaded_language(shipped: LinearModel) -> None:
    doc = shipped.predict([_doc(ANGRY)])[0]
    target = ANGRY.index("corrupt, treasonous traitors")
    end = target + len("corrupt, treasonous traitors")
    labels = {s.label for s in doc.spans if s.overlaps(target, end)}
    assert {"Name_Calling-Labeling", "Loaded_Language"} <= labels, doc.spans
    for s in doc.spans:  # spans start and end on word boundaries of the text
        assert s.start == 0 or not ANGRY[s.start - 1].isalnum()
        assert s.end == len(ANGRY) or not ANGRY[s.end].isalnum()
    body = doc.paragraphs[-1]
    assert {"Name_Calling-Labeling", "Loaded_Language"} <= set(body.techniques)


def test_shipped_model_spans_end_on_words_and_stay_in_a_sentence(shipped: LinearModel) -> None:
    text = ('Rally\n\nThe "corrupt traitors" and "disgusting liars" betrayed us! These "thieves" '
            'stole everything. The so-called "experts" are "useless". The brutal regime is evil. '
            'Shameful cowards! Disgusting traitors.')
    doc = shipped.predict([_doc(text)])[0]
    words = set(shipped.heads_["token"].labels)  # sentence-level spans are whole sentences
    tokens = [s for s in doc.spans if s.label in words]
    assert len(tokens) >= 5, doc.spans
    for s in tokens:
        piece = text[s.start:s.end]
        assert piece[0].isalnum() and piece[-1].isalnum(), piece
        assert not any(mark in piece for mark in (". ", "! ")), piece


def test_shipped_model_says_which_words_raised_a_paragraph_label(shipped: LinearModel) -> None:
    doc = shipped.predict([_doc(ANGRY)])[0]
    body = doc.paragraphs[-1]
    assert set(body.evidence) <= set(body.techniques)
    insults = [ANGRY.index(w) for w in ("corrupt", "traitors", "thieves", "liars")]
    ranges = body.evidence["Name_Calling-Labeling"]
    assert any(a <= i < b for a, b in ranges for i in insults), ranges
    for a, b in (r for rs in body.evidence.values() for r in rs):
        assert body.start <= a < b <= body.end
        assert ANGRY[a:b].strip() == ANGRY[a:b]


def test_shipped_model_leaves_weather_report_alone(shipped: LinearModel) -> None:
    doc = shipped.predict([_doc(WEATHER)])[0]
    assert doc.spans == []
    assert all(p.techniques == [] for p in doc.paragraphs)


def test_shipped_model_outputs_are_well_formed(shipped: LinearModel) -> None:
    doc = shipped.predict([_doc(ANGRY + "\n\n" + WEATHER)])[0]
    assert doc.genre is not None and set(doc.genre.scores) == set(GENRES)
    assert abs(sum(doc.genre.scores.values()) - 1) < 1e-3
    assert doc.frames and all(f.label in FRAMES for f in doc.frames)
    assert doc.model is not None and doc.model.name == DEFAULT_MODEL
    for s in doc.spans:
        assert 0 <= s.start < s.end <= len(doc.text)
        assert s.label not in UNTRAINABLE_TECHNIQUES
        assert doc.text[s.start:s.end] == doc.text[s.start:s.end].strip()


def test_shipped_model_does_not_call_a_pasted_sentence_satire(shipped: LinearModel) -> None:
    """One angry sentence is far shorter than any training article; its style rates are
    extreme, and they must not decide the genre on their own."""
    doc = shipped.predict([_doc("These corrupt traitors betrayed us all.")])[0]
    assert doc.genre is not None and doc.genre.label == "opinion"
    assert doc.genre.scores["satire"] < 0.5


def test_shipped_model_never_predicts_in_boilerplate(shipped: LinearModel) -> None:
    doc = _doc(ANGRY)
    start = ANGRY.index("These")
    doc.boilerplate = [Region(start, start + 60, "share")]
    shipped.predict([doc])
    assert not [s for s in doc.spans if s.overlaps(start, start + 60)]
    assert doc.spans, "the rest of the paragraph is still analysed"


def test_shipped_model_is_the_hybrid_one(shipped: LinearModel) -> None:
    assert isinstance(shipped, HybridModel)
    assert shipped.tagger_labels_ and set(shipped.tagger_labels_) <= set(shipped.heads_["token"].labels)


def test_shipped_tagger_matches_its_training_time_network(shipped: LinearModel) -> None:
    """The numpy forward pass of the shipped tagger agrees with the torch module it was
    trained as, on a fixed input, to float32 rounding."""
    pytest.importorskip("torch")
    import numpy as np

    from propscope.models.hybrid.model import token_rows
    from propscope.models.linear.units import build_units, paragraph_bounds
    from propscope.models.tagger.network import forward
    from propscope.models.tagger.tokens import special_id
    from propscope.models.tagger.training import torch_forward

    assert isinstance(shipped, HybridModel) and shipped.static_ is not None
    units = build_units([_doc(ANGRY)])
    ids = token_rows(units, shipped.static_)
    tok, par = forward(shipped.tagger_, ids, units.tok_par, len(units.paragraphs))
    pad = special_id(len(shipped.static_.vocab), "<pad>")
    starts, ends = paragraph_bounds(units.tok_par, len(units.paragraphs))
    x = np.full((len(starts), max(e - s for s, e in zip(starts, ends, strict=True))), pad)
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        x[i, :e - s] = ids[s:e]
    t_tok, t_par = torch_forward(shipped.tagger_, x, pad)
    flat = np.concatenate([t_tok[i, :e - s] for i, (s, e) in enumerate(zip(starts, ends, strict=True))])
    np.testing.assert_allclose(tok, flat, atol=1e-4)
    np.testing.assert_allclose(par, t_par, atol=1e-4)
    assert tok.max() > 0.5  # the blatant name calling lights up tokens


def test_shipped_model_learnt_from_every_annotated_article(semeval_dir) -> None:
    """The shipped model is fitted on all the training data, so no annotated article is held
    out from it (its card's scores come from cross-validation instead)."""
    from propscope.datasets import load_semeval
    from propscope.training.train import trained_article_ids

    ids = {d.id for d in load_semeval(semeval_dir).documents}
    assert trained_article_ids(DEFAULT_MODEL) == ids


def test_shipped_confidences_match_observed_rates_out_of_fold() -> None:
    """Out of fold (every training article scored by a model that never saw it), span and
    paragraph-label scores are within a few points of how often they are right (they were 0.53
    and 0.23 apart before the scores were calibrated), and higher scores are right more often."""
    import json

    saved = json.loads((DEFAULT_MODEL_DIR / "validation.json").read_text(encoding="utf-8"))
    assert saved["scored_by"]["method"] == "cross-validation" and saved["all"]["documents"] >= 400
    conf = saved["all"]["confidence"]
    for r in (conf["spans"], conf["paragraphs"]):
        assert r["count"] > 2000
        assert r["ece"] < 0.08, r
        assert abs(r["mean_confidence"] - r["observed"]) < 0.08, r
    bins = conf["spans"]["bins"]
    low = [b for b in bins if b["high"] <= 0.2]
    high = [b for b in bins if b["low"] >= 0.3]
    assert sum(b["observed"] * b["count"] for b in high) / sum(b["count"] for b in high) > \
        2 * sum(b["observed"] * b["count"] for b in low) / sum(b["count"] for b in low)
