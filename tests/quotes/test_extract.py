"""Quotations and their speakers on short texts written for the tests, in each language read."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.document import Quote
from propscope.quotes import extract_quotes
from propscope.quotes.marks import pair_marks


def _found(text: str, language: str = "en") -> list[tuple[str, str | None]]:
    return [(text[q.start:q.end], q.speaker) for q in extract_quotes(text, language)]


@pytest.mark.parametrize(("language", "text", "expected"), [
    # the speaker after the quotation, cue first or name first
    ("en", "“We will not back down,” said Jane Roe, the mayor of Springfield.",
     [("We will not back down,", "Jane Roe")]),
    ("en", "“The plan is dead and everyone knows it,” Senator John Doe told reporters.",
     [("The plan is dead and everyone knows it,", "John Doe")]),
    # the speaker before it
    ("en", "Jane Roe said on Monday: “We will not back down from this fight.”",
     [("We will not back down from this fight.", "Jane Roe")]),
    ("en", "According to Jane Roe, the mayor, the council “has failed every family in this town.”",
     [("has failed every family in this town.", "Jane Roe")]),
    # a pronoun and a role resolved to the named speaker before them
    ("en", "Mayor Jane Roe opened the meeting on Monday.\n“We will not back down,” she said.",
     [("We will not back down,", "Jane Roe")]),
    ("en", "“The budget is balanced,” said Jane Roe. “Nobody will lose a job,” the mayor added.",
     [("The budget is balanced,", "Jane Roe"), ("Nobody will lose a job,", "Jane Roe")]),
    # a second quotation after the first one's attribution continues its speaker
    ("en", "“We are ready,” says John Doe. “The rest is up to them.”",
     [("We are ready,", "John Doe"), ("The rest is up to them.", "John Doe")]),
    # scare quotes and titles are no speech
    ("en", "The so-called “experts” were wrong again, and the “plan” failed as the "
           "“Daily Planet” predicted.", []),
    # a nested quotation belongs to the outer one
    ("en", "“He told me ‘never again’ and walked out of the room,” said Jane Roe.",
     [("He told me ‘never again’ and walked out of the room,", "Jane Roe")]),
    ("fr", "« Nous ne céderons rien sur ce point », a déclaré Marie Dupont.",
     [("Nous ne céderons rien sur ce point", "Marie Dupont")]),
    ("fr", "Marie Dupont a répondu aux critiques. « Rien n'est encore joué », a-t-elle ajouté.",
     [("Rien n'est encore joué", "Marie Dupont")]),
    ("fr", "Selon Marie Dupont, le projet est « une faute politique majeure ».",
     [("une faute politique majeure", "Marie Dupont")]),
    ("de", "„Wir werden das nicht hinnehmen“, sagte Anna Schmidt am Montag.",
     [("Wir werden das nicht hinnehmen", "Anna Schmidt")]),
    ("de", "Anna Schmidt sprach am Montag in Berlin. Dann sagte sie: „Das ist ein schwerer Fehler.“",
     [("Das ist ein schwerer Fehler.", "Anna Schmidt")]),
    ("de", "»Das ist nicht das Ende der Geschichte«, so Jan Weber.",
     [("Das ist nicht das Ende der Geschichte", "Jan Weber")]),
    ("it", "“Non ci fermeremo davanti a nulla”, ha detto Mario Rossi ai giornalisti.",
     [("Non ci fermeremo davanti a nulla", "Mario Rossi")]),
    ("it", "«La situazione è grave», ha dichiarato il ministro Luca Bianchi. «Serve una risposta "
           "comune», ha aggiunto.",
     [("La situazione è grave", "Luca Bianchi"), ("Serve una risposta comune", "Luca Bianchi")]),
    ("ru", "«Мы не отступим ни на шаг», — заявил Иван Петров.",
     [("Мы не отступим ни на шаг", "Иван Петров")]),
    ("ru", "Иван Петров выступил в Москве. «Это только начало большой работы», — добавил он.",
     [("Это только начало большой работы", "Иван Петров")]),
    ("pl", "„Nie poddamy się w tej sprawie” – powiedział Jan Kowalski.",
     [("Nie poddamy się w tej sprawie", "Jan Kowalski")]),
])
def test_quotations_and_their_speakers(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text, language) == expected


def test_a_quotation_over_two_paragraphs_is_one() -> None:
    text = ("“The first part of the statement runs to the end of its paragraph.\n\n"
            "“And the second part closes it,” said Jane Roe.\n")
    (q,) = extract_quotes(text)
    assert text[q.start:q.end].startswith("The first part") and text[q.start:q.end].endswith("closes it,")
    assert q.speaker == "Jane Roe" and q.cue == "said"


def test_a_paragraph_broken_by_the_page_keeps_its_quotation() -> None:
    text = "“Release the report to the public.\nNow,” Senator Jane Roe tweeted.\n"
    (q,) = extract_quotes(text)
    assert text[q.start:q.end] == "Release the report to the public.\nNow," and q.speaker == "Jane Roe"


def test_an_unclosed_quotation_is_dropped_where_its_paragraph_ends() -> None:
    text = "He wrote “this never closes and the paragraph ends here\n\nA new paragraph starts.\n"
    assert extract_quotes(text) == []


def test_apostrophes_are_no_quote_marks() -> None:
    text = "Don't say the officers’ union isn’t O'Rourke's friend since ’45, he said."
    assert pair_marks(text) == []


def test_the_speakers_offsets_point_at_the_name() -> None:
    text = "“We are ready for anything that comes,” says Dmitry Peskov, Kremlin spokesman."
    (q,) = extract_quotes(text)
    assert q.speaker_start is not None and text[q.speaker_start:q.speaker_end] == "Dmitry Peskov"
    assert isinstance(q, Quote) and q.cue == "says" and 0 < q.confidence <= 1


def test_a_language_without_a_table_still_finds_long_quotations() -> None:
    text = "«Ceci est une longue citation sans aucun verbe connu ici», Jan Kowalski."
    (q,) = extract_quotes(text, "xx")
    assert text[q.start:q.end].startswith("Ceci est") and q.speaker is None


def test_the_report_sample_has_its_eight_quotations(samples_dir: Path) -> None:
    text = (samples_dir / "002_168c2d511eb2408f.txt").read_text(encoding="utf-8")
    speakers = [q.speaker for q in extract_quotes(text)]
    assert speakers == ["Dmitry Peskov"] * 2 + ["Morgan Ortagus"] * 3 + ["Russian Embassy"] + ["Trump"] * 2
