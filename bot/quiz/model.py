"""What a quiz is: its items, the question types, and the one record of a quiz request."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.qa.citations import Citation
from bot.record import HIDDEN, Record

TYPES = ("mcq", "tf", "who_said", "number", "fill")


EASY = ("mcq", "tf", "fill")


HARD = ("number", "who_said", "mcq")


DIFFICULTIES = ("easy", "hard", "mixed")


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
    note: str | None = field(default=None, metadata=HIDDEN)  # why fewer than asked


@dataclass(frozen=True)
class QuizRequest:
    """What a quiz is asked for, checked here once for the CLI, the web app and the API: how
    many questions (1-100), of which types (none: those the difficulty favours), how hard, the
    seed (same seed, same quiz) and the articles (none: the default one; several: the
    questions shared out between them). A request that cannot be met raises `QuizError`."""

    n: int = 10
    types: tuple[str, ...] = ()
    difficulty: str = "mixed"
    seed: int = 1
    articles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_types(self.types)
        if not 1 <= self.n <= 100:
            raise QuizError("the number of questions must be between 1 and 100")
        if self.difficulty not in DIFFICULTIES:
            raise QuizError("difficulty must be easy, hard or mixed")

    @classmethod
    def of(
        cls,
        n: float,
        types: str | Sequence[str] | None,
        difficulty: str,
        seed: float,
        articles: Sequence[str] = (),
    ) -> QuizRequest:
        """From flags, form fields or API parameters: numbers as they come (a slider gives a
        float), types as a list or as comma-separated text ("mcq,tf"; empty: all)."""
        kinds = parse_types(types) if isinstance(types, str) else types
        return cls(int(n), tuple(kinds or ()), difficulty, int(seed), tuple(articles))

    @property
    def kinds(self) -> tuple[str, ...]:
        """The types to draw from, in turn."""
        if self.types:
            return self.types
        return EASY if self.difficulty == "easy" else HARD if self.difficulty == "hard" else TYPES

    @property
    def article(self) -> str | None:
        """The one article asked for (None: the default one)."""
        if len(self.articles) > 1:
            raise QuizError("this quiz works on one article at a time")
        return self.articles[0] if self.articles else None


def parse_types(text: str | None) -> list[str] | None:
    if not text:
        return None
    names = [t.strip() for t in text.split(",") if t.strip()]
    check_types(names)
    return names


def check_types(names: Sequence[str]) -> None:
    unknown = [t for t in names if t not in TYPES]
    if unknown:
        raise QuizError(f"unknown question type {unknown[0]!r}; choose from {', '.join(TYPES)}")


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
