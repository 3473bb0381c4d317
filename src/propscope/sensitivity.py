"""How readily a model labels: one shift of every span and paragraph-label threshold.

A model's thresholds are calibrated for the best F1 on annotated news, which makes it
conservative: on articles it had not seen it finds a fifth to a quarter of the annotated
spans. A reader who reviews every highlight (an annotator, a fact-checker going through one
article) may want more candidates; one who counts (a corpus profile) may want fewer, surer
ones.

The *sensitivity* moves every span and paragraph-label threshold ``t`` to
``sigmoid(logit(t) - sensitivity)``: 0 keeps the calibrated thresholds, positive values
label more, negative fewer. The same shift applies to every technique, so their order of
confidence is kept, and the reported scores stay the calibrated chances that a label is
right (they are mapped from the same raw probabilities; a label found only at a higher
sensitivity simply scores lower). Genre and frames are not affected.

What each named level costs and gains on articles the model had not seen is measured by
``benchmarks/sensitivity.py`` (the table in docs/json.md, "How many labels").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from propscope.errors import SettingError

# Named levels and their shifts (logits). "balanced" is the calibrated operating point.
LEVELS: dict[str, float] = {"precise": -1.0, "balanced": 0.0, "broad": 0.5, "exhaustive": 1.0}
DEFAULT_LEVEL = "balanced"
# What each level gives, in words (the --help texts and the page); the multiples are the
# shipped model's out-of-fold span counts (its card) and the validation split's.
LEVEL_TEXT: dict[str, str] = {
    "precise": "about a quarter of the spans, surer ones",
    "balanced": "the calibrated thresholds",
    "broad": "two to three times the spans, for review",
    "exhaustive": "four to six times the spans, nearly all wrong",
}
# Beyond these shifts every threshold is near 0 or 1: nothing more to gain.
LIMIT = 3.0


def resolve_sensitivity(value: str | float | None) -> float:
    """The shift in logits for a level name (``"broad"``), a number (``0.5``, also as text)
    or ``None`` (the default level). Raises ``SettingError`` naming the levels otherwise."""
    if value is None:
        return LEVELS[DEFAULT_LEVEL]
    if isinstance(value, str):
        key = value.strip().lower()
        if key in LEVELS:
            return LEVELS[key]
        try:
            number = float(key)
        except ValueError:
            raise SettingError(f"Unknown sensitivity {value!r}: use one of {', '.join(LEVELS)} "
                             f"or a number from {-LIMIT:g} to {LIMIT:g}.") from None
    else:
        number = float(value)
    if not math.isfinite(number) or abs(number) > LIMIT:
        raise SettingError(f"Sensitivity {value!r} is out of range: use a number from {-LIMIT:g} "
                         f"to {LIMIT:g}, or one of {', '.join(LEVELS)}.")
    return number + 0.0  # -0.0 reads as 0


def sensitivity_name(shift: float) -> str:
    """``"broad"`` for 0.5, ``"0.8"`` for a shift without a name."""
    for name, value in LEVELS.items():
        if math.isclose(shift, value):
            return name
    return f"{shift:g}"


def levels_text(shifts: Sequence[float]) -> str | None:
    """The names of ``shifts`` (the levels a corpus was analysed at), comma-separated, when
    any is not the default; ``None`` when every one is (nothing to say next to its rates)."""
    if all(s == 0 for s in shifts):
        return None
    return ", ".join(sensitivity_name(s) for s in shifts)


def describe_sensitivity(shift: float) -> str | None:
    """What reports say of an analysis made at ``shift`` ("broad: more spans and ...");
    ``None`` at the calibrated thresholds (nothing to say)."""
    if shift == 0:
        return None
    more = "more" if shift > 0 else "fewer"
    return (f"{sensitivity_name(shift)}: {more} spans and paragraph labels than the calibrated "
            "thresholds give")


def shift_threshold(threshold: float, shift: float) -> float:
    """``threshold`` moved by ``shift`` logits (more labels for ``shift > 0``).

    Thresholds of 0 (no gate) and at or above 1 (a label the model never gives) stay as
    they are: a sensitivity never turns a disabled detector on.
    """
    if shift == 0 or threshold <= 0 or threshold >= 1:
        return threshold
    z = math.log(threshold / (1.0 - threshold)) - shift
    return 1.0 / (1.0 + math.exp(-z))
