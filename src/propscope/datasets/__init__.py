"""Readers for annotated data in the shared task's layout."""

from propscope.datasets.semeval import SemEvalData, load_semeval, read_ids, validation_split

__all__ = ["SemEvalData", "load_semeval", "read_ids", "validation_split"]
