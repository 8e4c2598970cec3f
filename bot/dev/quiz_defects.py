"""The defect classes of issue 17, counted per quiz item by rules of their own.

Nothing here comes from the quiz generator (`bot/quiz/items.py`, `bot/quiz/distractors.py`,
`bot/brief/facts.py`): an item is judged only by its text, its options, its key and its
citations, read with a spaCy pass of this module's own, the article's people from the one
resolver (`index/people.py`) and ISO place lists (`pycountry`). A generator bug therefore
shows up here instead of being repeated here.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.dev.quiz_review import REVIEW_DEFECTS, review_defects
from bot.quiz.model import BLANK, Quiz, QuizItem
from index.people import Person, people_in, who_is

DEFECTS = (
    "repeat_sentence",  # cites a sentence an earlier item of the quiz already cites
    "repeat_fact",  # the same key (or a part of it: "Graham", "Danny Graham") as an earlier item
    "fragment",  # a list bullet, a clause cut off, a lower-case start
    "pronoun",  # "he"/"she" with no one named, or opening "It"/"They"/"This"
    "speakerless_quote",  # a quotation whose speaker the item does not name
    "option_kind",  # an option of another kind than the key (a company as a person...)
    "option_same_person",  # two options that are one person ("Cara Diemont", "Ms Diemont")
    "figure_unit",  # a figure's unit, currency or scale cut off from it, or options unlike
    "figure_implausible",  # a share over 100%, a negative count
    "swap_kind",  # a false statement made by swapping things of different kinds
    "trivial_blank",  # a blank on a function word, inside a longer name, or given away
    "gives_away_key",  # an item shows the key of another item of the quiz (not a person's)
    *REVIEW_DEFECTS,
)
_HONORIFICS = frozenset("mr mrs ms miss dr sir lord lady dame prof president".split())
_UNIT_AFTER = re.compile(r"^(?:%|m\b|bn\b|k\b|\s?per\s?cent|\s(?:million|billion|trillion)\b)")
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten".split())
_PERSONAL = frozenset({"he", "she", "him", "his", "her", "himself", "herself"})
_OPENERS = frozenset({"it", "they", "this", "these", "those", "their", "its"})


@dataclass
class DefectReport:
    """Items with each defect class, items with any, and the quiz-level counts."""

    items: int = 0
    defective: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    tf_true: int = 0
    tf_total: int = 0
    asked: int = 0
    delivered: int = 0

    def rate(self) -> float:
        return 100.0 * self.defective / self.items if self.items else 0.0

    def format(self) -> str:
        lines = [f"  items with any defect    {self.rate():5.1f}%  ({self.defective}/{self.items})"]
        for name in DEFECTS:
            lines.append(f"    {name:22s} {self.counts[name]}")
        share = 100.0 * self.tf_true / self.tf_total if self.tf_total else 0.0
        lines.append(f"  true/false keys True     {share:5.1f}%  ({self.tf_true}/{self.tf_total})")
        lines.append(f"  questions delivered      {self.delivered} of {self.asked} asked")
        return "\n".join(lines)


def judge_quiz(
    quiz: Quiz,
    body: str,
    report: DefectReport,
    asked: int | None = None,
    title: str | None = None,
) -> None:
    """Count the defects of every item of `quiz`, made from an article whose text is `body`
    (and whose headline is `title`)."""
    people = people_in(body)
    seen_spans: list[tuple[str, int, int]] = []
    seen_keys: list[set[str]] = []
    report.asked += asked if asked is not None else len(quiz.questions)
    report.delivered += len(quiz.questions)
    keys = [
        i.answer_text
        for i in quiz.questions
        if i.type != "tf" and not who_is(people, i.answer_text)
    ]
    for item in quiz.questions:
        found = item_defects(item, body, people, title)
        if any(
            re.search(rf"(?<![\w£$€]){re.escape(k)}(?![\w%])", item.question, re.I)
            for k in keys
            if k != item.answer_text
        ):
            found.append("gives_away_key")
        spans = [(c.label, c.start, c.end) for c in item.citations]
        if any(
            p == q and a < y and x < b for p, a, b in spans[:1] for q, x, y in seen_spans
        ):  # the item's own sentence (its first citation) cited before
            found.append("repeat_sentence")
        key = set(_norm(item.answer_text).split())
        if item.type != "tf" and any(key <= k or k <= key for k in seen_keys):
            found.append("repeat_fact")  # one fact, one item: the same answer asked twice
        seen_spans += spans
        if item.type != "tf" and key:
            seen_keys.append(key)
        if item.type == "tf":
            report.tf_total += 1
            report.tf_true += item.answer_text == "True"
        report.items += 1
        report.defective += bool(found)
        report.counts.update(set(found))
        if found and len(report.examples) < 40:
            report.examples.append(f"{','.join(sorted(set(found)))}: {item.question[:110]}")


def item_defects(
    item: QuizItem, body: str, people: Sequence[Person], title: str | None = None
) -> list[str]:
    """The defect classes one item has on its own (repeats are judged over the quiz)."""
    stem = _stem(item)
    out = review_defects(item, stem, body, title, people)
    if _fragment(stem) and not (item.type == "who_said" and stem[:1].islower()):
        # a phrase quoted inside a sentence ("said there was “a strong case ...”") is still
        # a whole quotation to ask about
        out.append("fragment")
    filled = stem.replace(BLANK, item.answer_text)  # a blank on the speaker names them
    if item.type != "who_said" and _pronoun(filled, people):
        out.append("pronoun")
    if item.type != "who_said" and _speakerless(filled, people):
        out.append("speakerless_quote")
    opts = [o for o in item.options or () if item.type != "tf"]
    if opts:
        cats = [_category(o, people) for o in opts]
        key_cat = _category(item.answer_text, people)
        person_q = item.question.startswith(("Who said", "According to the article, who is"))
        if _kind_mismatch(cats, key_cat, person_q):
            out.append("option_kind")
        who = [p.name for o in opts if (p := who_is(people, o))]
        if len(set(who)) < len(who) or len({_norm(o) for o in opts}) < len(opts):
            out.append("option_same_person")
    if item.type == "number":
        out += _figure_defects(stem, opts)
    false = item.type == "tf" and item.answer_text == "False"
    if false and _bad_swap(stem, item.citations[0].quote, people):
        out.append("swap_kind")
    person_key = who_is(people, item.answer_text) is not None
    if BLANK in stem and _trivial_blank(stem, item.answer_text, person_key):
        out.append("trivial_blank")
    return out


def _kind_mismatch(cats: list[str | None], key_cat: str | None, person_q: bool) -> bool:
    """Options of another kind than the key: a non-person for a "who" question, a country
    against a US state, a person against a place."""
    if person_q:
        return any(c != "person" for c in cats)
    if key_cat:
        return any(c and c != key_cat for c in cats)
    return any(c == "person" for c in cats)


def _stem(item: QuizItem) -> str:
    """The article text the item shows: the statement, the blanked sentence or the quote."""
    q = item.question
    if q.startswith("True or false? "):
        return q.removeprefix("True or false? ")
    if "“" in q:
        return q.split("“", 1)[1].rsplit("”", 1)[0]
    return q


@functools.cache
def _nlp():  # noqa: ANN202
    from index.nlp import load_nlp

    return load_nlp()


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _fragment(stem: str) -> bool:
    s = stem.strip()
    if not s:
        return True
    if s[0] in "-•*–—·:;,.)" or s[0].islower():
        return True
    if s.rstrip("\"”’'").endswith((",", ";", ":", "-", "–")):
        return True
    return len(s.split()) < 5


def _outside_quotes(stem: str) -> str:
    text = re.sub(r"“[^”]*”?", " ", stem)
    return re.sub(r'"[^"]*"?', " ", text)


def _names_person(text: str, people: Sequence[Person]) -> bool:
    doc = _nlp()(text)
    if any(e.label_ in ("PERSON", "ORG", "NORP", "GPE") for e in doc.ents):
        return True
    return any(a in text for p in people for a in (p.name, *p.aliases))


def _pronoun(stem: str, people: Sequence[Person]) -> bool:
    outside = _outside_quotes(stem)
    words = re.findall(r"[A-Za-z]+", outside)
    if words and words[0].lower() in _OPENERS and words[0][0].isupper():
        return True
    if not any(w.lower() in _PERSONAL for w in words):
        return False
    return not _names_person(outside, people)


def _speakerless(stem: str, people: Sequence[Person]) -> bool:
    """A quotation (three words or more) with no speaker named outside it, or a statement
    that starts inside a quotation (its closing mark with no opening one)."""
    straight = [m.start() for m in re.finditer('"', stem)]
    if straight and len(straight) % 2 == 1:
        first = straight[0]
        before = stem[first - 1 : first]
        if before and not before.isspace() and first > 0:  # a closing mark comes first
            return True
    if stem.count("”") > stem.count("“"):
        return True
    quoted = re.findall(r"“([^”]*)”?|\"([^\"]*)\"?", stem)
    if not any(len((a or b).split()) >= 3 for a, b in quoted):
        return False
    outside = _outside_quotes(stem)
    doc = _nlp()(outside)
    subject = any(t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN") for t in doc)
    return not (subject or _names_person(outside, people))


@functools.cache
def _places() -> dict[str, str]:
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if name:
                out[_norm(name)] = "country"
    for s in pycountry.subdivisions.get(country_code="US"):
        if s.type == "State":
            out[_norm(s.name)] = "us_state"
    for s in pycountry.subdivisions.get(country_code="GB"):
        if s.type in ("Country", "Nation", "Province"):
            out[_norm(s.name.split("[")[0])] = "uk_nation"
    return out


def _category(option: str, people: Sequence[Person]) -> str | None:
    if re.fullmatch(r"[£$€]?\s?\d[\d,.]*\s?\S*", option.strip()):
        return "number"
    if who_is(people, option) is not None:
        return "person"
    return _places().get(_norm(option))


def _figure_defects(stem: str, options: list[str]) -> list[str]:
    out = []
    before, _, after = stem.partition(BLANK)
    units = {re.sub(r"[\d,.]+", "#", o) for o in options}
    if before[-1:] in ("£", "$", "€") or _UNIT_AFTER.match(after) or len(units) > 1:
        out.append("figure_unit")
    values = [float(d.replace(",", "")) for o in options for d in re.findall(r"\d[\d,]*", o)]
    share = any("%" in o or "per cent" in o for o in options)
    growth = re.search(r"\b(?:increase|rise|rose|growth|grew|jump|up|more)\b", stem, re.I)
    share = share or bool(re.match(r"^(?:%|\s?per\s?cent)", after))
    if share and not growth and any(v > 100 for v in values):
        out.append("figure_implausible")
    return out


def _bad_swap(statement: str, original: str, people: Sequence[Person]) -> bool:
    """The false statement differs from the cited sentence by one span; is it a like-for-like
    swap (a person for a person, a figure for a figure in the same unit, a place for one of the
    same sort)?"""
    statement, original = statement[:1].lower() + statement[1:], original[:1].lower() + original[1:]
    p = 0
    while p < min(len(statement), len(original)) and statement[p] == original[p]:
        p += 1
    s = 0
    while s < min(len(statement), len(original)) - p and statement[-1 - s] == original[-1 - s]:
        s += 1
    # widen to whole words
    while p > 0 and original[p - 1].isalnum():
        p -= 1
    a_end, b_end = len(original) - s, len(statement) - s
    while a_end < len(original) and original[a_end].isalnum():
        a_end += 1
        b_end += 1
    was, now = original[p:a_end].strip(), statement[p:b_end].strip()
    if not was or not now:
        return True
    cat_was, cat_now = _category(was, people), _category(now, people)
    if cat_was == "number" or cat_now == "number":
        return re.sub(r"[\d,.]+", "#", was) != re.sub(r"[\d,.]+", "#", now)
    return cat_was != cat_now


def _trivial_blank(stem: str, key: str, person: bool) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS

    k = key.strip()
    if (
        len(k) < 3
        and not re.search(r"\d", k)
        or k.lower() in STOP_WORDS
        or k.lower() in _NUMBER_WORDS
    ):
        return True
    if not re.search(r"\d", k) and k[:1].islower():
        return True
    if k in stem.replace(BLANK, " "):
        return True  # the key is given away elsewhere in the sentence
    before, _, after = stem.partition(BLANK)
    prev = re.search(r"(\S*\w)\s$", before)  # a word ending in a comma ends a name
    # a capitalised word before the blank: part of a longer name, unless it is a title
    # ("Attorney General _____") before a person's name
    if prev and not person and before.strip() != prev.group(1):
        word = prev.group(1).strip("“\"'(")
        if word[:1].isupper() and word.lower().rstrip(".") not in _HONORIFICS:
            return True
    nxt = re.match(r"^\s([A-Z][\w'’-]*)", after)
    return bool(nxt and not re.search(r"[\d£$€%]", k))
