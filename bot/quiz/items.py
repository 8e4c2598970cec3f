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
from collections.abc import Iterable
from dataclasses import replace

from bot.brief.facts import (
    ArticleSentence,
    Person,
    article_sentences,
    canonical_name,
    find_people,
    name_key,
)
from bot.qa.citations import Citation, cite
from bot.quiz.distractors import (
    KINDS,
    distinct,
    entities,
    figure_in,
    name_fits_pronouns,
    name_words,
    number_distractors,
    people_words,
)
from bot.quiz.model import BLANK, TYPES, Quiz, QuizError, QuizItem, QuizRequest, make_item
from bot.quiz.people_items import role_items, speaker_role_items, who_said_items
from bot.quiz.picker import Picker
from bot.quiz.rules import (
    connective_end,
    fits,
    on_topic,
    opening,
    organisation,
    person_words,
    slot_fits,
    tidy,
    topic_words,
    usable,
)
from bot.quiz.slots import place_slot, sort_of, typed_options
from bot.quiz.tf import tf_items
from index.store import StoredArticle


def generate_quiz(stored: StoredArticle, request: QuizRequest) -> Quiz:
    """The quiz `request` asks for, on `stored` (its `articles` are the caller's business).
    Each sentence of the article, and each fact, is asked at most once; a hard quiz that runs
    out of hard questions goes on with the other types; a quiz shorter than asked says why."""
    n, difficulty, wanted = request.n, request.difficulty, list(request.kinds)
    rng = random.Random(request.seed)
    sents = article_sentences(stored)
    people = find_people(sents)
    pools = {t: _pool(t, sents, people, rng, stored, difficulty) for t in wanted}
    picker = Picker(n, frozenset(people_words(people)))
    if difficulty == "hard":  # the facts that need two passages first, whatever their type
        picker.fill(wanted, {t: [i for i in p if len(i.citations) > 1] for t, p in pools.items()})
    picker.fill(wanted, pools)
    if len(picker.chosen) < n and difficulty == "hard" and not request.types:
        rest = [t for t in TYPES if t not in wanted]  # the hard facts are used up
        picker.fill(rest, {t: _pool(t, sents, people, rng, stored, "mixed") for t in rest})
        wanted += rest
    picker.fill_spare()  # options offered twice already: only when nothing else is left
    chosen = picker.chosen
    if not chosen:
        raise QuizError("the article has too few facts to make a quiz of those types")
    note = None
    if len(chosen) < n:
        note = (
            f"only {len(chosen)} of the {n} questions asked: the article has no more facts "
            f"of these types ({', '.join(wanted)}) that a question has not used already"
            + (
                "; true/false items stop where no false statement is left"
                if picker.held_back
                else ""
            )
        )
    numbered = tuple(replace(item, id=f"q{i}") for i, item in enumerate(chosen, start=1))
    return Quiz(stored.name, request.seed, numbered, note)


def _pool(
    kind: str,
    sents: list[ArticleSentence],
    people: list[Person],
    rng: random.Random,
    stored: StoredArticle,
    difficulty: str,
) -> list[QuizItem]:
    pool = _candidates(kind, sents, people, rng, stored)
    rng.shuffle(pool)
    if difficulty == "easy":  # direct facts from the top of the story first
        pool[:] = [item for item in pool if len(item.citations) == 1]
        pool.sort(key=lambda item: _paragraph(item))
    elif difficulty == "hard":  # facts that need two passages first, then the later ones
        pool.sort(key=lambda item: (len(item.citations) < 2, -_paragraph(item)))
    return pool


def _paragraph(item: QuizItem) -> int:
    return int(re.sub(r"\D.*", "", item.passage[1:]) or 0)


def _candidates(
    kind: str,
    sents: list[ArticleSentence],
    people: list[Person],
    rng: random.Random,
    stored: StoredArticle,
) -> list[QuizItem]:
    """The items of one type; none whose key is what the article is about (a name in its
    title, or the name it mentions most), which the question would give away."""
    body = stored.article.body
    pwords = person_words(sents, people)
    if kind == "mcq":
        items = (
            role_items(people, rng, body)
            + _name_cloze_items(sents, people, rng, pwords, body)
            + speaker_role_items(sents, people, rng)
        )
    elif kind == "tf":
        return tf_items(sents, people, rng, stored)
    elif kind == "who_said":
        items = who_said_items(sents, people, rng)
    elif kind == "number":
        items = _number_items(sents, people, rng, stored)
    else:
        items = _fill_items(sents, people, pwords, body)
    topic = topic_words(stored.article.title, sents, people)
    return [i for i in items if not on_topic(i.answer_text, topic)]


def _cloze(s: ArticleSentence, a: int, b: int) -> tuple[str, Citation]:
    """The sentence with passage[a:b] blanked, without a leading connective ("However, "),
    and the citation of the sentence as shown."""
    text = s.passage.text
    start = s.sentence.start + connective_end(s.sentence.text)
    start = min(start, a)
    c = cite(s.passage, start, s.sentence.end)
    return opening(text[start:a]) + BLANK + text[b : s.sentence.end], c


_STOP = frozenset(
    "one two three four five six seven eight nine ten a an the this that these those some "
    "all many most several other such mr mrs ms".split()
)


def _blankable(s: ArticleSentence, a: int, b: int, person: bool) -> bool:
    """Content worth a blank: not a function word, not said twice in the sentence, not a
    piece of a longer name ("Welsh Liberal _____ council"; a title before a person is fine)."""
    text = s.passage.text
    key = text[a:b]
    if len(key) < 3 or key.lower() in _STOP or key.isupper():
        return False
    if not re.search(r"\d", key) and not key[:1].isupper():
        return False
    if s.sentence.text.count(key) > 1:
        return False
    if text[a - 1 : a] == "(" and text[b : b + 1] == ")":
        return False  # "the Bank of England (_____)": an aside the name before it gives away
    if re.match(r"-\w", text[b : b + 2]) or re.match(r"\w-", text[max(a - 2, 0) : a]):
        return False  # a piece of a compound: "_____-US carmaker"
    before = text[s.sentence.start : a]
    prev = re.search(r"([\w'’.-]+)\s$", before)
    if prev and prev.start() > 0 and prev.group(1)[:1].isupper() and not person:
        return False
    return not re.match(r"\s[A-Z]", text[b : b + 2])


def _name_cloze_items(
    sents: list[ArticleSentence],
    people: list[Person],
    rng: random.Random,
    pwords: set[str],
    body: str,
) -> list[QuizItem]:
    """Which name completes a sentence of the article. Wrong options are of the key's kind
    and sort: the article's other people for a person; for a place or nationality, the
    article's names of the same sort first, then a typed list of that sort (a US state for
    "the US state of _____"); a name of no known sort gets the article's names only. An
    organisation is asked about only on evidence that it is one, against others that are;
    every option reads right in the slot ("a"/"an", no doubled "the")."""
    by_kind: dict[str, dict[str, str]] = {}
    for s in sents:
        for a, b, label in entities(s):
            if label in KINDS and (label != "ORG" or organisation(s, a, b, pwords, body)):
                name = s.passage.text[a:b]
                by_kind.setdefault(KINDS[label], {}).setdefault(name_key(name), name)
    out = []
    for s in sents:
        if not usable(s, people):
            continue
        for a, b, label in entities(s):
            a, b = tidy(s.passage.text, a, b)
            if label not in KINDS or not _askable(s, a, b, label, people, pwords, body):
                continue
            key = s.passage.text[a:b]
            kind = KINDS[label]
            before = s.passage.text[s.sentence.start : a]
            pool = _name_pool(key, before, kind, people, by_kind, s, rng)
            # never an option the sentence itself names ("_____ and Kim ... Antony Blinken")
            stem = name_words(
                s.passage.text[s.sentence.start : a] + " " + s.passage.text[b : s.sentence.end]
            )
            pool = [v for v in pool if fits(v, before) and not name_words(v) & stem]
            if kind == "PERSON":  # "_____ ... remove his jacket as he sang": only a "he"
                after = s.passage.text[b : s.sentence.end]
                pool = [v for v in pool if name_fits_pronouns(v, after, people, body)]
            options = distinct(key, pool, rng, ordered=True)
            if options is None or not fits(key, before):
                continue
            blanked, c = _cloze(s, a, b)
            q = f"Which {_KIND_WORD[kind]} completes this sentence from the article? “{blanked}”"
            fact = f"{s.index}:{name_key(key)}"
            out.append(make_item("mcq", q, [key, *options], key, rng, c, fact))
    return out


def _askable(
    s: ArticleSentence,
    a: int,
    b: int,
    label: str,
    people: list[Person],
    pwords: set[str],
    body: str,
) -> bool:
    """Whether the name at text[a:b] makes a fair blank: a person the resolver knows, an
    organisation on evidence, a place used as a noun, and a slot any option fills."""
    key = s.passage.text[a:b]
    kind = KINDS[label]
    who = canonical_name(key, people) if kind == "PERSON" else None
    if kind == "PERSON" and who is None:
        return False  # not one of the article's people on the resolver's evidence
    if not _blankable(s, a, b, person=who is not None) or not slot_fits(s.passage.text, a, b):
        return False
    if kind == "PLACE" and not place_slot(s.passage.text, a, b):
        return False  # "US interest rates": a place as a modifier, no place reads well
    if kind == "ORG" and not organisation(s, a, b, pwords, body):
        return False  # "Islamophobia", "Holland 14", "Riggott": not an organisation
    return kind == "PERSON" or not set(name_key(key).split()) & people_words(people)


def _name_pool(
    key: str,
    before: str,
    kind: str,
    people: list[Person],
    by_kind: dict[str, dict[str, str]],
    s: ArticleSentence,
    rng: random.Random,
) -> list[str]:
    """Candidate wrong options for the name `key`, best first."""
    who = canonical_name(key, people) if kind == "PERSON" else None
    if who is not None:  # "Ms Essex" against "Mr German", not against full names
        titled = re.match(r"(?:Mr|Mrs|Ms|Miss|Dr|Sir)\.?\s", key)
        pool = [
            next((a for a in sorted(p.aliases) if re.match(titled.re, a)), "")
            if titled else p.name
            for p in people if p.name != who
        ]  # fmt: skip
        short = [  # "Both _____ and Austin": "Kim" against the names others go by alone
            next((a for a in sorted(p.aliases) if " " not in a), "")
            for p in people if p.name != who
        ]  # fmt: skip
        if not titled and len(key.split()) == 1 and len([v for v in short if v]) >= 3:
            pool = short
        pool = [v for v in pool if v]
        rng.shuffle(pool)
        return pool
    words = people_words(people)
    pool = _same_sort(key, before, by_kind.get(kind, {}).values(), s, rng)
    return [v for v in pool if not set(name_key(v).split()) & words]


def _same_sort(
    key: str, before: str, names: Iterable[str], s: ArticleSentence, rng: random.Random
) -> list[str]:
    """Wrong options for a name that is not a person: the article's names of its sort (not
    in the cited passage, which may well name a place that also fits), then the typed list."""
    sort = sort_of(key, before)
    text = s.passage.text
    article = [
        v for v in dict.fromkeys(names)
        if sort_of(v) == sort and v not in text and not v.isupper()
        and not (before.lower().endswith("the ") and v.lower().startswith("the "))
    ]  # fmt: skip
    rng.shuffle(article)
    typed = [v for v in typed_options(sort) if v not in article and v not in text] if sort else []
    rng.shuffle(typed)
    return article + typed


_KIND_WORD = {"PERSON": "name", "PLACE": "place", "ORG": "organisation", "NORP": "word"}


def _number_items(
    sents: list[ArticleSentence], people: list[Person], rng: random.Random, stored: StoredArticle
) -> list[QuizItem]:
    """Which figure completes a sentence: the figure with its currency, scale and unit
    ("£3.2bn", "6%"), wrong options in the same unit, plausible for the quantity."""
    body = stored.article.body
    out = []
    for s in sents:
        if not usable(s, people):
            continue
        for a, b, label in entities(s):
            if label not in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
                continue
            at = figure_in(s.passage.text, a, b)
            if at is None or s.passage.text[at[0] - 1 : at[0]] == "(":
                continue  # "50 kilometers (30 miles)": the conversion is not a fact of its own
            at = tidy(s.passage.text, *at)  # "250,000," -> "250,000"
            key = s.passage.text[at[0] : at[1]]
            if not _blankable(s, *at, person=False) or not slot_fits(s.passage.text, *at):
                continue  # "Billboard's Hot 100": a figure inside a name
            before = s.passage.text[s.sentence.start : at[0]]
            distractors = [d for d in number_distractors(key, body, rng) if fits(d, before)]
            if len(distractors) < 3 or s.sentence.text.count(key) > 1:
                continue
            blanked, c = _cloze(s, *at)
            q = f"Which figure completes this sentence from the article? “{blanked}”"
            out.append(
                make_item("number", q, [key, *distractors[:3]], key, rng, c, f"{s.index}:{key}")
            )
    return out


def _fill_items(
    sents: list[ArticleSentence], people: list[Person], pwords: set[str], body: str
) -> list[QuizItem]:
    """Free-text cloze on one of the article's people, a place, an organisation (on evidence
    that it is one) or a figure with its unit; never a function word or a piece of a longer
    name, never a blank whose grammar gives the answer away."""
    out = []
    for s in sents:
        if not usable(s, people):
            continue
        for a, b, label in entities(s):
            if label not in ("PERSON", "GPE", "ORG", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
                continue
            person = label == "PERSON"
            if person and canonical_name(s.passage.text[a:b], people) is None:
                continue
            if label in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
                at = figure_in(s.passage.text, a, b)
                if at is None:
                    continue
                a, b = at
            a, b = tidy(s.passage.text, a, b)
            if not _blankable(s, a, b, person) or not slot_fits(s.passage.text, a, b):
                continue
            if label == "ORG" and not organisation(s, a, b, pwords, body):
                continue
            key = s.passage.text[a:b]
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
