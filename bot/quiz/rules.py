"""Rules a teacher's review asked of every quiz item, on any news article: a key with no
stray punctuation, options that fit the slot's grammar, organisations only on evidence that
they are organisations, no key that is the article's main topic, no statement in the first
person outside quotation marks, no dangling discourse connective at the start."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher

from bot.brief.context import points_back, unattributed
from bot.brief.facts import QUOTE, ArticleSentence, Person, canonical_name, name_key

_EDGE = ",.;:!?\"'“”‘’()[]-–— "
# a connective that points back at a sentence the item does not show ("However, ...")
_CONNECTIVE = re.compile(
    r"(?:However|But|And|Yet|So|Still|Instead|Meanwhile|Nevertheless|Nonetheless|Moreover|"
    r"Furthermore|Also|Besides|In contrast|By contrast|In addition|Even so|On the other hand)"
    r"\b,?\s+(?=\S)"
)
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|us|[Oo]ur|ours|me|[Mm]y|mine|myself|ourselves)\b")
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
# a single word of one of these endings is an idea or a quality, not an organisation
_ABSTRACT = re.compile(r"(?:ism|ist|phobia|philia|ness|ity|ment|tion|sion|ship|hood)$", re.I)
_DETERMINER = re.compile(r"\b(?:a|an|the|this|that|its|their|his|her|our|my)\s$", re.I)


def tidy(text: str, a: int, b: int) -> tuple[int, int]:
    """text[a:b] without punctuation or spaces at either end ("250,000," -> "250,000"); a
    currency sign before a figure and a closing bracket or quotation mark that closes one
    inside the span stay."""
    while b > a and text[b - 1] in _EDGE:
        if text[b - 1] == "." and text[b - 2 : b - 1].isupper():
            break  # "U.S.", "Jr."
        closing = {")": "(", "”": "“", "’": "‘"}.get(text[b - 1])
        if closing and closing in text[a : b - 1]:
            break
        b -= 1
    while a < b and text[a] in _EDGE:
        a += 1
    return a, b


def connective_end(sentence: str) -> int:
    """How many characters of `sentence` a leading discourse connective takes (0: none)."""
    m = _CONNECTIVE.match(sentence)
    return m.end() if m else 0


def opening(text: str) -> str:
    """A sentence shown without its connective starts with a capital letter."""
    return text[:1].upper() + text[1:]


def first_person(sentence: str) -> bool:
    """ "I"/"we"/"our" outside quotation marks: a quotation without its marks, or an opinion,
    not a claim a reader can judge true or false."""
    return bool(_FIRST_PERSON.search(_QUOTED.sub(" ", sentence)))


def _an(word: str) -> bool:
    """Whether "an" goes before `word` (by its first letter or digit, as read aloud)."""
    w = word.strip().lower()
    if not w:
        return False
    if w[0].isdigit():
        return bool(re.match(r"(?:8|11|18)(?:\D|$)|8\d", w))
    if w[:1] in "aeio":
        return True
    return w[:1] == "u" and not re.match(r"u(?:ni|s[aeiu]|ti|r[aeiou])", w)


def slot_fits(text: str, a: int, b: int) -> bool:
    """Whether another word can fill the blank on text[a:b] as well as the key: no bare
    possessive apostrophe after it ("_____' brands" fits only a name ending in s)."""
    return not re.match(r"['’](?!s\b)", text[b : b + 2])


def fits(option: str, before: str) -> bool:
    """Whether `option` reads right after `before` as the key does: "a"/"an" agree with it,
    and no determiner is doubled ("an the Islamic Human Rights Commission card")."""
    art = re.search(r"\b(a|an)\s$", before, re.I)
    if art and _an(option) != (art.group(1).lower() == "an"):
        return False
    return not (_DETERMINER.search(before) and re.match(r"(?:the|a|an)\s", option, re.I))


def person_words(sents: list[ArticleSentence], people: list[Person]) -> set[str]:
    """Every word of a name the article tags as a person or the resolver knows as one."""
    words = {w for p in people for a in p.aliases | {p.name} for w in name_key(a).split()}
    for s in sents:
        for m in s.mentions("PERSON"):
            words |= set(name_key(s.span(m)).split())
    return words


def organisation(s: ArticleSentence, a: int, b: int, people_words: set[str], body: str) -> bool:
    """Evidence that text[a:b], tagged an organisation, is one: no digits ("Holland 14"), no
    word of a person's name ("Riggott"), not a single abstract noun ("Islamophobia") or a
    common word written in lower case elsewhere ("Media"), and the whole name, not a piece
    of a longer one ("Centre for the Study of Children" of "..., Youth and Media")."""
    text = s.passage.text
    name = text[a:b]
    if re.search(r"\d", name) or set(name_key(name).split()) & people_words:
        return False
    words = name.split()
    common = _ABSTRACT.search(name) or re.search(rf"\b{re.escape(name.lower())}\b", body)
    if len(words) == 1 and not name.isupper() and common:
        return False
    if _listed(name, body):
        return False  # "Kiely, Hreidarsson, Perry, Konchesky": a line-up, of no known kind
    if re.match(r",\s[A-Z][\w-]*(?:,\s[A-Z][\w-]*)*,?\s(?:and|&)\s[A-Z]", text[b:]):
        return False  # the name goes on: "Children, Youth and Media"
    before = text[s.sentence.start : a]
    if re.search(r",\s[A-Z][\w-]*\s(?:and|&)\s$", before):
        return False  # the end of a name: "Children, Youth and Media"
    if len(words) == 1 and re.search(r"\b(?:in|from|near)\s$", before):
        return False  # "a later one in Rio": a place
    joined = re.search(r"([A-Z][\w-]*),?\s(?:and|&|of|for)\s$", before)
    if joined:  # "... Entertainment and Leisure Software ...", unless another name ends there
        end = s.sentence.start + joined.end(1)
        return any(e == end for _, e, _ in s.sentence.entities)
    return True


def _listed(name: str, body: str) -> bool:
    """Whether `name` stands in a list of three or more capitalised names and nothing else."""
    item = r"[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?(?:\s\([^)]*\))?"
    run = rf"(?:{item},\s)*{re.escape(name)}(?:,\s{item})*"
    return any(m.group(0).count(",") >= 2 for m in re.finditer(run, body))


def topic_words(title: str | None, sents: list[ArticleSentence], people: list[Person]) -> set[str]:
    """The words of what the article is about: the names in its title (its capitalised words)
    and the name of the entity it mentions most. A key among them is a give-away."""
    words = set()
    for w in re.findall(r"[A-Z][\w-]*", title or ""):
        words |= set(name_key(w).split())
    counts: Counter[str] = Counter()
    for s in sents:
        for m in s.sentence.entities:
            if m[2] in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"):
                span = re.sub(r"['’]s?$", "", s.span(m))
                counts[canonical_name(span, people) or name_key(span)] += 1
    if counts:
        top, n = counts.most_common(1)[0]
        if n >= 3:
            words |= set(name_key(top).split())
    return words - _TITLE_STOP


_TITLE_STOP = frozenset(
    "a an the of in on at to for and or but is are was were be by with from as says say said "
    "new how why what who when where not no".split()
)


def on_topic(key: str, topic: Iterable[str]) -> bool:
    """Whether `key` names the topic, spelt as the article spells it or with one letter off
    ("DaimerChrysler", the article's own typo for "DaimlerChrysler")."""
    words, topic = set(name_key(key).split()), set(topic)
    if words & topic:
        return True
    return any(
        len(w) >= 6 and SequenceMatcher(None, w, t).ratio() >= 0.9 for w in words for t in topic
    )


_OPENING = re.compile(r"(?:He|She|It|They|This|That|These|Those|Its|Their|His|Her|We|I|You|Our)\b")
_PERSONAL = re.compile(r"\b(?:he|she|him|his|her|himself|herself)\b", re.I)


def usable(s: ArticleSentence, people: list[Person]) -> bool:
    """A sentence that stands on its own as a question: a whole sentence (no list bullet,
    no clause cut off, not the inside of a longer quotation), no "he"/"she" without the
    person named, no "I"/"we" outside quotation marks, and any quotation with its speaker
    named."""
    text = s.sentence.text.strip()
    if first_person(text):
        return False  # "But we stood up and credit to us we didn't capitulate."
    text = opening(text[connective_end(text) :])
    if not 8 <= len(text.split()) <= 45 or _OPENING.match(text) or points_back(text):
        return False  # a pronoun, "The move ...", "risk of this happening": shown alone, unclear
    if unattributed(s):
        return False  # someone's words read as the article's: the inside of a quotation
    if not (text[:1].isupper() or text[:1].isdigit() or text[:1] in "£$€"):
        return False  # a bullet, a lower-case continuation, an opening quotation mark
    if not re.search(r"[.!?][\"”’']?$", text):
        return False
    words = re.findall(r"[A-Za-z]+", text)
    if sum(w.islower() for w in words) < 0.4 * len(words):
        return False  # a line-up or a list of names, not prose
    straight = [m.start() for m in re.finditer('"', text)]
    if len(straight) % 2 and not text[straight[0] - 1 : straight[0]].isspace():
        return False  # it starts inside a quotation: its closing mark comes first
    if text.count("”") > text.count("“"):
        return False
    outside = re.sub(r"“[^”]*”?|\"[^\"]*\"?", " ", text)
    named = any(
        canonical_name(s.span(m), people) for m in s.mentions("PERSON") if s.span(m) in outside
    ) or any(a in outside for p in people for a in p.aliases | {p.name})
    if _PERSONAL.search(outside) and not named:
        return False
    quoted = any(len(q.split()) >= 3 for q in QUOTE.findall(text)) or len(straight) % 2
    if quoted and not named:  # a quotation needs its speaker: a name, or "the minister said"
        by_name = any(
            m[2] in ("PERSON", "ORG", "GPE", "NORP") and s.span(m) in outside
            for m in s.sentence.entities
        )
        by_role = re.search(r"\b(?:the|a|an)\s+[\w-]+(?:\s[\w-]+)?\s+(?:said|says|told)\b", outside)
        return bool(by_name or by_role)
    return True
