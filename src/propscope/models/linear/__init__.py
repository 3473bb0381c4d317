"""Linear persuasion model (``kind="linear"``): TF-IDF and hashed-feature logistic regressions.

Importing this package registers the kind. Its heads are the core of the shipped ``hybrid-v1``
(``models/hybrid``); ``propscope train --kind linear`` builds them alone as ``linear-v0``.
"""

from propscope.models.linear.model import LinearModel

__all__ = ["LinearModel"]
