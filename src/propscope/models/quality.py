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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from propscope.document import ModelInfo
from propscope.errors import ModelError
from propscope.models.base import read_manifest, resolve_model_path

VALIDATION_FILE = "validation.json"


@dataclass(frozen=True, slots=True)
class Rates:
    """Detections of one technique at one level (paragraph labels or spans).

    ``precision`` and ``recall`` are shares in [0, 1] (spans: the partial-overlap scorer's);
    ``support`` counts the annotated paragraphs (spans) with the technique among the scored
    articles, ``predicted`` the model's labels (spans) of it there.
    """

    precision: float
    recall: float
    support: int
    predicted: int


@dataclass(frozen=True, slots=True)
class TechniqueQuality:
    """A technique's out-of-sample rates; ``spans`` is ``None`` where none were scored."""

    technique: str
    paragraphs: Rates
    spans: Rates | None = None

    @property
    def found(self) -> bool:
        """Whether the model labelled the technique at all on the scored articles."""
        return self.paragraphs.predicted > 0 or (self.spans is not None and self.spans.predicted > 0)


@dataclass(frozen=True, slots=True)
class ModelQuality:
    """A model's per-technique rates and how they were measured.

    Attributes:
        model: artifact name and version, e.g. ``hybrid-v1 0.5.0``.
        scored_by: how the rates were measured, in words (``3-fold cross-validation by
            article over 446 articles``).
        articles: articles scored.
        techniques: technique name -> its rates, for the techniques the model was scored on.
    """

    model: str
    scored_by: str
    articles: int
    techniques: dict[str, TechniqueQuality] = field(default_factory=dict)

    def describe(self, technique: str) -> str | None:
        """One sentence on how far to trust the model's labels of ``technique`` (``header``
        says how it was measured); ``None`` if the technique was not scored."""
        q = self.techniques.get(technique)
        if q is None:
            return None
        p = q.paragraphs
        if not q.found:
            return (f"Labelled nowhere in the {self.articles:,} scored articles ({p.support:,} "
                    f"annotated paragraphs): expect it almost never.")
        if p.predicted:
            text = (f"Paragraph labels right {_share(p.precision, p.predicted)}; it found "
                    f"{_pct(p.recall)} of the {p.support:,} annotated paragraphs")
        else:  # spans only
            text = f"No paragraph labels of it ({p.support:,} annotated paragraphs)"
        if q.spans is not None and q.spans.predicted:
            text += f"; its spans overlap annotated ones by {_pct(q.spans.precision)} on average"
        elif q.spans is not None:
            text += "; it marks no spans of it, only paragraphs"
        return f"{text}."

    def labels_right(self, technique: str) -> str | None:
        """How often the model's paragraph labels of ``technique`` were right, short ("42%",
        "5 of 8"); ``None`` if not scored or never labelled."""
        q = self.techniques.get(technique)
        if q is None or not q.paragraphs.predicted:
            return None
        return _right(q.paragraphs.precision, q.paragraphs.predicted)

    def matches(self, info: ModelInfo | None) -> bool:
        """Whether these are the rates of the model ``info`` names (an analysis's ``model``),
        at the thresholds they were measured at (sensitivity 0): reports show rates only next
        to labels given the way they were measured."""
        return (info is not None and info.sensitivity == 0
                and self.model == f"{info.name} {info.version}".strip())

    def header(self) -> str:
        """Where the rates come from, once for all techniques."""
        return (f"How well {self.model} finds each technique, on articles it had not seen "
                f"({self.scored_by}).")


def _technique_dict(q: TechniqueQuality) -> dict[str, Any]:
    """One technique's rates as JSON data (``found``, ``paragraphs``, ``spans``)."""
    return {"found": q.found, "paragraphs": asdict(q.paragraphs),
            "spans": None if q.spans is None else asdict(q.spans)}


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _right(precision: float, predicted: int) -> str:
    """``precision`` of ``predicted`` labels, short: a count ("5 of 8") where a percentage
    would overstate how much it rests on."""
    if predicted < 50:
        return f"{round(precision * predicted)} of {predicted}"
    return _pct(precision)


def _share(precision: float, predicted: int) -> str:
    """``_right`` in a sentence."""
    return f"{_right(precision, predicted)} {'times' if predicted < 50 else 'of the time'}"


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
