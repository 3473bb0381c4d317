"""train_model and `propscope train` on a tiny corpus written in the shared task's layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.cli.main import main
from propscope.document import Document
from propscope.errors import DataError, ModelError
from propscope.models import load_model
from propscope.training.train import parse_params, train_model

# Word vectors only for the tiny corpus's own words keep distillation to a second.
TINY = {"folds": 2, "max_word_features": 500, "hash_bits": 12, "static_dim": 8,
        "static_encoder_words": False}


def write_layout(root: Path, docs: list[Document]) -> Path:
    """``docs`` as files in the shared task's layout: articles, span labels, paragraph labels,
    genre and frames."""
    (root / "train-articles").mkdir(parents=True)
    (root / "train-labels-spans").mkdir()
    par_rows, genre_rows, frame_rows = [], [], []
    for doc in docs:
        (root / "train-articles" / f"article{doc.id}.txt").write_text(doc.text, encoding="utf-8")
        spans = "".join(f"{doc.id}\t{s.label}\t{s.start}\t{s.end}\n" for s in doc.spans)
        (root / "train-labels-spans" / f"article{doc.id}-labels-subtask-3.txt").write_text(spans)
        par_rows += [f"{doc.id}\t{p.line}\t{','.join(p.techniques)}\n" for p in doc.paragraphs]
        assert doc.genre is not None
        genre_rows.append(f"{doc.id}\t{doc.genre.label}\n")
        frame_rows.append(f"{doc.id}\t{','.join(f.label for f in doc.frames)}\n")
    (root / "train-labels-paragraphs.txt").write_text("".join(par_rows))
    (root / "train-labels-genre.txt").write_text("".join(genre_rows))
    (root / "train-labels-frames.txt").write_text("".join(frame_rows))
    return root


@pytest.fixture
def semeval_tiny(tmp_path: Path, tiny_corpus: list[Document]) -> Path:
    return write_layout(tmp_path / "tiny-data", tiny_corpus)


@pytest.fixture
def semeval_16(tmp_path: Path, corpus16: list[Document]) -> Path:
    """Sixteen articles: enough for a 2-fold cross-validation whose folds see both genres."""
    return write_layout(tmp_path / "data-16", corpus16)


def test_train_model_writes_artifact_card_and_scores(semeval_tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "art"
    report = train_model("linear", semeval_tiny, out, validation_ids=["op3", "rep3"], **TINY)
    assert (report.train_articles, report.validation_articles) == (6, 2)
    manifest = json.loads((out / "model.json").read_text())
    assert manifest["kind"] == "linear"
    assert manifest["trained_on_detail"]["articles"] == 6
    assert set(manifest["validation"]["all"]) >= {"paragraph_micro_f1", "span_aware_f1", "genre_macro_f1"}
    card = (out / "MODEL_CARD.md").read_text()
    assert "Appeal_to_Time" in card and "cannot be predicted" in card
    assert "## Per technique" in card
    held = json.loads((out / "validation.json").read_text())["sensitivity"]
    assert len(held) == 4 and all(r["articles"] == 2 for r in held)
    # Confidence maps come from topic folds by default, and the card's limits say so.
    assert "The confidences were fitted for that case" in card
    assert load_model(out).info.trained_on.startswith("tiny-data (6 articles")


def test_train_on_every_article_scored_by_cross_validation(semeval_16: Path, tmp_path: Path) -> None:
    out = tmp_path / "art-cv"
    # Raw paragraph columns: fitted on 8 articles, naive-Bayes-scaled heads give every
    # paragraph a probability near 0 or 1, and then no shift moves a label (checked below).
    tiny = TINY | {"confidence_folds": "article", "paragraph_nb": 0.0}
    report = train_model("linear", semeval_16, out, validation_ids=[], cv_folds=2, **tiny)
    assert (report.train_articles, report.validation_articles, report.cv_folds) == (16, 0, 2)
    assert sorted(report.cv_fold_articles) == [8, 8] and report.cv_seconds > 0
    assert report.metrics["documents"] == 16  # every article scored, out of fold
    manifest = json.loads((out / "model.json").read_text())
    assert manifest["validation"]["scored_by"]["method"] == "cross-validation"
    assert len(manifest["trained_on_detail"]["article_ids"]) == 16
    saved = json.loads((out / "validation.json").read_text())
    assert saved["scored_by"]["folds"] == 2 and saved["all"]["documents"] == 16
    card = (out / "MODEL_CARD.md").read_text()
    assert "## Cross-validation scores" in card and "2-fold cross-validation by article" in card
    assert "On the out-of-fold predictions" in card
    # Every sensitivity level is scored on the same out-of-fold articles, the default one
    # being the headline scores themselves.
    rows = {r["level"]: r for r in saved["sensitivity"]}
    assert [r["level"] for r in saved["sensitivity"]] == ["precise", "balanced", "broad", "exhaustive"]
    assert all(r["articles"] == 16 for r in rows.values())
    assert rows["balanced"]["spans_aware"] == saved["all"]["spans"]["technique_aware"]
    assert rows["balanced"]["paragraphs"] == saved["all"]["paragraphs"]["scores"]["micro"]
    labels = [r["labels_per_article"] for r in saved["sensitivity"]]
    assert labels == sorted(labels) and labels[0] < labels[-1], labels
    assert "## Sensitivity levels (`--sensitivity`)" in card and "| broad (+0.5) |" in card
    assert load_model(out).info.trained_on.startswith("data-16 (16 articles")


def test_evaluate_warns_when_the_model_saw_the_articles(semeval_tiny: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "art"
    train_model("linear", semeval_tiny, out, validation_ids=["op3", "rep3"], **TINY)
    held = tmp_path / "held.txt"
    held.write_text("op3\nrep3\n")
    scores = tmp_path / "scores.json"
    assert main(["evaluate", "--data", str(semeval_tiny), "--split", str(held), "--model", str(out),
                 "--json", str(scores)]) == 0
    assert "warning" not in capsys.readouterr().err
    assert json.loads(scores.read_text())["trained_on_scored_articles"] == 0
    assert main(["evaluate", "--data", str(semeval_tiny), "--model", str(out), "--json", str(scores)]) == 0
    err = capsys.readouterr().err
    assert "trained on 6 of these 8 articles" in err and "not held-out scores" in err
    assert json.loads(scores.read_text())["trained_on_scored_articles"] == 6


def test_train_on_every_article_without_scores(semeval_tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "art-all"
    report = train_model("linear", semeval_tiny, out, validation_ids=[], **TINY)
    assert (report.train_articles, report.metrics, report.scored_by["method"]) == (8, {}, "none")
    card = (out / "MODEL_CARD.md").read_text()
    assert "not scored (trained with `--cv 0`)" in card and "(not scored)" in card
    assert "## Sensitivity levels" not in card


@pytest.mark.parametrize("kwargs, error", [
    ({"kind": "nope"}, ModelError),
    ({"validation_ids": ["not-an-article"]}, DataError),
    ({"validation_ids": ["op0"], "cv_folds": 2}, DataError),
    ({"cv_folds": 9}, DataError),
])
def test_train_model_rejects_bad_requests(semeval_tiny: Path, tmp_path: Path, kwargs: dict[str, object],
                                          error: type[Exception]) -> None:
    args: dict[str, object] = {"kind": "linear", "validation_ids": []} | kwargs
    kind = str(args.pop("kind"))
    with pytest.raises(error):
        train_model(kind, semeval_tiny, tmp_path / "x", **args, **TINY)  # type: ignore[arg-type]


def test_train_command(semeval_tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    split = tmp_path / "split.txt"
    split.write_text("# held out\nop0\nrep0\n")
    out = tmp_path / "cli-art"
    # The command trains with the kind's default parameters; the tiny corpus keeps it quick.
    assert main(["train", "--data", str(semeval_tiny), "--out", str(out), "--split", str(split),
                 "--seed", "2", "--name", "tiny-linear"]) == 0
    assert load_model(out).info.name == "tiny-linear"
    assert "paragraph micro f1" in capsys.readouterr().out


def test_train_command_missing_split(semeval_tiny: Path, tmp_path: Path) -> None:
    assert main(["train", "--data", str(semeval_tiny), "--out", str(tmp_path / "o"),
                 "--split", str(tmp_path / "missing.txt")]) == 1


@pytest.mark.parametrize("extra", [["--cv", "1"], ["--cv", "-2"], ["--split", "SPLIT", "--cv", "2"]])
def test_train_command_rejects_bad_scoring(semeval_tiny: Path, tmp_path: Path, extra: list[str],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    split = tmp_path / "split.txt"
    split.write_text("op0\n")
    args = [str(split) if a == "SPLIT" else a for a in extra]
    assert main(["train", "--data", str(semeval_tiny), "--out", str(tmp_path / "o"), *args]) == 1
    assert "--cv" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_parse_params_reads_json_values_and_keeps_words() -> None:
    assert parse_params(["c_paragraph=8", "token_gap=2", "static_encoder_words=false",
                         "confidence_folds=article", "name=a=b", "token_gap=3"]) == {
        "c_paragraph": 8, "token_gap": 3, "static_encoder_words": False,
        "confidence_folds": "article", "name": "a=b"}
    for bad in ("c_paragraph", "=3"):
        with pytest.raises(ModelError, match="KEY=VALUE"):
            parse_params([bad])


def test_train_command_sets_model_parameters(semeval_tiny: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "set-art"
    sets = [f"{k}={json.dumps(v)}" for k, v in TINY.items()] + ["c_paragraph=8", "seed=5"]
    assert main(["train", "--data", str(semeval_tiny), "--kind", "linear", "--out", str(out), "--cv", "0",
                 *(x for s in sets for x in ("--set", s))]) == 0
    params = json.loads((out / "model.json").read_text())["params"]
    assert params["c_paragraph"] == 8 and params["seed"] == 5 and params["static_dim"] == 8
    capsys.readouterr()
    assert main(["train", "--data", str(semeval_tiny), "--kind", "linear", "--out", str(tmp_path / "o"),
                 "--set", "c_paragraf=8"]) == 1
    err = capsys.readouterr().err
    assert "no parameter 'c_paragraf'" in err and "c_paragraph" in err
    assert not (tmp_path / "o").exists()


def test_train_refuses_a_folder_holding_a_model_unless_forced(
        semeval_tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A plain `propscope train --data DIR` replaced the shipped model with whatever DIR held.
    out = tmp_path / "art"
    argv = ["train", "--data", str(semeval_tiny), "--kind", "linear", "--out", str(out), "--cv", "0",
            *(x for k, v in TINY.items() for x in ("--set", f"{k}={json.dumps(v)}"))]
    assert main(argv) == 0
    before = (out / "model.json").read_bytes()
    capsys.readouterr()
    assert main([*argv, "--name", "other"]) == 1
    assert "holds a model already (linear-v0 0.1.0, trained on tiny-data" in capsys.readouterr().err
    assert (out / "model.json").read_bytes() == before
    assert main([*argv, "--name", "other", "--force"]) == 0
    assert load_model(out).info.name == "other"


@pytest.mark.parametrize(("setting", "said"), [
    ("c_token=high", "c_token takes a number (default 0.3), not 'high'"),
    ("folds=2.5", "folds takes a whole number"),
    ("seed=abc", "seed takes a whole number"),
])
def test_train_checks_parameter_types_before_reading_data(
        tmp_path: Path, setting: str, said: str, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-data"  # never read: the parameter fails first
    assert main(["train", "--data", str(missing), "--kind", "linear", "--out", str(tmp_path / "o"),
                 "--set", setting]) == 1
    assert said in capsys.readouterr().err


def test_train_checks_the_output_before_any_work(semeval_tiny: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "taken.txt"
    target.write_text("notes\n")
    assert main(["train", "--data", str(semeval_tiny), "--kind", "linear", "--out", str(target)]) == 1
    assert "is a file" in capsys.readouterr().err and target.read_text() == "notes\n"


def test_train_without_any_technique_label_is_refused(semeval_tiny: Path, tmp_path: Path) -> None:
    for f in (semeval_tiny / "train-labels-spans").iterdir():
        f.unlink()
    (semeval_tiny / "train-labels-paragraphs.txt").unlink()
    with pytest.raises(DataError, match="carry no technique label"):
        train_model("linear", semeval_tiny, tmp_path / "o", validation_ids=[], **TINY)


def test_cross_validation_folds_of_one_genre_still_fit(semeval_tiny: Path, tmp_path: Path) -> None:
    # Two 'reporting' genre rows left: some folds' training rows hold one genre only, which
    # scikit-learn refuses to fit (a traceback before).
    rows = (semeval_tiny / "train-labels-genre.txt").read_text().splitlines()
    kept = [r for r in rows if r.startswith("op")] + [r for r in rows if r.startswith("rep")][:1]
    (semeval_tiny / "train-labels-genre.txt").write_text("\n".join(kept) + "\n")
    report = train_model("linear", semeval_tiny, tmp_path / "o", validation_ids=[], cv_folds=4, **TINY)
    assert report.metrics
