"""Training any registered model kind: split, fit, evaluate on validation, save, model card.

``train_model`` is generic: it only uses the ``PersuasionModel`` protocol, so every kind in
``MODELS`` is trained, scored and documented the same way.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from propscope.datasets import load_semeval, validation_split
from propscope.document import Document
from propscope.errors import DataError, ModelError
from propscope.models.base import ARTIFACTS_DIR, MODELS, PersuasionModel, _import_builtin_models
from propscope.taxonomy import UNTRAINABLE_TECHNIQUES

# Ids of the newest articles start with this; they are reported on their own.
RECENT_PREFIX = "83"
# Where ``propscope train`` writes each kind by default: the shipped artifact folder.
DEFAULT_OUT = {"hybrid": ARTIFACTS_DIR / "hybrid-v1", "linear": ARTIFACTS_DIR / "linear-v0"}

Progress = Callable[[str], None]


@dataclass
class TrainReport:
    """What a training run did and how the model scored on the validation articles.

    Attributes:
        kind: model kind trained.
        out_dir: artifact folder written.
        train_articles: number of training articles.
        validation_articles: number of validation articles.
        seconds: wall-clock time of ``fit``.
        metrics: ``EvaluationReport.to_dict()`` on all validation articles (empty without any).
        recent_metrics: the same on validation articles whose id starts with ``83``.
        size_bytes: total size of the artifact folder.
    """

    kind: str
    out_dir: Path
    train_articles: int
    validation_articles: int
    seconds: float
    metrics: dict[str, Any] = field(default_factory=dict)
    recent_metrics: dict[str, Any] = field(default_factory=dict)
    size_bytes: int = 0

    def headline(self, which: str = "metrics") -> dict[str, float]:
        """The main scores of ``metrics`` or ``recent_metrics`` as a flat dict."""
        return headline(getattr(self, which))


def headline(m: dict[str, Any]) -> dict[str, float]:
    """Flat main scores of an ``EvaluationReport.to_dict()``."""
    if not m:
        return {}
    return {
        "paragraph_micro_f1": m["paragraphs"]["micro_f1"],
        "paragraph_macro_f1": m["paragraphs"]["macro_f1"],
        "span_aware_f1": m["spans"]["technique_aware"]["f1"],
        "span_agnostic_f1": m["spans"]["technique_agnostic"]["f1"],
        "genre_macro_f1": m["genre"]["macro_f1"],
        "frames_micro_f1": m["frames"]["micro_f1"],
        "frames_macro_f1": m["frames"]["macro_f1"],
    } | ({"span_confidence_ece": m["confidence"]["spans"]["ece"],
          "paragraph_confidence_ece": m["confidence"]["paragraphs"]["ece"]} if "confidence" in m else {})


def _build(kind: str, seed: int, name: str | None, params: dict[str, Any]) -> PersuasionModel:
    _import_builtin_models()
    if kind not in MODELS:
        raise ModelError(f"Unknown model kind {kind!r}; known kinds: {', '.join(sorted(MODELS))}.")
    cls = MODELS[kind]
    accepted = inspect.signature(cls).parameters
    extra = {"seed": seed, "name": name}
    kwargs = {k: v for k, v in extra.items() if v is not None and k in accepted}
    return cls(**kwargs, **params)  # type: ignore[no-any-return]


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _evaluate(model: PersuasionModel, gold: Sequence[Document]) -> dict[str, Any]:
    from propscope.evaluation import evaluate, predict_fresh

    if not gold:
        return {}
    return evaluate(gold, predict_fresh(model, gold)).to_dict()


def train_model(kind: str, data_dir: Path, out_dir: Path, *, validation_ids: list[str] | None = None,
                seed: int = 0, name: str | None = None, progress: Progress | None = None,
                **params: Any) -> TrainReport:
    """Train ``MODELS[kind]`` on SemEval data, score it on validation articles and save it.

    Args:
        kind: a registered model kind (``hybrid``, ``linear``, ``transformer``).
        data_dir: folder in the shared task's layout.
        out_dir: artifact folder to write (created; existing files of the kind replaced).
        validation_ids: article ids held out for validation; ``None`` means the project's
            split (``validation_split`` of all ids, the list in ``splits/validation.txt``);
            an empty list trains on everything and skips validation.
        seed: random seed passed to the model.
        name: artifact name recorded in predictions (default: the kind's own).
        progress: called with a short message at each stage.
        **params: further constructor arguments of the model class.
    """
    say = progress or (lambda _m: None)
    data_dir = Path(data_dir)
    out_dir = Path(out_dir)
    say(f"reading {data_dir}")
    data = load_semeval(data_dir)
    all_ids = [d.id for d in data.documents]
    val = set(validation_split(all_ids) if validation_ids is None else validation_ids)
    unknown = sorted(val - set(all_ids))
    if unknown:
        raise DataError(f"{len(unknown)} validation id(s) are not articles of {data_dir}: "
                        f"{', '.join(unknown[:5])}. Check the split file matches the data folder.")
    train = [d for d in data.documents if d.id not in val]
    valid = [d for d in data.documents if d.id in val]
    if not train:
        raise DataError(f"No training articles left in {data_dir} after removing {len(val)} validation ids.")
    model = _build(kind, seed, name, params)
    date = dt.date.today().isoformat()
    trained_on = f"{data_dir.name} ({len(train)} articles, {date})"
    say(f"training {kind} on {len(train)} articles ({len(valid)} held out)")
    t0 = time.perf_counter()
    fit_kwargs: dict[str, Any] = {"trained_on": trained_on}
    if "progress" in inspect.signature(model.fit).parameters:
        fit_kwargs["progress"] = say
    model.fit(train, **fit_kwargs)
    seconds = time.perf_counter() - t0
    say(f"evaluating on {len(valid)} validation articles")
    metrics = _evaluate(model, valid)
    recent = _evaluate(model, [d for d in valid if d.id.startswith(RECENT_PREFIX)])
    say(f"saving to {out_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir)
    report = TrainReport(kind, out_dir, len(train), len(valid), seconds, metrics, recent)
    manifest_path = out_dir / "model.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest.update({
        "trained_on_detail": {"data": data_dir.name, "articles": len(train), "date": date,
                              "validation_articles": len(valid), "seed": seed,
                              "renamed_labels": data.renamed},
        "training_seconds": round(seconds, 1),
        "validation": {"all": report.headline(), "recent_83": report.headline("recent_metrics")},
    })
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "validation.json").write_text(
        json.dumps({"all": metrics, "recent_83": recent}, indent=1) + "\n", encoding="utf-8")
    from propscope.models.card import write_model_card

    report.size_bytes = _dir_size(out_dir)
    write_model_card(out_dir / "MODEL_CARD.md", report, manifest, untrainable=sorted(UNTRAINABLE_TECHNIQUES))
    report.size_bytes = _dir_size(out_dir)
    return report
