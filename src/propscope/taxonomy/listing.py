"""The taxonomy as plain JSON data, for ``propscope techniques --format json`` and the page."""

from __future__ import annotations

from typing import Any

from propscope.taxonomy.labels import CATEGORIES, NOT_PREDICTED, TECHNIQUES, UNTRAINABLE_TECHNIQUES
from propscope.taxonomy.styles import technique_style


def taxonomy_json(category: str | None = None) -> dict[str, Any]:
    """The taxonomy as plain JSON data: ``categories`` and a flat ``techniques`` list (only
    ``category``'s when given). Each technique has the ``tag``, ``color`` and ``underline``
    it is highlighted with (``styles.py``). Techniques no model predicts carry
    ``predicted: false`` and a ``note`` saying why."""
    cats = [c for c in CATEGORIES.values() if category in (None, c.name)]
    return {
        "categories": [{"name": c.name, "title": c.title, "color": c.color,
                        "description": c.description} for c in cats],
        "techniques": [
            {"name": t.name, "title": t.title, "category": t.category, "definition": t.definition,
             "example": t.example, "predicted": t.name not in UNTRAINABLE_TECHNIQUES,
             "tag": (style := technique_style(t.name)).tag, "color": style.color,
             "underline": style.underline,
             **({"note": NOT_PREDICTED} if t.name in UNTRAINABLE_TECHNIQUES else {})}
            for t in TECHNIQUES.values() if category in (None, t.category)
        ],
    }
