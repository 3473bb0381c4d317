"""Quotation marks: which characters open and close a quotation, and how they pair up.

The marks of every language the project reads are one table: straight and curly double and
single quotes, „ German “ and Polish „ ”, « French », »German«, ‚ ‘, the doubled ‘‘ ’’ and ''
of some news wires, and 「 」. Few of them say on their own whether they open or close (“
opens in English and closes in German; ” opens a quotation in some Italian copy; " does
both), so each mark is read from its neighbours first, as Markdown reads emphasis: a mark
with a space before it and a word after it opens, one with a word before it and a space or
punctuation after it closes. Only where the neighbours say nothing (a mark between two words,
or between two spaces as French typesets them) do the glyph and the marks still open decide.

Marks pair on a stack, double with double and single with single, so a quotation holds
quotations of its own. An apostrophe is a single mark inside a word (don't, l'Ukraine); a
single mark that opens and is never closed is dropped where its paragraph ends. A double
quotation still open at the end of a paragraph goes on into the next one when that one starts
with an opening mark (the convention for a quotation of several paragraphs), or when the next
mark within a few paragraphs closes it (a paragraph broken by the page); otherwise it was
never closed and is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE = frozenset({'"', "“", "”", "„", "‟", "«", "»", "''", "‘‘", "’’", "「", "」"})
SINGLE = frozenset({"'", "‘", "’", "‚", "‛", "‹", "›"})
# Where the neighbours say nothing, these open and those close; the rest (" ' “ ”) close
# when a quotation of their kind is open and open otherwise.
_OPENING = frozenset({"„", "‟", "«", "‘‘", "‚", "‛", "‹", "「"})
_CLOSING = frozenset({"»", "’’", "''", "›", "」"})
# A same-glyph opening mark inside an open quotation of these, after a sentence's end, is a
# new paragraph of the same quotation run together by the page, not a nested quotation
# (English, German and Polish nest with single marks; French and Russian nest « in «).
_REOPENING = frozenset({'"', "“", "„", "”"})

_MARK = re.compile(r"''|‘‘|’’|[\"“”„‟«»「」'‘’‚‛‹›]")
_OPEN_AFTER = frozenset("([{<—–-:;/|*_")  # what may stand right before an opening mark
_CLOSE_BEFORE = frozenset(".,;:!?)]}>—–-…/*_")  # what may follow a closing mark
_SENTENCE_END = frozenset(".!?…")


@dataclass(frozen=True, slots=True)
class Mark:
    """One quote mark at ``text[pos:end]`` and what its neighbours allow it to do."""

    pos: int
    end: int
    glyph: str
    can_open: bool
    can_close: bool

    @property
    def double(self) -> bool:
        return self.glyph in DOUBLE


@dataclass(frozen=True, slots=True)
class Quoted:
    """The words between a pair of marks: ``text[start:end]``, trimmed of spaces.

    ``open_at`` and ``close_at`` are where the marks start, ``close_end`` where the closing
    one ends; ``depth`` is 0 for a quotation in running text and 1 or more for one inside
    another.
    """

    start: int
    end: int
    open_at: int
    close_at: int
    close_end: int
    depth: int


def _is_mark(ch: str) -> bool:
    return ch in DOUBLE or ch in SINGLE


def find_marks(text: str) -> list[Mark]:
    """Every quote mark in ``text`` that is not an apostrophe, with what it may do."""
    marks = []
    n = len(text)
    for m in _MARK.finditer(text):
        pos, end, glyph = m.start(), m.end(), m.group()
        before = text[pos - 1] if pos > 0 else "\n"
        after = text[end] if end < n else "\n"
        if glyph in SINGLE and (
                (before.isalnum() and after.isalnum())  # don't, l'Ukraine, O'Rourke
                or (before.isspace() and after.isdigit())):  # ’45
            continue
        can_open = (not after.isspace() and after not in _CLOSE_BEFORE
                    and (before.isspace() or before in _OPEN_AFTER or _is_mark(before)))
        can_close = (not before.isspace()
                     and (after.isspace() or after in _CLOSE_BEFORE or _is_mark(after)))
        marks.append(Mark(pos, end, glyph, can_open, can_close))
    return marks


def _line_ends(text: str) -> list[int]:
    return [m.start() for m in re.finditer("\n", text)]


def _previous_visible(text: str, pos: int) -> str:
    i = pos - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return text[i] if i >= 0 else "\n"


class _Pairing:
    """The stack that pairs marks, one paragraph at a time."""

    def __init__(self, text: str, marks: list[Mark]) -> None:
        self.text = text
        self.marks = marks
        self.stack: list[Mark] = []
        self.found: list[Quoted] = []
        self.skip: set[int] = set()  # positions of marks that reopen a running quotation

    def _acts_as_open(self, mark: Mark) -> bool:
        if mark.can_open != mark.can_close:
            return mark.can_open
        if mark.glyph in _OPENING:
            return True
        if mark.glyph in _CLOSING:
            return False
        return not any(o.double == mark.double for o in self.stack)

    def feed(self, mark: Mark) -> None:
        if mark.pos in self.skip:
            return
        if self._acts_as_open(mark):
            top = self.stack[-1] if self.stack else None
            if (top is not None and mark.glyph in _REOPENING and top.glyph in _REOPENING
                    and mark.double and top.double
                    and _previous_visible(self.text, mark.pos) in _SENTENCE_END):
                return  # a new paragraph of the open quotation, run into this one
            self.stack.append(mark)
            return
        # A closing double mark ends the double quotation open inside it: single marks still
        # open above it were apostrophes (officers’) and are dropped.
        while self.stack and self.stack[-1].double != mark.double:
            if mark.double:
                self.stack.pop()
            else:
                return  # a closing single mark inside a double quotation: an apostrophe
        if not self.stack:
            return
        opened = self.stack.pop()
        start, end = opened.end, mark.pos
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if any(ch.isalnum() for ch in self.text[start:end]):
            self.found.append(Quoted(start, end, opened.pos, mark.pos, mark.end, len(self.stack)))

    def end_paragraph(self, next_marks: list[Mark], next_start: int | None) -> None:
        """At a paragraph's end: carry an open double quotation on, or drop what is open.

        ``next_marks`` are the marks of the next few paragraphs, ``next_start`` the first
        visible character of the next one."""
        while self.stack and not self.stack[-1].double:
            self.stack.pop()
        if not self.stack or next_start is None or not next_marks:
            self.stack.clear()
            return
        first = next_marks[0]
        if first.pos == next_start and first.double and self._acts_as_open(first):
            self.skip.add(first.pos)  # the convention: each paragraph reopens the quotation
        elif not (first.double and not self._acts_as_open(first)):
            self.stack.clear()


# How many paragraphs a quotation broken by the page may run on without a mark.
_CARRY_LINES = 3


def pair_marks(text: str, marks: list[Mark] | None = None) -> list[Quoted]:
    """Every quotation in ``text`` (nested ones too), in the order of their opening marks."""
    marks = find_marks(text) if marks is None else marks
    pairing = _Pairing(text, marks)
    ends = [*_line_ends(text), len(text)]
    i = 0
    for li, line_end in enumerate(ends):
        while i < len(marks) and marks[i].pos < line_end:
            pairing.feed(marks[i])
            i += 1
        if pairing.stack:
            nxt = _next_paragraphs(text, ends, li)
            horizon = nxt[-1][1] if nxt else line_end
            pairing.end_paragraph([m for m in marks[i:] if m.pos < horizon],
                                  nxt[0][0] if nxt else None)
    return sorted(pairing.found, key=lambda q: (q.open_at, -q.close_at))


def _next_paragraphs(text: str, ends: list[int], li: int) -> list[tuple[int, int]]:
    """The first visible character and the end of the next few non-blank lines after line
    ``li``."""
    found: list[tuple[int, int]] = []
    for lj in range(li + 1, len(ends)):
        start = ends[lj - 1] + 1
        line = text[start:ends[lj]]
        if line.strip():
            found.append((start + len(line) - len(line.lstrip()), ends[lj]))
            if len(found) == _CARRY_LINES:
                break
    return found
