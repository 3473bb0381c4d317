"""Readers for annotated data in the shared task's layout."""

from propscope.datasets.semeval import (
    RECENT_PREFIX,
    SemEvalData,
    collection_order,
    load_semeval,
    read_ids,
    validation_split,
)

__all__ = ["RECENT_PREFIX", "SemEvalData", "collection_order", "load_semeval", "read_ids", "validation_split"]
