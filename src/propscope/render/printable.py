"""Control characters out of what people read: charts, HTML reports and pages.

Input text and metadata may hold NUL, ESC and the like (a JSONL record's ``"\\u0000"``).
HTML does not allow them and fonts have no glyph for them, but dropping them could make two
names look the same, so each is shown as U+FFFD "�". One code point becomes one, so the
character offsets of spans in a page's text stay right. JSON outputs keep the text as it is.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from markupsafe import Markup

_CONTROL = "\x00-\x1f\x7f-\x9f"


@functools.lru_cache(maxsize=8)
def _control_re(keep: str) -> re.Pattern[str]:
    return re.compile(f"(?![{re.escape(keep)}])[{_CONTROL}]" if keep else f"[{_CONTROL}]")


def printable(text: str, *, keep: str = "\t\n\r") -> str:
    """``text`` with control characters shown as "�", but those in ``keep``.

    Article text keeps its tabs and line breaks. A message printed to a terminal keeps
    less: a file name's ESC would send an escape sequence, and its carriage return would let
    it overwrite the line it is in; so messages keep ``"\n"`` (lines of their own), and a
    one-line-per-input report keeps nothing.
    """
    return _control_re(keep).sub("\ufffd", text)


def finalize(value: Any) -> Any:
    """A Jinja ``finalize`` hook: every value a template prints, made printable before it is
    escaped (markup stays markup)."""
    if isinstance(value, Markup):
        return Markup(printable(value))
    return printable(value) if isinstance(value, str) else value
