"""Who a quotation is attributed to: the cue next to it and the phrase that names the speaker.

News copy attributes a quotation in a few set ways, and these are read in this order:

- **after it**, in the same sentence: the cue first ("…,” says Dmitry Peskov", "», — заявил
  Аалтола", "», a-t-elle ajouté") or the speaker first ("…,” Trump states", "…,” the Russian
  Embassy tweets", "…,” Susie Hammond, the wife of …, told");
- **before it**, in the same sentence: "Gillum says, “…", "X told the Irish Times: “…",
  "according to X", a participle whose speaker is the sentence's subject ("Giuliani later
  disputed that reporting, saying the matter “…”"), a relative clause ("Pelosi, who warned
  … a “sneak preview”");
- **a colon** closing the sentence or the paragraph before it ("Ein Lufthansa Sprecher zu
  BamS:").

What is found is a ``Mention``: a name, or a pronoun or role that ``quotes/__init__.py``
resolves to a named speaker of the document.
"""

from __future__ import annotations

from dataclasses import dataclass

from propscope.quotes.marks import Quoted
from propscope.quotes.words import Mention, Phrases, Token, tokenize

# How far a cue may stand from a short quotation it attributes ("called it “unjust”"): any
# further and a word or two in quote marks is more likely the writer's scare quotes.
NEAR = 6
# How many tokens after a quotation its attribution may take to reach its cue.
_AFTER_REACH = 12
_LEADING = frozenset({",", "—", "–", "-", ":", ";"})
_INSIDE = frozenset({",", "—", "–", "-"})
# How many characters around a quotation its attribution is looked for in: a sentence
# of news copy rarely runs longer before or after a quotation.
_WINDOW = 400
# A colon attributes what follows it without a cue only after a heading-short phrase
# ("Trump:", "Ein Lufthansa Sprecher zu BamS:").
_COLON_REACH = 6
_SENTENCE_END = frozenset({".", "!", "?", "…"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """A quotation's speaker phrase, the cue that tied them, where it stood, and how many
    tokens lay between the cue and the quotation."""

    mention: Mention | None
    cue: str | None
    where: str  # "inside", "after", "before", "colon"
    distance: int


class Attributor:
    """Reads the attributions around the quotations of one text, with one language's words."""

    def __init__(self, text: str, quoted: list[Quoted], phrases: Phrases) -> None:
        self.text = text
        self.quoted = quoted
        self.p = phrases
        q = phrases.q
        self.sources = [tuple(s.split()) for s in sorted(q.sources, key=len, reverse=True)]
        self.source_starts = frozenset(words[0] for words in self.sources)
        self._memo_after: dict[int, list[Token]] = {}
        self._memo_before: dict[int, list[Token]] = {}

    # -- the words around a quotation ----------------------------------------------------
    def _line(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end < 0 else end

    def after(self, q: Quoted) -> list[Token]:
        """The tokens after ``q`` to its sentence's end, short of the next quotation."""
        if q.open_at not in self._memo_after:
            self._memo_after[q.open_at] = self._read_after(q)
        return self._memo_after[q.open_at]

    def before(self, q: Quoted) -> list[Token]:
        """The tokens from ``q``'s sentence start (or the last quotation's end) to ``q``."""
        if q.open_at not in self._memo_before:
            self._memo_before[q.open_at] = self._read_before(q)
        return self._memo_before[q.open_at]

    def _read_after(self, q: Quoted) -> list[Token]:
        _, line_end = self._line(q.close_end)
        nxt = next((o.open_at for o in self.quoted if o.open_at >= q.close_end and o.depth == 0), line_end)
        toks = tokenize(self.text, q.close_end, min(line_end, nxt, q.close_end + _WINDOW))
        for i, tok in enumerate(toks):
            if tok.text in _SENTENCE_END and not self.p.abbreviation_dot(toks, i) and (
                    i > 0 or i + 1 >= len(toks) or toks[i + 1].low not in self.p.q.resumptive):
                return toks[:i]
        return toks

    def _read_before(self, q: Quoted) -> list[Token]:
        line_start, _ = self._line(q.open_at)
        floor = max([line_start, q.open_at - _WINDOW] + [o.close_end for o in self.quoted
                                                          if o.depth == 0 and o.close_end <= q.open_at])
        toks = tokenize(self.text, floor, q.open_at)
        for i in range(len(toks) - 1, -1, -1):
            if toks[i].text in _SENTENCE_END and not self.p.abbreviation_dot(toks, i):
                return toks[i + 1:]
        if not toks and line_start > 0:
            # A quotation that opens its paragraph after "X machte deutlich:" on the one before.
            prev_end = line_start - 1
            while prev_end > 0 and self.text[prev_end - 1].isspace():
                prev_end -= 1
            if prev_end > 0 and self.text[prev_end - 1] == ":":
                prev_start, _ = self._line(prev_end - 1)
                toks = tokenize(self.text, max(prev_start, prev_end - _WINDOW), prev_end)
                for i in range(len(toks) - 1, -1, -1):
                    if toks[i].text in _SENTENCE_END and not self.p.abbreviation_dot(toks, i):
                        return toks[i + 1:]
        return toks

    # -- cues ----------------------------------------------------------------------------
    def _source_at(self, toks: list[Token], i: int) -> int:
        """How many tokens a source phrase ("according to") takes at ``toks[i]``; 0: none."""
        if toks[i].low not in self.source_starts:
            return 0
        for words in self.sources:
            if tuple(t.low for t in toks[i:i + len(words)]) == words:
                return len(words)
        return 0

    def _is_cue(self, tok: Token, *, after_quote: bool = False) -> bool:
        """A reporting word; capitalised, only where it opens the stretch read ("The
        Washington Post" is no cue, "Says …" at a sentence's start is)."""
        if tok.is_cap and not after_quote:
            return False
        return tok.low in self.p.q.cues or (after_quote and tok.low in self.p.q.after_cues)

    def _verb_pronoun(self, tok: Token) -> str | None:
        """The pronoun written onto a verb ("prévient-il", "a-t-elle"), if ``tok`` has one."""
        if tok.low in self.p.q.pronouns:
            return None
        return self.p.pronoun(tok)

    def _verb_is_cue(self, tok: Token) -> bool:
        """Whether a verb with a pronoun on it is itself a cue ("prévient-il")."""
        for suffix in self.p.q.pronoun_suffixes:
            if tok.low.endswith(suffix) and tok.low[:-len(suffix)] in self.p.q.cues:
                return True
        return False

    # -- attributions --------------------------------------------------------------------
    def attribute(self, q: Quoted) -> Attribution | None:
        """How ``q`` is attributed, by the first way that finds a speaker (see the module)."""
        found = self.inside(q)
        if found is not None:
            return found
        quote_ends_sentence = self.text[q.start:q.end].rstrip()[-1:] in _SENTENCE_END
        after = self.after(q)
        found = self._after(after, new_sentence=quote_ends_sentence)
        if found is None or found.mention is None:
            found = self._before(self.before(q)) or found
        return found

    def _after(self, toks: list[Token], *, new_sentence: bool) -> Attribution | None:
        i = 0
        while i < len(toks) and toks[i].text in _LEADING:
            i += 1
        if i + 1 < len(toks) and toks[i].text in _SENTENCE_END and toks[i + 1].low in self.p.q.resumptive:
            i += 2  # "…». Lo ha detto il portavoce": the next sentence says whose words they were
        if i >= len(toks) or (new_sentence and i == 0 and toks[i].is_cap and not self._is_cue(toks[i])):
            return None  # "…measures.” Such incidents…": a new sentence, no attribution
        # The cue first, after an auxiliary or two: ", says X", ", ha dichiarato il capo …".
        j = i
        while j < min(len(toks), i + 3) and toks[j].is_word and not toks[j].is_cap and not (
                self._is_cue(toks[j], after_quote=True) or self._source_at(toks, j)
                or self.p.pronoun(toks[j])):
            j += 1
        if j < len(toks):
            width = self._source_at(toks, j) or (1 if self._is_cue(toks[j], after_quote=True) else 0)
            if width:
                cue = " ".join(t.text for t in toks[j:j + width])
                return Attribution(self.p.forward(toks, j + width), cue, "after", 0)
            # A pronoun written onto the verb: "», prévient-il", "», a-t-elle ajouté".
            if (g := self._verb_pronoun(toks[j])) is not None:
                pronoun = Mention("pronoun", toks[j].start, toks[j].end, toks[j].text, g)
                if self._verb_is_cue(toks[j]):
                    return Attribution(pronoun, toks[j].text, "after", 0)
                cue_at = next((k for k in range(j + 1, min(len(toks), j + 4)) if self._is_cue(toks[k])), None)
                if cue_at is not None:
                    return Attribution(pronoun, toks[cue_at].text, "after", 0)
        # The speaker first: ", Nauert said", ", Susie Hammond, the wife of …, told".
        for k in range(i + 1, min(len(toks), i + _AFTER_REACH)):
            if self._is_cue(toks[k]):
                m = self.p.backward(toks, k, floor=i)
                return Attribution(m, toks[k].text, "after", 0) if m else None
        return None

    def _before(self, toks: list[Token]) -> Attribution | None:
        if not toks:
            return None
        cues = [k for k in range(len(toks)) if self._is_cue(toks[k]) or self._source_at(toks, k)]
        for k in reversed(cues):
            distance = len(toks) - k - 1
            width = self._source_at(toks, k)
            if width:  # "according to X", "selon X", "по его словам"
                cue = " ".join(t.text for t in toks[k:k + width])
                m = self.p.forward(toks, k + width)
                if m is None:
                    m = next((Mention("pronoun", t.start, t.end, t.text, self.p.q.pronouns[t.low])
                              for t in toks[k:k + width] if t.low in self.p.q.pronouns), None)
                if m is not None:
                    return Attribution(m, cue, "before", distance)
                continue
            tok = toks[k]
            if tok.low.endswith(self.p.q.participles) and self.p.q.participles:
                m = self.p.subject(toks[:k])  # "…, saying the matter “…”": the sentence's subject
            else:
                m = self.p.backward(toks, k)
                if m is None and k + 1 < len(toks):
                    m = self.p.forward(toks, k + 1, limit=4)  # "Dann schrieb er:", "sagte Igor Kirillow"
            if m is not None:
                return Attribution(m, tok.text, "before", distance)
        if toks[-1].text == ":" and len(toks) <= _COLON_REACH:
            m = self.p.backward(toks, len(toks) - 1) or self.p.subject(toks[:-1])
            if m is not None and m.kind != "phrase":
                return Attribution(m, None, "colon", 0)
        return None

    def inside(self, q: Quoted) -> Attribution | None:
        """An attribution set inside the quotation between dashes or commas: "«…, - precisa
        Kluge - …»", "„…, sagte er, …“"."""
        toks = tokenize(self.text, q.start, q.end)
        for k in range(1, len(toks) - 2):
            if toks[k - 1].text in _INSIDE and self._is_cue(toks[k]):
                m = self.p.forward(toks, k + 1, limit=5)
                close = next((t for t in toks[k + 1:k + 7] if t.text in _INSIDE), None)
                if m is not None and m.kind in {"name", "pronoun", "role"} and close is not None:
                    return Attribution(m, toks[k].text, "inside", 0)
        return None
