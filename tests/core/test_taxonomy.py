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
    category_of,
    normalize_technique,
    technique_names,
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
