"""Tokens and the phrases that name a speaker: "State Department spokeswoman Morgan Ortagus",
"she", "the former California attorney general", "a woman".

A phrase is read with the language's quote table (``languages.Quotes``): capitalised words
make a name; titles in front of it ("Sen.", "Director-General") are dropped; a phrase that ends
in a role word ("the spokeswoman") describes a speaker named elsewhere; a pronoun stands for
one. Nothing here needs a parser: attributions in news copy are short and formulaic.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from propscope.languages import Language

_TOKEN = re.compile(r"\w+(?:[’'\-.]\w+)*|[^\w\s]")
# How many lowercase words a speaker's phrase may hold ("la porte-parole de la présidence").
_DESCRIPTION_WORDS = 6
# An elided article or preposition before a capitalised word (French and Italian "l'", "dell'").
_ELISION = re.compile(r"[^\W\d_]{1,4}['’](?=[^\W\d_])")


class Token:
    """A word or a punctuation mark at ``text[start:end]``; what the rules ask of it is
    computed once (an article's attributions ask each token many times)."""

    __slots__ = ("end", "is_cap", "is_word", "low", "start", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.low = text.lower()
        self.is_word = text[0].isalnum()
        self.is_cap = text[0].isupper()

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r})"


@dataclass(frozen=True, slots=True)
class Mention:
    """What a phrase says of its speaker.

    ``kind`` is ``name`` (a name as written, titles dropped), ``pronoun``, ``role`` (a
    definite description: "the spokeswoman") or ``phrase`` (an indefinite one: "a woman");
    ``gender`` comes from a pronoun (``m``, ``f``, ``p``, ``n``).
    """

    kind: str
    start: int
    end: int
    text: str
    gender: str | None = None


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """The words and punctuation marks of ``text[start:end]``, with offsets into ``text``."""
    out = []
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        cut = _ELISION.match(word)
        if cut and word[:cut.end() - 1].islower() and word[cut.end()].isupper():
            # "l'Oms", "dell'Ucraina": the article and the name are two words
            out.append(Token(m.start(), m.start() + cut.end(), word[:cut.end()]))
            out.append(Token(m.start() + cut.end(), m.end(), word[cut.end():]))
        else:
            out.append(Token(m.start(), m.end(), word))
    return out


class Phrases:
    """Reads speaker phrases with one language's tables."""

    def __init__(self, language: Language) -> None:
        q = language.quotes
        self.q = q
        self.particles = frozenset(language.header.name_particles)
        self.joiners = frozenset(language.header.name_joiners) | {"and", "&"}
        self.cues = q.cues | q.after_cues
        # Words that open a sentence with a capital and are no name ("In", "The", "Il").
        self.function = language.function_words | q.determiners | q.indefinites | frozenset(q.pronouns)
        # What may stand between a subject and its verb: "has", "a", "also".
        self.adverbs = q.between
        # The words a text capitalises where no sentence starts: its proper nouns (set per text).
        self.proper: frozenset[str] | None = None

    # -- what one token is -------------------------------------------------------------
    def is_title(self, tok: Token) -> bool:
        return tok.low in self.q.titles or f"{tok.low}." in self.q.titles

    def is_role(self, tok: Token) -> bool:
        return tok.low in self.q.roles

    def pronoun(self, tok: Token) -> str | None:
        """The gender a pronoun stands for, also one written onto a verb ("a-t-elle")."""
        if tok.low in self.q.pronouns:
            return self.q.pronouns[tok.low]
        for suffix, gender in self.q.pronoun_suffixes.items():
            if tok.low.endswith(suffix) and len(tok.low) > len(suffix):
                return gender
        return None

    def abbreviation_dot(self, toks: list[Token], i: int) -> bool:
        """Whether ``toks[i]`` is the full stop of "Sen." or "D." rather than a sentence's."""
        if toks[i].text != "." or i == 0:
            return False
        prev = toks[i - 1]
        return prev.end == toks[i].start and (self.is_title(prev) or (prev.is_cap and len(prev.text) <= 2))

    def _in_phrase(self, toks: list[Token], i: int) -> bool:
        tok = toks[i]
        if self.abbreviation_dot(toks, i):
            return True
        if not tok.is_word:
            return False
        if tok.is_cap or self.is_title(tok) or self.is_role(tok) or tok.low in self.q.determiners:
            return True
        return (self._linking(tok) or tok.low in self.q.links) and i + 1 < len(toks) and toks[i + 1].is_cap

    def _linking(self, tok: Token) -> bool:
        """A lowercase word inside a name: a particle ("de", "von") or a joiner ("and")."""
        return tok.low in self.particles or tok.low in self.joiners

    def is_name_word(self, tok: Token) -> bool:
        """A capitalised word that is no sentence-opening function word ("In", "The")."""
        return tok.is_word and tok.is_cap and tok.low not in self.function

    # -- phrases -------------------------------------------------------------------------
    def backward(self, toks: list[Token], k: int, floor: int = 0) -> Mention | None:
        """The speaker phrase that ends right before ``toks[k]`` (a cue): "Nauert said",
        "Susie Hammond, the wife of ..., told", "who warned" (the name before "who")."""
        i = k - 1
        skipped = 0
        while (i >= floor and skipped < 2 and toks[i].low in self.adverbs
               and not self._stops(toks[i])):
            i -= 1  # a short word between the subject and its verb: "also", "then", "ha"
            skipped += 1
        for _ in range(3):
            if i < floor:
                return None
            tok = toks[i]
            if (g := self.pronoun(tok)) is not None and tok.low in self.q.pronouns:
                return Mention("pronoun", tok.start, tok.end, tok.text, g)
            if tok.low in self.q.relatives:
                i -= 1
            elif tok.text == ")":
                i = _matching_open(toks, i, floor) - 1
            elif tok.text == ",":
                j = i - 1
                while j >= floor and toks[j].text not in {",", "(", ":", "—"}:
                    j -= 1
                chunk = toks[j + 1:i]
                if chunk and not chunk[0].is_cap and j >= floor and toks[j].text == ",":
                    i = j - 1  # an apposition: ", the wife and mother of the ranchers,"
                elif chunk and chunk[0].is_cap:
                    return self.classify(chunk)
                else:
                    return None
            else:
                break
        j = i
        while j >= floor and self._in_phrase(toks, j):
            j -= 1
        return self.classify(toks[j + 1:i + 1]) if j < i else None

    def _stops(self, tok: Token) -> bool:
        low = tok.low
        return (low in self.q.pronouns or low in self.q.relatives or low in self.q.determiners
                or low in self.q.indefinites or self.is_role(tok) or self.is_title(tok) or low in self.cues)

    def forward(self, toks: list[Token], k: int, *, limit: int = 10) -> Mention | None:
        """The speaker phrase that starts at ``toks[k]`` (after a cue): "Dmitry Peskov",
        "State Department spokeswoman Morgan Ortagus", "il capo del governo", "he"."""
        if k >= len(toks):
            return None
        first = toks[k]
        if (g := self.pronoun(first)) is not None and first.low in self.q.pronouns:
            return Mention("pronoun", first.start, first.end, first.text, g)
        end = k
        stop = min(len(toks), k + limit)
        while end < stop:
            if self._in_phrase(toks, end):
                end += 1
                continue
            # A lowercase word inside a description goes on toward a name close after it ("la
            # porte-parole de la présidence américaine Jen Psaki"), or names the speaker after
            # an article ("una donna residente", "il funzionario").
            tok = toks[end]
            ahead = toks[end:min(stop, end + 3)]
            has_name = any(self.is_name_word(t) for t in toks[k:end])
            toward_name = not has_name and any(t.is_cap for t in ahead) and all(t.is_word for t in ahead[:-1])
            articles_only = all(t.low in self.q.determiners or t.low in self.q.indefinites
                                for t in toks[k:end])
            lowercase = sum(1 for t in toks[k:end] if t.is_word and not t.is_cap)
            if (tok.is_word and tok.low not in self.cues and lowercase < _DESCRIPTION_WORDS
                    and (toward_name or (articles_only and end > k))):
                end += 1
                continue
            break
        found = self.classify(toks[k:end], definite=True) if end > k else None
        if found is not None and found.kind != "name" and end + 1 < len(toks) and toks[end].text == ",":
            # "la premier, Kaja Kallas,": the name in apposition to the description
            j = end + 1
            while j < len(toks) and self._in_phrase(toks, j) and j < end + 5:
                j += 1
            named = self._name(toks[end + 1:j]) if j > end + 1 else None
            if named is not None:
                return named
        return found

    def subject(self, toks: list[Token]) -> Mention | None:
        """The first speaker phrase of a sentence, pronoun, name or role: its subject, as news
        copy writes it. A capitalised word only this sentence's first is no name on its own
        ("Reportedly", "Meanwhile") unless the text capitalises it elsewhere too."""
        for i, tok in enumerate(toks):
            if not tok.is_word:
                continue
            if tok.low in self.q.pronouns:
                return Mention("pronoun", tok.start, tok.end, tok.text, self.q.pronouns[tok.low])
            alone = i + 1 >= len(toks) or not toks[i + 1].is_cap
            if i == 0 and alone and tok.is_cap and self.proper is not None and tok.text not in self.proper:
                continue
            if tok.is_cap or tok.low in self.q.determiners:
                m = self.forward(toks, i, limit=6)
                if m is not None and m.kind != "phrase":
                    return m
        return None

    def classify(self, chunk: list[Token], *, definite: bool = False) -> Mention | None:
        """What a phrase's tokens name: its last name (titles dropped), else a role, else the
        phrase as written. ``definite``: a role is resolved even without "the"."""
        while chunk and (chunk[-1].low in self.q.determiners
                         or not (chunk[-1].is_word or chunk[-1].text == ".")):
            chunk = chunk[:-1]
        if not chunk:
            return None
        for segment in _split(chunk, self.q.links):
            name = self._name(segment)
            if name is not None:
                return name
        first = chunk[0].low
        described = (definite or first in self.q.determiners) and first not in self.q.indefinites
        if any(self.is_role(t) for t in chunk) and described:
            return Mention("role", chunk[0].start, chunk[-1].end, _join(chunk))
        words = [t for t in chunk if t.is_word]
        if not words or all(t.low in self.q.determiners or t.low in self.q.indefinites for t in words):
            return None
        return Mention("phrase", chunk[0].start, chunk[-1].end, _join(chunk))

    def _name(self, segment: list[Token]) -> Mention | None:
        """The run of capitalised words that ends ``segment``, from the word after its last
        title: "WHO Director-General Tedros Adhanom Ghebreyesus" gives "Tedros Adhanom
        Ghebreyesus". A segment that ends in a lowercase word ("the White House statement",
        "the former California attorney general") is a description, not a name."""
        run: list[Token] = []
        for i, tok in enumerate(segment):
            inside = self.is_name_word(tok) or (bool(run) and (
                self.abbreviation_dot(segment, i)
                or (self._linking(tok) and i + 1 < len(segment) and segment[i + 1].is_cap)))
            run = [*run, tok] if inside else []
        titles = [i for i, t in enumerate(run) if self.is_title(t) or self.abbreviation_dot(run, i)]
        rest = run[titles[-1] + 1:] if titles else run
        while rest and not rest[-1].is_word:
            rest = rest[:-1]
        # One capital letter is an initial or a preposition ("A", "В"), no name on its own; one
        # word the text capitalises only where a sentence starts ("All’epoca") is none either.
        words = [t for t in rest if t.is_word]
        if any(ch.isdigit() for t in words for ch in t.text):
            return None  # "COVID-19", "G7": no one's name
        if not any(len(t.text) > 1 for t in words) or (
                len(words) == 1 and self.proper is not None and words[0].text not in self.proper):
            return None
        return Mention("name", rest[0].start, rest[-1].end, _join(rest))


def _split(chunk: list[Token], links: frozenset[str]) -> list[list[Token]]:
    """``chunk`` cut at the words that link a title to its domain ("Secretary of State")."""
    parts: list[list[Token]] = [[]]
    for tok in chunk:
        if tok.low in links:
            parts.append([])
        else:
            parts[-1].append(tok)
    return [p for p in parts if p]


def _matching_open(toks: list[Token], i: int, floor: int) -> int:
    depth = 0
    while i >= floor:
        if toks[i].text == ")":
            depth += 1
        elif toks[i].text == "(":
            depth -= 1
            if depth == 0:
                return i
        i -= 1
    return floor


def _join(toks: list[Token]) -> str:
    """The tokens as written, with the spaces between them as they were (one at most)."""
    out = toks[0].text
    for prev, tok in itertools.pairwise(toks):
        out += (" " if tok.start > prev.end else "") + tok.text
    return out
