"""Word lists and token tests of the people resolver (`index/people.py`): what counts as an
honorific, a role noun, a thing, a place; one name mention and how it is cut from the text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


HONORIFICS = frozenset(
    "mr mrs ms miss mx dr sir lord lady dame prof professor rev reverend baroness baron "
    "messrs".split()
)
# Role head nouns (lower case). A role phrase must end in (before a name) or contain (after a
# name) one of these; "Mr"/"Ms" are honorifics, never roles.
ROLE_NOUNS = frozenset(
    """
    minister secretary president vice-president chancellor premier leader deputy spokesman
    spokeswoman spokesperson chairman chairwoman chairperson chair co-chairman founder
    co-founder director executive chief boss manager coach analyst economist strategist reporter
    correspondent editor journalist columnist official officer attorney general governor senator
    congressman congresswoman representative mp mep msp mayor councillor king queen prince
    princess judge justice professor lecturer researcher scientist actor actress singer star
    musician rapper artist photographer designer author writer novelist poet producer composer
    comedian presenter host broadcaster dj striker keeper goalkeeper midfielder defender winger
    forward captain skipper player substitute champion athlete sprinter head partner owner
    investor entrepreneur businessman businesswoman tycoon lawyer solicitor barrister prosecutor
    commissioner ambassador envoy diplomat adviser advisor consultant expert specialist inspector
    detective constable admiral colonel commander sergeant campaigner activist candidate nominee
    attendant pilot doctor surgeon nurse teacher headteacher headmaster headmistress principal
    dean chef ceo cfo coo inventor engineer developer designer programmer blogger founder
    creator architect trainer jockey driver rider cyclist boxer golfer batsman bowler referee
    umpire whip speaker treasurer regulator trustee bishop archbishop priest vicar cardinal pope
    superintendent lieutenant marshal sheriff economist chairman president-elect
    vice-chairman managing heir heiress veteran legend icon frontman frontwoman guitarist
    drummer bassist vocalist conductor dancer choreographer filmmaker screenwriter playwright
    novelist historian academic analyst auditor banker broker trader accountant supremo fellow
    """.split()
)
# Common nouns that name a thing: "the album Exodus", "the charity Mencap".
THING_NOUNS = frozenset(
    """
    album single song track record book novel biography memoir film movie documentary show
    series programme program sitcom drama play musical opera exhibition charity company firm
    group band brand label range product magazine newspaper paper website site blog game
    bill act law scheme project club team side stadium ground venue hotel restaurant ship horse
    character music tune drug device software system network station channel festival event
    campaign report study survey fund index award prize trophy cup app phone console handset
    car model plan policy organisation organization agency union party chart diet store shop
    chain airline bank service title edition issue column
    """.split()
)
# Last words that make a capitalised run a place, an institution, a law, a club...
NONPERSON_LAST = frozenset(
    """
    road street lane avenue square park stadium ground bridge hall house centre center
    theatre theater bill act party council inc ltd plc corp group fc united city rovers athletic
    town albion county wanderers hotspur wednesday records airlines airline labs laboratories
    university college school institute hospital commission committee association federation
    foundation trust fund index chart awards festival cup league day motors motor holdings
    bank airways systems industries technologies electronics communications partners capital
    securities insurance pharmaceuticals studios pictures telecom corporation company ag gmbh
    llc
    """.split()
)
# Role nouns that stand as a title right before a name ("Judge Smith", "DJ Cook"); any other
# role noun capitalised inside a PERSON name is read as a given name ("Dean Kiely").
TITLE_WORDS = frozenset(
    """
    president vice-president president-elect minister secretary chancellor premier senator
    governor mayor judge justice general admiral colonel commander sergeant lieutenant captain
    inspector detective constable professor bishop archbishop cardinal pope king queen prince
    princess chairman chief coach ambassador commissioner sheriff superintendent marshal speaker
    councillor congressman congresswoman representative deputy leader officer prosecutor
    attorney dj mp mep msp
    """.split()
)
# Words that end a title rather than name anyone: "Princess Consort", "Prince Regent",
# "Attorney General", "President Elect", "Her Royal Highness".
TITLE_TAILS = frozenset(
    "consort regent general elect emeritus laureate royal highness majesty excellency "
    "dowager designate".split()
)
SPEECH_VERBS = frozenset(
    """
    say tell add insist claim argue explain state warn note reply comment announce admit
    suggest speculate describe forecast remember recall ask agree accept acknowledge urge predict
    write confirm stress emphasise emphasize maintain concede complain respond declare
    reveal believe think call speak told said
    """.split()
)
# the same, as a regex alternation of word forms (quotations, speakers, reported speech)
SPEECH_PATTERN = (
    r"said|says|say|told|tells|added|adds|explained|recalled|admitted|insisted|claimed|argued|"
    r"noted|warned|stated|acknowledged|stressed|continued|concluded|replied|asked|urged|"
    r"announced|agreed|conceded|remarked|observed|suggested|declared|confirmed|commented|"
    r"explains|recalls|admits|insists|claims|argues|notes|warns|writes|wrote|"
    r"saying|adding|announcing|telling|explaining|insisting|warning|arguing"
)
SUBJECT_PRONOUNS = frozenset({"he", "she"})
OTHER_PERSON_PRONOUNS = frozenset({"him", "himself", "herself"})
# party and other affiliation words spaCy puts inside a PERSON entity ("Tory David McLetchie")
AFFILIATIONS = frozenset(
    "tory tories labour conservative liberal democrat democratic republican socialist green "
    "ukip snp plaid independent unionist nationalist".split()
)
NOT_NAME_FIRST = frozenset(
    "the a an this that these those being and or of for with all new old our my his her its "
    "their your".split()
)
_DASHES = frozenset({"-", "–", "—", "--"})


@dataclass
class _Mention:
    start: int  # first token of the name words (after any honorific)
    end: int  # one past the last name token (possessive excluded)
    lead: int  # first token including an honorific
    words: tuple[str, ...]
    honorific: str | None
    spacy_person: bool
    char_start: int
    char_end: int
    roles: list[tuple[int, str, int, int]] = field(default_factory=list)  # (rank, text, s, e)
    evidence: set[str] = field(default_factory=set)


# --------------------------------------------------------------------------- helpers


def _norm(word: str) -> str:
    return re.sub(r"[^a-z]", "", word.lower())


def _key(words: Sequence[str]) -> str:
    return "".join(_norm(w) for w in words)


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and any(c.isalpha() for c in t)


def _is_honorific(tok: Token) -> bool:
    return _is_cap(tok) and tok.text.rstrip(".").lower() in HONORIFICS


def _is_possessive(tok: Token) -> bool:
    return tok.text in ("'s", "’s", "'", "’") or tok.tag_ == "POS"


def _is_role_word(tok: Token) -> bool:
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    low = tok.text.lower()
    return low in ROLE_NOUNS or tok.lemma_.lower() in ROLE_NOUNS


def _title_word(tok: Token) -> bool:
    low = tok.text.lower()
    return low in TITLE_TAILS or low in TITLE_WORDS


def _is_dash(tok: Token) -> bool:
    return tok.text in _DASHES and (
        bool(tok.whitespace_) or tok.i == 0 or bool(tok.nbor(-1).whitespace_)
    )


def _name_token(tok: Token) -> bool:
    """A token that can be part of a name: capitalised proper noun, a hyphen inside a
    hyphenated name, an initial ("C."), the lower-case part after a hyphen ("Tae-yul")."""
    if tok.text == "-" and not tok.whitespace_ and tok.i > 0 and not tok.nbor(-1).whitespace_:
        return True
    if tok.i > 0 and tok.nbor(-1).text == "-" and not tok.nbor(-1).whitespace_ and tok.is_alpha:
        prev2 = tok.nbor(-2) if tok.i > 1 else None
        return prev2 is not None and _is_cap(prev2)
    return (
        _is_cap(tok)
        and (tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON")
        and tok.is_alpha
        or (
            bool(
                re.fullmatch(
                    r"[A-Z]\.|[A-Z][a-z]*['’][A-Z][a-z]+|[A-Z][a-z]+-[A-Z][a-z]+", tok.text
                )
            )
        )
    )


def _valid_words(words: Sequence[str]) -> bool:
    if not words or words[0].lower() in NOT_NAME_FIRST:
        return False
    for w in words:
        if any(c.isdigit() for c in w) or not w[0].isupper():
            return False
    # an acronym alone (BBC, WLGA) is an organisation
    return not (len(words) == 1 and len(words[0]) > 2 and words[0].isupper())


def _given_name(doc: Doc, i: int, end: int) -> bool:
    """A capitalised role noun that is a first name: "Dean Kiely" (spaCy's PERSON entity runs
    on through the surname, and the word is not one used as a title before a name)."""
    tok = doc[i]
    return (
        end - i == 2
        and tok.lower_ not in TITLE_WORDS
        and tok.ent_type_ == "PERSON"
        and doc[i + 1].ent_iob_ == "I"
    )


def _make_mention(doc: Doc, start: int, end: int, spacy_person: bool) -> _Mention | None:
    """Name tokens [start, end): strip determiners, honorifics and capitalised title words in
    front, possessives and lower-case words at the end."""
    while start < end and (
        doc[start].lower_ in ("the", "a", "an")
        or _is_honorific(doc[start])
        or (_is_role_word(doc[start]) and end - start > 1 and not _given_name(doc, start, end))
        or (doc[start].lower_ in AFFILIATIONS and end - start > 2)
        or doc[start].text in ("(", ")", ",")
    ):
        start += 1
    while end > start and (_is_possessive(doc[end - 1]) or not _name_token(doc[end - 1])):
        end -= 1
    if start >= end or all(_title_word(doc[i]) for i in range(start, end)):
        return None  # "Princess Consort": a title word followed only by title words
    for i in range(start, end):
        if not _name_token(doc[i]) and not _is_possessive(doc[i]):
            return None
    span = doc[start:end]
    words = tuple(span.text.replace("’s", "").replace("'s", "").split())
    if not _valid_words(words):
        return None
    lead = start
    honorific = None
    if start > 0 and _is_honorific(doc[start - 1]):
        lead = start - 1
        honorific = doc[start - 1].text
    return _Mention(
        start=start,
        end=end,
        lead=lead,
        words=words,
        honorific=honorific,
        spacy_person=spacy_person,
        char_start=doc[lead].idx,
        char_end=span.end_char,
    )


def _segments(ent: Span) -> Iterable[tuple[int, int]]:
    """An entity split at dashes, brackets, commas and colons ("Rob Partridge - Marley's")."""
    start = ent.start
    for tok in ent:
        if tok.text in ("(", ")", ",", ":", ";", "/", "&") or _is_dash(tok):
            if tok.i > start:
                yield start, tok.i
            start = tok.i + 1
    if ent.end > start:
        yield start, ent.end


def _prev(doc: Doc, i: int) -> Token | None:
    return doc[i - 1] if i > 0 else None


def _next(doc: Doc, i: int) -> Token | None:
    return doc[i] if i < len(doc) else None


def tail_name(short: Sequence[str], full: Sequence[str]) -> bool:
    """A surname of two words or more that ends a longer full name."""
    n = len(short)
    return 2 <= n < len(full) and [_norm(w) for w in full[-n:]] == [_norm(w) for w in short]
