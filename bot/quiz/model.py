"""What a quiz is: its items, the question types, and the one record of a quiz request."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.qa.citations import Citation
from bot.record import HIDDEN, Record

TYPES = ("mcq", "tf", "who_said", "number", "fill")


EASY = ("mcq", "tf", "fill")


HARD = ("number", "who_said", "mcq")


LETTERS = "ABCD"


BLANK = "_____"


class QuizError(ValueError):
    """A quiz that cannot be made as asked; the message is for the user."""


@dataclass(frozen=True)
class QuizItem(Record):
    id: str
    type: str
    question: str
    options: tuple[str, ...] | None
    answer: int | str  # index into options, or the expected text
    explanation: str
    citations: tuple[Citation, ...]
    fact: str = field(metadata=HIDDEN)  # what it tests (sentence and answer), for de-duplication
    passage: str = field(metadata=HIDDEN)

    @property
    def answer_text(self) -> str:
        if self.options is not None and isinstance(self.answer, int):
            return self.options[self.answer]
        return str(self.answer)


@dataclass(frozen=True)
class Quiz(Record):
    article: str
    seed: int
    questions: tuple[QuizItem, ...]


def parse_types(text: str | None) -> list[str] | None:
    if not text:
        return None
    names = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in names if t not in TYPES]
    if unknown:
        raise QuizError(f"unknown question type {unknown[0]!r}; choose from {', '.join(TYPES)}")
    return names


def make_item(
    kind: str,
    question: str,
    options: list[str] | None,
    key: str,
    rng: random.Random,
    citation: Citation,
    fact: str,
    why: str | None = None,
) -> QuizItem:
    answer: int | str = key
    opts: tuple[str, ...] | None = None
    if options is not None:
        shuffled = options[:]
        rng.shuffle(shuffled)
        opts = tuple(shuffled)
        answer = opts.index(key)
    explanation = why or f"{citation.passage} says: “{citation.quote}”"
    return QuizItem(
        "", kind, question, opts, answer, explanation, (citation,), fact, citation.passage
    )
