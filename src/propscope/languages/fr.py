"""French: the words that attribute quotations (``Quotes``); the other tables are still empty.

The shared task's French articles are read for quotations and their speakers; the word
features, headers and boilerplate of French have no table yet (``languages/__init__.py``).
"""

from __future__ import annotations

from propscope.languages import Language, Quotes, register_language, word_set

# Reporting words as written; a compound tense ("a déclaré") is found by its participle.
_CUES = """
dit dire dis disait déclaré déclare déclarait affirmé affirme affirmait ajouté ajoute précisé
précise expliqué explique expliquait estimé estime souligné souligne indiqué indique annoncé
annonce assuré assure lancé lance répondu répond demandé demande écrit écrivait tweeté twitté
martelé martèle insisté insiste rappelé rappelle regretté regrette jugé juge qualifié qualifie
qualifiant évoqué évoque dénoncé dénonce confié confie poursuivi poursuit conclu conclut répété
répète résumé résume appelé appelle reconnu reconnaît reconnaissant avertit averti prévenu
prévient déploré déplore fustigé fustige raconté raconte commenté commente réagi réagit
soutenu soutient lâché lâche ironisé ironise plaidé plaide promis promet nié nie employé
"""

FRENCH = register_language(Language(
    code="fr",
    name="French",
    quotes=Quotes(
        cues=word_set(_CUES),
        sources=("selon", "d'après", "d’après", "aux yeux de", "pour reprendre les mots de"),
        pronouns={"il": "m", "elle": "f", "ils": "p", "elles": "p"},
        pronoun_suffixes={"-t-il": "m", "-t-elle": "f", "-t-ils": "p", "-t-elles": "p", "-il": "m",
                          "-elle": "f", "-ils": "p", "-elles": "p"},
        roles=word_set("""
            porte-parole ministre président présidente premier première secrétaire chef cheffe
            dirigeant dirigeante député députée sénateur sénatrice maire ambassadeur
            ambassadrice écologiste chancelier chancelière directeur directrice leader
            responsable expert experte politologue candidat candidate patron patronne"""),
        titles=word_set("""
            m. mme mlle dr pr me président présidente ministre général sénateur sénatrice
            député députée maître monsieur madame"""),
        determiners=word_set("le la les l' l’"),
        indefinites=word_set("un une des"),
        links=word_set("de du des d' d’"),
        participles=("ant",),
        relatives=word_set("qui que dont"),
        resumptive=word_set("c'est c’est voilà"),
        between=word_set("""
            a ont avait avaient aura est sont s'est s’est également encore aussi ensuite notamment
            alors déjà"""),
        title_cues=word_set("""
            intitulé intitulée titré titré titre titrait baptisé baptisée surnommé surnommée
            soi-disant prétendu prétendue prétendus expression mot slogan hashtag"""),
    ),
))
