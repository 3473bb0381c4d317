"""Word tokens, sentences and per-token feature strings, all with character offsets.

Everything here works on ``(start, end)`` ranges into the document text so predicted spans
map back to exact offsets without any re-alignment.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

# Words (with inner apostrophes and hyphens) or single punctuation marks.
_TOKEN_RE = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace.
# A match starts only where a run of marks starts, and takes the run whole (possessive), so
# 40,000 dots with no space after them cost one pass instead of one per dot (quadratic:
# 52 s, holding the interpreter lock, before).
_SENT_END_RE = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s)")
_QUOTES = frozenset("\"'“”‘’«»")
_SUFFIXES = ("ations", "ation", "ingly", "ously", "ness", "ment", "ings", "ing", "ies", "ied",
             "ed", "es", "ly", "s")

Range = tuple[int, int]

# Words that carry no persuasion on their own. A decoded span made only of these (or of
# punctuation) is dropped: out of fold, lone "the", "and", "of" were 8% of the predicted
# Loaded_Language spans and never matched a gold span.
_FUNCTION_WORDS = """
a an the and or but nor so yet for of to in on at by with from into onto upon about over under
as than then that this these those there here it its it's he him his she her hers they them their
theirs we us our ours you your yours i me my mine who whom whose which what when where why how
is are was were be been being am do does did done have has had having will would shall should
can could may might must not no if also just very too only even more most much many some any
all each both either neither such own same other another up down out off again once s t
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())


def is_word(token: str) -> bool:
    """Whether a token has a letter or digit (not a quote, dash or full stop alone)."""
    return any(ch.isalnum() for ch in token)


def is_content(word: str) -> bool:
    """Whether a token could carry a technique: it is a word and no function word."""
    return is_word(word) and word.lower() not in FUNCTION_WORDS


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Range]:
    """Word and punctuation tokens of ``text[start:end]`` as absolute ``(start, end)`` ranges."""
    stop = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start, stop)]


def sentences(text: str, start: int, end: int) -> list[Range]:
    """Sentences of ``text[start:end]``, whitespace-trimmed, as absolute ranges.

    A rule-based splitter (no model): good enough for news prose, and deterministic.
    """
    out: list[Range] = []
    pos = start
    for m in _SENT_END_RE.finditer(text, start, end):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, end))
    trimmed = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix-stripped form, so ``attacking``/``attacked``/``attacks`` share a feature."""
    for suf in _SUFFIXES:
        if len(word) > len(suf) + 2 and word.endswith(suf):
            return word[: -len(suf)]
    return word


def shape(token: str) -> str:
    """Coarse word shape: ``Xx``, ``x``, ``X``, ``d``, ``q`` (quote) or ``p`` (punctuation)."""
    if token[0] in _QUOTES:
        return "q"
    if not token[0].isalnum():
        return "p"
    if token.isdigit():
        return "d"
    if token.isupper() and len(token) > 1:
        return "X"
    if token[0].isupper():
        return "Xx"
    return "x"


def word_counts(words: Sequence[str]) -> Counter[str]:
    """How often each lowercased word of three or more letters occurs (for repetition cues)."""
    return Counter(w for w in words if len(w) > 2 and w.isalpha())


def token_features(words: Sequence[str], lowers: Sequence[str], i: int,
                   counts: Counter[str], sentence_start: bool) -> list[str]:
    """Feature strings for token ``i`` of a paragraph (hashed later).

    Args:
        words: the paragraph's token strings as written.
        lowers: the same, lowercased.
        i: index of the token.
        counts: document-wide counts from ``word_counts`` (repetition is a technique).
        sentence_start: whether the token opens a sentence.
    """
    n = len(words)
    w = lowers[i]
    prev1 = lowers[i - 1] if i > 0 else "<s>"
    prev2 = lowers[i - 2] if i > 1 else "<s>"
    next1 = lowers[i + 1] if i + 1 < n else "</s>"
    next2 = lowers[i + 2] if i + 2 < n else "</s>"
    rep = min(counts.get(w, 0), 6)
    return [
        "w=" + w,
        "st=" + stem(w),
        "sh=" + shape(words[i]),
        "suf=" + w[-3:],
        "p1=" + prev1,
        "p2=" + prev2,
        "n1=" + next1,
        "n2=" + next2,
        "sp1=" + stem(prev1),
        "sn1=" + stem(next1),
        "b-=" + prev1 + "|" + w,
        "b+=" + w + "|" + next1,
        "tri=" + prev1 + "|" + w + "|" + next1,
        "shc=" + shape(words[i - 1] if i else ".") + shape(words[i])
        + shape(words[i + 1] if i + 1 < n else "."),
        f"rep={rep}",
        f"repw={rep}|{w}" if rep > 1 else "repw=1",
        "ss=1" if sentence_start else "ss=0",
        f"pos={min(i // 8, 6)}",
    ]
