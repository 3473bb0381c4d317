"""Folds for out-of-fold fitting: random articles, or whole topics held out together."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from propscope.document import Document, split_paragraphs
from propscope.errors import ModelError
from propscope.models.folds import article_folds, ordered_folds, topic_folds
from propscope.models.linear import LinearModel

STORIES = {
    "bridge": "The council bridge budget overran again; the bridge contractor blamed steel prices.",
    "flu": "Hospitals reported more flu cases; the flu vaccine clinics extended their hours.",
    "match": "The football club won the cup final; the club captain lifted the cup at the stadium.",
    "storm": "A winter storm closed roads; the storm left thousands without power overnight.",
}


def _texts() -> tuple[list[str], list[str]]:
    texts, story = [], []
    for name, base in STORIES.items():
        for i in range(6):
            texts.append(f"{base} Report {i} on the {name} story, update number {i}.")
            story.append(name)
    return texts, story


def test_article_folds_are_a_balanced_seeded_permutation() -> None:
    f = article_folds(10, 3, seed=0)
    assert sorted(np.bincount(f)) == [3, 3, 4]
    assert np.array_equal(f, article_folds(10, 3, seed=0))
    assert not np.array_equal(f, article_folds(10, 3, seed=1))


def test_ordered_folds_hold_out_contiguous_stretches_oldest_first() -> None:
    keys: list[float | None] = [5.0, None, 1.0, 9.0, 3.0, None, 7.0, 2.0, None, 8.0, 4.0, 6.0]
    folds = ordered_folds(keys, 3, seed=0)
    dated = {k: int(f) for k, f in zip(keys, folds, strict=True) if k is not None}
    # Nine dated articles: keys 1-3 in the first fold, 4-6 in the second, 7-9 in the last.
    assert dated == {k: (int(k) - 1) // 3 for k in dated}
    undated = [int(f) for k, f in zip(keys, folds, strict=True) if k is None]
    assert sorted(undated) == [0, 1, 2]  # one undated article for each fold
    assert np.array_equal(folds, ordered_folds(keys, 3, seed=0))
    assert np.bincount(folds).tolist() == [4, 4, 4]


# Four stories for eight clusters: k-means says it found fewer distinct clusters, as it should.
@pytest.mark.filterwarnings("ignore:Number of distinct clusters")
def test_topic_folds_never_split_a_story() -> None:
    texts, story = _texts()
    folds, lines = topic_folds(texts, 2, seed=0)
    for name in STORIES:
        assert len({int(f) for f, s in zip(folds, story, strict=True) if s == name}) == 1, name
    assert set(folds.tolist()) == {0, 1}
    assert np.array_equal(folds, topic_folds(texts, 2, seed=0)[0])
    assert lines and all("articles, fold" in line for line in lines)


def test_topic_folds_of_too_few_texts_fall_back_to_articles() -> None:
    folds, lines = topic_folds(["one text", "another text"], 3, seed=0)
    assert len(folds) == 2 and lines == []


def test_unknown_folding_is_a_clear_error(tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    for bad in ({"fold_by": "months"}, {"confidence_folds": "months"}):
        with pytest.raises(ModelError, match="confidence_folds must be one of article, topic, got 'months'"):
            LinearModel(folds=2, static_dim=0, max_word_features=200, **bad).fit(tiny_corpus)


def test_confidence_folds_change_the_scores_not_the_decisions(tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    """Maps fitted on a second out-of-fold pass (topic folds) leave every weight, threshold
    and gate as the fold_by folds chose them; only the shown scores move."""
    same = LinearModel(folds=2, static_dim=0, max_word_features=200,
                       confidence_folds="article").fit(tiny_corpus)
    topic = LinearModel(folds=2, static_dim=0, max_word_features=200).fit(tiny_corpus)
    assert topic.confidence_folds == "topic"
    for name, head in same.heads_.items():
        other = topic.heads_[name]
        assert np.array_equal(head.coef, other.coef) and np.array_equal(head.intercept, other.intercept), name
        assert head.thresholds == other.thresholds and head.paragraph_gate == other.paragraph_gate, name
    assert same.confidence_.to_json() != topic.confidence_.to_json()
    text = Document(tiny_corpus[0].text)
    text.paragraphs = split_paragraphs(text.text)
    a, b = same.predict([copy.deepcopy(text)])[0], topic.predict([copy.deepcopy(text)])[0]
    assert [(s.start, s.end, s.label) for s in a.spans] == [(s.start, s.end, s.label) for s in b.spans]
    assert [p.techniques for p in a.paragraphs] == [p.techniques for p in b.paragraphs]
