"""The named speakers of a text, for pronouns and roles to resolve to.

A pronoun or a role ("he remarks", "the spokeswoman said") stands for the nearest fitting
named speaker before it. The candidates are the speakers of the quotations already read, the
names that report speech anywhere before it ("…, Peskov complains."), and the subject of the
last sentence before it that has a full name for one, the latest first; a gendered pronoun skips
a name that an earlier pronoun gave the other gender.

Only the sentences that hold a cue are read for names (a regular expression finds them), and
subjects are read backwards from a pronoun only as far as the first one found: the pass costs
what the quotations need, not what the article's length would.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from propscope.quotes.marks import Quoted
from propscope.quotes.words import Mention, Phrases, Token, tokenize

# How far back (in characters) a pronoun or a role looks for the speaker it stands for.
REACH = 2500
_SENTENCE = re.compile(r"[^\n.!?…]*(?:[.!?…]+|\n|$)")
# A capitalised word after a word, a comma or a quotation that did not end a sentence: a
# proper noun, not a sentence's first word.
_PROPER = re.compile(r"(?:(?<=[\w,;)])|(?<=[”\"»’“«])(?<![.!?…][”\"»’“«])) +([^\W\d_a-zа-яё][\w’'-]*)")


@lru_cache(maxsize=16)
def _cue_pattern(cues: frozenset[str]) -> re.Pattern[str]:
    words = "|".join(sorted((re.escape(c) for c in cues), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)")


class Speakers:
    """Resolves the speaker phrases of one text (``resolve``), remembering whom it met."""

    def __init__(self, text: str, phrases: Phrases, quoted: list[Quoted]) -> None:
        self.text = text
        self.p = phrases
        self.spans = sorted((q.open_at, q.close_end) for q in quoted)
        self.starts = [a for a, _ in self.spans]
        phrases.proper = frozenset(m.group(1) for m in _PROPER.finditer(text))
        self.sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]
        self._met: list[tuple[int, Mention]] | None = None
        self._subjects: dict[int, Mention | None] = {}
        self.genders: dict[str, str] = {}

    # -- the text ------------------------------------------------------------------------
    def _quoted(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]

    def _tokens(self, start: int, end: int) -> list[Token]:
        """The tokens of ``text[start:end]`` outside quotations."""
        return [t for t in tokenize(self.text, start, end) if not self._quoted(t.start)]

    @property
    def met(self) -> list[tuple[int, Mention]]:
        """(where it was met, the name): the names next to a cue in the text ("…, Peskov
        complains", "Lo ha detto la premier, Kaja Kallas"), read on first need, then the
        quotations' speakers as they are resolved."""
        if self._met is None:
            self._met = []
            cue = _cue_pattern(self.p.q.cues)
            for start, end in self.sentences:
                if cue.search(self.text, start, end) is None:
                    continue
                toks = self._tokens(start, end)
                for k, tok in enumerate(toks):
                    if tok.low in self.p.q.cues and not tok.is_cap:
                        m = self.p.backward(toks, k) or self.p.forward(toks, k + 1, limit=6)
                        if m is not None and m.kind == "name":
                            self._met.append((m.start, m))
        return self._met

    def _last_subject(self, pos: int) -> tuple[int, Mention] | None:
        """The subject of the last sentence ended before ``pos`` that has a name for one."""
        i = bisect.bisect_right(self.sentences, (pos, pos)) - 1
        while i >= 0 and self.sentences[i][1] > pos:
            i -= 1  # the sentence the quotation stands in is not yet over
        while i >= 0 and self.sentences[i][1] >= pos - REACH:
            start, end = self.sentences[i]
            if start not in self._subjects:
                toks = self._tokens(start, end)
                m = self.p.subject(toks) if toks else None
                # A person is introduced by a full name; a one-word subject is more often a
                # place or a body ("Madagascar", "China") than the "he" that follows it.
                self._subjects[start] = m if m is not None and m.kind == "name" and " " in m.text else None
            if self._subjects[start] is not None:
                return end, self._subjects[start]  # type: ignore[return-value]
            i -= 1
        return None

    # -- resolving -----------------------------------------------------------------------
    def resolve(self, mention: Mention, q: Quoted) -> Mention | None:
        """A name for ``mention``: itself, the fuller name met before it ("Peskov" is "Dmitry
        Peskov"), or for a pronoun or a role the nearest fitting named speaker before it; a
        phrase ("a woman") stays as written."""
        if mention.kind == "phrase":
            self.met.append((q.open_at, mention))
            return mention
        if mention.kind == "name":
            fuller = next((m for _, m in sorted(self.met, key=lambda x: -x[0])
                           if m.start < mention.start and _shortens(mention.text, m.text)), None)
            found: Mention | None = fuller or mention
        else:
            found = self._antecedent(mention, q.open_at)
        if found is not None:
            self.met.append((q.open_at, found))
        return found

    def _antecedent(self, mention: Mention, pos: int) -> Mention | None:
        want = mention.gender if mention.gender in {"m", "f"} else None
        candidates = [(at, m) for at, m in self.met if pos - REACH <= at < pos]
        subject = self._last_subject(pos)
        if subject is not None:
            candidates.append(subject)
        for _, m in sorted(candidates, key=lambda x: -x[0]):
            if m.kind == "phrase" and (want or mention.kind == "role"):
                continue  # "he" and "the spokesman" stand for a name, "they" also for "the scientists"
            if want is None or self.genders.get(m.text, want) == want:
                if want:
                    self.genders[m.text] = want
                return next((o for _, o in self.met if _shortens(m.text, o.text)), m)
        return None


def _shortens(short: str, full: str) -> bool:
    """Whether ``short`` is ``full``'s last words ("Peskov", "Dmitry Peskov")."""
    a, b = short.split(), full.split()
    return len(a) < len(b) and b[-len(a):] == a
