"""Grading a quiz: answers given as letters, indexes, true/false or free text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.qa.citations import Citation
from bot.quiz.model import LETTERS, Quiz, QuizItem
from bot.record import Record


@dataclass(frozen=True)
class ItemResult(Record):
    id: str
    correct: bool
    given: str
    expected: str
    explanation: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Grade(Record):
    score: int
    total: int
    results: tuple[ItemResult, ...]


def normalise(text: str) -> str:
    """For comparing free answers: case, accents, punctuation, articles and number formats."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)  # 11,000 -> 11000
    t = re.sub(r"[^\w\s.]|(?<!\d)\.|\.(?!\d)", " ", t)
    t = re.sub(r"\b(?:a|an|the|about|some|around|nearly|approximately)\b", " ", t)
    return " ".join(t.replace("-", " ").split())


def choice_index(item: QuizItem, response: str | int) -> int | None:
    """An option given as an index, a letter ("B"), "true"/"false", or the option's text."""
    assert item.options is not None
    if isinstance(response, int):
        return response if 0 <= response < len(item.options) else None
    r = response.strip()
    if len(r) == 1 and r.upper() in LETTERS[: len(item.options)]:
        return LETTERS.index(r.upper())
    if item.type == "tf" and r.lower() in ("t", "f", "true", "false"):
        return 0 if r.lower().startswith("t") else 1
    for i, option in enumerate(item.options):
        if normalise(option) == normalise(r):
            return i
    return None


def grade(quiz: Quiz, responses: dict[str, str | int]) -> Grade:
    results = []
    for item in quiz.questions:
        given = responses.get(item.id)
        if given is None or (isinstance(given, str) and not given.strip()):
            correct, shown = False, ""
        elif item.options is not None:
            idx = choice_index(item, given)
            correct = idx == item.answer
            shown = item.options[idx] if idx is not None else str(given)
        else:
            correct = normalise(str(given)) == normalise(item.answer_text)
            shown = str(given)
        results.append(
            ItemResult(item.id, correct, shown, item.answer_text, item.explanation, item.citations)
        )
    return Grade(sum(r.correct for r in results), len(results), tuple(results))
