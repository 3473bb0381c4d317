"""Linear persuasion model (``kind="linear"``): TF-IDF and hashed-feature logistic regressions.

Importing this package registers the kind; the shipped artifact is ``linear-v0``.
"""

from propscope.models.linear.model import LinearModel

__all__ = ["LinearModel"]
