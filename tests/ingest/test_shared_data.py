"""Ingestion on the shared data: gold offsets survive reading; the samples' boilerplate."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.document import Document
from propscope.ingest import find_boilerplate, iter_documents, read_bytes, read_path

pytestmark = pytest.mark.shared_data


def _gold_spans(semeval_dir: Path, article_id: str) -> list[tuple[int, int]]:
    path = semeval_dir / "train-labels-spans" / f"article{article_id}-labels-subtask-3.txt"
    if not path.is_file():
        return []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(int(r[2]), int(r[3])) for r in rows]


def test_txt_offsets_round_trip_on_every_training_article(semeval_dir: Path) -> None:
    files = sorted((semeval_dir / "train-articles").glob("article*.txt"))
    assert len(files) > 400
    checked = 0
    for path in files:
        [doc] = read_path(path)
        reference = path.read_text(encoding="utf-8")  # how the gold offsets were made
        assert doc.text == reference, path.name
        for start, end in _gold_spans(semeval_dir, path.stem.removeprefix("article")):
            assert doc.text[start:end] == reference[start:end]
            checked += 1
    assert checked > 7000


def test_training_articles_have_titles_and_hardly_any_boilerplate(semeval_dir: Path) -> None:
    docs = [d for d in iter_documents([str(semeval_dir / "train-articles")]) if isinstance(d, Document)]
    assert len(docs) == len(list((semeval_dir / "train-articles").glob("*.txt")))
    assert all(d.metadata.title for d in docs)
    # Gold technique spans lie in the article prose: almost none may fall in boilerplate.
    inside = 0
    for doc in docs:
        regions, _ = find_boilerplate(doc.text)
        spans = _gold_spans(semeval_dir, doc.id.removeprefix("article"))
        inside += sum(any(r.start < e and s < r.end for r in regions) for s, e in spans)
    assert inside == 0


def _sample(samples_dir: Path, prefix: str) -> Document:
    [path] = samples_dir.glob(f"{prefix}_*.txt")
    [doc] = read_path(path)
    assert doc.text == path.read_text(encoding="utf-8")
    return doc


def _regions(doc: Document) -> dict[str, str]:
    regions, _ = find_boilerplate(doc.text)
    return {doc.text[r.start:r.end].strip(): r.kind for r in regions}


def test_sample_000_markdown_like_opinion(samples_dir: Path) -> None:
    doc = _sample(samples_dir, "000")
    m = doc.metadata
    assert m.title == "Russia's Counter-COVID Aid to America, Advances the Case for a New Detente?"
    assert (m.author, m.published, m.outlet) == ("Andrew Korybko", "2020-04-03", "Global Research")
    assert m.republished_from == "OneWorld"
    found = _regions(doc)
    expected = {
        "By [Andrew Korybko](#)": "byline",
        "Global Research, April 03, 2020": "dateline",
        "Region: [Russia and FSU](#), [USA](#)": "navigation",
        "Theme: [History](#), [Science and Medicine](#)": "navigation",
        "*This article was originally published on [OneWorld](#).*": "syndication_footer",
        "The original source of this article is Global Research": "syndication_footer",
        "Copyright © [Andrew Korybko](#), Global Research, 2020": "copyright",
        "[Become a Member of Global Research](#)": "subscribe",
        "Articles by: [Andrew Korybko](#)": "author_box",
        "#### About the author:": "author_box",
    }
    for line, kind in expected.items():
        assert found.pop(line) == kind
    rest = sorted(found.items(), key=lambda kv: kv[0])
    assert [k for _, k in rest].count("disclaimer") == 2
    assert [k for _, k in rest].count("author_box") == 2  # the italic bio and the one below the heading
    assert any(k == "share_plea" and t.startswith("Note to readers") for t, k in rest)
    # Every paragraph of the argument itself stays content.
    content = [doc.text[p.start:p.end] for p in _content(doc)]
    assert any(p.startswith("Observers could be forgiven") for p in content)
    assert any(p.startswith("a comparatively more disadvantageous") for p in content)
    assert not any("share buttons" in p or "Disclaimer" in p for p in content)


def _content(doc: Document) -> list:
    from propscope.pipeline import Pipeline, create_component

    Pipeline([create_component("boilerplate"), create_component("paragraphs")])(doc)
    return doc.content_paragraphs()


def test_sample_001_republished_piece(samples_dir: Path) -> None:
    doc = _sample(samples_dir, "001")
    assert doc.metadata.republished_from == "Strategic Culture"
    # "The post ... appeared first on The Duran": the Duran's feed published this copy.
    assert doc.metadata.outlet == "The Duran"
    assert doc.metadata.sources == {"outlet": "syndication footer", "title": "syndication footer",
                                    "republished_from": "syndication header"}
    assert doc.metadata.title == "How the US midterm election will impact relations with Russia"
    found = _regions(doc)
    assert found.pop("Via Strategic Culture") == "syndication_header"
    assert found.pop("<< Support The Duran >>") == "subscribe"
    [(footer, kind)] = found.items()
    assert footer.startswith("The post How the US midterm") and kind == "syndication_footer"
    assert find_boilerplate(doc.text)[1] == "Strategic Culture"


def test_sample_002_plain_report_has_no_boilerplate(samples_dir: Path) -> None:
    doc = _sample(samples_dir, "002")
    assert find_boilerplate(doc.text) == ([], None)
    assert doc.metadata.title is None  # the first line is a paragraph, not a headline


def test_sample_000_as_markdown_keeps_metadata_and_boilerplate(samples_dir: Path) -> None:
    [path] = samples_dir.glob("000_*.txt")
    [doc] = read_bytes(path.read_bytes(), name="000.md")
    assert "](#)" not in doc.text and "**" not in doc.text
    assert doc.metadata.author == "Andrew Korybko"
    assert doc.metadata.title == "Russia's Counter-COVID Aid to America, Advances the Case for a New Detente?"
    kinds = [r.kind for r in find_boilerplate(doc.text)[0]]
    assert kinds[:4] == ["byline", "dateline", "navigation", "navigation"]
    assert {"share_plea", "syndication_footer", "copyright", "subscribe", "author_box",
            "disclaimer"} <= set(kinds)
