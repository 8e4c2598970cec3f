"""Facts the briefing and the quiz share: an article's sentences in order, its people with the
roles the article gives them (one entry per person, however the name is spelled), and who
said each direct quotation."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from bot.qa.citations import Citation, cite
from index.passages import Passage, Sentence
from index.people_words import SPEECH_PATTERN
from index.store import StoredArticle

QUOTE = re.compile(r"[“\"]([^”\"]{2,400})[”\"]")
SPEECH = re.compile(
    rf"\b(?:{SPEECH_PATTERN}|estimated|assess(?:es|ed)?|believe[sd]?|reported|according to)\b"
)


FIGURE = re.compile(
    r"(?P<cur>[£$€])?(?P<num>\d(?:[\d,]*\d)?(?:\.\d+)?)"
    r"(?P<scale>m\b|bn\b|k\b|\s(?:million|billion|trillion)\b)?"
    r"(?P<pct>%|\s?per\s?cent\b|\s?percent\b)?"
)


_CALENDAR = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun Jul Aug Sep "
    "Sept Oct Nov Dec".split()
)


# capitalised only as a sentence's first word: "Some 300 jobs", "About 40% of ..."
_OPENERS = frozenset(
    "some about almost nearly only just over around up more less fewer the all by in at on of "
    "to with for from since until after before another roughly exactly and but while when "
    "than top just at least".split()
)


def figure_in(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The figure inside text[a:b] with its currency, scale and percent sign, which may sit
    just outside the entity ("£" before it, "m" or "%" after it)."""
    m = FIGURE.search(text, max(a - 1, 0), min(b + 10, len(text)))
    if m is None or m.start("num") >= b:
        return None
    if m.group("cur") is None and m.start() > 0 and text[m.start() - 1].isalnum():
        return None  # a digit inside a word ("MP3")
    end = m.end()
    if re.match(r"[\w.,]\w", text[end : end + 2]) or text[end : end + 1].isalpha():
        return None  # "10-12", "3rd", "4x4": not a plain figure
    bare = not (m.group("cur") or m.group("scale") or m.group("pct"))
    word = re.search(r"\b([A-Z][A-Za-z]+)\s$", text[max(m.start() - 30, 0) : m.start()])
    if bare and word and word.group(1) not in _CALENDAR and word.group(1).lower() not in _OPENERS:
        return None  # "Andre 3000", "Windows 2000", "FTSE 100": a number in a name
    return m.start(), end


def article_sentences(stored: StoredArticle) -> list[ArticleSentence]:
    pairs = ((p, s) for p in stored.passages for s in p.sentences)
    return [ArticleSentence(p, s, i) for i, (p, s) in enumerate(pairs)]


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
    aka: tuple[str, ...] = ()  # other names it goes by ("aka Fatboy Slim")
    count: int = 1  # how many times the article names it


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """One key for spellings of one name: "Kim Yong Hyun" and "Kim Yong-hyun" agree."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", name.replace("-", " ")).lower().split())


def find_people(sents: list[ArticleSentence]) -> list[Person]:
    """The article's people, from the one resolver the answerer uses too
    (`index/people.py`): one entry per person under all its names, only on evidence that it
    is a person, with the role the article gives (before or after the name)."""
    if not sents:
        return []
    from index.people import people_in

    found = people_in(_body(sents))
    out = []
    for person in found:
        anchor = person.role_span[0] if person.role_span else person.mentions[0][0]
        s = _sentence_at(sents, anchor)
        if s is None:
            continue
        role_span = None
        if person.role_span and _sentence_at(sents, person.role_span[1] - 1) is s:
            a, b = (x - s.passage.start for x in person.role_span)
            role_span = (a, b)
        role = s.passage.text[role_span[0] : role_span[1]] if role_span else None
        aliases = {person.name, *person.aliases}
        out.append(
            Person(person.name, role, s, role_span, aliases, person.aka, len(person.mentions))
        )
    return sorted(out, key=lambda p: p.first.index)


def _body(sents: list[ArticleSentence]) -> str:
    """The article body the passages point into, rebuilt from them (offsets preserved)."""
    passages = list({id(s.passage): s.passage for s in sents}.values())
    chars = [" "] * max(p.end for p in passages)
    for p in passages:
        chars[p.start : p.end] = p.text
    for before, after in zip(passages, passages[1:], strict=False):
        if after.paragraph != before.paragraph and after.start - before.end >= 1:
            chars[before.end : after.start] = "\n" * (after.start - before.end)
    return "".join(chars)


def _sentence_at(sents: list[ArticleSentence], offset: int) -> ArticleSentence | None:
    for s in sents:
        base = s.passage.start
        if base + s.sentence.start <= offset < base + s.sentence.end:
            return s
    return None


_NAME_LIST = re.compile(r"[\s,]*(?:(?:[A-Z][\w'’.-]*\s*)+(?:,\s*|\s+and\s+))*")


def name_end(p: Person, role_end: int) -> int:
    """End of the name that follows its role in the passage, so the quote shows both; also
    when other names of a list come between ("photographers David Bailey, Rankin")."""
    text = p.first.passage.text
    for name in sorted(p.aliases | {p.name}, key=len, reverse=True):
        at = text.find(name, role_end)
        if 0 <= at - role_end <= 3 or at > 0 and _NAME_LIST.fullmatch(text[role_end:at]):
            return at + len(name)
    return role_end


def canonical_name(name: str, people: list[Person]) -> str | None:
    """The full name of the person `name` refers to (any alias, surname alone when only one
    person has it); None when it is none of `people`."""
    key = name_key(re.sub(r"['’]s$", "", name.strip()))
    for p in people:
        if key == name_key(p.name) or key in {name_key(a) for a in p.aliases}:
            return p.name
    partial = [p for p in people if key and key in name_key(p.name).split()]
    return partial[0].name if len(partial) == 1 else None
