"""Reading the shared task's layout: gold offsets round-trip, quirks are repaired."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from propscope.datasets import load_semeval, read_ids, validation_split
from propscope.errors import DataError

ROOT = Path(__file__).resolve().parents[2]


def test_gold_offsets_round_trip_on_every_article(semeval_dir: Path) -> None:
    data = load_semeval(semeval_dir)
    assert len(data.documents) == 446
    assert data.dropped == 0
    n = 0
    for doc in data.documents:
        raw = (semeval_dir / "train-articles" / f"article{doc.id}.txt").read_text(encoding="utf-8")
        assert doc.text == raw
        for s in doc.spans:
            assert doc.span_text(s) == raw[s.start:s.end]
            n += 1
    assert n == 7201


def test_corrupted_name_is_repaired(semeval_dir: Path) -> None:
    data = load_semeval(semeval_dir)
    assert data.renamed == {"Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice"}


def test_committed_split_matches_the_split_function(semeval_dir: Path) -> None:
    ids = [f.stem.removeprefix("article") for f in (semeval_dir / "train-articles").glob("*.txt")]
    assert read_ids(ROOT / "splits" / "validation.txt") == validation_split(ids)
    assert all(i in validation_split(ids) for i in ids if i.startswith("83"))


def test_read_ids_accepts_prefix_and_comments(tmp_path: Path) -> None:
    f = tmp_path / "s.txt"
    f.write_text("# header\narticle123\n456  # note\n\n")
    assert read_ids(f) == ["123", "456"]


def test_genre_frames_only_articles_are_document_level(tmp_path: Path) -> None:
    root = tmp_path / "task"
    for sub in ("train-articles", "train-articles-genre-frames-only"):
        (root / sub).mkdir(parents=True)
    (root / "train-articles" / "article1.txt").write_text("Title\n\nA plain paragraph.\n", encoding="utf-8")
    (root / "train-articles-genre-frames-only" / "article2.txt").write_text(
        "Other\n\nCats run the town now.\n", encoding="utf-8")
    (root / "train-labels-genre.txt").write_text("1\treporting\n2\tsatire\n")
    (root / "train-labels-frames.txt").write_text("1\tEconomic\n2\tPolitical\n")
    data = load_semeval(root)
    assert [d.id for d in data.documents] == ["1"]
    [extra] = data.document_level
    assert extra.id == "2" and extra.genre is not None and extra.genre.label == "satire"
    assert [f.label for f in extra.frames] == ["Political"]
    assert load_semeval(root, ids=["1"]).document_level == []
    assert load_semeval(root, document_level_dir=None).document_level == []


def test_shared_genre_frames_only_articles_load(semeval_dir: Path) -> None:
    data = load_semeval(semeval_dir)
    assert len(data.document_level) == 7
    assert all(d.genre is not None and d.frames and not d.spans for d in data.document_level)
    assert not {d.id for d in data.document_level} & {d.id for d in data.documents}


def _layout(root: Path, spans: str = "", paragraphs: str | None = "1\t1\t\n", genre: str = "") -> Path:
    (root / "train-articles").mkdir(parents=True)
    (root / "train-labels-spans").mkdir()
    (root / "train-articles" / "article1.txt").write_text("Corrupt traitors lie.\n", encoding="utf-8")
    (root / "train-labels-spans" / "article1-labels-subtask-3.txt").write_text(spans)
    if paragraphs is not None:
        (root / "train-labels-paragraphs.txt").write_text(paragraphs)
    (root / "train-labels-genre.txt").write_text(genre)
    return root


@pytest.mark.parametrize(("spans", "paragraphs", "said"), [
    ("1\tLoaded_Language\t0\t99999\n", "1\t1\t\n", "span 0..99999 does not fit the article's 22 characters"),
    ("1\tLoaded_Language\t0\n", "1\t1\t\n", "article1-labels-subtask-3.txt:1: 3 fields, not 4"),
    ("", "1\t1\t\n1\t999\tDoubt\n", "train-labels-paragraphs.txt:2: article 1 has no paragraph on line 999"),
])
def test_dropped_rows_are_counted_and_described(tmp_path: Path, spans: str, paragraphs: str,
                                                said: str) -> None:
    data = load_semeval(_layout(tmp_path / "d", spans, paragraphs))
    assert data.dropped == 1
    assert len(data.problems) == 1 and said in data.problems[0]
    assert said in data.notes()[0]


@pytest.mark.parametrize(("spans", "paragraphs", "said"), [
    ("1\tLoaded_Language\tabc\t5\n", "",
     "article1-labels-subtask-3.txt:1: expected a whole number, got 'abc'"),
    ("", "1\tthree\tDoubt\n", "train-labels-paragraphs.txt:1: expected a whole number, got 'three'"),
    ("1\tBandwagon_Effect\t0\t5\n", "", "article1-labels-subtask-3.txt:1: Unknown technique"),
])
def test_malformed_rows_name_their_file_and_line(tmp_path: Path, spans: str, paragraphs: str,
                                                 said: str) -> None:
    with pytest.raises(DataError, match=re.escape(said)):
        load_semeval(_layout(tmp_path / "d", spans, paragraphs))


def test_an_article_that_is_no_utf8_names_its_file(tmp_path: Path) -> None:
    root = _layout(tmp_path / "d")
    (root / "train-articles" / "article1.txt").write_bytes("Caf\xe9 owners lie.\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"article1\.txt: not UTF-8 text"):
        load_semeval(root)


def test_without_a_paragraph_file_paragraph_labels_come_from_the_spans(tmp_path: Path) -> None:
    data = load_semeval(_layout(tmp_path / "d", "1\tLoaded_Language\t0\t7\n", paragraphs=None))
    assert data.paragraphs_from_spans and "no paragraph label file" in data.notes()[0]
    assert data.documents[0].paragraphs[0].techniques == ["Loaded_Language"]


def test_unlabelled_articles_and_repeated_genres_are_noted(tmp_path: Path) -> None:
    root = _layout(tmp_path / "d", paragraphs="", genre="1\topinion\n1\treporting\n")
    (root / "train-labels-spans" / "article1-labels-subtask-3.txt").unlink()
    data = load_semeval(root)
    assert any("a second genre row for article 1" in p for p in data.problems)
    assert any("have no span file and no paragraph rows" in p for p in data.problems)


def test_a_split_file_with_a_byte_order_mark_keeps_its_first_id(tmp_path: Path) -> None:
    split = tmp_path / "split.txt"
    split.write_text("\ufeff832908730\n1234\n", encoding="utf-8")
    assert read_ids(split) == ["832908730", "1234"]
    split.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(DataError, match="lists no article id"):
        read_ids(split)
