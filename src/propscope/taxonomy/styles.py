"""How each technique is told apart where it is highlighted: a shade, an underline, a tag.

A category has one hue, and up to five techniques share it; a highlight in that hue alone
does not say which technique it is without hovering, and says nothing to a reader who does
not see colour. So every technique gets, within its category:

- a shade of the category's colour (the first technique the colour itself),
- an underline pattern (solid, dashed, dotted, double, dash-dot): a second channel that is
  not colour,
- a two-letter tag ("LL" for loaded language), printed next to each highlight and keyed in
  the legend.

Techniques the models predict take the first patterns, so no two predicted techniques of one
category share one. The HTML report and the web page both read these values (the page
through ``/api/techniques``), so the two always agree. Shades keep black text at a contrast
of at least 4.5:1 (``tests/core/test_taxonomy.py`` checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from propscope.taxonomy.labels import CATEGORIES, TECHNIQUES, UNTRAINABLE_TECHNIQUES

TAGS: dict[str, str] = {
    "Name_Calling-Labeling": "NC", "Guilt_by_Association": "GA", "Doubt": "CD",
    "Appeal_to_Hypocrisy": "AH", "Questioning_the_Reputation": "QR",
    "Flag_Waving": "FW", "Appeal_to_Authority": "AA", "Appeal_to_Popularity": "AP",
    "Appeal_to_Values": "AV", "Appeal_to_Fear-Prejudice": "AF",
    "Causal_Oversimplification": "CO", "False_Dilemma-No_Choice": "FD",
    "Consequential_Oversimplification": "CQ",
    "Straw_Man": "SM", "Red_Herring": "RH", "Whataboutism": "WH",
    "Slogans": "SL", "Conversation_Killer": "TC", "Appeal_to_Time": "AT",
    "Loaded_Language": "LL", "Obfuscation-Vagueness-Confusion": "OV",
    "Exaggeration-Minimisation": "EM", "Repetition": "RP",
}

# Underline patterns as CSS background images of one line's height; "{color}" is the line's
# colour. Drawn as backgrounds (not borders) so that the page can stack several under one
# piece of text, each at its own level, as the report's nested marks do.
UNDERLINES: dict[str, tuple[str, int]] = {
    "solid": ("linear-gradient({color}, {color})", 2),
    "dashed": ("repeating-linear-gradient(90deg, {color} 0 6px, transparent 6px 9px)", 2),
    "dotted": ("repeating-linear-gradient(90deg, {color} 0 2px, transparent 2px 4px)", 2),
    "double": ("linear-gradient({color} 0 1px, transparent 1px 2px, {color} 2px 3px)", 3),
    "dash-dot": ("repeating-linear-gradient(90deg, {color} 0 7px, transparent 7px 9px, "
                 "{color} 9px 11px, transparent 11px 13px)", 2),
}
_PATTERNS = tuple(UNDERLINES)

# Each technique's shade: the category colour moved toward white (> 0) or black (< 0) by
# this share, in the order the category's techniques take patterns.
_SHADES = (0.0, 0.45, -0.12, 0.62, -0.22)


@dataclass(frozen=True, slots=True)
class TechniqueStyle:
    """How one technique is drawn: ``color`` (background, ``#rrggbb``), ``underline`` (a
    name in ``UNDERLINES``) and ``tag`` (two letters)."""

    tag: str
    color: str
    underline: str


def _shade(colour: str, amount: float) -> str:
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    target = 255 if amount > 0 else 0
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (target - c) * abs(amount)) for c in rgb))


@cache
def _styles() -> dict[str, TechniqueStyle]:
    out: dict[str, TechniqueStyle] = {}
    for category in CATEGORIES.values():
        members = [t for t in TECHNIQUES.values() if t.category == category.name]
        # Predicted techniques first: they get the patterns that are easiest to tell apart.
        members.sort(key=lambda t: t.name in UNTRAINABLE_TECHNIQUES)
        for i, t in enumerate(members):
            out[t.name] = TechniqueStyle(TAGS[t.name], _shade(category.color, _SHADES[i]),
                                         _PATTERNS[i])
    return out


def technique_style(name: str) -> TechniqueStyle:
    """The shade, underline and tag of technique ``name`` (a taxonomy name)."""
    return _styles()[name]


def underline_css(pattern: str, color: str) -> tuple[str, int]:
    """The CSS background image of underline ``pattern`` in ``color``, and its height in px."""
    image, height = UNDERLINES[pattern]
    return image.replace("{color}", color), height
