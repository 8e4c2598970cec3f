"""Extractive, grounded answers: the sentence that answers, the exact phrase where the question
type allows, verbatim citations, and a plain "The article doesn't say" when evidence is weak.

No language model: the answer is always text of the article, so it cannot invent anything and
text inside the question (or the article) can never act as an instruction.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from bot.citations import Citation, cite
from bot.lexical import STOP_WORDS, terms, words
from bot.retrieve import Retrieval, SentenceHit
from index.passages import Mention

DECLINE = "The article doesn't say."
MAX_QUESTION_CHARS = 1000
MAX_ANSWER_WORDS = 40

# Decline model: logistic regression over the evidence features below, fitted on SQuAD 2.0
# dev (`briefbot eval squad FILE --fit-decline` prints a fresh fit). Decline when p < THRESHOLD.
DECLINE_WEIGHTS = {
    "bias": -3.0,
    "dense": 4.0,
    "lexical": 4.0,
    "passage": 1.0,
    "unknown": -6.0,
    "type_missing": -1.5,
    "margin": 2.0,
}
DECLINE_THRESHOLD = 0.5


class QuestionError(ValueError):
    """A question that cannot be asked; the message is for the user."""


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    short_answer: str | None
    abstained: bool
    citations: tuple[Citation, ...] = ()
    confidence: float = 0.0
    features: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "short_answer": self.short_answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
        }


def check_question(question: str) -> str:
    q = " ".join(question.split())
    if not q:
        raise QuestionError("the question is empty")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(q):,} characters long; the limit is {MAX_QUESTION_CHARS:,}"
        )
    if not words(q):
        raise QuestionError("the question has no words to look for")
    return q


# ---- question types -------------------------------------------------------------------------

_TYPES: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"\bhow many\b"), ("CARDINAL", "QUANTITY")),
    (re.compile(r"\bhow much\b"), ("MONEY", "QUANTITY", "PERCENT", "CARDINAL")),
    (re.compile(r"\b(?:what|which) (?:percentage|percent|proportion|share)\b"), ("PERCENT",)),
    (
        re.compile(r"\bhow (?:long|far|old|big|large|high|tall|deep|wide|heavy|fast|often)\b"),
        ("QUANTITY", "DATE", "TIME", "CARDINAL"),
    ),
    (
        re.compile(
            r"\bwhen\b|\b(?:what|which|in what|what) (?:year|years|date|day|month|time|century|"
            r"decade|era|period|season)\b"
        ),
        ("DATE", "TIME"),
    ),
    (
        re.compile(
            r"\bwhere\b|\b(?:what|which) (?:country|countries|city|cities|state|region|place|"
            r"location|town|continent|province|area|nation)\b"
        ),
        ("GPE", "LOC", "FAC"),
    ),
    (
        re.compile(
            r"\b(?:what|which) (?:company|companies|organi[sz]ation|group|agency|party|team|"
            r"university|institution|newspaper|ministry|body)\b"
        ),
        ("ORG",),
    ),
    (re.compile(r"\b(?:what|which) (?:language|nationality|religion|ethnic)"), ("NORP", "LANGUAGE")),
    (re.compile(r"\bwho(?:m|se)?\b"), ("PERSON", "ORG", "NORP", "GPE")),
]


def expected_types(question: str) -> tuple[str, ...]:
    q = question.lower()
    for pattern, labels in _TYPES:
        if pattern.search(q):
            return labels
    return ()


# ---- answering ------------------------------------------------------------------------------


def answer_question(question: str, found: Retrieval) -> Answer:
    """Pick the best-supported sentence, mark the answer phrase, cite it or decline."""
    types = expected_types(question)
    qterms = set(found.question_terms)
    if not found.sentences:
        return Answer(question, DECLINE, None, True)

    # Rerank the leading sentences with one extra piece of evidence: does the sentence hold
    # a phrase of the kind the question asks for (a number for "how many", a date for "when")?
    head = list(found.sentences[:6])
    phrases = {id(h): _short_answer(h, types, qterms) for h in head}
    if types:
        head.sort(key=lambda h: -(h.score + (0.12 if phrases[id(h)] else 0.0)))
    best = head[0]
    phrase = phrases[id(best)]

    second = head[1].score if len(head) > 1 else 0.0
    features = {
        "dense": best.dense,
        "lexical": best.lexical,
        "passage": best.passage_score,
        "unknown": found.unknown,
        "type_missing": 1.0 if types and phrase is None else 0.0,
        "margin": best.score - second,
    }
    confidence = _decline_probability(features)
    if confidence < DECLINE_THRESHOLD:
        return Answer(question, DECLINE, None, True, (), confidence, features)

    start, end = _answer_window(best, phrase, qterms)
    main = cite(best.passage, start, end)
    support = [
        cite(h.passage, h.sentence.start, h.sentence.end)
        for h in head[1:]
        if h.passage.id != best.passage.id and h.score >= best.score - 0.08
    ][:2]
    short = best.passage.text[phrase[0] : phrase[1]] if phrase else None
    return Answer(question, main.quote, short, False, (main, *support), confidence, features)


def _decline_probability(features: dict[str, float]) -> float:
    z = DECLINE_WEIGHTS["bias"] + sum(DECLINE_WEIGHTS[k] * v for k, v in features.items())
    return 1.0 / (1.0 + math.exp(-z))


def _short_answer(
    hit: SentenceHit, types: tuple[str, ...], qterms: set[str]
) -> tuple[int, int] | None:
    """(start, end) in the passage of the phrase that answers, or None."""
    s = hit.sentence
    text = hit.passage.text
    anchors = [m.start() + s.start for m in _term_positions(s.text, qterms)]

    def fresh(m: Mention) -> bool:  # a phrase that only repeats the question answers nothing
        mterms = set(terms(text[m[0] : m[1]]))
        return bool(mterms) and not mterms <= qterms

    def distance(m: Mention) -> float:
        if not anchors:
            return 0.0
        return min(abs(a - (m[0] + m[1]) / 2) for a in anchors) / max(len(s.text), 1)

    if types:
        rank = {label: i for i, label in enumerate(types)}
        typed = [m for m in s.entities if m[2] in rank and fresh(m)]
        if not typed:
            return None
        best = min(typed, key=lambda m: rank[m[2]] * 0.25 + distance(m))
        return best[0], best[1]
    chunks = [m for m in s.chunks if fresh(m) and not _only_stop_words(text[m[0] : m[1]])]
    if not chunks or not anchors:
        return None
    best = min(chunks, key=distance)
    return best[0], best[1]


def _only_stop_words(phrase: str) -> bool:
    return all(w.lower() in STOP_WORDS for w in words(phrase))


def _term_positions(sentence: str, qterms: set[str]) -> list[re.Match[str]]:
    return [
        m for m in re.finditer(r"[^\W_]+", sentence) if terms(m.group(0)) and terms(m.group(0))[0] in qterms
    ]


def _answer_window(
    hit: SentenceHit, phrase: tuple[int, int] | None, qterms: set[str]
) -> tuple[int, int]:
    """The sentence, or a window of at most MAX_ANSWER_WORDS words of it around the phrase."""
    s = hit.sentence
    spans = [(m.start() + s.start, m.end() + s.start) for m in re.finditer(r"\S+", s.text)]
    if len(spans) <= MAX_ANSWER_WORDS:
        return s.start, s.end
    if phrase:
        centre = next((i for i, (_, b) in enumerate(spans) if b > phrase[0]), 0)
    else:  # centre on the words the question asks about
        hits = [i for i, (a, b) in enumerate(spans) if set(terms(hit.passage.text[a:b])) & qterms]
        centre = hits[len(hits) // 2] if hits else len(spans) // 2
    lo = max(0, min(centre - MAX_ANSWER_WORDS // 2, len(spans) - MAX_ANSWER_WORDS))
    hi = lo + MAX_ANSWER_WORDS
    return spans[lo][0], spans[hi - 1][1]
