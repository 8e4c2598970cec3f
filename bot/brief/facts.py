"""Facts the briefing and the quiz share: an article's sentences in order, its people with the
roles the article gives them (one entry per person, however the name is spelled), and who
said each direct quotation."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from bot.qa.citations import Citation, cite
from bot.qa.lexical import STOP_WORDS
from index.passages import Passage, Sentence
from index.store import StoredArticle

QUOTE = re.compile(r"[“\"]([^”\"]{2,400})[”\"]")
SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|noted|added|asked|acknowledged|warned|stated|argued|"
    r"estimated|assess(?:es|ed)?|believe[sd]?|reported|announced|according to)\b"
)
_PRONOUN = re.compile(r"^(?:He|She)\b")
_TITLE_WORD = re.compile(r"^[A-Z][\w.'’-]*$")
_NAME_CONNECTORS = {"of", "for", "the"}


def article_sentences(stored: StoredArticle) -> list[ArticleSentence]:
    pairs = ((p, s) for p in stored.passages for s in p.sentences)
    return [ArticleSentence(p, s, i) for i, (p, s) in enumerate(pairs)]


def quote_speakers(
    sents: list[ArticleSentence], people: list[Person]
) -> list[tuple[ArticleSentence, tuple[int, int], str | None]]:
    """Direct quotations of three words or more: (sentence, span in the passage, speaker)."""
    out = []
    for s in sents:
        if not SPEECH.search(s.sentence.text):
            continue
        speaker = speaker_of(sents, s, people)
        for m in QUOTE.finditer(s.sentence.text):
            if len(m.group(1).split()) >= 3:
                out.append((s, (s.sentence.start + m.start(), s.sentence.start + m.end()), speaker))
    return out


@dataclass(frozen=True)
class ArticleSentence:
    passage: Passage
    sentence: Sentence
    index: int  # position in the article

    def cite(self, start: int | None = None, end: int | None = None) -> Citation:
        s = self.sentence
        return cite(
            self.passage, s.start if start is None else start, s.end if end is None else end
        )

    def mentions(self, *labels: str) -> list[tuple[int, int, str]]:
        return [m for m in self.sentence.entities if m[2] in labels]

    def span(self, m: tuple[int, int, str]) -> str:
        return self.passage.text[m[0] : m[1]]


@dataclass
class Person:
    name: str
    role: str | None
    first: ArticleSentence
    role_span: tuple[int, int] | None = None
    aliases: set[str] = field(default_factory=set)


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """One key for spellings of one name: "Kim Yong Hyun" and "Kim Yong-hyun" agree."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", name.replace("-", " ")).lower().split())


def find_people(sents: list[ArticleSentence]) -> list[Person]:
    people: dict[str, Person] = {}
    for s in sents:
        for m in _joined(s, s.mentions("PERSON")):
            name = re.sub(r"[)(]\s*", " ", s.span(m)).strip()
            name = re.sub(r"['’]s$", "", " ".join(name.split()))  # "Newcomen's" -> "Newcomen"
            if not name[:1].isupper():
                continue
            role = _title_before(s, m[0])
            key = name_key(name)
            person = people.get(key) or _match_partial(people, key)
            if person is None:
                person = people[key] = Person(name, None, s)
            elif len(name.split()) > len(person.name.split()):
                person.aliases.add(person.name)
                person.name = name
            person.aliases.add(name)
            if role and person.role is None:
                person.role, person.role_span, person.first = role[0], role[1], s
    # Single-word mentions ("Austin") fold into the one full name they belong to.
    for key in [k for k in people if " " not in k]:
        full = [p for k, p in people.items() if " " in k and key in k.split()]
        if len(full) == 1:
            short = people.pop(key)
            full[0].aliases |= short.aliases
            if full[0].role is None and short.role:
                full[0].role, full[0].role_span, full[0].first = (
                    short.role,
                    short.role_span,
                    short.first,
                )
    return sorted(people.values(), key=lambda p: p.first.index)


def _joined(s: ArticleSentence, mentions: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join a first name and a surname that a bracket split ("(... Vladimir) Putin")."""
    text = s.passage.text
    out: list[tuple[int, int, str]] = []
    for m in mentions:
        if out and re.fullmatch(r"[)\s]{1,3}", text[out[-1][1] : m[0]]):
            out[-1] = (out[-1][0], m[1], m[2])
        else:
            out.append(m)
    return out


def _match_partial(people: dict[str, Person], key: str) -> Person | None:
    if " " in key:
        return None
    hits = [p for k, p in people.items() if key in k.split()]
    return hits[0] if len(hits) == 1 else None


def _title_before(s: ArticleSentence, at: int) -> tuple[str, tuple[int, int]] | None:
    """Capitalised words right before a name: "South Korean Defense Minister" before
    "Kim Yong-hyun", "Secretary of State" before "Antony Blinken"."""
    text = s.passage.text
    words = list(re.finditer(r"[\w.'’-]+", text[s.sentence.start : at]))
    run: list[re.Match[str]] = []
    for w in reversed(words):
        between = text[
            s.sentence.start + w.end() : s.sentence.start
            + (run[0].start() if run else at - s.sentence.start)
        ]
        if between.strip(" ()"):
            break
        if _TITLE_WORD.match(w.group(0)) or (run and w.group(0) in _NAME_CONNECTORS):
            run.insert(0, w)
        else:
            break
    while run and run[0].group(0).lower() in STOP_WORDS | _NAME_CONNECTORS:
        run.pop(0)
    if not run or (len(run) == 1 and run[0].group(0).lower() in STOP_WORDS):
        return None
    a = s.sentence.start + run[0].start()
    b = s.sentence.start + run[-1].end()
    role = text[a:b]
    if role.isupper() or len(role) < 3:  # a dateline ("WASHINGTON"), not a role
        return None
    return role, (a, b)


def name_end(p: Person, role_end: int) -> int:
    """End of the name that follows its role in the passage, so the quote shows both."""
    text = p.first.passage.text
    for name in sorted(p.aliases | {p.name}, key=len, reverse=True):
        at = text.find(name, role_end)
        if 0 <= at - role_end <= 3:
            return at + len(name)
    return role_end


def speaker_of(
    sents: list[ArticleSentence], s: ArticleSentence, people: list[Person]
) -> str | None:
    """Who a sentence's "he"/"she" or speech verb points at: a named person in the sentence,
    else the last person named before it."""
    after_quote = re.search(
        r"[”\"],?\s+([A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)*)\s+(?:said|says)\b", s.sentence.text
    )
    if after_quote:  # “...,” Price said
        return canonical_name(after_quote.group(1), people)
    names = [s.span(m) for m in s.mentions("PERSON")]
    if names and not _PRONOUN.match(s.sentence.text):
        return canonical_name(names[-1] if QUOTE.match(s.sentence.text) else names[0], people)
    for prev in reversed(sents[: s.index]):
        found = prev.mentions("PERSON")
        if found:
            return canonical_name(prev.span(found[0]), people)
    return None


def canonical_name(name: str, people: list[Person]) -> str:
    key = name_key(name)
    for p in people:
        if key == name_key(p.name) or key in {name_key(a) for a in p.aliases}:
            return p.name
    partial = [p for p in people if key in name_key(p.name).split()]
    return partial[0].name if len(partial) == 1 else name
