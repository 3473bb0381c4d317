"""The linear model: fitting rules, save/load round trip, style features, genre/frame-only articles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from propscope.document import Document, Frame, Genre, split_paragraphs
from propscope.errors import NotFittedError
from propscope.models import load_model
from propscope.models.linear import LinearModel
from propscope.taxonomy import GENRES

# Word vectors only for the tiny corpus's own words keep distillation to a second.
TINY = {"folds": 2, "max_word_features": 500, "hash_bits": 12, "static_dim": 8,
        "static_encoder_words": False}
ANGRY = ("Senate vote\n\nThese corrupt, treasonous traitors in Washington have betrayed every "
         "decent citizen. They are a gang of thieves and disgusting liars.")
WEATHER = ("Weather\n\nTomorrow will be mostly cloudy with a high of 14 degrees and a light "
           "westerly wind. Showers are possible in the evening, clearing overnight.")


def _doc(text: str, **kw: object) -> Document:
    doc = Document(text, **kw)  # type: ignore[arg-type]
    doc.paragraphs = split_paragraphs(text)
    return doc


def _snapshot(doc: Document) -> tuple[object, ...]:
    return (
        [(s.start, s.end, s.label, round(s.score, 4)) for s in doc.spans],
        [(p.line, tuple(p.techniques)) for p in doc.paragraphs],
        doc.genre.label if doc.genre else None,
        [f.label for f in doc.frames],
    )


@pytest.mark.parametrize("call", ["predict", "save"])
def test_unfitted_model_raises_not_fitted(call: str, tmp_path: Path) -> None:
    model = LinearModel()
    with pytest.raises(NotFittedError):
        if call == "predict":
            model.predict([_doc(WEATHER)])
        else:
            model.save(tmp_path)
    assert model.info.trained_on == "not trained"


def test_init_stores_params_only() -> None:
    model = LinearModel(c_token=0.7, seed=3)
    assert model.get_params()["c_token"] == 0.7
    assert not [k for k in vars(model) if k.endswith("_")]


def test_fit_predict_save_load_round_trip(tiny_corpus: list[Document], tmp_path: Path) -> None:
    model = LinearModel(**TINY).fit(tiny_corpus, trained_on="tiny")
    assert model.fit is not None and hasattr(model, "heads_")
    texts = [d.text for d in tiny_corpus[:4]]
    first = model.predict([_doc(t, id=str(i)) for i, t in enumerate(texts)])
    model.save(tmp_path / "art")
    loaded = load_model(tmp_path / "art")
    second = loaded.predict([_doc(t, id=str(i)) for i, t in enumerate(texts)])
    assert [_snapshot(d) for d in first] == [_snapshot(d) for d in second]
    assert loaded.info.trained_on == "tiny"
    # the opinion piece of the training data is recognised as such
    assert first[0].genre is not None and first[0].genre.label == "opinion"
    assert first[1].genre is not None and first[1].genre.label == "reporting"


def test_fit_is_reproducible(tiny_corpus: list[Document]) -> None:
    a = LinearModel(**TINY, seed=1).fit(tiny_corpus)
    b = LinearModel(**TINY, seed=1).fit(tiny_corpus)
    doc_a, doc_b = a.predict([_doc(ANGRY)])[0], b.predict([_doc(ANGRY)])[0]
    assert _snapshot(doc_a) == _snapshot(doc_b)


def test_artifact_holds_no_pickle(tiny_corpus: list[Document], tmp_path: Path) -> None:
    LinearModel(**TINY).fit(tiny_corpus).save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "vocab.json", "weights.npz"]
    import numpy as np

    with np.load(tmp_path / "weights.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)


@pytest.mark.parametrize("damage", ["truncated", "array missing"])
def test_a_damaged_artifact_is_a_model_error(tiny_corpus: list[Document], tmp_path: Path,
                                             damage: str) -> None:
    # A half-copied weights.npz raised zipfile.BadZipFile, a missing array a bare KeyError.
    import numpy as np

    from propscope.errors import ModelError

    LinearModel(**TINY).fit(tiny_corpus).save(tmp_path)
    weights = tmp_path / "weights.npz"
    if damage == "truncated":
        weights.write_bytes(weights.read_bytes()[:100])
    else:
        with np.load(weights, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files if k != "vectorizer.word_idf"}
        np.savez(weights, **arrays)
    with pytest.raises(ModelError, match="Cannot read linear model artifact"):
        load_model(tmp_path)


REPORT = ('Officials said on Monday that the bridge would reopen. "We expect traffic by noon," '
          "the mayor told reporters.\n\"Repairs went well,\" a spokesman said, according to a statement.")
OPINION = ("I think you should be furious. Why do we keep paying for this?\n"
           "We deserve better! You know it, and I know it.")


@pytest.mark.parametrize(("name", "report_higher"), [
    ("quoted_sentences", True), ("reporting_verbs_per_sentence", True),
    ("paragraphs_opening_with_quote", True), ("first_person_per_100_words", False),
    ("second_person_per_100_words", False), ("questions_per_sentence", False),
    ("exclamations_per_sentence", False),
])
def test_style_features_separate_reporting_from_opinion(name: str, report_higher: bool) -> None:
    from propscope.models.linear.style import STYLE_NAMES, style_features

    i = STYLE_NAMES.index(name)
    report, opinion = style_features(REPORT)[i], style_features(OPINION)[i]
    assert (report > opinion) if report_higher else (report < opinion)


def test_style_scaler_round_trip_and_standardises() -> None:
    import numpy as np

    from propscope.models.linear.style import STYLE_NAMES, StyleScaler

    scaler = StyleScaler.fit([REPORT, OPINION, WEATHER], weight=0.5)
    x = scaler.transform([REPORT, OPINION, WEATHER]).toarray()
    assert x.shape == (3, len(STYLE_NAMES))
    assert np.allclose(x.mean(axis=0), 0, atol=1e-5)
    again = StyleScaler.from_arrays("style", scaler.to_arrays("style"))
    assert again is not None and np.allclose(again.transform([REPORT]).toarray(), x[:1])
    assert StyleScaler.from_arrays("style", {}) is None


def test_style_values_of_short_texts_are_clipped() -> None:
    import numpy as np

    from propscope.models.linear.style import CLIP, STYLE_NAMES, StyleScaler

    scaler = StyleScaler.fit([REPORT, OPINION, WEATHER, REPORT + "\n" + WEATHER], weight=0.5)
    short = scaler.transform(["We know it."]).toarray()[0]  # first person: 2 of 3 words
    assert np.abs(short).max() == np.float32(CLIP * 0.5)
    assert short[STYLE_NAMES.index("first_person_per_100_words")] == np.float32(CLIP * 0.5)


def test_short_texts_have_their_genre_pulled_toward_the_training_mix() -> None:
    from propscope.models.linear.style import GenreSupport

    labels = ["opinion", "reporting", "satire"]
    support = GenreSupport.fit(["one two three four", "a b c d e f g h"], ["opinion", "reporting"], labels)
    assert support.min_words == 4 and support.prior == {"opinion": 0.5, "reporting": 0.5, "satire": 0.0}
    probs = np.array([[0.1, 0.1, 0.8], [0.1, 0.1, 0.8], [0.1, 0.1, 0.8]], dtype=np.float32)
    out = support.shrink(probs, ["w1 w2 w3 w4 w5", "w1 w2 w3 w4", "w1"], labels)
    np.testing.assert_allclose(out[:2], probs[:2])  # as long as the shortest training text: unchanged
    np.testing.assert_allclose(out[2], [0.25 * 0.1 + 0.75 * 0.5, 0.25 * 0.1 + 0.75 * 0.5, 0.25 * 0.8])
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-6)
    assert GenreSupport.from_json(support.to_json()) == support
    assert GenreSupport.from_json(None) is None  # artifacts from before: scores never shrunk


def test_fitted_model_records_and_applies_its_genre_support(tiny_corpus: list[Document],
                                                            tmp_path: Path) -> None:
    model = LinearModel(**TINY).fit(tiny_corpus)
    support = model.genre_support_
    assert support is not None and support.prior["opinion"] == 0.5 and support.min_words > 10
    model.save(tmp_path / "m")
    loaded = LinearModel.load(tmp_path / "m")
    assert loaded.genre_support_ == support
    short = loaded.predict([_doc("Traitors!")])[0]
    assert short.genre is not None
    # One word of a text far shorter than any training article: scores sit near the mix.
    assert abs(short.genre.scores["opinion"] - 0.5) < 0.1 and short.genre.scores["satire"] < 0.1
    loaded.genre_support_ = None
    raw = loaded.predict([_doc("Traitors!")])[0]
    assert raw.genre is not None and raw.genre.scores != short.genre.scores


def test_genre_without_style_features_still_fits(tiny_corpus: list[Document]) -> None:
    model = LinearModel(**TINY, style_weight=0.0).fit(tiny_corpus)
    assert model.style_ is None
    doc = model.predict([_doc(ANGRY)])[0]
    assert doc.genre is not None and doc.genre.label in GENRES


def test_document_level_articles_train_genre_and_frames_only(tiny_corpus: list[Document]) -> None:
    """Articles labelled for genre/frames only must teach those heads and nothing else."""
    satire = []
    for i in range(3):
        text = f"Local Cat Elected Mayor {i}\n\nThe cat promised free naps for every voter in town."
        doc = Document(text, id=f"sat{i}")
        doc.paragraphs = split_paragraphs(text)
        doc.genre = Genre("satire", {g: float(g == "satire") for g in GENRES})
        doc.frames = [Frame("Political", 1.0)]
        satire.append(doc)
    plain = LinearModel(**TINY).fit(tiny_corpus)
    more = LinearModel(**TINY).fit(tiny_corpus, document_level=satire)
    satire_row = GENRES.index("satire")
    assert plain.heads_["genre"].intercept[satire_row] == -30.0  # never seen: never predicted
    assert more.heads_["genre"].intercept[satire_row] > -30.0
    for head in ("paragraph", "sentence", "token"):
        np.testing.assert_array_equal(plain.heads_[head].coef, more.heads_[head].coef)
    assert not np.array_equal(plain.heads_["frames"].coef, more.heads_["frames"].coef)
