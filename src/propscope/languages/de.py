"""German: the words that attribute quotations (``Quotes``); the other tables are still empty.

German capitalises every noun, so a speaker's phrase holds more capitalised words than
elsewhere ("Sprecher Dmitri Peskow"): the role words below are dropped from its front.
"""

from __future__ import annotations

from propscope.languages import Language, Quotes, register_language, word_set

_CUES = """
sagte sagt sagten sagen gesagt erklärte erklärt erklärten betonte betont meinte meint fügte
hinzugefügt ergänzte ergänzt schrieb schreibt geschrieben twitterte twittert teilte mitgeteilt
warnte warnt gewarnt forderte fordert kritisierte kritisiert sprach spricht äußerte äußert
geäußert hob hebte hervorgehoben machte bestätigte bestätigt informierte informiert
berichtete berichtet antwortete antwortet zitiert zitierte heißt hieß räumte räumt
unterstrich unterstreicht behauptete behauptet versicherte versichert mahnte mahnt erinnerte
erinnert kommentierte kommentiert sagt
"""

GERMAN = register_language(Language(
    code="de",
    name="German",
    quotes=Quotes(
        cues=word_set(_CUES),
        after_cues=word_set("so"),
        sources=("laut", "nach angaben von", "zufolge"),
        pronouns={"er": "m", "sie": "f", "es": "n"},
        roles=word_set("""
            sprecher sprecherin minister ministerin präsident präsidentin kanzler kanzlerin chef
            chefin vorsitzende vorsitzender ko-vorsitzende chefredakteur politiker politikerin
            experte expertin leiter leiterin botschafter botschafterin abgeordnete
            abgeordneter bürgermeister bürgermeisterin regierungssprecher außenminister
            außenministerin bundeskanzler gesundheitsminister"""),
        titles=word_set("""
            herr frau dr. prof. sprecher sprecherin präsident präsidentin minister ministerin
            kanzler kanzlerin bundeskanzler außenminister außenministerin regierungssprecher
            titanic-chefredakteur chefredakteur ex-präsident"""),
        determiners=word_set("der die das dem den des"),
        indefinites=word_set("ein eine einer eines einem einen"),
        relatives=word_set("der die das welcher welche welches"),
        resumptive=word_set("das dies so"),
        between=word_set("hat haben hatte hatten habe wird auch noch lediglich dann bereits zudem außerdem"),
        title_cues=word_set("""
            titel titelte betitelt überschrieben sogenannte sogenannten sogenannter
            sogenanntes motto schlagwort begriff wort hashtag"""),
    ),
))
