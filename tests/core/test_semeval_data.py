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
