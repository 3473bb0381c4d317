"""Which language a text is in, or a plain "can't tell": ``detect_language``.

Detection is py3langid's (a maintained numpy port of langid.py, BSD-3-Clause, 97 languages,
its model inside the package; loaded on first use, so a text whose language is given never
pays for it). langid.py scores the whole text; a text too short to tell, one whose best
language is not clearly ahead, or one whose paragraphs are written in two languages gets no
language rather than a guess: the analysis then says the language is unknown instead of
reading it as the wrong one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

# Fewer letters than this: too short to tell (a headline, "Ok").
MIN_LETTERS = 40
# A best language below this share of the probability is no decision.
MIN_CONFIDENCE = 0.8
# Paragraphs of at least this many letters vote; if those in other languages (each decided
# with MIN_CONFIDENCE) hold this share of the voting letters, the text is mixed.
PARAGRAPH_LETTERS = MIN_LETTERS
MIXED_SHARE = 0.3
# ISO 639-3 codes langid.py may give for what readers call one of these languages.
_FOLD = {"grc": "el"}

_LOCK = threading.Lock()
_IDENTIFIER: Any = None


@dataclass(frozen=True)
class Detection:
    """A detected language (ISO 639-1 ``code``, ``None`` when not decided), how sure, and why
    not decided (``"too short"``, ``"unclear"``, ``"mixed: fr, en"``)."""

    code: str | None
    confidence: float
    why: str | None = None


def _identifier() -> Any:
    global _IDENTIFIER
    with _LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

            _IDENTIFIER = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
        return _IDENTIFIER


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def _classify(text: str) -> tuple[str, float]:
    code, prob = _identifier().classify(text)
    return _FOLD.get(code, code), float(prob)


def detect_language(text: str) -> Detection:
    """The language of ``text`` (see the module docstring)."""
    if _letters(text) < MIN_LETTERS:
        return Detection(None, 0.0, "too short")
    code, confidence = _classify(text)
    if confidence < MIN_CONFIDENCE:
        return Detection(None, round(confidence, 4), "unclear")
    votes: dict[str, int] = {}
    for paragraph in text.split("\n"):
        n = _letters(paragraph)
        if n >= PARAGRAPH_LETTERS:
            other, sure = _classify(paragraph)
            if sure >= MIN_CONFIDENCE:
                votes[other] = votes.get(other, 0) + n
    total = sum(votes.values())
    foreign = total - votes.get(code, 0)
    if total and foreign / total >= MIXED_SHARE:
        langs = sorted(votes, key=lambda k: -votes[k])[:2]
        return Detection(None, round(confidence, 4), f"mixed: {', '.join(langs)}")
    return Detection(code, round(confidence, 4))
