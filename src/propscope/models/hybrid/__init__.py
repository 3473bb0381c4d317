"""Hybrid persuasion model (``kind="hybrid"``): the linear heads with a convolutional tagger
mixed in. Importing this package registers the kind; the shipped artifact is ``hybrid-v1``."""

from propscope.models.hybrid.model import HybridModel

__all__ = ["HybridModel"]
