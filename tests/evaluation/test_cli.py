"""`propscope evaluate` end to end on a tiny data folder in the shared task's layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.cli.main import main
from propscope.datasets import load_semeval
from propscope.document import Span
from propscope.models import DEFAULT_MODEL
from propscope.serialize import to_json

ARTICLES = {
    "1001": "A shameful plan\n\nThe minister's shameful plan will ruin us all.\n\nCan we trust him?\n",
    "8301": "Local news\n\nThe council met on Tuesday, the heroes.\n",
}


def _at(aid: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``phrase`` in article ``aid``."""
    start = -1
    for _ in range(nth + 1):
        start = ARTICLES[aid].index(phrase, start + 1)
    return start, start + len(phrase)


SPANS = {
    "1001": [("Loaded_Language", *_at("1001", "shameful")), ("Loaded_Language", *_at("1001", "shameful", 1)),
             ("Doubt", *_at("1001", "Can we trust him?"))],
    "8301": [("Name_Calling-Labeling", *_at("8301", "the heroes"))],
}
PARAGRAPHS = [("1001", 1, "Loaded_Language"), ("1001", 3, "Loaded_Language"), ("1001", 5, "Doubt"),
              ("8301", 1, ""), ("8301", 3, "Name_Calling-Labeling")]


@pytest.fixture
def task_dir(tmp_path: Path) -> Path:
    root = tmp_path / "task"
    (root / "train-articles").mkdir(parents=True)
    (root / "train-labels-spans").mkdir()
    for aid, text in ARTICLES.items():
        (root / "train-articles" / f"article{aid}.txt").write_text(text, encoding="utf-8")
        rows = "".join(f"{aid}\t{t}\t{s}\t{e}\n" for t, s, e in SPANS.get(aid, []))
        (root / "train-labels-spans" / f"article{aid}-labels-subtask-3.txt").write_text(rows)
    (root / "train-labels-paragraphs.txt").write_text("".join(f"{a}\t{ln}\t{t}\n" for a, ln, t in PARAGRAPHS))
    (root / "train-labels-genre.txt").write_text("1001\topinion\n8301\treporting\n")
    (root / "train-labels-frames.txt").write_text("1001\tPolitical,Morality\n8301\tPolitical\n")
    return root


def write_jsonl(path: Path, docs: list) -> Path:
    path.write_text("".join(to_json(d) + "\n" for d in docs), encoding="utf-8")
    return path


def test_fixture_spans_cover_the_intended_words(task_dir: Path) -> None:
    docs = {d.id: d for d in load_semeval(task_dir).documents}
    found = [docs["1001"].span_text(s) for s in docs["1001"].spans]
    assert found == ["shameful", "shameful", "Can we trust him?"]
    assert [p.line for p in docs["8301"].paragraphs if p.techniques] == [3]


def test_gold_as_prediction_scores_one_and_writes_json(task_dir: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    preds = write_jsonl(tmp_path / "gold.jsonl", load_semeval(task_dir).documents)
    out = tmp_path / "scores" / "out.json"
    rc = main(["evaluate", "--data", str(task_dir), "--predictions", str(preds), "--json", str(out),
               "--per-technique"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "Newest articles only" in printed and "Per technique" in printed
    scores = json.loads(out.read_text())
    for name in ("all", "recent"):
        assert scores[name]["paragraphs"]["micro_f1"] == 1.0
        assert scores[name]["spans"]["technique_aware"]["f1"] == 1.0
        assert scores[name]["genre"]["macro_f1"] == 1.0
        assert scores[name]["frames"]["micro_f1"] == 1.0
    assert scores["all"]["documents"] == 2 and scores["recent"]["documents"] == 1
    assert [p.name for p in out.parent.iterdir()] == ["out.json"]  # no temporary file left


def test_imperfect_prediction_and_split(task_dir: Path, tmp_path: Path) -> None:
    pred = load_semeval(task_dir).documents[0]  # article1001
    pred.spans = [Span(*_at("1001", "shameful"), "Loaded_Language")]  # found one of the two "shameful" spans
    pred.paragraphs[2].techniques = []  # missed Doubt on line 5
    pred.genre = None
    preds = write_jsonl(tmp_path / "pred.jsonl", [pred])
    split = tmp_path / "split.txt"
    split.write_text("# one article\narticle1001\n")
    out = tmp_path / "out.json"
    assert main(["evaluate", "--data", str(task_dir), "--split", str(split), "--predictions", str(preds),
                 "--json", str(out)]) == 0
    scores = json.loads(out.read_text())
    assert "recent" not in scores  # no 83* article in the split
    # spans: P = 1/1, R = (1 + 0 + 0)/3; paragraphs: tp 2, fn 1 -> R 2/3
    assert scores["all"]["spans"]["technique_aware"]["recall"] == pytest.approx(1 / 3, abs=1e-6)
    assert scores["all"]["paragraphs"]["scores"]["micro"]["recall"] == pytest.approx(2 / 3, abs=1e-6)
    assert scores["all"]["genre"]["accuracy"] == 0.0


@pytest.mark.parametrize(("setup", "message"), [
    (lambda root: root / "nowhere", "not a folder"),
    (lambda root: root, "no train-articles"),
])
def test_wrong_data_folder_is_a_clear_error(tmp_path: Path, setup, message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--data", str(setup(tmp_path)), "--predictions", "x.jsonl"]) == 1
    assert message in capsys.readouterr().err


def test_unlabelled_data_and_bad_predictions_are_clear_errors(task_dir: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1001", "text": "x"}\nnot json\n')
    assert main(["evaluate", "--data", str(task_dir), "--predictions", str(bad)]) == 1
    assert "line 2" in capsys.readouterr().err
    for label_path in ("train-labels-spans", "train-labels-paragraphs.txt"):
        target = task_dir / label_path
        target.rename(target.with_name("moved-" + label_path))
    assert main(["evaluate", "--data", str(task_dir), "--predictions", str(bad)]) == 1
    assert "no gold labels" in capsys.readouterr().err


def test_help_teaches_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "Examples:" in text and "--split splits/validation.txt" in text


def test_model_and_predictions_exclude_each_other(task_dir: Path) -> None:
    with pytest.raises(SystemExit):
        main(["evaluate", "--data", str(task_dir), "--model", DEFAULT_MODEL, "--predictions", "p.jsonl"])


def test_gold_as_prediction_on_shared_data(semeval_dir: Path, tmp_path: Path) -> None:
    docs = load_semeval(semeval_dir).documents
    recent = [d for d in docs if d.id.startswith("83")]
    subset = recent[:5] + [d for d in docs if d not in recent][:25]
    split = tmp_path / "split.txt"
    split.write_text("".join(f"{d.id}\n" for d in subset))
    preds = write_jsonl(tmp_path / "gold.jsonl", subset)
    out = tmp_path / "out.json"
    assert main(["evaluate", "--data", str(semeval_dir), "--split", str(split), "--predictions", str(preds),
                 "--json", str(out)]) == 0
    scores = json.loads(out.read_text())
    assert scores["all"]["documents"] == 30 and scores["recent"]["documents"] == 5
    assert scores["all"]["spans"]["technique_agnostic"]["f1"] == 1.0
    assert scores["all"]["paragraphs"]["macro_f1"] == 1.0


def test_sensitivity_is_scored_and_recorded(task_dir: Path, tmp_path: Path) -> None:
    counts = {}
    for level in ("precise", "exhaustive"):
        out = tmp_path / f"{level}.json"
        assert main(["evaluate", "--data", str(task_dir), "--sensitivity", level, "--json", str(out)]) == 0
        scores = json.loads(out.read_text())
        assert scores["sensitivity"] == {"precise": -1.0, "exhaustive": 1.0}[level]
        counts[level] = scores["all"]["spans"]["technique_aware"]["predicted"]
    assert counts["exhaustive"] > counts["precise"], counts


def test_sensitivity_does_not_apply_to_saved_predictions(task_dir: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    preds = write_jsonl(tmp_path / "gold.jsonl", load_semeval(task_dir).documents)
    assert main(["evaluate", "--data", str(task_dir), "--predictions", str(preds),
                 "--sensitivity", "broad"]) == 2
    assert "--sensitivity applies when a model analyses" in capsys.readouterr().err


def test_predictions_from_analyze_are_matched_to_the_gold(task_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # `analyze` names records after their files (article1001); the gold drops the prefix, so
    # the help's own workflow scored 0 everywhere.
    preds = tmp_path / "analyses.jsonl"
    assert main(["analyze", str(task_dir / "train-articles"), "--format", "jsonl", "-o", str(preds),
                 "--quiet"]) == 0
    assert json.loads(preds.read_text().splitlines()[0])["id"] == "article1001"
    out = tmp_path / "scores.json"
    assert main(["evaluate", "--data", str(task_dir), "--predictions", str(preds), "--json", str(out)]) == 0
    scores = json.loads(out.read_text())["all"]
    assert (scores["missing"], scores["unmatched"], scores["documents"]) == ([], 0, 2)


def test_predictions_for_no_gold_article_are_an_error(task_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    doc = load_semeval(task_dir).documents[0]
    doc.id = "someone-else"
    preds = write_jsonl(tmp_path / "other.jsonl", [doc])
    assert main(["evaluate", "--data", str(task_dir), "--predictions", str(preds)]) == 1
    assert "None of the 1 predictions is for a gold article" in capsys.readouterr().err


@pytest.mark.parametrize("target", ["PREDICTIONS", "SPLIT", "DATA/train-labels-genre.txt", "FOLDER"])
def test_json_that_is_an_input_or_a_folder_is_refused_before_scoring(
        task_dir: Path, tmp_path: Path, target: str, capsys: pytest.CaptureFixture[str]) -> None:
    preds = write_jsonl(tmp_path / "gold.jsonl", load_semeval(task_dir).documents)
    split = tmp_path / "split.txt"
    split.write_text("1001\n8301\n")
    (tmp_path / "folder").mkdir()
    path = {"PREDICTIONS": preds, "SPLIT": split, "FOLDER": tmp_path / "folder",
            "DATA/train-labels-genre.txt": task_dir / "train-labels-genre.txt"}[target]
    before = {p: p.read_bytes() for p in (preds, split, task_dir / "train-labels-genre.txt")}
    assert main(["evaluate", "--data", str(task_dir), "--predictions", str(preds), "--split", str(split),
                 "--json", str(path)]) == 1
    assert ("is a folder" if target == "FOLDER" else "is one of the inputs") in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before


def test_crlf_predictions_are_named_as_such(task_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from propscope.document import Document

    gold = load_semeval(task_dir).documents[0]
    preds = write_jsonl(tmp_path / "crlf.jsonl", [Document(gold.text.replace("\n", "\r\n"), id=gold.id)])
    assert main(["evaluate", "--data", str(task_dir), "--predictions", str(preds)]) == 1
    assert "lines end in CRLF" in capsys.readouterr().err
