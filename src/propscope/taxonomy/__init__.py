"""The SemEval-2023 Task 3 label sets: 23 techniques in 6 categories, 14 frames, 3 genres."""

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
    taxonomy_json,
    technique_names,
)

__all__ = [
    "CATEGORIES",
    "FRAMES",
    "GENRES",
    "NOT_PREDICTED",
    "TECHNIQUES",
    "UNTRAINABLE_TECHNIQUES",
    "Category",
    "Technique",
    "category_of",
    "get_technique",
    "normalize_technique",
    "taxonomy_json",
    "technique_names",
]
