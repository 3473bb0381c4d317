"""Word tokens, sentences and per-token feature strings, all with character offsets.

Everything here works on ``(start, end)`` ranges into the document text so predicted spans
map back to exact offsets without any re-alignment.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from propscope.languages import DEFAULT_LANGUAGE, get_language

# Words (with inner apostrophes and hyphens) or single punctuation marks.
_TOKEN_RE = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace.
# A match starts only where a run of marks starts, and takes the run whole (possessive), so
# 40,000 dots with no space after them cost one pass instead of one per dot (quadratic:
# 52 s, holding the interpreter lock, before).
_SENT_END_RE = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s)")
_QUOTES = frozenset("\"'“”‘’«»")
Range = tuple[int, int]

def is_word(token: str) -> bool:
    """Whether a token has a letter or digit (not a quote, dash or full stop alone)."""
    return any(ch.isalnum() for ch in token)


def is_content(word: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether a token could carry a technique: it is a word and no function word of
    ``language`` (a decoded span of function words only is dropped: ``languages/en.py``)."""
    return is_word(word) and word.lower() not in get_language(language).function_words


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
def stem(word: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A crude suffix-stripped form, so ``attacking``/``attacked``/``attacks`` share a feature
    (the suffixes of ``language``'s table)."""
    for suf in get_language(language).suffixes:
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
