"""What describes the model behind an analysis: its name, version and settings, and how well it
finds each technique (the rates its training recorded), worded for the reports.

Renderers read these from ``Document.model``; ``models/quality.py`` reads the rates from an
artifact.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from propscope.languages import DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model produced the annotations.

    ``calibrated``: span, paragraph-label and frame scores are calibrated probabilities (a
    span's score estimates the chance that it overlaps a gold span of its technique), so their
    sums estimate counts of correct detections; ``False`` for models whose scores are raw.
    ``sensitivity``: the shift of the span and paragraph-label thresholds the analysis was
    made at, in logits (``sensitivity.py``; 0: the calibrated thresholds).
    ``languages``: the ISO 639-1 codes of the languages it learnt from; ``transfer``: those
    it was not trained on but reads well enough to analyse (a multilingual encoder's).
    ``quality``: how well the model finds each technique out of sample, attached where those
    rates describe this analysis's labels (``with_quality``); not part of the JSON contract.
    """

    name: str
    version: str
    trained_on: str
    calibrated: bool = False
    sensitivity: float = 0.0
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    transfer: tuple[str, ...] = ()
    quality: ModelQuality | None = field(default=None, compare=False)

    def support(self, code: str | None) -> str:
        """How this model reads language ``code``: ``"trained"``, ``"transfer"`` (analysed,
        not trained on), ``"unsupported"`` (not analysed) or ``"unknown"`` (no language
        could be told: analysed as it is)."""
        if code is None:
            return "unknown"
        if code in self.languages:
            return "trained"
        return "transfer" if code in self.transfer else "unsupported"

    def with_quality(self, quality: ModelQuality | None) -> ModelInfo:
        """This description with ``quality`` attached when those are this model's rates at the
        thresholds they were measured at (``ModelQuality.matches``), else without any: reports
        show rates only next to labels given the way they were measured."""
        return replace(self, quality=quality if quality is not None and quality.matches(self) else None)


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
