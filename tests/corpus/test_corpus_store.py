"""The DuckDB store: content keys, atomic batches, the stored contract, opening errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from corpus_fixtures import ARTICLES, annotated, store_docs

from propscope.corpus.store import CorpusStore, Failure, StoreError, content_key
from propscope.document import Document, Metadata
from propscope.serialize import from_dict, to_dict


@pytest.mark.parametrize(("a", "b", "same"), [
    (Document("One  two\nthree"), Document("One two three "), True),
    (Document("One two", metadata=Metadata(outlet="A")), Document("One two", metadata=Metadata(outlet="B")),
     False),
    (Document("One two", metadata=Metadata(url="http://a/1")), Document("One two"), False),
    (Document("One two"), Document("One three"), False),
])
def test_content_key_ignores_whitespace_but_not_outlet_or_url(a: Document, b: Document,
                                                              same: bool) -> None:
    assert (content_key(a) == content_key(b)) is same


def test_added_articles_come_back_as_the_json_contract(store: CorpusStore) -> None:
    doc = annotated(ARTICLES["harbour"], id="h1", outlet="Coast News", published="2021-04-03",
                    spans=(("smother the mussel beds", "Loaded_Language"),), genre="reporting",
                    frames=("Economic",))
    [key] = store_docs(store, [doc])
    assert store.existing([key, "f" * 32]) == {key}
    [(article_id, record)] = list(store.records())
    assert (article_id, record) == (key, to_dict(doc))
    assert from_dict(record).spans == doc.spans
    row = store.query("SELECT outlet, published_date::VARCHAR, genre, words FROM articles")[0]
    assert row == ("Coast News", "2021-04-03", "reporting", doc.word_count())
    assert store.query("SELECT technique, text FROM spans") == [
        ("Loaded_Language", "smother the mussel beds")]
    assert store.query("SELECT tf FROM terms WHERE term = 'dredging'") == [(2,)]


def test_a_failing_batch_writes_nothing(store: CorpusStore) -> None:
    doc = annotated(ARTICLES["rail"], id="r1")
    store_docs(store, [doc])
    other = annotated(ARTICLES["chess"], id="c1")
    with pytest.raises(duckdb.ConstraintException):
        store_docs(store, [other, doc])  # doc is already stored: the whole batch is refused
    assert store.count() == 1
    assert store.existing([content_key(other)]) == set()
    store.add([], [Failure("bad.bin", "binary")])
    assert store.query("SELECT source, message FROM failures") == [("bad.bin", "binary")]


def test_committed_batches_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "c.duckdb"
    with CorpusStore(path) as s:
        store_docs(s, [annotated(ARTICLES["library"], id="l1")])
    with CorpusStore(path, read_only=True) as s:
        assert s.count() == 1


def test_opening_a_missing_or_foreign_database_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="propscope corpus ingest"):
        CorpusStore(tmp_path / "missing.duckdb", read_only=True)
    foreign = tmp_path / "other.duckdb"
    duckdb.connect(str(foreign)).execute("CREATE TABLE t (x INTEGER)").close()
    with pytest.raises(StoreError, match="not a propscope corpus"):
        CorpusStore(foreign, read_only=True)
