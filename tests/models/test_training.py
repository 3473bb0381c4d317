"""train_model and `propscope train` on a tiny corpus written in the shared task's layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.cli.main import main
from propscope.document import Document
from propscope.errors import DataError, ModelError
from propscope.models import load_model
from propscope.models.training import train_model

# Word vectors only for the tiny corpus's own words keep distillation to a second.
TINY = {"folds": 2, "max_word_features": 500, "hash_bits": 12, "static_dim": 8,
        "static_encoder_words": False}


@pytest.fixture
def semeval_tiny(tmp_path: Path, tiny_corpus: list[Document]) -> Path:
    """The tiny corpus as files: articles, span labels, paragraph labels, genre and frames."""
    root = tmp_path / "tiny-data"
    (root / "train-articles").mkdir(parents=True)
    (root / "train-labels-spans").mkdir()
    par_rows, genre_rows, frame_rows = [], [], []
    for doc in tiny_corpus:
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
    # Confidence maps come from topic folds by default, and the card's limits say so.
    assert "The confidences were fitted for that case" in card
    assert load_model(out).info.trained_on.startswith("tiny-data (6 articles")


@pytest.mark.parametrize("kwargs, error", [
    ({"kind": "nope"}, ModelError),
    ({"validation_ids": ["not-an-article"]}, DataError),
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
