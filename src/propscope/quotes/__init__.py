"""Direct quotations and their speakers, found by rules: ``extract_quotes(text, language)``.

Three steps, each its own module:

1. ``marks``: the quote marks of every language the project reads are paired into
   quotations, nested ones and ones that run over several paragraphs included.
2. ``attribution``: each quotation's cue ("says", "a ajouté", "заявил") and the phrase that
   names its speaker are read from the words around it (``words`` reads the phrase).
3. Here: a quotation is kept as speech when something attributes it, or when it is long
   enough to be speech unattributed; a word or three in quote marks with no cue close to it
   are the writer's scare quotes, and Title Case between marks is a title. Pronouns and
   roles ("she", "the spokeswoman") are resolved to the nearest fitting named speaker
   before them, and a quotation with no attribution of its own that follows another with
   nothing between them ("…,” she adds. “…”") continues that one's speaker.

Rules, not a parser or a model: the patterns of news attribution are few and fixed, a
quotation's marks are exact evidence no tagger improves on, and the whole pass costs about a
millisecond an article where a parser would cost more than the persuasion model itself
(``docs/quotes.md`` has the measurements and the scores).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from propscope.document import Quote
from propscope.languages import get_language
from propscope.quotes.attribution import NEAR, Attribution, Attributor
from propscope.quotes.marks import Quoted, pair_marks
from propscope.quotes.words import Mention, Phrases, tokenize

__all__ = ["extract_quotes"]

# Fewer words than this in quote marks is a short quotation: speech only when a cue is close.
SHORT = 4
# At least this many words is speech even when nothing in the text attributes it.
LONG = 6
# A Title Case stretch between marks is a title when this share of its longer words is capitalised.
_TITLE_SHARE = 0.75
# How far back a pronoun or a role looks for the speaker it stands for.
_RESOLVE_REACH = 2500

_CONFIDENCE = {"after": 0.9, "before": 0.85, "colon": 0.75}
_RESOLVED = 0.9  # times the above, for a speaker reached through a pronoun or a role
_CONTINUED = 0.7
_UNATTRIBUTED = 0.5


def extract_quotes(text: str, language: str | None = None) -> list[Quote]:
    """Every direct quotation in ``text``, with its speaker where the text gives one.

    ``language`` (an ISO 639-1 code) picks the words that attribute quotations
    (``languages.Quotes``); quote marks are read the same in every language.
    """
    table = get_language(language)
    phrases = Phrases(table)
    outer = [q for q in pair_marks(text) if q.depth == 0]
    attributor = Attributor(text, outer, phrases)
    speakers = _Speakers(text, phrases, outer)
    found: list[Quote] = []
    last_end = -1  # where the last kept quotation's attribution ends
    for q in outer:
        words = [t for t in tokenize(text, q.start, q.end) if t.is_word]
        attribution = attributor.attribute(q)
        if _is_title(text, q, words, attribution, attributor):
            continue
        quote = _quote(q, attribution, words, speakers)
        if quote is None and found and found[-1].speaker and not text[last_end:q.open_at].strip():
            # Nothing but the last quotation's attribution between them: its speaker goes on.
            prev = found[-1]
            quote = Quote(q.start, q.end, prev.speaker, prev.speaker_start, prev.speaker_end,
                          confidence=_CONTINUED)
        if quote is None and len(words) >= LONG:
            quote = Quote(q.start, q.end, confidence=_UNATTRIBUTED)
        if quote is not None:
            found.append(quote)
            after = attributor.after(q)
            attributed_after = after and attribution is not None and attribution.where == "after"
            last_end = after[-1].end if attributed_after else q.close_end
            if text[last_end:last_end + 1] in {".", "!", "?"}:
                last_end += 1
    return found


def _quote(q: Quoted, a: Attribution | None, words: list, speakers: _Speakers) -> Quote | None:
    """``q`` as a Quote when an attribution makes it speech: any attribution for a long
    quotation, one close to it for a short one."""
    if a is None or (len(words) < SHORT and a.where == "before" and a.distance > NEAR):
        return None
    confidence = _CONFIDENCE[a.where]
    if a.mention is None:
        return Quote(q.start, q.end, cue=a.cue, confidence=confidence * _RESOLVED)
    speaker = speakers.resolve(a.mention, q)
    if speaker is None:
        return Quote(q.start, q.end, cue=a.cue, confidence=confidence * _RESOLVED)
    if speaker is not a.mention:
        confidence *= _RESOLVED
    return Quote(q.start, q.end, speaker.text, speaker.start, speaker.end, a.cue, round(confidence, 3))


def _is_title(text: str, q: Quoted, words: list, a: Attribution | None, attributor: Attributor) -> bool:
    """Whether ``q`` is a title, a name or a label in quote marks rather than speech."""
    before = attributor.before(q)[-3:]
    if any(t.low in attributor.p.q.title_cues for t in before):
        return True  # "titled “…”", "so-called “…”"
    if a is not None and a.where == "after":
        return False
    longer = [t for t in words if len(t.text) > 3]
    return len(longer) >= 3 and sum(t.is_cap for t in longer) >= _TITLE_SHARE * len(longer)


@dataclass
class _Speakers:
    """The named speakers met so far, for pronouns and roles to resolve to."""

    text: str
    phrases: Phrases
    quoted: list[Quoted]
    named: list[Mention] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)

    def resolve(self, mention: Mention, q: Quoted) -> Mention | None:
        """A name for ``mention``: itself, the fuller name met before it ("Peskov" is "Dmitry
        Peskov"), or for a pronoun or a role the nearest fitting named speaker before it."""
        if mention.kind == "phrase":
            return mention
        if mention.kind == "name":
            fuller = next((m for m in reversed(self.named) if _shortens(mention.text, m.text)), None)
            self.named.append(fuller or mention)
            return fuller or mention
        want = mention.gender if mention.gender in {"m", "f"} else None
        for m in reversed(self.named):
            if m.start < q.open_at - _RESOLVE_REACH:
                break
            if want is None or self.genders.get(m.text, want) == want:
                if want:
                    self.genders[m.text] = want
                self.named.append(m)
                return m
        nearest = self._nearest_name(q.open_at)
        if nearest is not None:
            if want:
                self.genders[nearest.text] = want
            self.named.append(nearest)
        return nearest

    def _nearest_name(self, pos: int) -> Mention | None:
        """The last name of two words or more in the text before ``pos``, outside quotations."""
        start = max(0, pos - _RESOLVE_REACH // 2)
        toks = [t for t in tokenize(self.text, start, pos)
                if not any(o.open_at <= t.start < o.close_end for o in self.quoted)]
        best = None
        i = 0
        while i < len(toks):
            j = i
            while j < len(toks) and self.phrases.is_name_word(toks[j]):
                j += 1
            if j - i >= 2:
                m = self.phrases.classify(toks[i:j])
                if m is not None and m.kind == "name" and " " in m.text:
                    best = m
            i = max(j, i + 1)
        return best


def _shortens(short: str, full: str) -> bool:
    """Whether ``short`` is ``full``'s last words ("Peskov", "Dmitry Peskov")."""
    a, b = short.split(), full.split()
    return len(a) < len(b) and b[-len(a):] == a
