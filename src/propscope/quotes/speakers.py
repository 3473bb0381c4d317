"""The named speakers of a text, for pronouns and roles to resolve to.

A pronoun or a role ("he remarks", "the spokeswoman said") stands for the nearest fitting
named speaker before it. The candidates are the speakers of the quotations already read and
the names that report speech anywhere in the text ("…, Peskov complains."), the latest first;
a gendered pronoun skips a name that an earlier pronoun gave the other gender. Only where
none is in reach does the last name of the text before it stand in.
"""

from __future__ import annotations

from propscope.quotes.marks import Quoted
from propscope.quotes.words import Mention, Phrases, Token, tokenize

# How far back (in characters) a pronoun or a role looks for the speaker it stands for.
REACH = 2500
_SENTENCE_END = frozenset({".", "!", "?", "…"})


class Speakers:
    """Resolves the speaker phrases of one text (``resolve``), remembering whom it met."""

    def __init__(self, text: str, phrases: Phrases, quoted: list[Quoted]) -> None:
        self.text = text
        self.p = phrases
        self.quoted = quoted
        self.sentences = list(_sentences(text, phrases, quoted))
        phrases.proper = _proper(self.sentences)
        # (where it was met, the name): quotations' speakers, the names next to a cue
        # ("…, Peskov complains", "Lo ha detto la premier, Kaja Kallas"), and the subjects of
        # the sentences, for the pronoun that picks the story up after them.
        self.met: list[tuple[int, Mention]] = []
        self.subjects: list[tuple[int, Mention]] = []
        for toks in self.sentences:
            for k, tok in enumerate(toks):
                if tok.low in phrases.q.cues and not tok.is_cap:
                    m = phrases.backward(toks, k) or phrases.forward(toks, k + 1, limit=6)
                    if m is not None and m.kind == "name":
                        self.met.append((m.start, m))
            m = phrases.subject(toks) if toks else None
            if m is not None and m.kind == "name":
                self.subjects.append((toks[-1].end, m))
        self.genders: dict[str, str] = {}

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
        # A sentence's subject counts once the sentence has ended before the quotation.
        before = sorted(((at, m) for at, m in [*self.met, *self.subjects] if pos - REACH <= at < pos),
                        key=lambda x: -x[0])
        for _, m in before:
            if m.kind == "phrase" and (want or mention.kind == "role"):
                continue  # "he" and "the spokesman" stand for a name, "they" also for "the scientists"
            if want is None or self.genders.get(m.text, want) == want:
                if want:
                    self.genders[m.text] = want
                return self._fullest(m)
        return None

    def _fullest(self, m: Mention) -> Mention:
        return next((o for _, o in self.met if _shortens(m.text, o.text)), m)


def _sentences(text: str, p: Phrases, quoted: list[Quoted]) -> list[list[Token]]:
    """The text's sentences as tokens, the words inside quotations left out."""
    out: list[list[Token]] = []
    pos = 0
    spans = sorted((q.open_at, q.close_end, text[q.start:q.end].rstrip()[-1:] in _SENTENCE_END)
                   for q in quoted)
    for line in text.split("\n"):
        toks = tokenize(text, pos, pos + len(line))
        current: list[Token] = []
        for i, tok in enumerate(toks):
            inside = next(((b, ends) for a, b, ends in spans if a <= tok.start < b), None)
            if inside is not None:
                if inside[1] and tok.end == inside[0] and current:
                    out.append(current)  # a quotation that ends its sentence ends this one
                    current = []
                continue
            current.append(tok)
            if tok.text in _SENTENCE_END and not p._abbreviation_dot(toks, i):
                out.append(current)
                current = []
        if current:
            out.append(current)
        pos += len(line) + 1
    return out


def _proper(sentences: list[list[Token]]) -> frozenset[str]:
    """The capitalised words found somewhere other than a sentence's first word."""
    return frozenset(t.text for toks in sentences for i, t in enumerate(toks)
                     if i > 0 and t.is_word and t.is_cap and toks[i - 1].text not in {'"', "“", "«", "„"})


def _shortens(short: str, full: str) -> bool:
    """Whether ``short`` is ``full``'s last words ("Peskov", "Dmitry Peskov")."""
    a, b = short.split(), full.split()
    return len(a) < len(b) and b[-len(a):] == a
