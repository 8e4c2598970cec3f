"""Items on the article's people: who holds a role ("Who is the project manager?"), who said a
quotation, and what the person who said a quotation is (a fact that needs two passages)."""

from __future__ import annotations

import random
import re
from dataclasses import replace

from bot.brief.facts import ArticleSentence, Person, name_end, name_key
from bot.brief.quotes import attribute
from bot.qa.citations import cite
from bot.quiz.distractors import distinct
from bot.quiz.grading import normalise
from bot.quiz.model import QuizItem, make_item

_QUOTE_WORDS = 6  # a quotation shorter than this means little out of its sentence


def role_items(people: list[Person], rng: random.Random, body: str) -> list[QuizItem]:
    """ "Who is the South Korean Defense Minister?" with the article's other people as options;
    only for a role the article gives one person alone (not "the DJ" of a story on two)."""
    out = []
    for p in people:
        if not (p.role and p.role_span) or _shared_role(p, people, body) or _forename(p, body):
            continue
        others = distinct(p.name, [q.name for q in people], rng)
        if others is None:
            continue
        c = cite(p.first.passage, p.role_span[0], name_end(p, p.role_span[1]))
        if p.name not in c.quote and not any(a in c.quote for a in p.aliases):
            continue
        article = "the" if not p.role.lower().startswith(("a ", "an ", "the ")) else ""
        q = f"According to the article, who is {article} {p.role}?".replace("  ", " ")
        out.append(
            make_item(
                "mcq",
                q,
                [p.name, *rng.sample(others, 3)],
                p.name,
                rng,
                c,
                f"{p.first.index}:role-{name_key(p.name)}",
            )
        )
    return out


def _forename(p: Person, body: str) -> bool:
    """Whether p's "role" is one capitalised word written as part of the name ("Dean" of "Dean
    Kiely"): a forename, not a role."""
    role = p.role or ""
    if not re.fullmatch(r"[A-Z][a-z]+", role):
        return False
    return any(f"{role} {a}" in body for a in p.aliases | {p.name})


def _shared_role(p: Person, people: list[Person], body: str) -> bool:
    """Whether the head word of p's role ("DJ" of "fellow DJ") stands next to another of the
    article's people anywhere in it ("DJ Norman Cook", "Dan Peppe, a DJ")."""
    head = re.findall(r"[\w-]+", p.role or "")[-1:]
    if not head:
        return False
    names = [a for q in people if q is not p for a in q.aliases | {q.name} if len(a) > 2]
    for m in re.finditer(rf"\b{re.escape(head[0])}\b", body, re.I):
        near = body[max(m.start() - 30, 0) : m.end() + 30]
        if any(re.search(rf"\b{re.escape(n)}\b", near) for n in names):
            return True
    return False


def speaker_role_items(
    sents: list[ArticleSentence], people: list[Person], rng: random.Random
) -> list[QuizItem]:
    """A fact that needs two passages: who said a quotation (one passage) and what the article
    says that person is (another passage). "What is the role of the person who said “...”?"
    """
    out = []
    roles = {p.name: p.role for p in people if p.role and p.role_span}
    for s, quote_span, speaker in attribute(sents, people):
        person = next((p for p in people if p.name == speaker), None)
        if person is None or speaker not in roles or person.role_span is None:
            continue
        if person.first.passage.id == s.passage.id:
            continue  # one passage would do: that is an easy question
        if not any(a in s.sentence.text for a in person.aliases | {person.name}):
            continue  # the speaker must be named in the quoted sentence itself
        key = str(roles[speaker])
        pool = [r for n, r in roles.items() if n != speaker and r]
        others = [r for r in dict.fromkeys(pool) if normalise(r) != normalise(key)]
        role_cite = cite(
            person.first.passage, person.role_span[0], name_end(person, person.role_span[1])
        )
        others = [r for r in others if r not in role_cite.quote and key not in r]
        if len(others) < 3:
            continue
        said = cite(s.passage, s.sentence.start, s.sentence.end)
        quote = s.passage.text[quote_span[0] : quote_span[1]].strip('“”" ,')
        if len(quote.split()) < _QUOTE_WORDS:
            continue
        q = f"What is the role of the person who said “{quote}”?"
        why = (
            f"{said.passage} says who said it: “{said.quote}”; "
            f"{role_cite.passage} gives the role: “{role_cite.quote}”"
        )
        item = make_item(
            "mcq", q, [key, *rng.sample(others, 3)], key, rng, role_cite,
            f"{s.index}:said-role-{name_key(speaker)}", why,
        )  # fmt: skip
        out.append(replace(item, citations=(role_cite, said), passage=said.passage))
    return out


def who_said_items(
    sents: list[ArticleSentence], people: list[Person], rng: random.Random
) -> list[QuizItem]:
    """Who said a quotation of the article (one that means something on its own); the wrong
    options are the article's other speakers first, then its other people."""
    out = []
    found = attribute(sents, people)
    speakers = {who for _, _, who in found if who}
    names = [p.name for p in people]
    rng.shuffle(names)
    names.sort(key=lambda n: n not in speakers)
    for s, quote_span, speaker in found:
        person = next((p for p in people if p.name == speaker), None)
        if (
            speaker is None
            or person is None
            or not any(a in s.sentence.text for a in person.aliases | {person.name})
        ):
            continue  # the key must stand in the cited sentence itself
        pool = [n for n in names if n not in s.sentence.text]
        others = distinct(speaker, pool, rng, ordered=True)
        quote = s.passage.text[quote_span[0] : quote_span[1]].strip('“”" ,')
        if others is None or len(quote.split()) < _QUOTE_WORDS:
            continue  # "the likelihood is pretty high": of what?
        c = cite(s.passage, s.sentence.start, s.sentence.end)
        q = f"Who said “{quote}”?"
        item = make_item("who_said", q, [speaker, *others], speaker, rng, c, f"{s.index}:said")
        out.append(item)
    return out
