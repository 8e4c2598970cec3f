"""Who "he", "she", "they", "it" are when a cited sentence does not say: the one the passages
given to the model are about. A story about Gaddafi goes on "In October 1961, he led a
demonstration"; a claim may say "Gaddafi led a demonstration" (`claims._check_units` asks,
after the sentence as it stands and its own passage's names have failed).

The subject is the person or organisation the passages name most, by far (spaCy finds the
names). A word is written as it only where nobody else could be meant: the word fits its kind
("he"/"she" a person of that sex, "it"/"they"/"the company" a thing), is not quoted, and no
other of its kind is named before it in its sentence or in the sentence before ("it"/"they"
also need the sentence before to name the subject)."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.passages import Passage

MARGIN = 2  # the subject is named at least this many times as often as the next one
LEAST = 3  # and at least this many times in all

# what an organisation is called in its own story: "the company's headquarters"
_BODIES = (
    r"[Tt]he\s+(?:company|club|firm|corporation|group|band|party|team|agency|bureau"
    r"|organi[sz]ation)"
)
# the subject's words by kind: (as a subject or object, as an owner)
_WORDS = {
    "he": (r"[Hh]e|[Hh]im", r"[Hh]is"),
    "she": (r"[Ss]he", r"[Hh]er"),
    "it": (
        rf"[Ii]t(?=\s+[a-z])|[Tt]hey(?=\s+[a-z])|{_BODIES}(?!['’])",
        rf"[Ii]ts|[Tt]heir|{_BODIES}['’]s?",
    ),
}
# who else the word could mean, as spaCy labels names: a person for "he"/"she"; for "it",
# "they" anything named; for "the company" another organisation
_PERSON = frozenset({"PERSON"})
_NAMED = frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "GPE", "EVENT", "FAC", "NORP"})
_ORG = frozenset({"ORG"})


@dataclass(frozen=True)
class Subject:
    name: str  # as the passages write it most: "Gaddafi", "Arsenal"
    pronoun: str  # "he", "she" or "it" (a thing: "it", "they", "the company")


def _key(name: str, person: bool) -> str:
    """A person counts by the last word of their name ("Muammar Gaddafi" is "Gaddafi")."""
    words = re.sub(r"['’]s$", "", name.strip()).split()
    return words[-1] if person and words else " ".join(words)


Entity = tuple[str, str]  # a name as written, spaCy's label for it


@functools.lru_cache(maxsize=64)
def main_subject(texts: tuple[str, ...], found: tuple[Entity, ...] | None = None) -> Subject | None:
    """The person or organisation `texts` name most, if by far (MARGIN, LEAST): spaCy finds
    the names (or `found` gives them: the index found them already), and each counts every
    time the texts write it. A person (spaCy reads the name as one somewhere, and the texts
    say "he"/"she" more than "it"/"they") is "he" or "she", whichever the texts say more;
    anything else is "it"."""
    if found is None:
        from index.nlp import load_nlp

        found = tuple((e.text, e.label_) for doc in load_nlp().pipe(texts) for e in doc.ents)
    people: set[str] = set()
    names: set[str] = set()
    for text, label in found:
        if label in ("PERSON", "ORG"):
            key = _key(text, label == "PERSON")
            names.add(key)
            if label == "PERSON":
                people.add(key)
    counts = Counter(
        {
            n: sum(len(re.findall(rf"(?<![\w-]){re.escape(n)}(?![\w-])", t)) for t in texts)
            for n in names
        }
    )
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < LEAST:
        return None
    if len(ranked) > 1 and ranked[0][1] < MARGIN * ranked[1][1]:
        return None  # two candidates: neither is plainly "he" or "it"
    said = Counter(w.lower() for t in texts for w in re.findall(r"\b[A-Za-z]+\b", t))
    he, she = said["he"] + said["his"] + said["him"], said["she"] + said["her"]
    things = said["it"] + said["its"] + said["they"] + said["their"]
    name = ranked[0][0]
    if name in people and he + she > things:
        return Subject(name, "she" if she > he else "he")
    return Subject(name, "it")


@functools.lru_cache(maxsize=512)
def _others(text: str, subject: str, labels: frozenset[str]) -> bool:
    """Does `text` name something of `labels` (spaCy's) other than `subject`?"""
    from index.nlp import parse

    return any(e.label_ in labels and subject not in e.text for e in parse(text).ents)


def with_subject(sentence: str, previous: str, subject: Subject) -> str:
    """`sentence` with its words for the subject ("she", "her", "the company's") written as
    the subject ("Lopez", "Lopez's"), or as they are where someone else could be meant:
    another of its kind named before the word in the sentence or in the sentence before it;
    for "it"/"they", also unless the sentence before names the subject."""
    plain, owner = _WORDS[subject.pronoun]
    pattern = re.compile(rf"(?<![\w'’])(?:({plain})|({owner}))(?![\w'’])")

    def swap(m: re.Match[str]) -> str:
        word, before = m.group(0), sentence[: m.start()]
        body = re.match(_BODIES, word)
        labels = _ORG if body else _NAMED if subject.pronoun == "it" else _PERSON
        unnamed = subject.pronoun == "it" and not body and subject.name not in previous
        if unnamed or len(re.findall(r"[\"“”]", before)) % 2:
            return word
        if _others(before, subject.name, labels) or _others(previous, subject.name, labels):
            return word
        return subject.name if m.group(1) else f"{subject.name}'s"

    return pattern.sub(swap, sentence)


def subject_of(passages: Sequence[Passage]) -> Subject | None:
    """The one `passages` are about (`main_subject`), if any: from the names the index found
    in them (`Passage.sentences`), or, for passages without (built outside the index), from
    a parse of their text."""
    texts = tuple(p.text for p in passages)
    if not any(p.sentences for p in passages):
        return main_subject(texts)
    found = tuple(
        (p.text[a:b], label) for p in passages for s in p.sentences for a, b, label in s.entities
    )
    return main_subject(texts, found)
