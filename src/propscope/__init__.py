"""propscope: find how a news article tries to persuade — techniques, genre and framing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from propscope.version import __version__

if TYPE_CHECKING:
    from propscope.analyzer import Analysis, Analyzer
    from propscope.document import Document, Span

__all__ = ["Analysis", "Analyzer", "Document", "Span", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy: `import propscope` stays cheap for the CLI's cold start.
    if name in ("Analyzer", "Analysis"):
        from propscope import analyzer

        return getattr(analyzer, name)
    if name in ("Document", "Span"):
        from propscope import document

        return getattr(document, name)
    raise AttributeError(f"module 'propscope' has no attribute {name!r}")


def __dir__() -> list[str]:
    # The lazy names too, for tab completion and help().
    return sorted({*globals(), *__all__})
