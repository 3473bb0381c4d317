"""The numbers every report shows: technique and category counts, genre, frames, labelled lines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from propscope.document import TITLE_LIMIT, Document
from propscope.serialize import analysis_notes
from propscope.taxonomy import CATEGORIES, TECHNIQUES, UNDERLINES, Category, Technique


@dataclass(frozen=True, slots=True)
class TechniqueCount:
    """How often one technique was found in an article and how sure the model was on average."""

    technique: Technique
    category: Category
    count: int
    mean_score: float


@dataclass(frozen=True, slots=True)
class CategoryCount:
    """Spans found per category."""

    category: Category
    count: int


@dataclass(frozen=True, slots=True)
class LabelledLine:
    """A paragraph with labels, and per label the words that raised it most (may be empty)."""

    line: int
    techniques: tuple[str, ...]
    evidence: tuple[tuple[str, tuple[str, ...]], ...]  # (technique, words) in label order

    def words(self, technique: str) -> tuple[str, ...]:
        return next((w for t, w in self.evidence if t == technique), ())


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything a report shows besides the highlighted text, in display order."""

    techniques: tuple[TechniqueCount, ...]  # most frequent first
    categories: tuple[CategoryCount, ...]  # taxonomy order, all six
    genre: tuple[str, tuple[tuple[str, float], ...]] | None  # label, scores high to low
    frames: tuple[tuple[str, float], ...]  # highest score first
    labelled_lines: tuple[LabelledLine, ...]  # paragraphs with labels, in reading order
    span_count: int
    paragraph_count: int
    boilerplate_chars: int
    # The spans' summed scores where the model calibrates them: how many of the span_count
    # spans are expected to match an annotator's (None for raw scores).
    expected_right: float | None = None
    # What a reader must know before trusting the analysis (a language the model does not
    # read, ...: ``serialize.analysis_notes``).
    notes: tuple[str, ...] = ()

    @property
    def genre_note(self) -> str | None:
        """Why the genre label is not the highest score, when it is not (``None`` otherwise)."""
        if self.genre is None or not self.genre[1] or self.genre[1][0][0] == self.genre[0]:
            return None
        return genre_note(self.genre[0], self.genre[1][0][0])


def _unique(words: Iterable[str]) -> tuple[str, ...]:
    """``words`` without repeats (case-insensitive), first spelling kept, in order."""
    seen: dict[str, str] = {}
    for w in words:
        seen.setdefault(w.lower(), w)
    return tuple(seen.values())


def summarize(doc: Document) -> Summary:
    """Aggregate the document's annotations for display."""
    scores: dict[str, list[float]] = defaultdict(list)
    for s in doc.spans:
        scores[s.label].append(s.score)
    techniques = sorted(
        (TechniqueCount(TECHNIQUES[name], CATEGORIES[TECHNIQUES[name].category], len(v), sum(v) / len(v))
         for name, v in scores.items()),
        key=lambda t: (-t.count, -t.mean_score, t.technique.name),
    )
    per_cat: dict[str, int] = defaultdict(int)
    for t in techniques:
        per_cat[t.category.name] += t.count
    genre = None
    if doc.genre is not None:
        ranked = tuple(sorted(doc.genre.scores.items(), key=lambda kv: -kv[1]))
        genre = (doc.genre.label, ranked)
    return Summary(
        techniques=tuple(techniques),
        categories=tuple(CategoryCount(c, per_cat[name]) for name, c in CATEGORIES.items()),
        genre=genre,
        frames=tuple(sorted(((f.label, f.score) for f in doc.frames), key=lambda kv: -kv[1])),
        labelled_lines=tuple(
            LabelledLine(p.line, tuple(p.techniques),
                         tuple((t, _unique(doc.text[a:b] for a, b in p.evidence[t]))
                               for t in p.techniques if p.evidence.get(t)))
            for p in doc.paragraphs if p.techniques),
        span_count=len(doc.spans),
        paragraph_count=len(doc.paragraphs),
        boilerplate_chars=sum(r.end - r.start for r in doc.boilerplate),
        expected_right=expected_right(doc),
        notes=tuple(analysis_notes(doc)),
    )


# How much darker than its category's colour a span's underline is (``html.darken``).
DARKEN = 0.55


def display() -> dict[str, object]:
    """What the web page needs to show an analysis as the reports do, from the one place it is
    defined: how long an untitled article's name is, how much darker an underline is than its
    colour and how each underline pattern is drawn (``taxonomy/styles.py``; "{color}" stands
    for the line's colour). The server sends it with the taxonomy (``/api/techniques``)."""
    return {"title_limit": TITLE_LIMIT, "underline_darken": DARKEN,
            "underlines": {name: {"image": image, "height": height}
                           for name, (image, height) in UNDERLINES.items()}}


def expected_right(doc: Document) -> float | None:
    """How many of ``doc``'s spans are expected to match an annotator's: the sum of their
    scores where the model calibrates them, ``None`` for raw scores."""
    return sum(s.score for s in doc.spans) if doc.model is not None and doc.model.calibrated else None


# Why a genre can win with less score. The shipped models pick the genre whose score is
# highest relative to a per-genre divisor fitted for macro-F1 on held-out articles: a rare
# genre (reporting, satire) wins with less score than the majority one, or it would almost
# never be found (``calibrate_genre``). The web page reads it from /api/techniques.
GENRE_RULE = ("genres that were rare among the training articles win with less score, by a "
              "rule fitted on held-out articles.")


def genre_note(label: str, top: str) -> str:
    """The reason a genre ``label`` is chosen over ``top``, the genre with the higher score."""
    return f"{label} is chosen although {top} scores higher: {GENRE_RULE}"


def explain(technique: str, score: float | None = None) -> str:
    """One-line explanation of a technique for tooltips: title, category, definition, score."""
    t = TECHNIQUES[technique]
    text = f"{t.title} ({CATEGORIES[t.category].title}): {t.definition}"
    return text if score is None else f"{text} Confidence {score:.0%}."
