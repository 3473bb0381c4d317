"""Control characters out of what people read: charts, HTML reports and pages.

Input text and metadata may hold NUL, ESC and the like (a JSONL record's ``"\\u0000"``).
HTML does not allow them and fonts have no glyph for them, but dropping them could make two
names look the same, so each is shown as U+FFFD "�". One code point becomes one, so the
character offsets of spans in a page's text stay right. JSON outputs keep the text as it is.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters (but tab and line breaks) shown as "�"."""
    return _CONTROL_RE.sub("\ufffd", text)


def finalize(value: Any) -> Any:
    """A Jinja ``finalize`` hook: every value a template prints, made printable before it is
    escaped (markup stays markup)."""
    if isinstance(value, Markup):
        return Markup(printable(value))
    return printable(value) if isinstance(value, str) else value
