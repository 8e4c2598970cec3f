"""True/false items: a sentence of the article as it stands (True), or the same sentence with
one person, place or figure swapped for another of the same kind that the article itself
names in a comparable role (False)."""

from __future__ import annotations

import random
import re
from dataclasses import replace

from bot.brief.facts import SPEECH, ArticleSentence, Person, name_key
from bot.brief.quotes import attribute
from bot.qa.citations import cite
from bot.quiz.distractors import entities, fact_swaps, same_name
from bot.quiz.model import QuizItem, make_item
from bot.quiz.rules import connective_end, opening, organisation, person_words, usable
from bot.quiz.slots import sort_of
from index.ingest import dateline_end
from index.store import StoredArticle


def tf_items(
    sents: list[ArticleSentence], people: list[Person], rng: random.Random, stored: StoredArticle
) -> list[QuizItem]:
    """A sentence as the article says it (True), and where a like-for-like swap exists, the
    same sentence with one thing swapped (False); the quiz takes at most one of the two,
    choosing the key that keeps True and False near half and half. A swap of who or what
    is preferred to a bare change of figure, which tests memory more than the point."""
    body = stored.article.body
    places = [s.span(m) for s in sents for m in s.mentions("GPE", "LOC")]
    speakers = {who for _, _, who in attribute(sents, people) if who}
    orgs, norps = _organisations(sents, people, body), _nationalities(sents)
    out = []
    for s in sents:
        if not usable(s, people):
            continue
        first = s.sentence.start + dateline_end(s.sentence.text)  # not a claim
        first += connective_end(s.passage.text[first : s.sentence.end])  # "However, ..."
        text = opening(s.passage.text[first : s.sentence.end])
        c = cite(s.passage, first, s.sentence.end)
        why = f"True. {c.passage} says: “{c.quote}”"
        out.append(
            make_item("tf", f"True or false? {text}", ["True", "False"], "True", rng, c,
                      f"{s.index}:tf", why)
        )  # fmt: skip
        swaps = [
            ((a, b), r)
            for (a, b), r in fact_swaps(s, people, body, places)
            + _name_swaps(s, orgs)
            + _name_swaps(s, norps)
            if a >= first and _comparable(s.passage.text, b, r, people, speakers)
        ]
        named = [w for w in swaps if not re.match(r"[£$€]?\d", w[1])]
        if not (named or swaps):
            continue
        (a, b), replacement = rng.choice(named or swaps)
        false = opening(s.passage.text[first:a] + replacement + s.passage.text[b : s.sentence.end])
        if false in body:
            continue
        why = f"False. {c.passage} says “{s.passage.text[a:b]}”, not “{replacement}”: “{c.quote}”"
        out.append(
            make_item("tf", f"True or false? {false}", ["True", "False"], "False", rng, c,
                      f"{s.index}:tf", why)
        )  # fmt: skip
    return [_natural_order(i) for i in out]  # tf options keep their natural order


def _organisations(
    sents: list[ArticleSentence], people: list[Person], body: str
) -> dict[tuple[int, int, int], str]:
    """The article's organisations, on evidence that they are ones: (sentence, start, end)."""
    pwords = person_words(sents, people)
    return {
        (s.index, a, b): s.passage.text[a:b]
        for s in sents
        for a, b, label in entities(s)
        if label == "ORG"
        and organisation(s, a, b, pwords, body)
        and _ORG.search(s.span((a, b, "")))
    }


# the head of an organisation's name: evidence strong enough to swap one organisation for
# another ("Gartner", "Tiago" and "MMS" are all tagged organisations; "Home Office" is one)
_ORG = re.compile(
    r"\b(?:Office|Committee|Commission|Department|Ministry|Institute|Association|University|"
    r"College|School|Council|Bank|Company|Corporation|Corp|Group|Party|Ltd|Inc|plc|Club|Agency|"
    r"Service|Authority|Foundation|Centre|Center|Board|Union|League|Federation|Society|Trust|"
    r"Organisation|Organization|Court|Parliament|Assembly|Police|Army)\b"
)


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"\b[A-Z][\w'’-]*", name))


def _related(a: str, b: str) -> bool:
    """Whether one name's acronym stands for the other ("MMC" and "Marsh & McLennan")."""
    for x, y in ((a, b), (b, a)):
        for acronym in re.findall(r"\b[A-Z]{2,}\b", x):
            if _initials(y) and acronym.startswith(_initials(y)[:2]):
                return True
    return False


def _nationalities(sents: list[ArticleSentence]) -> dict[tuple[int, int, int], str]:
    """The article's nationalities ("North Korean", "Russian"): one swapped for another the
    article names changes who did what ("South Korean troops")."""
    return {
        (s.index, a, b): s.passage.text[a:b]
        for s in sents
        for a, b, label in entities(s)
        if label == "NORP" and (sort_of(s.passage.text[a:b]) or "").startswith("nationality")
    }


def _name_swaps(
    s: ArticleSentence, orgs: dict[tuple[int, int, int], str]
) -> list[tuple[tuple[int, int], str]]:
    """One of the article's organisations (or nationalities) for another it names elsewhere
    (never one this sentence names, nor a spelling of the same one: "Mercedes" for
    "Mercedes-Benz")."""
    sentence = s.sentence.text
    names = list(dict.fromkeys(orgs.values()))
    out = []
    text = s.passage.text
    for (i, a, b), name in orgs.items():
        if i != s.index or re.search(r"['’]s\s$", text[:a]) or re.match(r"\s*\([A-Z]", text[b:]):
            continue  # "The Bank's Monetary Policy Committee (MPC)": the swap reads as nonsense
        others = [
            o for o in names
            if o not in sentence and not same_name(name_key(o), name_key(name))
            and not _related(o, name)
            and o.lower().startswith("the ") == name.lower().startswith("the ")
        ]  # fmt: skip
        out += [((a, b), o) for o in random.Random(a).sample(others, min(2, len(others)))]
    return out


def _comparable(
    text: str, end: int, replacement: str, people: list[Person], speakers: set[str]
) -> bool:
    """A person who speaks in the sentence ("X said", "X acknowledged") is swapped only for
    someone the article quotes too: a speaker for a speaker."""
    if replacement not in {p.name for p in people}:
        return True
    speaking = re.match(r"\s+(?:has\s+|had\s+|also\s+)?(\w+)", text[end:])
    return not (speaking and SPEECH.fullmatch(speaking.group(1))) or replacement in speakers


def _natural_order(item: QuizItem) -> QuizItem:
    opts = ("True", "False")
    return replace(item, options=opts, answer=opts.index(item.answer_text))
