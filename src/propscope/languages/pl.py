"""Polish: the words that attribute quotations (``Quotes``); the other tables are still empty.

Polish quotes „like this”; the verbs agree with the speaker's gender, so both forms are listed.
"""

from __future__ import annotations

from propscope.languages import Language, Quotes, register_language, word_set

_CUES = """
powiedział powiedziała powiedzieli mówi mówią stwierdził stwierdziła dodał dodała dodali
napisał napisała napisali oświadczył oświadczyła zaznaczył zaznaczyła podkreślił
podkreśliła ocenił oceniła przekonywał przekonywała przyznał przyznała wyjaśnił wyjaśniła
tłumaczył tłumaczyła ostrzegł ostrzegła pisze twierdzi uważa zapowiedział zapowiedziała
odpowiedział odpowiedziała zauważył zauważyła
"""

POLISH = register_language(Language(
    code="pl",
    name="Polish",
    quotes=Quotes(
        cues=word_set(_CUES),
        sources=("według", "zdaniem", "jak powiedział", "jak stwierdził"),
        pronouns={"on": "m", "ona": "f", "oni": "p"},
        roles=word_set("""
            rzecznik rzeczniczka minister premier prezydent szef szefowa przewodniczący
            przewodnicząca poseł posłanka ekspert polityk ambasador wiceminister"""),
        titles=word_set("pan pani dr prof. prezydent premier minister"),
        relatives=word_set("który która którzy"),
        between=word_set("też także również już"),
        title_cues=word_set("tytułem zatytułowany tzw. hasło hasztag"),
    ),
))
