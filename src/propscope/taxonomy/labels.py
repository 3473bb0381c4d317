"""Technique, frame and genre definitions, with the shared task's exact label strings.

Definitions and examples are written for propscope; the names are the shared task's so
that output can be scored by its tools without any mapping.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from propscope.errors import DataError


@dataclass(frozen=True, slots=True)
class Category:
    """One of the six technique categories, with the colour used to highlight it."""

    name: str
    title: str
    color: str  # CSS hex colour, chosen to stay readable behind black text
    description: str


@dataclass(frozen=True, slots=True)
class Technique:
    """One persuasion technique of the taxonomy."""

    name: str
    title: str
    category: str
    definition: str
    example: str


CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        Category("Attack_on_Reputation", "Attack on reputation", "#f4a6a6",
                 "Targets a person, group or idea instead of the argument."),
        Category("Justification", "Justification", "#a6c8f4",
                 "Props up a claim with something other than evidence for it."),
        Category("Simplification", "Simplification", "#b9e4a8",
                 "Reduces a complex situation to a single cause, effect or choice."),
        Category("Distraction", "Distraction", "#f7d78f",
                 "Moves attention away from the point being discussed."),
        Category("Call", "Call", "#d5b3f0",
                 "Urges the audience to act, stop thinking, or adopt a catchphrase."),
        Category("Manipulative_Wording", "Manipulative wording", "#9fe0dc",
                 "Uses word choice, repetition or vagueness to sway rather than inform."),
    )
}

_T = Technique
TECHNIQUES: dict[str, Technique] = {
    t.name: t
    for t in (
        # Attack on reputation
        _T("Name_Calling-Labeling", "Name calling / labeling", "Attack_on_Reputation",
           "Attaches an insulting or glorifying label to a person or group so the audience "
           "judges the label, not the facts.",
           "The senator's bunch of spineless globalists voted again."),
        _T("Guilt_by_Association", "Guilt by association", "Attack_on_Reputation",
           "Discredits someone by linking them to a person, group or idea the audience "
           "already despises.",
           "The new tax plan was also praised by a notorious dictator."),
        _T("Doubt", "Casting doubt", "Attack_on_Reputation",
           "Questions the credibility, competence or motives of a person or institution "
           "without substantiating the doubt.",
           "Can we really trust a minister who never explains where the money went?"),
        _T("Appeal_to_Hypocrisy", "Appeal to hypocrisy", "Attack_on_Reputation",
           "Dismisses a position by pointing to its advocate's inconsistency (tu quoque).",
           "She lectures us about emissions, yet she flies to every summit."),
        _T("Questioning_the_Reputation", "Questioning the reputation", "Attack_on_Reputation",
           "Attacks the general character or past of the target rather than the matter at "
           "hand, often with unfounded insinuations.",
           "This is the same editor who has been wrong about everything for decades."),
        # Justification
        _T("Flag_Waving", "Flag waving", "Justification",
           "Justifies a position by appealing to pride in or loyalty to a nation, group "
           "or identity.",
           "Every true patriot knows this bill protects our homeland."),
        _T("Appeal_to_Authority", "Appeal to authority", "Justification",
           "Presents a claim as true because an authority or expert said it, with no "
           "further support.",
           "A leading professor confirmed it, so the matter is settled."),
        _T("Appeal_to_Popularity", "Appeal to popularity (bandwagon)", "Justification",
           "Argues that something is right because many or most people support it.",
           "Millions of people already agree, so you should too."),
        _T("Appeal_to_Values", "Appeal to values", "Justification",
           "Links a claim to values the audience holds dear (freedom, tradition, "
           "fairness) instead of arguing for it.",
           "Our policy stands for family and faith, as it always has."),
        _T("Appeal_to_Fear-Prejudice", "Appeal to fear / prejudice", "Justification",
           "Builds support for an idea by stoking anxiety or prejudice about the "
           "alternative.",
           "If we do nothing, our streets will be overrun by criminals within a year."),
        # Simplification
        _T("Causal_Oversimplification", "Causal oversimplification", "Simplification",
           "Blames a complex outcome on a single cause.",
           "Prices went up for one reason only: the new mayor."),
        _T("False_Dilemma-No_Choice", "False dilemma / no choice", "Simplification",
           "Presents two options as the only ones, or one option as the only one, when "
           "more exist.",
           "Either we ban the app now or we surrender our children to it."),
        _T("Consequential_Oversimplification", "Consequential oversimplification",
           "Simplification",
           "Claims that a first step will inevitably set off a chain of (usually bad) "
           "consequences (slippery slope).",
           "Allow this small fee today and tomorrow they will tax the air we breathe."),
        # Distraction
        _T("Straw_Man", "Straw man", "Distraction",
           "Replaces the opponent's position with a distorted, weaker one and refutes "
           "that instead.",
           "They want better bike lanes, so apparently they want to ban all cars."),
        _T("Red_Herring", "Red herring", "Distraction",
           "Introduces an irrelevant topic to pull attention away from the issue.",
           "Why discuss the budget gap when the opposition leader's car is so expensive?"),
        _T("Whataboutism", "Whataboutism", "Distraction",
           "Deflects criticism by pointing to a supposed wrong of the critic or someone "
           "else.",
           "Our election had problems? What about the scandals in your own country?"),
        # Call
        _T("Slogans", "Slogans", "Call",
           "A short, punchy phrase that replaces argument with a memorable formula.",
           "Take back control!"),
        _T("Conversation_Killer", "Thought-terminating cliché", "Call",
           "A phrase that discourages further thought or debate on a topic.",
           "It is what it is, end of discussion."),
        _T("Appeal_to_Time", "Appeal to time", "Call",
           "Argues that now is the moment to act, creating urgency rather than giving "
           "reasons.",
           "The time has come; we cannot wait another day."),
        # Manipulative wording
        _T("Loaded_Language", "Loaded language", "Manipulative_Wording",
           "Uses words or phrases with strong emotional connotations to influence the "
           "audience.",
           "The reckless, shameful decision devastated the town."),
        _T("Obfuscation-Vagueness-Confusion", "Obfuscation / vagueness / confusion",
           "Manipulative_Wording",
           "Uses deliberately unclear words so the audience can read in what it wants.",
           "The measures will be adjusted appropriately in due course, as necessary."),
        _T("Exaggeration-Minimisation", "Exaggeration / minimisation", "Manipulative_Wording",
           "Makes something seem far bigger or far smaller than it is.",
           "This is the worst crisis in the history of humankind."),
        _T("Repetition", "Repetition", "Manipulative_Wording",
           "Repeats the same word, phrase or idea so often that it sticks and seems true.",
           "They lied. They lied again. They will always lie."),
    )
}

# Techniques with no English training span: kept in the taxonomy, never predicted yet.
UNTRAINABLE_TECHNIQUES: frozenset[str] = frozenset(
    {"Appeal_to_Values", "Consequential_Oversimplification", "Questioning_the_Reputation",
     "Appeal_to_Time"}
)

FRAMES: tuple[str, ...] = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)

GENRES: tuple[str, ...] = ("opinion", "reporting", "satire")


NOT_PREDICTED = "not predicted yet (no English training examples)"


def technique_names(*, trainable_only: bool = False) -> list[str]:
    """All technique names in taxonomy order, optionally without the untrainable four."""
    return [n for n in TECHNIQUES if not (trainable_only and n in UNTRAINABLE_TECHNIQUES)]


def get_technique(name: str) -> Technique:
    """Return the technique called ``name``; raise ``KeyError`` with suggestions if unknown."""
    try:
        return TECHNIQUES[name]
    except KeyError:
        close = difflib.get_close_matches(name, TECHNIQUES, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"Unknown technique {name!r}.{hint}") from None


def category_of(technique: str) -> str:
    """Category name of a technique (``Loaded_Language`` -> ``Manipulative_Wording``)."""
    return get_technique(technique).category


def normalize_technique(raw: str) -> str:
    """Map a technique name as found in data files to its canonical name.

    The shared training data holds at least one corrupted name
    (``Appeal_to_Fear-Prejudi-čce``, a stray non-ASCII letter inside the word). Exact
    names pass through; otherwise the name is folded to ASCII letters and matched to the
    single closest technique, and a name that matches none closely raises ``DataError``
    rather than being silently dropped.
    """
    name = raw.strip()
    if name in TECHNIQUES:
        return name
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    if ascii_name in TECHNIQUES:
        return ascii_name
    close = difflib.get_close_matches(ascii_name, TECHNIQUES, n=1, cutoff=0.85)
    if close:
        return close[0]
    raise DataError(f"Unknown technique name {raw!r}: not one of the 23 SemEval-2023 techniques.")
