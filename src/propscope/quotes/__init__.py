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

from propscope.document import Quote
from propscope.languages import get_language
from propscope.quotes.attribution import NEAR, Attribution, Attributor
from propscope.quotes.marks import Quoted, pair_marks
from propscope.quotes.speakers import Speakers
from propscope.quotes.words import Mention, Phrases, Token, tokenize

__all__ = ["extract_quotes"]

# Fewer words than this in quote marks is a short quotation: speech only when a cue is close.
SHORT = 4
# At least this many words is speech even when nothing in the text attributes it.
LONG = 6
# Up to this many words, every longer one capitalised, is a title even with a cue after it.
_TITLE_WORDS = 5
# A Title Case stretch between marks is a title when this share of its longer words is capitalised.
_TITLE_SHARE = 0.75

_CONFIDENCE = {"inside": 0.9, "after": 0.9, "before": 0.85, "colon": 0.75}
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
    if not outer:
        return []
    attributor = Attributor(text, outer, phrases)
    speakers = Speakers(text, phrases, outer)
    found: list[Quote] = []
    last_end = -1  # where the last kept quotation's attribution ends
    for q in outer:
        words = [t for t in tokenize(text, q.start, q.end) if t.is_word]
        attribution = attributor.attribute(q)
        if _is_title(q, words, attribution, attributor):
            continue
        quote = _quote(q, attribution, words, speakers)
        if (quote is None and len(words) >= SHORT and found and found[-1].speaker
                and not text[last_end:q.open_at].strip()):
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


def _quote(q: Quoted, a: Attribution | None, words: list[Token], speakers: Speakers) -> Quote | None:
    """``q`` as a Quote when an attribution makes it speech: any attribution for a long
    quotation, one close to it for a short one."""
    if a is None or (len(words) < SHORT and a.where == "before" and a.distance > NEAR):
        return None
    confidence = _CONFIDENCE[a.where]
    # A cue with no subject ("», ha aggiunto", "hanno detto") drops a pronoun, as Italian and
    # Polish do: it stands for the speaker before, like "he".
    mention = a.mention or Mention("pronoun", q.close_end, q.close_end, "", None)
    speaker = speakers.resolve(mention, q)
    if speaker is None:
        return Quote(q.start, q.end, cue=a.cue, confidence=confidence * _RESOLVED)
    if speaker is not mention:
        confidence *= _RESOLVED
    return Quote(q.start, q.end, speaker.text, speaker.start, speaker.end, a.cue, round(confidence, 3))


def _is_title(q: Quoted, words: list[Token], a: Attribution | None, attributor: Attributor) -> bool:
    """Whether ``q`` is a title, a name or a label in quote marks rather than speech."""
    before = attributor.before(q)[-3:]
    if any(t.low in attributor.p.q.title_cues for t in before):
        return True  # "titled “…”", "so-called “…”"
    longer = [t for t in words if len(t.text) > 3]
    if words and len(words) <= _TITLE_WORDS and longer and words[0].is_cap and all(t.is_cap for t in longer):
        return True  # told “Face the Nation”: a programme, a book, a newspaper
    if a is not None and a.where == "after":
        return False
    return len(longer) >= 3 and sum(t.is_cap for t in longer) >= _TITLE_SHARE * len(longer)
