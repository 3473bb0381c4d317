"""Language tables: code asks the registry, so a language is data, not edits across modules."""

from __future__ import annotations

import pytest

from propscope.document import Document
from propscope.ingest.boilerplate import find_boilerplate
from propscope.ingest.header import parse_byline
from propscope.languages import LANGUAGES, Boilerplate, Header, Language, get_language, register_language
from propscope.languages.detect import Detection
from propscope.pipeline import create_component


def test_english_is_the_default_and_a_language_without_a_table_reads_with_none() -> None:
    assert get_language().code == "en" and get_language("en").name == "English"
    assert Document("x").language is None  # not known until given or detected
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


# One plain news sentence per language, written for these tests.
SENTENCES = {
    "en": "The city council approved the new budget for schools and roads on Tuesday evening.",
    "fr": "Le conseil municipal a approuvé mardi soir le nouveau budget des écoles et des routes.",
    "de": "Der Stadtrat hat am Dienstagabend den neuen Haushalt für Schulen und Straßen gebilligt.",
    "it": "Il consiglio comunale ha approvato martedì sera il nuovo bilancio per scuole e strade.",
    "pl": "Rada miejska zatwierdziła we wtorek wieczorem nowy budżet na szkoły i drogi w mieście.",
    "ru": "Городской совет во вторник вечером утвердил новый бюджет на школы и дороги города.",
    "es": "El ayuntamiento aprobó el martes por la noche el nuevo presupuesto para escuelas y calles.",
    "el": "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη το βράδυ τον νέο προϋπολογισμό για σχολεία και δρόμους.",
    "ka": "ქალაქის საბჭომ სამშაბათს საღამოს სკოლებისა და გზების ახალი ბიუჯეტი დაამტკიცა.",
}


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_the_language_is_detected(code: str) -> None:
    from propscope.languages.detect import detect_language

    found = detect_language(SENTENCES[code])
    assert found.code == code and found.confidence >= 0.8 and found.why is None


def test_too_short_or_mixed_text_gets_no_language_rather_than_a_guess() -> None:
    from propscope.languages.detect import detect_language

    assert detect_language("Ok, thanks.") == Detection(None, 0.0, "too short")
    mixed = detect_language(SENTENCES["en"] + "\n" + SENTENCES["fr"] + "\n" + SENTENCES["de"])
    assert mixed.code is None and mixed.why is not None and mixed.why.startswith(("mixed", "unclear"))


def test_the_language_stage_detects_only_when_none_is_given() -> None:
    stage = create_component("language")
    told = stage(Document(SENTENCES["fr"], language="de"))
    assert told.language == "de" and told.language_detection is None
    found = stage(Document(SENTENCES["fr"]))
    assert found.language == "fr" and found.language_detection is not None
