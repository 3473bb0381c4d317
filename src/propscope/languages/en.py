"""English: the language of the shared task's English training articles and of hybrid-v1.

Copy this module to add a language: fill what the language has (an empty field means "no
table": see ``languages/__init__.py``), then add its code to ``MODULES``.
"""

from __future__ import annotations

from propscope.languages import Boilerplate, Header, Language, Quotes, register_language, word_set

# Words that carry no persuasion on their own. A decoded span made only of these (or of
# punctuation) is dropped: out of fold, lone "the", "and", "of" were 8% of the predicted
# Loaded_Language spans and never matched a gold span.
_FUNCTION_WORDS = """
a an the and or but nor so yet for of to in on at by with from into onto upon about over under
as than then that this these those there here it its it's he him his she her hers they them their
theirs we us our ours you your yours i me my mine who whom whose which what when where why how
is are was were be been being am do does did done have has had having will would shall should
can could may might must not no if also just very too only even more most much many some any
all each both either neither such own same other another up down out off again once s t
"""

_MONTHS = (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
           ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
           ("october", "oct"), ("november", "nov"), ("december", "dec"))

# Reporting words as they are written: a quotation is attributed by the cue next to it.
_CUES = """
say says said saying tell tells told telling tweet tweets tweeted tweeting write writes wrote
writing written add adds added adding state states stated stating remark remarks remarked
note notes noted noting explain explains explained explaining insist insists insisted
insisting warn warns warned warning ask asks asked asking reply replies replied respond
responds responded answer answers answered argue argues argued arguing claim claims claimed
claiming announce announces announced announcing declare declares declared declaring
continue continues continued conclude concludes concluded recall recalls recalled admit
admits admitted acknowledge acknowledges acknowledged complain complains complained yell
yelled yelling shout shouted shouting cry cried quip quipped urge urges urged demand demands
demanded demanding call calls called calling describe describes described describing post
posts posted report reports reported confirm confirms confirmed suggest suggests suggested
predict predicts predicted testify testifies testified advise advises advised quoted
insist stress stresses stressed emphasised emphasized observe observes observed boast boasted
vow vowed promise promised deny denies denied maintain maintains maintained
"""

ENGLISH = register_language(Language(
    code="en",
    name="English",
    function_words=frozenset(_FUNCTION_WORDS.split()),
    suffixes=("ations", "ation", "ingly", "ously", "ness", "ment", "ings", "ing", "ies", "ied",
              "ed", "es", "ly", "s"),
    reporting=("said", "says", "told", "according to", "stated", "added", "announced", "reported",
               "reportedly", "confirmed", "spokesman", "spokeswoman", "spokesperson", "statement"),
    first_person=("i", "me", "my", "mine", "we", "us", "our", "ours", "i'm", "we're", "i've", "we've"),
    second_person=("you", "your", "yours", "you're"),
    stop_words="english",
    header=Header(
        months={name: i for i, names in enumerate(_MONTHS, start=1) for name in names},
        weekdays=frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                            "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
                            "sat", "sun"}),
        weekday_pattern=r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?",
        ordinal_suffixes=("st", "nd", "rd", "th"),
        byline=r"By|BY|by",
        name_joiners=("and", "&"),
        name_particles=("de", "da", "di", "del", "der", "van", "von", "bin", "al", "la", "le"),
        published=r"(?:Published|Posted|First published)(?:\s+on)?",
    ),
    boilerplate=Boilerplate(
        origin_lines=(
            (1, r"(?:This (?:article|piece|story|post|essay|column|commentary|op-ed|report|interview) "
                r"(?:was|has been|is) (?:originally |first )?|(?:originally|first) )"
                r"(?:published|posted|appeared) (?:originally |first )?(?:on|in|at|by) (?P<site>.+?)\.?"),
            (1, r"(?:Republished|Reprinted|Reposted|Cross-?posted)(?: with (?:kind )?permission)? "
                r"(?:from|by|on) (?P<site>.+?)\.?"),
            (2, r"(?:The )?original source of this article is (?P<site>.+?)\.?"),
        ),
        post_first=r"The post (?P<title>.+) appeared first on (?P<site>.+?)\.?",
        via=r"(?:Via|Source|Republished from|Reprinted from):?\s+(?P<site>.+?)\.?",
        share_anywhere=r"\b(?:please (?:click|use|hit|tap) the share buttons?|(?:click|use) the "
                       r"share buttons? (?:above|below))\b",
        share=r"(?:please\s+)?(?:share|forward|repost|retweet|cross-?post) this "
              r"(?:article|post|story|page|video|report)\b"
              r"|(?:like|follow) us on\b"
              r"|if you (?:enjoyed|liked|appreciated|found value in) this (?:article|post|piece|story)\b",
        share_short=r"Comment on .*\b(?:Facebook|Twitter|Telegram)\b"
                    r"|Share (?:this|on (?:Facebook|Twitter|X|Telegram|WhatsApp|LinkedIn))\b",
        subscribe=r"(?:Subscribe (?:to (?:our|my|this)|now|today|here|for (?:free|updates))\b"
                  r"|Sign up (?:for|to) (?:our|the|my) (?:free )?"
                  r"(?:newsletter|mailing list|daily|weekly|e-?mail)"
                  r"|Become an? (?:member|patron|subscriber|supporter|paid subscriber)\b"
                  r"|Donate (?:now|today|to|here)\b"
                  r"|Support (?:us|our (?:work|journalism|reporting)|independent (?:media|journalism))\b"
                  r"|Please (?:consider )?(?:support|donat|subscrib))",
        call_words=r"\b(?:support|donate|subscribe|membership|patreon)\b",
        disclaimer=r"Disclaimer\b"
                   r"|(?:The |All )?(?:views|opinions|statements)(?: and (?:views|opinions))? expressed "
                   r"(?:in this|herein|here\b|by (?:the )?(?:authors?|contributors?|guest|writers?))",
        disclaimer_anywhere=r"\bcontains copyrighted material\b"
                            r"|\b(?:are|is) (?:of )?(?:the )?sole responsibility of the authors?\b",
        rights=r"All rights reserved\.?",
        about_author=r"About the authors?\s*:?",
        articles_by=r"(?:More )?(?:Articles|Posts|Stories|Columns) by\s*:?\s+.{1,80}",
        author_bio=r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3} is (?:a|an|the)\b.*\b(?:(?:frequent|regular) "
                   r"contributor to|(?:his|her|their) (?:website|blog|Substack|latest book)"
                   r"|follow (?:him|her|them) on)\b.*",
        contact=r"(?:For (?:media|press|general|editorial) (?:inquiries|enquiries)|(?:Media|Press) "
                r"contact|Contact us)\s*:.*",
        navigation=r"(?:Region|Theme|Tags?|Topics?|Categor(?:y|ies)|Filed under|Keywords)\s*:\s*"
                   r"(?P<items>.+)",
        list_words=("and", "but", "or", "so"),
    ),
    quotes=Quotes(
        cues=word_set(_CUES),
        sources=("according to", "in the words of", "quoted by"),
        pronouns={"he": "m", "she": "f", "they": "p", "it": "n"},
        roles=word_set("""
            spokesman spokeswoman spokesperson official minister president secretary
            senator director chief leader adviser advisor general governor mayor chairman chair
            chairwoman lawmaker lawyer attorney representative ambassador
            premier analyst expert author commissioner diplomat officer sheriff judge
            prosecutor economist scientist professor doctor chancellor politician candidate
            head founder executive manager director-general"""),
        titles=word_set("""
            mr. mrs. ms. dr. sen. rep. gov. gen. lt. col. capt. prof. rev. sir lord president
            secretary senator minister chancellor director director-general chairman chairwoman
            chief spokesman spokeswoman judge mayor governor speaker officer pope prince king
            queen sheikh ambassador prime deputy vice former general attorney dame"""),
        determiners=word_set("the"),
        indefinites=word_set("a an some"),
        links=word_set("of"),
        participles=("ing",),
        relatives=word_set("who which that"),
        resumptive=word_set("so thus"),
        between=word_set("""
            has have had is was were will would also then later again further reportedly once
            previously recently earlier"""),
        title_cues=word_set("""
            titled entitled headlined headline headed dubbed nicknamed so-called term word
            phrase hashtag slogan motto label known"""),
    ),
))
