"""SemEval files: the task's layout, read back by the project's own SemEval loader."""

from __future__ import annotations

from pathlib import Path

from propscope.datasets.semeval import load_semeval
from propscope.document import Document
from propscope.render.semeval import write_semeval


def as_training_data(out: Path, docs: list[Document], root: Path) -> Path:
    """Lay the written files out as the training data's folder (articles + train- prefix)."""
    data = root / "data"
    (data / "train-articles").mkdir(parents=True)
    for doc in docs:
        aid = doc.id.removeprefix("article")
        (data / "train-articles" / f"article{aid}.txt").write_text(doc.text, encoding="utf-8")
    for item in out.iterdir():
        item.rename(data / f"train-{item.name}")
    return data


def test_files_round_trip_through_the_semeval_loader(tmp_path: Path, doc: Document,
                                                     make_doc) -> None:  # type: ignore[no-untyped-def]
    other = make_doc("Plain line one.\n\nThey lied. They lied again.\n",
                     [("They lied. They lied again.", "Repetition", 0.6)], id="article777")
    other.frames = []
    written = write_semeval([doc, other], tmp_path / "out")
    assert written.ids == ["123", "777"]
    gold = {d.id: d for d in load_semeval(as_training_data(tmp_path / "out", [doc, other],
                                                           tmp_path)).documents}
    for original in (doc, other):
        back = gold[original.id.removeprefix("article")]
        assert [(s.start, s.end, s.label) for s in back.spans] == \
               [(s.start, s.end, s.label) for s in original.spans]
        assert [(p.line, p.techniques) for p in back.paragraphs] == \
               [(p.line, p.techniques) for p in original.paragraphs]
        assert back.genre is not None and back.genre.label == "opinion"
        assert [f.label for f in back.frames] == [f.label for f in original.frames]


def test_rows_follow_the_task_format(tmp_path: Path, doc: Document) -> None:
    write_semeval([doc], tmp_path)
    span_file = tmp_path / "labels-spans" / "article123-labels-subtask-3.txt"
    first = span_file.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert first == ["123", "Loaded_Language", "14", "32"]
    rows = (tmp_path / "labels-paragraphs.txt").read_text(encoding="utf-8").splitlines()
    assert rows == [
        "123\t1\tLoaded_Language",
        "123\t3\tFlag_Waving,Loaded_Language,Name_Calling-Labeling",
        "123\t5\tFalse_Dilemma-No_Choice",
        "123\t7\t",  # boilerplate line: a row with no technique
    ]
    assert (tmp_path / "labels-genre.txt").read_text(encoding="utf-8") == "123\topinion\n"
    assert (tmp_path / "labels-frames.txt").read_text(encoding="utf-8") == "123\tPolitical,Morality\n"


def test_duplicate_ids_do_not_overwrite_each_other(tmp_path: Path, make_doc) -> None:  # type: ignore[no-untyped-def]
    a = make_doc("First text.\n", [("First", "Slogans", 0.5)], id="5")
    b = make_doc("Second text.\n", [], id="article5")
    out = write_semeval([a, b], tmp_path)
    assert out.ids == ["5", "5-2"]
    assert (tmp_path / "labels-spans" / "article5-labels-subtask-3.txt").read_text() == "5\tSlogans\t0\t5\n"
    assert (tmp_path / "labels-spans" / "article5-2-labels-subtask-3.txt").read_text() == ""
    assert not list(tmp_path.rglob("*.tmp"))
