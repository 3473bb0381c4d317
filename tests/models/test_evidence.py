"""Paragraph evidence: the n-grams with the largest positive terms of a linear head, located
at the right offsets, content words only, no repeats."""

from __future__ import annotations

import numpy as np

from propscope.models.linear.evidence import MAX_OCCURRENCES, TOP_TERMS, paragraph_evidence
from propscope.models.linear.features import TextVectorizer
from propscope.models.linear.heads import LinearHead

TEXTS = ["These traitors lied and the traitors lied again, traitors all.",
         "The weather is mild and the rain stopped.",
         "Our nation stands proud, our nation stands tall."]


def _head(vec: TextVectorizer, weights: dict[str, float]) -> LinearHead:
    coef = np.zeros((2, vec.dim), dtype=np.float32)
    index = {w: i for i, w in enumerate(vec.word_vocab)}
    for gram, w in weights.items():
        coef[0, index[gram]] = w
        coef[1, index[gram]] = -w  # the second label is pushed down by the same words
    return LinearHead(["A", "B"], coef, np.zeros(2, dtype=np.float32))


def test_evidence_points_at_the_strongest_positive_words() -> None:
    vec = TextVectorizer.fit(TEXTS, max_word=500, min_df=1)
    head = _head(vec, {"traitors": 2.0, "lied": 1.0, "these": 5.0, "the weather": 0.5})
    rows = vec.transform(TEXTS)
    offset = 100  # paragraphs start inside a longer document
    out = paragraph_evidence(head, vec, rows, TEXTS, [offset] * 3, [["A", "B"], ["A"], []])
    first = out[0]["A"]
    words = [TEXTS[0][a - offset:b - offset] for a, b in first]
    # "these" weighs most but is a function word: it counts in the score, not in the evidence.
    assert "These" not in words
    assert words.count("traitors") == MAX_OCCURRENCES and words.count("lied") == MAX_OCCURRENCES
    assert first == sorted(first)
    assert "B" not in out[0]  # only negative terms: no evidence
    assert out[1] == {"A": [(offset, offset + 11)]}  # "The weather": it holds a content word
    assert out[2] == {}  # no label given, nothing sought


def test_evidence_keeps_bigrams_and_drops_the_words_inside_them() -> None:
    vec = TextVectorizer.fit(TEXTS, max_word=500, min_df=1)
    head = _head(vec, {"our nation": 3.0, "nation": 2.0, "proud": 1.0, "tall": 0.5})
    out = paragraph_evidence(head, vec, vec.transform(TEXTS), TEXTS, [0] * 3, [[], [], ["A"]])
    got = [TEXTS[2][a:b] for a, b in out[2]["A"]]
    assert got == ["Our nation", "proud", "our nation"]  # "nation" alone lies inside both
    assert len({g.lower() for g in got}) <= TOP_TERMS


def test_token_evidence_picks_the_likeliest_distinct_content_words() -> None:
    from propscope.document import Document, split_paragraphs
    from propscope.models.linear.evidence import token_evidence
    from propscope.models.linear.units import build_units

    text = "Title\n\nThe liars and the liars lied to the crooks, said the clerk."
    doc = Document(text)
    doc.paragraphs = split_paragraphs(text)
    units = build_units([doc])
    words = [text[a - units.base[0]:b - units.base[0]] for a, b in units.tok_ranges]
    probs = np.zeros((len(words), 2), dtype=np.float32)
    for k, w in enumerate(words):
        probs[k, 0] = {"liars": 0.9, "the": 0.95, "crooks": 0.7, "clerk": 0.2, "lied": 0.1}.get(w, 0.0)
    out = token_evidence(units, ["Loaded_Language", "Slogans"], probs,
                         [[], ["Doubt", "Loaded_Language", "Slogans"]])
    assert out[0] == {}
    got = [text[a:b] for a, b in out[1]["Loaded_Language"]]
    assert got == ["liars", "crooks", "clerk"]  # "the" is a function word; "liars" once
    assert "Doubt" not in out[1]  # not a token-level technique here
    assert len(out[1]["Slogans"]) == TOP_TERMS  # ranked even when every probability is 0
