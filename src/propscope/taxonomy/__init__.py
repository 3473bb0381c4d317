"""The SemEval-2023 Task 3 label sets: 23 techniques in 6 categories, 14 frames, 3 genres;
the names people type for them, and how each technique is drawn."""

from propscope.taxonomy.labels import (
    CATEGORIES,
    FRAMES,
    GENRES,
    NOT_PREDICTED,
    TECHNIQUES,
    UNTRAINABLE_TECHNIQUES,
    Category,
    Technique,
    category_of,
    get_technique,
    normalize_technique,
    technique_names,
)
from propscope.taxonomy.listing import taxonomy_json
from propscope.taxonomy.names import (
    UnknownNameError,
    display_name,
    find_category,
    find_technique,
    name_key,
    resolve_category,
    resolve_technique,
)
from propscope.taxonomy.styles import UNDERLINES, TechniqueStyle, technique_style, underline_css

__all__ = [
    "CATEGORIES",
    "FRAMES",
    "GENRES",
    "NOT_PREDICTED",
    "TECHNIQUES",
    "UNDERLINES",
    "UNTRAINABLE_TECHNIQUES",
    "Category",
    "Technique",
    "TechniqueStyle",
    "UnknownNameError",
    "category_of",
    "display_name",
    "find_category",
    "find_technique",
    "get_technique",
    "name_key",
    "normalize_technique",
    "resolve_category",
    "resolve_technique",
    "taxonomy_json",
    "technique_names",
    "technique_style",
    "underline_css",
]
