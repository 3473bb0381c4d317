"""The taxonomy holds the shared task's exact label sets."""

from __future__ import annotations

from collections import Counter

import pytest

from propscope.errors import DataError
from propscope.taxonomy import (
    CATEGORIES,
    FRAMES,
    GENRES,
    TECHNIQUES,
    UNTRAINABLE_TECHNIQUES,
    Technique,
    UnknownNameError,
    category_of,
    find_category,
    find_technique,
    normalize_technique,
    resolve_category,
    resolve_technique,
    taxonomy_json,
    technique_names,
    technique_style,
)


def test_sizes() -> None:
    assert len(TECHNIQUES) == 23
    assert len(CATEGORIES) == 6
    assert len(FRAMES) == 14
    assert GENRES == ("opinion", "reporting", "satire")
    assert Counter(t.category for t in TECHNIQUES.values()) == {
        "Attack_on_Reputation": 5, "Justification": 5, "Simplification": 3,
        "Distraction": 3, "Call": 3, "Manipulative_Wording": 4}


def test_every_technique_is_documented() -> None:
    for t in TECHNIQUES.values():
        assert t.category in CATEGORIES
        assert len(t.definition) > 30 and t.example


def test_untrainable_are_in_taxonomy_and_excluded_on_request() -> None:
    assert set(TECHNIQUES) >= UNTRAINABLE_TECHNIQUES
    assert len(technique_names(trainable_only=True)) == 19


@pytest.mark.parametrize(("raw", "name"), [
    ("Appeal_to_Fear-Prejudi-čce", "Appeal_to_Fear-Prejudice"),
    ("Loaded_Language", "Loaded_Language"),
    (" Doubt ", "Doubt"),
])
def test_normalize_repairs_known_corruption(raw: str, name: str) -> None:
    assert normalize_technique(raw) == name


def test_normalize_refuses_unknown() -> None:
    with pytest.raises(DataError):
        normalize_technique("Totally_Made_Up")


def test_category_of_unknown_suggests() -> None:
    with pytest.raises(KeyError, match="Did you mean"):
        category_of("Loaded_Languag")


def _variants(text: str) -> list[str]:
    """How people type a name: as shown, lower and upper case, without punctuation."""
    bare = "".join(ch if ch.isalnum() else " " for ch in text)
    return [text, text.lower(), text.upper(), bare, bare.replace(" ", "")]


@pytest.mark.parametrize("technique", list(TECHNIQUES.values()), ids=list(TECHNIQUES))
def test_every_technique_is_found_by_its_name_or_its_title_in_any_form(technique: Technique) -> None:
    # "Casting doubt" and "Thought-terminating cliché", the names every report shows, were
    # refused by corpus search while "Loaded language" happened to work.
    for typed in (*_variants(technique.name), *_variants(technique.title)):
        assert resolve_technique(typed) == technique.name, typed


@pytest.mark.parametrize(("typed", "name"), [
    ("Casting doubt", "Doubt"), ("Thought-terminating cliché", "Conversation_Killer"),
    ("thought terminating cliche", "Conversation_Killer"), ("Appeal to popularity", "Appeal_to_Popularity"),
    ("attack on reputation", "Attack_on_Reputation"), ("Manipulative_Wording", "Manipulative_Wording"),
])
def test_display_titles_resolve(typed: str, name: str) -> None:
    assert (find_technique(typed) or find_category(typed)) == name


@pytest.mark.parametrize(("typed", "suggested"), [
    ("Casting dout", "“Casting doubt” (Doubt)"), ("cliche", "“Thought-terminating cliché”"),
    ("Loded langage", "“Loaded language” (Loaded_Language)"),
])
def test_a_miss_suggests_the_closest_technique(typed: str, suggested: str) -> None:
    with pytest.raises(UnknownNameError, match="Did you mean") as caught:
        resolve_technique(typed)
    message = str(caught.value)
    assert f"Unknown technique {typed!r}" in message and suggested in message
    assert "propscope techniques" in message
    with pytest.raises(UnknownNameError, match="Did you mean “Attack on reputation”"):
        resolve_category("atack on reputation")


def _contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def lum(colour: str) -> float:
        c = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_techniques_of_one_category_are_told_apart_not_by_colour_alone() -> None:
    from propscope.render.html import darken

    styles = {n: technique_style(n) for n in TECHNIQUES}
    assert len({s.tag for s in styles.values()}) == len(TECHNIQUES)
    for cat in CATEGORIES:
        members = [n for n in TECHNIQUES if TECHNIQUES[n].category == cat]
        assert len({styles[n].color for n in members}) == len(members)
        predicted = [n for n in members if n not in UNTRAINABLE_TECHNIQUES]
        assert len({styles[n].underline for n in predicted}) == len(predicted)
    for s in styles.values():
        assert _contrast(s.color, "#000000") >= 4.5  # text on the highlight and the tag
        assert _contrast(darken(s.color), "#ffffff") >= 3  # the underline, a graphic, on white
    assert [t["tag"] for t in taxonomy_json()["techniques"]] == [styles[n].tag for n in TECHNIQUES]
