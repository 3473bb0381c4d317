"""Reuse detection: planted republications and near-copies are found, unrelated articles are not."""

from __future__ import annotations

import pytest
from corpus_fixtures import ARTICLES, annotated, preprocess, store_docs

from propscope.corpus.reuse import ReusePair, find_reuse, load_pairs, save_pairs, shared_passages
from propscope.corpus.store import CorpusStore
from propscope.document import GIVEN
from propscope.ingest.metadata import guess_metadata


def republished(text: str) -> str:
    """The article as another site reprints it: new title, edited sentences, site furniture."""
    body = text.split("\n", 1)[1]
    body = body.replace("Councillors delayed a vote on Tuesday",
                        "Local councillors postponed their decision this week")
    body = body.replace("Engineers estimate the work would take two winters",
                        "By the engineers' own estimate the job needs two full winters")
    return ("Fishermen fear for mussel beds as port pushes deeper channel\n\n" + body
            + "\n\nThis article was originally published on Coast News.\n\n"
            "Please share this article with your friends and family!")


def ids(pair: ReusePair) -> frozenset[str]:
    return frozenset((pair.a.article_id, pair.b.article_id))


def near_copy(text: str) -> str:
    return text.replace("Saturday", "Sunday").replace("nine in the evening", "ten at night")


@pytest.fixture
def planted(store: CorpusStore) -> dict[str, str]:
    docs = {
        "original": annotated(ARTICLES["harbour"], id="original", outlet="Coast News",
                              published="2021-04-03"),
        "reprint": annotated(republished(ARTICLES["harbour"]), id="reprint", outlet="Daily Echo",
                             published="2021-04-05"),
        "library": annotated(ARTICLES["library"], id="library", outlet="City Post"),
        "library-copy": annotated(near_copy(ARTICLES["library"]), id="library-copy",
                                  outlet="Aggregator"),
        "orchard": annotated(ARTICLES["orchard"], id="orchard", outlet="Farm Weekly"),
        "rail": annotated(ARTICLES["rail"], id="rail", outlet="Daily Echo"),
        "chess": annotated(ARTICLES["chess"], id="chess", outlet="City Post"),
        "chess-again": annotated(near_copy(ARTICLES["chess"]) + "\nUpdated.", id="chess-again",
                                 outlet="City Post"),
    }
    return dict(zip(docs, store_docs(store, list(docs.values())), strict=True))


def test_republication_with_new_title_edits_and_boilerplate_is_found(
        store: CorpusStore, planted: dict[str, str]) -> None:
    pairs = {(p.a.article_id, p.b.article_id): p for p in find_reuse(store)}
    p = pairs[(planted["original"], planted["reprint"])]  # the original comes first
    assert p.first == planted["original"]
    assert p.reason == "republished_from"  # the reprint's footer names Coast News
    assert p.a.outlet == "Coast News" and p.b.outlet == "Daily Echo"
    assert 0.5 <= p.jaccard < 1.0
    assert abs(p.estimated - p.jaccard) < 0.2


def test_near_copy_is_found_and_unrelated_articles_are_not_paired(
        store: CorpusStore, planted: dict[str, str]) -> None:
    found = {ids(p) for p in find_reuse(store)}
    assert found == {frozenset((planted["original"], planted["reprint"])),
                     frozenset((planted["library"], planted["library-copy"]))}


def test_copies_within_one_outlet_are_paired_only_on_request(
        store: CorpusStore, planted: dict[str, str]) -> None:
    chess = frozenset((planted["chess"], planted["chess-again"]))
    assert chess not in {ids(p) for p in find_reuse(store)}
    assert chess in {ids(p) for p in find_reuse(store, same_outlet=True)}


def test_dates_decide_the_order_when_no_syndication_note_does(store: CorpusStore) -> None:
    later, earlier = store_docs(store, [
        annotated(ARTICLES["rail"], id="later", outlet="B", published="2022-01-09"),
        annotated(near_copy(ARTICLES["rail"]) + "\nEnd.", id="earlier", outlet="A",
                  published="2022-01-02T08:00:00Z")])
    [p] = find_reuse(store)
    assert (p.a.article_id, p.b.article_id, p.first, p.reason) == (earlier, later, earlier, "published")


@pytest.mark.parametrize("threshold", [0.99, 1.0])
def test_a_high_threshold_keeps_only_identical_content(
        store: CorpusStore, planted: dict[str, str], threshold: float) -> None:
    assert all(p.jaccard >= threshold for p in find_reuse(store, threshold=threshold))
    assert not find_reuse(store, threshold=threshold)


def test_shared_passages_point_at_the_common_text(store: CorpusStore, planted: dict[str, str]) -> None:
    a, b = planted["original"], planted["reprint"]
    passages = shared_passages(store, a, b)
    assert passages[0].words >= 40
    text_a = ARTICLES["harbour"]
    text_b = store.query("SELECT text FROM articles WHERE article_id = ?", [b])[0][0]
    for p in passages:
        assert text_a[p.a_start:p.a_end] == p.text
        assert text_b[p.b_start:p.b_end].lower() == p.text.lower()
    assert all("originally published" not in p.text for p in passages)


def test_saved_pairs_load_back(store: CorpusStore, planted: dict[str, str]) -> None:
    pairs = find_reuse(store)
    save_pairs(store, pairs)
    assert load_pairs(store) == pairs
    save_pairs(store, [])
    assert load_pairs(store) == []


def test_an_outlet_named_by_a_feed_footer_orders_the_copies(store: CorpusStore) -> None:
    # As the sample whose header says "Via Strategic Culture" and whose footer says "The post
    # ... appeared first on The Duran": the footer names the outlet of that copy, so a copy
    # that says it came from The Duran is ordered after it (before: "unknown").
    body = ARTICLES["rail"].split("\n", 1)[1]
    feed_copy = ("Via Strategic Culture\n\n" + body + "\n\nThe post Night trains return to the "
                 "southern line appeared first on The Duran.")
    reprint = "Via The Duran\n\n" + near_copy(body)
    docs = [preprocess(t, id=i, metadata=guess_metadata(t))
            for t, i in ((feed_copy, "duran"), (reprint, "reprint"))]
    docs[1].metadata.set_from(GIVEN, outlet="Daily Echo")
    duran, copy = store_docs(store, docs)
    [p] = find_reuse(store)
    assert (p.a.outlet, p.b.outlet) == ("The Duran", "Daily Echo")
    assert (p.first, p.reason) == (duran, "republished_from") and p.b.article_id == copy
