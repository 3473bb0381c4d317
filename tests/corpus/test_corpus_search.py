"""Search: every word must match, phrases, technique/outlet/date filters, spans and snippets."""

from __future__ import annotations

import pytest
from corpus_fixtures import ARTICLES, annotated, store_docs

from propscope.corpus.search import QueryError, search, snippet
from propscope.corpus.store import CorpusStore


@pytest.fixture
def indexed(store: CorpusStore) -> dict[str, str]:
    docs = [
        annotated(ARTICLES["harbour"], id="harbour", outlet="Coast News", published="2021-04-03",
                  spans=(("smother the mussel beds", "Loaded_Language"),
                         ("Fishermen from the old quay", "Name_Calling-Labeling"))),
        annotated(ARTICLES["orchard"], id="orchard", outlet="Farm Weekly", published="2020-05-01",
                  spans=(("the cold settled in the hollows regardless", "Loaded_Language"),)),
        annotated(ARTICLES["rail"], id="rail", outlet="Coast News", published="2019-12-01"),
    ]
    return dict(zip(("harbour", "orchard", "rail"), store_docs(store, docs), strict=True))


def test_all_words_must_occur_and_rank_by_bm25(store: CorpusStore, indexed: dict[str, str]) -> None:
    assert [h.article_id for h in search(store, "mussel beds")] == [indexed["harbour"]]
    assert search(store, "mussel orchards") == []
    # "the" occurs everywhere; "harbour" only in one: that one ranks first.
    hits = search(store, "harbour the")
    assert hits[0].article_id == indexed["harbour"]
    assert "harbour" in hits[0].snippet.lower()


def test_phrases_must_match_as_phrases(store: CorpusStore, indexed: dict[str, str]) -> None:
    assert [h.article_id for h in search(store, '"night dredging"')] == [indexed["harbour"]]
    assert search(store, '"dredging night"') == []


def test_filters_and_matching_spans(store: CorpusStore, indexed: dict[str, str]) -> None:
    hits = search(store, "", technique="Loaded_Language", since="2021-01-01")
    assert [h.article_id for h in hits] == [indexed["harbour"]]
    assert [s.text for s in hits[0].spans] == ["smother the mussel beds"]
    assert {h.article_id for h in search(store, technique="Loaded_Language")} == {
        indexed["harbour"], indexed["orchard"]}
    assert [h.article_id for h in search(store, "the", outlet="Coast News", until="2020-01-01")] == [
        indexed["rail"]]
    hits = search(store, "fishermen")
    assert [s.technique for s in hits[0].spans] == ["Name_Calling-Labeling"]
    assert search(store, category="Attack_on_Reputation")[0].article_id == indexed["harbour"]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"query": ""}, "Give search words"),
    ({"query": "x", "technique": "Name_Calling_Nonsense_Here"}, "techniques"),
    ({"query": "x", "category": "Nope"}, "Unknown category"),
])
def test_bad_queries_say_how_to_fix_them(store: CorpusStore, kwargs: dict[str, str], match: str) -> None:
    with pytest.raises(QueryError, match=match):
        search(store, **kwargs)


def test_sql_wildcards_in_phrases_are_literal(store: CorpusStore, indexed: dict[str, str]) -> None:
    assert search(store, '"100%"') == []
    assert search(store, '"_"') == []


def test_snippet_centres_on_the_first_match() -> None:
    text = "alpha " * 50 + "needle in the hay " + "omega " * 50
    s = snippet(text, ["needle"], width=20)
    assert "needle" in s and s.startswith("…") and s.endswith("…")
