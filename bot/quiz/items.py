"""Quizzes on one article: questions built from its own sentences, every key cited and checked.

Types: "mcq" (who holds a role, or which name completes a sentence, 4 options), "tf"
(a sentence of the article, or the same sentence with one fact swapped), "who_said"
(attributed quotations), "number" (which figure completes a sentence, 4 options of the
same unit and magnitude), "fill" (a cloze sentence answered in free text). Offline and
deterministic for a seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from bot.brief.facts import (
    ArticleSentence,
    Person,
    article_sentences,
    find_people,
    name_end,
    name_key,
    quote_speakers,
)
from bot.qa.citations import Citation, cite
from bot.quiz.distractors import (
    FALLBACK,
    KINDS,
    distinct,
    entities,
    fact_swaps,
    number_distractors,
    people_words,
)
from bot.quiz.grading import normalise
from bot.quiz.model import BLANK, Quiz, QuizError, QuizItem, QuizRequest, make_item
from index.ingest import dateline_end
from index.store import StoredArticle


def generate_quiz(stored: StoredArticle, request: QuizRequest) -> Quiz:
    """The quiz `request` asks for, on `stored` (its `articles` are the caller's business)."""
    n, difficulty, wanted = request.n, request.difficulty, list(request.kinds)
    rng = random.Random(request.seed)
    sents = article_sentences(stored)
    people = find_people(sents)
    pools = {t: _candidates(t, sents, people, rng, stored) for t in wanted}
    for pool in pools.values():
        rng.shuffle(pool)
        if difficulty == "easy":  # direct facts from the top of the story first
            pool[:] = [item for item in pool if len(item.citations) == 1]
            pool.sort(key=lambda item: int(re.sub(r"\D.*", "", item.passage[1:]) or 0))
        elif difficulty == "hard":  # facts that need two passages first, then the later ones
            pool.sort(
                key=lambda item: (
                    len(item.citations) < 2,
                    -int(re.sub(r"\D.*", "", item.passage[1:]) or 0),
                )
            )
    chosen: list[QuizItem] = []
    seen_facts: set[str] = set()
    used_sentences: set[str] = set()
    per_passage: dict[str, int] = {}
    cap = 1
    while len(chosen) < n and any(pools.values()):
        progressed = False
        for t in wanted:  # round robin over types: a mixed quiz
            pool = pools[t]
            while pool:
                item = pool.pop(0)
                sentence = item.fact.split(":")[0]
                full = per_passage.get(item.passage, 0) >= cap or (
                    cap == 1 and sentence in used_sentences
                )
                if item.fact in seen_facts or full:
                    if item.fact not in seen_facts:
                        pools.setdefault("_later", []).append(item)
                    continue
                chosen.append(item)
                seen_facts.add(item.fact)
                used_sentences.add(sentence)
                per_passage[item.passage] = per_passage.get(item.passage, 0) + 1
                progressed = True
                break
            if len(chosen) == n:
                break
        if not progressed:  # every passage used: allow one more item per passage
            cap += 1
            for item in pools.pop("_later", []):
                pools[item.type].append(item)
            if cap > 10:
                break
    if not chosen:
        raise QuizError("the article has too few facts to make a quiz of those types")
    numbered = tuple(replace(item, id=f"q{i}") for i, item in enumerate(chosen, start=1))
    return Quiz(stored.name, request.seed, numbered)


def _candidates(
    kind: str,
    sents: list[ArticleSentence],
    people: list[Person],
    rng: random.Random,
    stored: StoredArticle,
) -> list[QuizItem]:
    if kind == "mcq":
        return (
            _role_items(people, rng)
            + _name_cloze_items(sents, people, rng)
            + _speaker_role_items(sents, people, rng)
        )
    if kind == "tf":
        return _tf_items(sents, people, rng, stored)
    if kind == "who_said":
        return _who_said_items(sents, people, rng)
    if kind == "number":
        return _number_items(sents, rng, stored)
    return _fill_items(sents)


def _role_items(people: list[Person], rng: random.Random) -> list[QuizItem]:
    """ "Who is the South Korean Defense Minister?" with the article's other people as options."""
    out = []
    for p in people:
        if not (p.role and p.role_span):
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


def _speaker_role_items(
    sents: list[ArticleSentence], people: list[Person], rng: random.Random
) -> list[QuizItem]:
    """A fact that needs two passages: who said a quotation (one passage) and what the article
    says that person is (another passage). "What is the role of the person who said “...”?"
    """
    out = []
    roles = {p.name: p.role for p in people if p.role and p.role_span}
    for s, quote_span, speaker in quote_speakers(sents, people):
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


def _cloze(s: ArticleSentence, a: int, b: int) -> tuple[str, Citation]:
    """The sentence with passage[a:b] blanked, and the citation of the whole sentence."""
    text = s.passage.text
    c = cite(s.passage, s.sentence.start, s.sentence.end)
    return text[s.sentence.start : a] + BLANK + text[b : s.sentence.end], c


def _usable(s: ArticleSentence) -> bool:
    words = len(s.sentence.text.split())
    # A sentence opening with a pronoun ("He said ...") means nothing out of context.
    pronoun = re.match(r"(?:He|She|It|They|This|That|These|Those)\b", s.sentence.text)
    return 8 <= words <= 45 and not s.sentence.text.startswith(("“", '"')) and not pronoun


def _name_cloze_items(
    sents: list[ArticleSentence], people: list[Person], rng: random.Random
) -> list[QuizItem]:
    """Which name completes a sentence of the article; options of the same kind."""
    person_words = people_words(people)
    by_kind: dict[str, dict[str, str]] = {}
    for s in sents:
        for a, b, label in entities(s):
            if label in KINDS:
                name = s.passage.text[a:b]
                by_kind.setdefault(KINDS[label], {}).setdefault(name_key(name), name)
    out = []
    for s in filter(_usable, sents):
        for a, b, label in entities(s):
            if label not in KINDS or b - a < 3:
                continue
            key = s.passage.text[a:b]
            if key.lower().startswith("the ") or not key[:1].isupper():
                continue
            kind = KINDS[label]
            if kind != "PERSON" and set(name_key(key).split()) & person_words:
                continue  # "Rollo" tagged as an organisation: its kind is in doubt, skip it
            pool = [v for v in by_kind.get(kind, {}).values() if not v.isupper()]
            pool += FALLBACK.get(kind, ())
            # A name the cited passage itself mentions may well also fit ("North Korea" for
            # "Pyongyang"): only names from elsewhere are offered as wrong answers.
            # A place or organisation holding a person's name is a tagging slip.
            pool = [
                v
                for v in pool
                if v not in s.passage.text and not set(name_key(v).split()) & person_words
            ]
            if s.passage.text[max(a - 4, 0) : a].lower() == "the ":  # "The _____ has said"
                pool = [v for v in pool if not v.lower().startswith("the ")]
            options = distinct(key, list(dict.fromkeys(pool)), rng)
            if options is None or s.sentence.text.count(key) > 1:
                continue
            blanked, c = _cloze(s, a, b)
            q = f"Which {_KIND_WORD[kind]} completes this sentence from the article? “{blanked}”"
            fact = f"{s.index}:{name_key(key)}"
            out.append(make_item("mcq", q, [key, *options], key, rng, c, fact))
    return out


_KIND_WORD = {"PERSON": "name", "PLACE": "place", "ORG": "organisation", "NORP": "word"}


def _tf_items(
    sents: list[ArticleSentence], people: list[Person], rng: random.Random, stored: StoredArticle
) -> list[QuizItem]:
    """A sentence as the article says it (True), or with one name or figure swapped (False)."""
    body = stored.article.body
    out = []
    for s in filter(_usable, sents):
        first = s.sentence.start + dateline_end(s.sentence.text)  # not a claim
        text = s.passage.text[first : s.sentence.end]
        c = cite(s.passage, first, s.sentence.end)
        swaps = fact_swaps(s, sents, body)
        if swaps and rng.random() < 0.5:
            (a, b), replacement = rng.choice(swaps)
            if a < first:
                continue
            false = text[: a - first] + replacement + text[b - first :]
            if false in body:
                continue
            why = (
                f"False. {c.passage} says “{s.passage.text[a:b]}”, not “{replacement}”: “{c.quote}”"
            )
            out.append(
                make_item(
                    "tf",
                    f"True or false? {false}",
                    ["True", "False"],
                    "False",
                    rng,
                    c,
                    f"{s.index}:tf",
                    why,
                )
            )
        else:
            why = f"True. {c.passage} says: “{c.quote}”"
            out.append(
                make_item(
                    "tf",
                    f"True or false? {text}",
                    ["True", "False"],
                    "True",
                    rng,
                    c,
                    f"{s.index}:tf",
                    why,
                )
            )
    # tf options keep their natural order
    return [_natural_order(i) for i in out]


def _natural_order(item: QuizItem) -> QuizItem:
    opts = ("True", "False")
    return replace(item, options=opts, answer=opts.index(item.answer_text))


def _who_said_items(
    sents: list[ArticleSentence], people: list[Person], rng: random.Random
) -> list[QuizItem]:
    out = []
    names = [p.name for p in people]
    for s, quote_span, speaker in quote_speakers(sents, people):
        person = next((p for p in people if p.name == speaker), None)
        if (
            speaker is None
            or person is None
            or not any(a in s.sentence.text for a in person.aliases | {person.name})
        ):
            continue  # the key must stand in the cited sentence itself
        others = distinct(speaker, [n for n in names if n not in s.sentence.text], rng)
        if others is None:
            continue
        c = cite(s.passage, s.sentence.start, s.sentence.end)
        quote = s.passage.text[quote_span[0] : quote_span[1]].strip('“”" ,')
        q = f"Who said “{quote}”?"
        out.append(
            make_item(
                "who_said", q, [speaker, *rng.sample(others, 3)], speaker, rng, c, f"{s.index}:said"
            )
        )
    return out


def _number_items(
    sents: list[ArticleSentence], rng: random.Random, stored: StoredArticle
) -> list[QuizItem]:
    body = stored.article.body
    out = []
    for s in filter(_usable, sents):
        for a, b, label in entities(s):
            span = s.passage.text[a:b]
            if s.passage.text[a - 1 : a] == "(":
                continue  # "50 kilometers (30 miles)": the conversion is not a fact of its own
            m = re.search(
                r"\d[\d,.]*(?:\s+(?:million|billion|percent|kilometers|miles|dollars))?", span
            )
            if label not in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT") or not m:
                continue
            key = m.group(0)
            distractors = number_distractors(key, body, rng)
            if len(distractors) < 3:
                continue
            ka, kb = a + m.start(), a + m.end()
            blanked, c = _cloze(s, ka, kb)
            q = f"Which figure completes this sentence from the article? “{blanked}”"
            out.append(
                make_item("number", q, [key, *distractors[:3]], key, rng, c, f"{s.index}:{key}")
            )
    return out


def _fill_items(sents: list[ArticleSentence]) -> list[QuizItem]:
    """Free-text cloze on a name, place or figure."""
    out = []
    for s in filter(_usable, sents):
        for a, b, label in entities(s):
            key = s.passage.text[a:b]
            if label not in ("PERSON", "GPE", "ORG", "CARDINAL", "QUANTITY") or len(key) < 3:
                continue
            if key.lower().startswith("the ") or key.isupper() or s.sentence.text.count(key) > 1:
                continue  # all capitals: a dateline ("WASHINGTON (AP)"), not a fact to recall
            blanked, c = _cloze(s, a, b)
            q = f"Fill in the blank: “{blanked}”"
            out.append(
                QuizItem(
                    "",
                    "fill",
                    q,
                    None,
                    key,
                    f"{c.passage} says: “{c.quote}”",
                    (c,),
                    f"{s.index}:{name_key(key)}",
                    c.passage,
                )
            )
    return out


# ---- grading ------------------------------------------------------------------------------
