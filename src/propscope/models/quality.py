"""How well a trained model finds each technique, read from its recorded scores.

Every artifact that ``propscope train`` writes keeps ``validation.json``: the official scores
of the model on articles it did not see while being scored (out of fold under
cross-validation, or a held-out split). This module turns its per-technique rows into what a
reader of an analysis needs next to a label: of the paragraphs the model labels with a
technique, how many carry it (precision); of the paragraphs that carry it, how many the model
finds (recall); the same for spans; and how many annotated examples that rests on. A
technique the model never labelled out of fold is one it cannot find: its labels would be
guesses, so the shipped thresholds switch it off.

Reading the file needs no model weights, so ``propscope techniques`` stays instant.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from propscope.errors import ModelError
from propscope.model_info import ModelQuality, Rates, TechniqueQuality
from propscope.models.base import read_manifest, resolve_model_path

VALIDATION_FILE = "validation.json"


def _technique_dict(q: TechniqueQuality) -> dict[str, Any]:
    """One technique's rates as JSON data (``found``, ``paragraphs``, ``spans``)."""
    return {"found": q.found, "paragraphs": asdict(q.paragraphs),
            "spans": None if q.spans is None else asdict(q.spans)}


def _rates(row: dict[str, Any]) -> Rates:
    return Rates(float(row["precision"]), float(row["recall"]), int(row["support"]), int(row["predicted"]))


def scored_by_text(record: dict[str, Any], articles: int) -> str:
    """How the scores of a ``validation.json`` record (``articles`` of them) were measured, in
    words: ``3-fold cross-validation by article over 446 articles``, ``103 held-out articles``."""
    how = record.get("scored_by") or {}
    method = how.get("method")
    if method == "cross-validation":
        return (f"{how['folds']}-fold cross-validation by {how.get('folds_by', 'article')} over "
                f"{how.get('articles', articles)} articles")
    return f"{articles} held-out articles"


def load_quality(model: str | Path | None = None) -> ModelQuality | None:
    """The recorded per-technique rates of a shipped model's name or an artifact folder
    (default: the shipped model); ``None`` when the artifact has no scores (trained with
    nothing held out)."""
    path = resolve_model_path(model)
    manifest = read_manifest(path)
    file = path / VALIDATION_FILE
    if not file.is_file():
        return None
    try:
        record = json.loads(file.read_text(encoding="utf-8"))
        scores = record["all"]
        if not scores:
            return None
        articles = int(scores["documents"])
        paragraphs = scores["paragraphs"]["scores"]["per_label"]
        spans = scores["spans"].get("per_technique", {})
        techniques = {t: TechniqueQuality(t, _rates(row), _rates(spans[t]) if t in spans else None)
                      for t, row in paragraphs.items()}
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"Unreadable scores in {file}: {exc!r}. Retrain the model, or remove "
                         f"the file to use it without them.") from exc
    name = f"{manifest.get('name', path.name)} {manifest.get('version', '')}".strip()
    return ModelQuality(name, scored_by_text(record, articles), articles, techniques)


def add_quality(taxonomy: dict[str, Any], quality: ModelQuality | None) -> dict[str, Any]:
    """``taxonomy`` (``taxonomy_json()``) with each technique's ``quality`` (its rates and a
    ``summary`` sentence, ``None`` for techniques not scored) and a top-level ``quality``
    saying whose rates and how measured (``None`` without recorded scores)."""
    out = dict(taxonomy)
    out["quality"] = None if quality is None else {
        "model": quality.model, "scored_by": quality.scored_by, "articles": quality.articles,
        "summary": quality.header()}
    scored = {} if quality is None else quality.techniques
    out["techniques"] = [
        t | {"quality": _technique_dict(scored[t["name"]]) | {"summary": quality.describe(t["name"])}
             if quality is not None and t["name"] in scored else None}
        for t in taxonomy["techniques"]]
    return out
