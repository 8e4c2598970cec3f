"""Quiz items written by an LLM, checked in code like every other item.

The extractive quiz picks the passages (spread over the article, one fact each); for each one
the model is asked for a four-option question as JSON. The reply is validated with pydantic and
then against the passage: the quote must be verbatim, the key must be in the quote, no wrong
option may be in it, the question must not give the key away, and the question with its key
must say nothing the quoted sentence does not (`bot.llm.claims.check_item`). A bad reply gets one
retry with the reason; after that, or if the backend fails, the extractive item stays.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.llm.backends import ChatBackend
from bot.llm.claims import check_item
from bot.llm.generate import TOKEN_CHARS, passage_blocks, run, template
from bot.qa.citations import CitationError, cite_quote
from bot.quiz.grading import normalise
from bot.quiz.model import Quiz, QuizItem
from index.passages import Passage

ATTEMPTS = 2  # the first try and one retry per item


class DraftItem(BaseModel):
    """What the model must return (extra keys are ignored)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    question: str = Field(min_length=8, max_length=300)
    options: list[str] = Field(min_length=4, max_length=4)
    answer: int = Field(ge=0, le=3)
    quote: str = Field(min_length=3, max_length=600)

    @field_validator("options")
    @classmethod
    def _distinct(cls, options: list[str]) -> list[str]:
        if any(not o.strip() for o in options):
            raise ValueError("an option is empty")
        if len({normalise(o) for o in options}) < 4:
            raise ValueError("the options are not all different")
        return [o.strip() for o in options]


class ItemRejected(ValueError):
    """A reply that cannot become a quiz item; the message is sent back to the model."""


@dataclass(frozen=True)
class LLMQuizReport:
    generated: int  # items the model wrote that passed every check
    kept_extractive: int  # items that stayed extractive
    rejected: tuple[str, ...]  # one reason per rejected reply
    note: str | None = None  # set when the backend failed


def parse_item(raw: str, passage: Passage, item_id: str) -> QuizItem:
    """The model's reply as a checked quiz item, or `ItemRejected` saying why not."""
    start, end = raw.find("{"), raw.rfind("}")
    if start < 0 or end <= start:
        raise ItemRejected("the reply holds no JSON object")
    try:
        draft = DraftItem.model_validate(json.loads(raw[start : end + 1]))
    except json.JSONDecodeError as e:
        raise ItemRejected(f"the JSON is broken ({e.msg})") from e
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "object"
        raise ItemRejected(f"invalid JSON field {where}: {first['msg']}") from e
    try:
        citation = cite_quote(passage, draft.quote)
    except CitationError as e:
        raise ItemRejected(f"the quote is not in {passage.id} word for word") from e
    key = draft.options[draft.answer]
    quote = normalise(citation.quote)
    if normalise(key) not in quote:
        raise ItemRejected("the quote does not contain the correct answer")
    if any(normalise(o) in quote for i, o in enumerate(draft.options) if i != draft.answer):
        raise ItemRejected("a wrong option also appears in the quote")
    if normalise(key) in normalise(draft.question):
        raise ItemRejected("the question gives the answer away")
    unsupported = check_item(draft.question, key, citation)
    if unsupported:
        raise ItemRejected(f"the item is not supported by {passage.id}: {unsupported}")
    explanation = f"{passage.id} says: “{citation.quote}”"
    fact = f"llm:{passage.id}:{normalise(key)}"
    options = tuple(draft.options)
    return QuizItem(
        item_id, "mcq", draft.question, options, draft.answer, explanation, (citation,), fact,
        passage.id,
    )  # fmt: skip


def generate_items(
    quiz: Quiz,
    passages: list[Passage],
    backend: ChatBackend,
    on_progress: Callable[[str], None] | None = None,
) -> tuple[Quiz, LLMQuizReport]:
    by_id = {p.id: p for p in passages}
    system = template("quiz_item_system.txt")
    budget = backend.context_tokens * TOKEN_CHARS - len(system) - 1600
    items: list[QuizItem] = []
    rejected: list[str] = []
    generated = 0
    failure: str | None = None
    for n, item in enumerate(quiz.questions, start=1):
        passage = by_id.get(item.passage)
        if failure or passage is None:
            items.append(item)
            continue
        if on_progress:
            on_progress(f"question {n}/{len(quiz.questions)} from {passage.id}")
        user = template("quiz_item_user.txt").format(passages=passage_blocks([passage], budget))
        made: QuizItem | None = None
        for _ in range(ATTEMPTS):
            raw, failure = run(backend, system, user)
            if failure:
                break
            try:
                made = parse_item(raw, passage, item.id)
                break
            except ItemRejected as e:
                rejected.append(f"{item.id} ({passage.id}): {e}")
                user += (
                    f"\n\nYour previous reply was rejected: {e}. Reply with the JSON object only."
                )
        if made and made.fact not in {i.fact for i in items}:
            items.append(made)
            generated += 1
        else:
            items.append(item)
    note = f"{failure}; the remaining questions are extractive" if failure else None
    report = LLMQuizReport(generated, len(items) - generated, tuple(rejected), note)
    return replace(quiz, questions=tuple(items)), report
