"""What propscope knows of each language it reads, as data: one module per language.

A ``Language`` holds the words and phrases that the language-specific parts of the analysis
need: function words and suffixes for the word features, attribution and person words for
the style features, month and weekday names and byline words for article headers, the
phrases of site boilerplate, and the words that attribute a quotation to its speaker. Code
asks ``get_language(code)`` and never names a language itself, so adding one is a new module
here (copy ``en.py``) plus its line in ``MODULES``.

A field left empty means the language has no such table yet: the parts that need it do
without (no boilerplate phrase of that kind is recognised, no byline word). A language with
no module at all gets an empty table of its own code: text in any language can be read.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

DEFAULT_LANGUAGE = "en"
# Every language table and the module that defines it (ISO 639-1 code -> module).
MODULES: dict[str, str] = {
    "de": "propscope.languages.de",
    "en": "propscope.languages.en",
    "fr": "propscope.languages.fr",
    "it": "propscope.languages.it",
    "pl": "propscope.languages.pl",
    "ru": "propscope.languages.ru",
}


# English names of languages, for a language without a table (what reports call it).
NAMES: dict[str, str] = {
    "ar": "Arabic", "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "he": "Hebrew", "hr": "Croatian", "hu": "Hungarian",
    "hy": "Armenian", "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "nl": "Dutch", "no": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian",
    "zh": "Chinese",
}


@dataclass(frozen=True)
class Boilerplate:
    """Regular expressions (strings, matched case-insensitively unless noted) for the lines of
    site boilerplate that are worded in a language (``ingest/boilerplate.py`` says how each is
    used). A ``site`` group names a publisher; ``origin_lines`` pairs a priority (lower: names
    the origin more directly) with its pattern."""

    origin_lines: tuple[tuple[int, str], ...] = ()
    post_first: str = ""
    via: str = ""
    share_anywhere: str = ""
    share: str = ""
    share_short: str = ""
    subscribe: str = ""
    call_words: str = ""
    disclaimer: str = ""
    disclaimer_anywhere: str = ""
    rights: str = ""
    about_author: str = ""
    articles_by: str = ""
    author_bio: str = ""  # matched case-sensitively: its names start with a capital
    contact: str = ""
    navigation: str = ""
    list_words: tuple[str, ...] = ()  # words a list of tags never starts an item with


@dataclass(frozen=True)
class Header:
    """How an article's byline and dateline are worded (``ingest/header.py``)."""

    months: dict[str, int] = field(default_factory=dict)  # name or abbreviation -> 1..12
    weekdays: frozenset[str] = frozenset()
    weekday_pattern: str = ""  # an optional weekday before a date, as a regular expression
    ordinal_suffixes: tuple[str, ...] = ()
    byline: str = ""  # the words that open a byline ("By")
    name_joiners: tuple[str, ...] = ()  # between two authors' names ("and", "&")
    name_particles: tuple[str, ...] = ()  # lowercase words inside names ("de", "van")
    published: str = ""  # the words that may open a dateline ("Published on")


@dataclass(frozen=True)
class Quotes:
    """The words that tie a quotation to its speaker (``quotes/``), all lowercase.

    Attributes:
        cues: reporting words as written ("says", "told", "a ajouté" is found by "ajouté").
        after_cues: words that attribute only straight after a quotation (German "so").
        sources: phrases whose next words name a source ("according to", "selon").
        pronouns: subject pronouns and the speaker they stand for: ``m``, ``f``, ``p``
            (plural) or ``n`` (an organisation).
        pronoun_suffixes: a pronoun written onto the verb (French "a-t-elle"), the same way.
        roles: nouns that describe a speaker ("spokeswoman"): a subject made of them is
            resolved to the nearest fitting named speaker.
        titles: words dropped from the front of a name ("sen.", "dr.", "president").
        determiners: definite articles: "the spokeswoman" is a speaker named elsewhere.
        indefinites: indefinite articles: "a woman" is a speaker the text does not name.
        links: words that tie a title to its domain ("Secretary of State", "capo del governo").
        participles: endings of a cue that is no finite verb ("saying"): its speaker is the
            subject of the sentence.
        relatives: pronouns that open a relative clause ("who"): its speaker is the name
            before it.
        title_cues: words before a quotation that make it a title or a label, not speech
            ("titled", "so-called").
        resumptive: words that open the sentence after a quotation to attribute it ("Lo ha
            detto X", "Das sagte X").
        between: auxiliaries and adverbs that stand between a speaker and the cue ("has",
            "a", "also", "encore").
    """

    cues: frozenset[str] = frozenset()
    after_cues: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    pronouns: dict[str, str] = field(default_factory=dict)
    pronoun_suffixes: dict[str, str] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    determiners: frozenset[str] = frozenset()
    indefinites: frozenset[str] = frozenset()
    links: frozenset[str] = frozenset()
    participles: tuple[str, ...] = ()
    relatives: frozenset[str] = frozenset()
    title_cues: frozenset[str] = frozenset()
    resumptive: frozenset[str] = frozenset()
    between: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Language:
    """One language's tables.

    Attributes:
        code: ISO 639-1 code (``en``).
        name: its English name, as messages and model cards say it (``English``).
        function_words: lowercase words that carry no persuasion on their own.
        suffixes: endings a crude stemmer strips, longest first.
        reporting: lowercase words and phrases that attribute speech ("said", "according to").
        first_person, second_person: lowercase pronouns of the two persons.
        stop_words: scikit-learn's name for its stop word list of the language, if it has one
            (clustering articles by topic for training folds).
        header: byline and dateline words.
        boilerplate: phrases of site boilerplate.
        quotes: the words that attribute quotations.
    """

    code: str
    name: str
    function_words: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()
    reporting: tuple[str, ...] = ()
    first_person: tuple[str, ...] = ()
    second_person: tuple[str, ...] = ()
    stop_words: str | None = None
    header: Header = field(default_factory=Header)
    boilerplate: Boilerplate = field(default_factory=Boilerplate)
    quotes: Quotes = field(default_factory=Quotes)


LANGUAGES: dict[str, Language] = {}


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of ``words``: how the tables write their word lists."""
    return frozenset(words.split())


def register_language(language: Language) -> Language:
    """Add ``language`` to the registry (each module in ``MODULES`` calls it for its table)."""
    LANGUAGES[language.code] = language
    return language


def get_language(code: str | None = None) -> Language:
    """The table of language ``code`` (``None``: the default, English), its module imported on
    first use; an empty table named by the code for a language without a module."""
    code = code or DEFAULT_LANGUAGE
    if code not in LANGUAGES:
        if code not in MODULES:
            return Language(code, NAMES.get(code, code))
        importlib.import_module(MODULES[code])
    return LANGUAGES[code]


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "MODULES", "NAMES", "Boilerplate", "Header", "Language",
           "Quotes", "get_language", "register_language", "word_set"]
