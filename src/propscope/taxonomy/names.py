"""Technique and category names as people type them, resolved to the taxonomy's own names.

Reports show display titles ("Casting doubt", "Thought-terminating cliché") while data
files and the JSON contract use the shared task's names (``Doubt``, ``Conversation_Killer``);
a user copies whichever is in front of them. Every form is accepted: the shared task's name
or the title, in any case, with or without spaces, punctuation and accents. A name that
matches none gets the closest one suggested.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from propscope.errors import PropscopeError
from propscope.taxonomy.labels import CATEGORIES, TECHNIQUES

_PARENTHESIS_RE = re.compile(r"\s*\([^)]*\)")


class UnknownNameError(PropscopeError, ValueError):
    """A technique or category name that is none of the taxonomy's, in any form."""


def name_key(text: str) -> str:
    """``text`` folded for matching: accents dropped, lower case, letters and digits only
    ("Thought-terminating cliché" -> "thoughtterminatingcliche")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _forms(name: str, title: str) -> set[str]:
    # "Appeal to popularity (bandwagon)" is also typed without its gloss.
    return {name_key(name), name_key(title), name_key(_PARENTHESIS_RE.sub("", title))}


_TECHNIQUE_KEYS = {key: t.name for t in TECHNIQUES.values() for key in _forms(t.name, t.title)}
_CATEGORY_KEYS = {key: c.name for c in CATEGORIES.values() for key in _forms(c.name, c.title)}


def _closest(key: str, keys: dict[str, str]) -> str | None:
    """The taxonomy name whose key ``key`` is most like: one that contains it ("cliche"),
    else the closest by spelling; ``None`` if nothing is close."""
    if len(key) >= 4:
        holding = sorted({name for k, name in keys.items() if key in k})
        if len(holding) == 1:
            return holding[0]
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    return keys[close[0]] if close else None


def find_technique(name: str) -> str | None:
    """The technique ``name`` means, in any of its forms, or ``None``."""
    return _TECHNIQUE_KEYS.get(name_key(name))


def find_category(name: str) -> str | None:
    """The category ``name`` means, in any of its forms, or ``None``."""
    return _CATEGORY_KEYS.get(name_key(name))


def _unknown(what: str, name: str, guess: str | None, title: str | None, listing: str) -> str:
    hint = f" Did you mean “{title}” ({guess})?" if guess else ""
    return (f"Unknown {what} {name!r}: expected a {what}'s name or title as reports show it "
            f"(any case, with or without punctuation).{hint} {listing}")


def resolve_technique(name: str) -> str:
    """The shared task's name of the technique ``name`` means ("casting doubt" -> ``Doubt``).

    Raises:
        UnknownNameError: ``name`` is no technique's name or title; the message suggests
            the closest.
    """
    if found := find_technique(name):
        return found
    guess = _closest(name_key(name), _TECHNIQUE_KEYS)
    raise UnknownNameError(_unknown("technique", name, guess, guess and TECHNIQUES[guess].title,
                                    "List them with `propscope techniques`."))


def resolve_category(name: str) -> str:
    """The taxonomy's name of the category ``name`` means ("attack on reputation" ->
    ``Attack_on_Reputation``).

    Raises:
        UnknownNameError: ``name`` is no category's name or title; the message suggests the
            closest.
    """
    if found := find_category(name):
        return found
    guess = _closest(name_key(name), _CATEGORY_KEYS)
    titles = ", ".join(c.title for c in CATEGORIES.values())
    raise UnknownNameError(_unknown("category", name, guess, guess and CATEGORIES[guess].title,
                                    f"The categories: {titles}."))


def display_name(label: str) -> str:
    """The title a person reads for a technique or category name; any other label as is."""
    if label in TECHNIQUES:
        return TECHNIQUES[label].title
    if label in CATEGORIES:
        return CATEGORIES[label].title
    return label
