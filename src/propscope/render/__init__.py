"""Output renderers: terminal view, self-contained HTML report, SemEval files, atomic writes.

Every renderer reads only the Document. Names are imported lazily so that importing
``propscope.render`` does not pull in Jinja2 or rich until a renderer is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from propscope.render.files import atomic_open, atomic_write
    from propscope.render.html import render_html
    from propscope.render.semeval import write_semeval
    from propscope.render.terminal import print_document, terminal_view

_WHERE = {
    "atomic_open": "files",
    "atomic_write": "files",
    "render_html": "html",
    "write_semeval": "semeval",
    "print_document": "terminal",
    "terminal_view": "terminal",
}
__all__ = ["atomic_open", "atomic_write", "print_document", "render_html", "terminal_view",
           "write_semeval"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"propscope.render.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'propscope.render' has no attribute {name!r}")
