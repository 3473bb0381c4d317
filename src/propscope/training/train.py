"""Training any registered model kind: fit, score, save, model card.

``train_model`` is generic: it only uses the ``PersuasionModel`` protocol, so every kind in
``KINDS`` is trained, scored and documented the same way. The scores come from one of two
protocols:

- held-out validation articles (``validation_ids``): fast, but the model never learns from
  them, and 103 articles give scores within a few points only;
- k-fold cross-validation by article over the training articles (``cv_folds``), then a fit
  on all of them: every article is scored once by a model fitted on the others, so the
  scores pool all articles, and the shipped model learns from every one (the shipped
  recipe). Those scores describe models fitted on (k-1)/k of the articles.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propscope.datasets import load_semeval, validation_split
from propscope.datasets.task import ANNOTATED, ENGLISH_DIR, MULTI_DIR, load_task
from propscope.document import Document
from propscope.errors import DataError, ModelError
from propscope.models.base import (
    ARTIFACTS_DIR,
    PersuasionModel,
    model_class,
    read_manifest,
    resolve_model_path,
)
from propscope.sensitivity import DEFAULT_LEVEL, LEVELS
from propscope.taxonomy import UNTRAINABLE_TECHNIQUES
from propscope.training.report import TrainReport

if TYPE_CHECKING:
    from propscope.training.levels import LevelPredictions, OperatingPoint

# Where ``propscope train`` writes each kind by default: the shipped artifact folder.
DEFAULT_OUT = {"hybrid": ARTIFACTS_DIR / "hybrid-v1", "linear": ARTIFACTS_DIR / "linear-v0",
               "encoder": ARTIFACTS_DIR / "multilingual-v1"}

Progress = Callable[[str], None]


def parse_params(pairs: Sequence[str]) -> dict[str, Any]:
    """``["key=value", ...]`` (``--set`` options) -> model constructor parameters. Values are
    read as JSON where they parse (``3``, ``0.5``, ``true``, ``[1, 2]``) and kept as strings
    otherwise (``topic``); a later pair overrides an earlier one."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise ModelError(f"Model parameters are KEY=VALUE (for example c_paragraph=8), not {pair!r}.")
        try:
            params[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            params[key.strip()] = raw
    return params


def _build(kind: str, seed: int, name: str | None, params: dict[str, Any]) -> PersuasionModel:
    cls = model_class(kind)
    accepted = inspect.signature(cls).parameters
    extra = {"seed": seed, "name": name}
    kwargs = {k: v for k, v in extra.items() if v is not None and k in accepted}
    defaults: dict[str, Any] = cls().get_params() if hasattr(cls, "get_params") else {}
    known = set(defaults) if defaults else set(params)
    unknown = sorted(set(params) - known)
    if unknown:
        raise ModelError(f"The {kind} model has no parameter {', '.join(map(repr, unknown))}; "
                         f"it takes: {', '.join(sorted(known))}.")
    for key, value in (kwargs | params).items():
        _check_type(kind, key, value, defaults.get(key, accepted[key].default if key in accepted else None))
    return cls(**(kwargs | params))  # type: ignore[no-any-return]


def _check_type(kind: str, key: str, value: Any, default: Any) -> None:
    """Refuse a parameter value of another type than its default's, before any data is read
    (``--set c_token=high`` failed in scikit-learn, mid-fit). Numbers may be given for floats;
    parameters whose default is ``None`` or a collection are left to the model."""
    if value is None or default is None or default is inspect.Parameter.empty:
        return
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(default, str):
        ok = isinstance(value, str)
    else:
        return
    if not ok:
        wanted = {bool: "true or false", int: "a whole number", float: "a number",
                  str: "a string"}[type(default)]
        raise ModelError(f"The {kind} model's {key} takes {wanted} (default {default!r}), "
                         f"not {value!r}.")


def check_output(out_dir: Path, *, replace: bool = False) -> None:
    """Refuse an artifact folder that cannot be written, or that holds a model already and
    ``replace`` is off, before any training (a 40-minute fit used to end in a traceback, or
    to overwrite the shipped model silently)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise DataError(f"--out {out_dir} is a file; give a folder for the model's artifact.")
    if (out_dir / "model.json").is_file() and not replace:
        try:
            info = read_manifest(out_dir)
            what = f" ({info.get('name')} {info.get('version')}, trained on {info.get('trained_on')})"
        except ModelError:
            what = ""
        raise DataError(f"{out_dir} holds a model already{what}; pass --force to replace it, or "
                        "give another --out.")
    parent = out_dir
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK):
        raise DataError(f"Cannot write the model to {out_dir}: {parent} is not writable.")


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _evaluate(model: PersuasionModel, gold: Sequence[Document]
              ) -> tuple[dict[str, Any], dict[str, Any], list[OperatingPoint]]:
    """Scores of ``model`` on ``gold`` and on its newest articles, from one set of predictions,
    and the rows of every sensitivity level."""
    from propscope.evaluation import evaluate, evaluate_recent
    from propscope.training.predict import predict_fresh

    pred = predict_fresh(model, gold)
    levels = _other_levels()
    levels.add(model, gold)
    recent = evaluate_recent(gold, pred)
    return (evaluate(gold, pred).to_dict(), recent.to_dict() if recent is not None else {},
            levels.points((DEFAULT_LEVEL, pred)))


def _other_levels() -> LevelPredictions:
    """Predictions at every named level but the default (which the headline scores are)."""
    from propscope.training.levels import LevelPredictions

    return LevelPredictions({n: s for n, s in LEVELS.items() if n != DEFAULT_LEVEL})


def trained_article_ids(model: str | Path | None) -> set[str] | None:
    """Ids of the articles a saved model was trained on (``None``: its artifact does not say)."""
    ids = read_manifest(resolve_model_path(model)).get("trained_on_detail", {}).get("article_ids")
    return set(ids) if isinstance(ids, list) else None


def train_model(kind: str, data_dir: Path, out_dir: Path, *, validation_ids: list[str] | None = None,
                cv_folds: int = 0, seed: int = 0, name: str | None = None, progress: Progress | None = None,
                replace: bool = False, **params: Any) -> TrainReport:
    """Train the model kind ``kind`` on SemEval data, score it and save it with its model card.

    Args:
        kind: a registered model kind (``hybrid``, ``linear``).
        data_dir: folder in the shared task's layout.
        out_dir: artifact folder to write (created; existing files of the kind replaced).
        validation_ids: article ids held out for validation; ``None`` means the project's
            split (``validation_split`` of all ids, the list in ``splits/validation.txt``);
            an empty list trains on everything.
        cv_folds: with no validation articles, score by this many folds of cross-validation
            by article over the training articles before the final fit (0: no scores).
        seed: random seed passed to the model (and to the cross-validation's folds).
        name: artifact name recorded in predictions (default: the kind's own).
        progress: called with a short message at each stage (warnings about the data too).
        replace: overwrite a model already in ``out_dir`` (otherwise a ``DataError``).
        **params: further constructor arguments of the model class.
    """
    say = progress or (lambda _m: None)
    data_dir = Path(data_dir)
    out_dir = Path(out_dir)
    check_output(out_dir, replace=replace)
    model = _build(kind, seed, name, params)  # a bad kind or parameter fails before any work
    say(f"reading {data_dir}")
    data = load_semeval(data_dir)
    for note in data.notes():
        say(f"warning: {note}")
    all_ids = [d.id for d in data.documents]
    val = set(validation_split(all_ids) if validation_ids is None else validation_ids)
    unknown = sorted(val - set(all_ids))
    if unknown:
        raise DataError(f"{len(unknown)} validation id(s) are not articles of {data_dir}: "
                        f"{', '.join(unknown[:5])}. Check the split file matches the data folder.")
    if cv_folds and val:
        raise DataError(f"Score either on held-out validation articles ({len(val)} given) or by "
                        f"cross-validation ({cv_folds} folds), not both; pass an empty split to "
                        "cross-validate over every article.")
    train = [d for d in data.documents if d.id not in val]
    valid = [d for d in data.documents if d.id in val]
    if not train:
        raise DataError(f"No training articles left in {data_dir} after removing {len(val)} validation ids.")
    if not any(d.spans or any(p.techniques for p in d.paragraphs) for d in train):
        raise DataError(f"The training articles of {data_dir} carry no technique label (no span in "
                        "train-labels-spans/, no row in train-labels-paragraphs.txt): nothing to learn.")
    report = TrainReport(kind, out_dir, len(train), len(valid), 0.0)
    if cv_folds:
        from propscope.training.crossval import cross_validate

        t0 = time.perf_counter()
        levels = _other_levels()
        cv = cross_validate(lambda: _build(kind, seed, name, params), train, folds=cv_folds, seed=seed,
                            progress=say, on_fit=levels.add)
        report.cv_seconds = time.perf_counter() - t0
        report.cv_folds, report.cv_fold_articles = cv_folds, cv.train_articles
        report.metrics = cv.pooled.to_dict()
        report.recent_metrics = cv.recent.to_dict() if cv.recent is not None else {}
        report.levels = levels.points((DEFAULT_LEVEL, cv.predictions))
    trained_on = f"{data_dir.name} ({len(train)} articles, {dt.date.today().isoformat()})"
    say(f"training {kind} on {len(train)} articles" + (f" ({len(valid)} held out)" if valid else ""))
    t0 = time.perf_counter()
    fit_kwargs: dict[str, Any] = {"trained_on": trained_on}
    if "progress" in inspect.signature(model.fit).parameters:
        fit_kwargs["progress"] = say
    model.fit(train, **fit_kwargs)
    report.seconds = time.perf_counter() - t0
    if valid:
        say(f"evaluating on {len(valid)} validation articles")
        report.metrics, report.recent_metrics, report.levels = _evaluate(model, valid)
    return _save(model, report, out_dir, data_dir.name, train, len(valid), seed, data.renamed, say)


def _save(model: PersuasionModel, report: TrainReport, out_dir: Path, data_name: str,
          train: Sequence[Document], n_valid: int, seed: int, renamed: dict[str, str], say: Progress,
          per_language: dict[str, Any] | None = None) -> TrainReport:
    """Write the artifact, its recorded scores (``validation.json``) and its model card."""
    say(f"saving to {out_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir)
    manifest_path = out_dir / "model.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    date = dt.date.today().isoformat()
    manifest.update({
        "trained_on_detail": {"data": data_name, "articles": len(train), "date": date,
                              "validation_articles": n_valid, "seed": seed,
                              "renamed_labels": renamed,
                              # So that `propscope evaluate` can tell scores on training articles.
                              "article_ids": sorted(d.id for d in train)},
        "training_seconds": round(report.seconds, 1),
        "validation": {"scored_by": report.scored_by, "all": report.headline(),
                       "recent_83": report.headline("recent_metrics")},
    })
    if report.cv_folds:
        manifest["cross_validation_seconds"] = round(report.cv_seconds, 1)
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "validation.json").write_text(json.dumps(
        {"scored_by": report.scored_by, "all": report.metrics, "recent_83": report.recent_metrics,
         "sensitivity": [p.to_dict() for p in report.levels]}
        | ({"per_language": per_language} if per_language else {}),
        indent=1) + "\n", encoding="utf-8")
    from propscope.training.card import write_model_card

    report.size_bytes = _dir_size(out_dir)
    write_model_card(out_dir / "MODEL_CARD.md", report, manifest, per_language=per_language,
                     untrainable=[] if per_language else sorted(UNTRAINABLE_TECHNIQUES))
    report.size_bytes = _dir_size(out_dir)
    return report


def train_on_task(kind: str, data_root: Path, out_dir: Path, *, languages: Sequence[str] = ANNOTATED,
                  seed: int = 0, name: str | None = None, progress: Progress | None = None,
                  replace: bool = False, **params: Any) -> TrainReport:
    """Train ``kind`` on the annotated articles of ``languages`` under the shared data folder
    ``data_root`` and score it on the fixed validation set (``datasets/task.py``), per
    language; unlabelled articles of every language help choose the vocabulary of kinds that
    have one."""
    say = progress or (lambda _m: None)
    data_root, out_dir = Path(data_root), Path(out_dir)
    check_output(out_dir, replace=replace)
    model = _build(kind, seed, name, params)
    say(f"reading {data_root} ({', '.join(languages)})")
    task = load_task(data_root, languages)
    for note in task.notes:
        say(f"warning: {note}")
    report = TrainReport(kind, out_dir, len(task.train), len(task.validation), 0.0)
    trained_on = (f"{len(task.train)} annotated articles in {', '.join(languages)} "
                  f"({dt.date.today().isoformat()})")
    say(f"training {kind} on {len(task.train)} articles ({len(task.validation)} held out)")
    t0 = time.perf_counter()
    # A long fit saves its state after each epoch (and the frozen layers' output) in
    # runs/checkpoints/NAME, never in the package; the same command run again resumes.
    checkpoint = Path("runs") / "checkpoints" / out_dir.name
    model.fit(task.train, trained_on=trained_on, progress=say, document_level=task.document_level,
              vocabulary_texts=unlabelled_texts(data_root), checkpoint_dir=checkpoint)
    report.seconds = time.perf_counter() - t0
    say(f"evaluating on {len(task.validation)} validation articles")
    from propscope.evaluation import evaluate, evaluate_recent
    from propscope.training.predict import predict_fresh

    # One pass at the default sensitivity: an encoder's pass over the validation takes
    # minutes, so the other levels are measured by benchmarks/sensitivity.py instead.
    pred = predict_fresh(model, task.validation)
    report.metrics = evaluate(task.validation, pred).to_dict()
    recent = evaluate_recent(task.validation, pred)
    report.recent_metrics = recent.to_dict() if recent is not None else {}
    per_language = {lang: evaluate([d for d in task.validation if d.language == lang],
                                   [d for d in pred if d.language == lang]).to_dict()
                    for lang in languages}
    return _save(model, report, out_dir, data_root.name, task.train, len(task.validation), seed, {}, say,
                 per_language=per_language)


def unlabelled_texts(data_root: Path) -> list[str]:
    """The unlabelled articles of every language under the shared data folder."""
    folders = [data_root / ENGLISH_DIR / "unlabelled-articles",
               *sorted((data_root / MULTI_DIR).glob("*/unlabelled-articles"))]
    return [f.read_text(encoding="utf-8", errors="replace") for d in folders if d.is_dir()
            for f in sorted(d.glob("*.txt"))]
