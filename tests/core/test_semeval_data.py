"""Reading the shared task's layout: gold offsets round-trip, quirks are repaired."""

from __future__ import annotations

from pathlib import Path

from propscope.datasets import load_semeval, read_ids, validation_split

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
