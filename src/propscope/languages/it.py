"""Italian: the words that attribute quotations (``Quotes``); the other tables are still empty.

Italian drops subject pronouns ("ha aggiunto"): a cue with no subject after a quotation
takes the speaker of the quotation before it (``quotes/attribution.py``).
"""

from __future__ import annotations

from propscope.languages import Language, Quotes, register_language, word_set

_CUES = """
detto dice dicono dichiarato dichiara affermato afferma aggiunto aggiunge spiegato spiega
sottolineato sottolinea precisato precisa continua continuato ribadito ribadisce commenta
commentato scrive scritto twitta twittato avverte avvertito annuncia annunciato osserva
osservato risposto risponde riferito riferisce riferiscono definito definisce sostiene
sostenuto denunciato denuncia proseguito prosegue invitato esprime espresso ironizza lancia
lanciato conclude concluso evidenziato rimarcato insiste insistito chiesto chiede attacca
attaccato accusa accusato parole dichiarazione
"""

ITALIAN = register_language(Language(
    code="it",
    name="Italian",
    quotes=Quotes(
        cues=word_set(_CUES),
        sources=("secondo", "a detta di", "stando a", "per"),
        pronouns={"lui": "m", "lei": "f", "egli": "m", "ella": "f", "loro": "p"},
        roles=word_set("""
            premier ministro ministra presidente capo portavoce segretario segretaria leader
            direttore direttrice vicepresidente consigliere fondatrice fondatore sindaco
            esperto esperta cancelliere ambasciatore ambasciatrice deputato deputata senatore
            senatrice"""),
        titles=word_set("""
            sig. sig.ra dott. dott.ssa prof. on. presidente premier ministro ministra
            segretario segretaria"""),
        determiners=word_set("il lo la i gli le l' l’"),
        indefinites=word_set("un una uno"),
        links=word_set("di del della dello dei degli delle"),
        participles=("ando", "endo"),
        relatives=word_set("che il quale la quale cui"),
        resumptive=word_set("lo così questo"),
        between=word_set("ha hanno aveva avevano è sono anche poi inoltre già ancora"),
        title_cues=word_set("""
            intitolato intitolata titolo titola cosiddetto cosiddetta cosiddetti cosiddette
            espressione parola slogan hashtag motto"""),
    ),
))
