"""Language tables: code asks the registry, so a language is data, not edits across modules."""

from __future__ import annotations

from propscope.document import Document
from propscope.ingest.boilerplate import find_boilerplate
from propscope.ingest.header import parse_byline
from propscope.languages import LANGUAGES, Boilerplate, Header, Language, get_language, register_language
from propscope.pipeline import create_component


def test_english_is_the_default_and_a_language_without_a_table_reads_with_none() -> None:
    assert get_language().code == "en" and get_language("en").name == "English"
    assert Document("x").language == "en"
    klingon = get_language("tlh")
    assert klingon.code == "tlh" and not klingon.function_words and "tlh" not in LANGUAGES
    text = "Via Example News\n\nqaStaH nuq jay'.\n"
    assert find_boilerplate(text, "tlh") == ([], None)  # no phrase table: nothing recognised


def test_a_registered_table_is_what_the_language_specific_parts_read() -> None:
    # A made-up language whose syndication lines say "Aus SITE" and bylines "Von NAME".
    xx = Language("xx", "Test", header=Header(byline="Von", name_joiners=("und",)),
                  boilerplate=Boilerplate(via=r"Aus:?\s+(?P<site>.+?)\.?"))
    register_language(xx)
    try:
        text = "Aus Example News\n\nThe body of the article goes on here at some length.\n"
        assert find_boilerplate(text, "en")[1] is None
        regions, origin = find_boilerplate(text, "xx")
        assert origin == "Example News" and regions[0].kind == "syndication_header"
        assert parse_byline("Von Anna Schmidt und Jan Weber", "xx") == "Anna Schmidt und Jan Weber"
        assert parse_byline("Von Anna Schmidt", "en") is None
        # The pipeline's boilerplate stage reads the document's language.
        doc = create_component("boilerplate")(Document(text, language="xx"))
        assert doc.metadata.republished_from == "Example News"
    finally:
        del LANGUAGES["xx"]
