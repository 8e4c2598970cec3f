"""Word lists for reading a follow-up in context (bot.qa.followup): entity labels, titles,
pronouns, auxiliaries, prepositions, and nouns that name a person."""

from __future__ import annotations

import functools
import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# spaCy entity labels -> the kinds a follow-up resolves against
LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "NORP",
    "CARDINAL": "NUMBER",
    "MONEY": "NUMBER",
    "PERCENT": "NUMBER",
    "QUANTITY": "NUMBER",
    "DATE": "TIME",
    "TIME": "TIME",
}
MALE_TITLES = _words("mr mr. sir lord king prince mister")
FEMALE_TITLES = _words("ms ms. mrs mrs. miss lady dame queen princess")
PERSON_TITLES = (
    MALE_TITLES
    | FEMALE_TITLES
    | _words(
        """dr dr. secretary minister president chancellor boss executive chairman spokesman
        spokeswoman director official prof professor"""
    )
)
ORG_WORDS = _words(
    """inc ltd plc corp company airlines airline association council group party commission
    office industry united city bank agency ministry department university federation institute
    times press news online assembly government club league board funds"""
)
WH = _words("what who whom whose which where when why how")
PRONOUN_WORDS = _words(
    """i you he she it we they him her us them me his hers its our their theirs my your this
    that these those something anything everything nothing someone anyone everyone one"""
)
GENERIC = _words(
    """article story text piece report news passage paragraph answer question thing things way
    lot bit kind sort part detail details words one ones else next"""
)
STOP = _words("the a an of and to in on for 's ’s")
AUX = _words(
    "is are was were do does did has have had can could will would should may might must shall "
    "am be been"
)
PREPS = _words(
    """in for at on during from by with to among inside outside about of under over against
    between within across after before since until"""
)
TIME_WORDS = re.compile(
    r"\b(?:quarter|year|years|month|months|week|weeks|day|days|season|century|decade|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"yesterday|today|tomorrow|(?:19|20)\d\d)\b",
    re.I,
)
NUMBER = re.compile(r"^(?:about |around |some |more than |over |nearly )?[$£€]?\d[\d,.]*\w*%?")

COMMON = WH | AUX | PRONOUN_WORDS | {"and", "but", "so", "ok", "okay"}


@functools.cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words and the common words above; imported on first use, since
    importing spaCy takes seconds."""
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except Exception:  # pragma: no cover - spaCy is a dependency
        return COMMON | {"as", "in", "on", "at", "for", "the", "a", "an", "if", "when", "with"}
    return frozenset(STOP_WORDS) | COMMON


# nouns naming a person, with the gender they mark ("m", "f" or ""): "the BPI spokesman" can
# be "he"
PERSON_NOUNS = {
    noun: gender
    for noun, _, gender in (
        pair.partition(":")
        for pair in """spokesman:m spokeswoman:f man:m woman:f boss official minister executive
        chairman:m chairwoman:f analyst director reporter attendant player keeper winger manager
        secretary president leader spokesperson chancellor striker defender goalkeeper coach
        blogger singer actor:m actress:f king:m queen:f""".split()
    )
}
