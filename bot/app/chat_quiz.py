"""A quiz inside the chat: "quiz me" (or "test me on the numbers") starts a short quiz, one
question at a time; each reply is graded and answered with the quote that supports the key,
then the next question comes; "stop" ends it, "skip" moves on.

The running quiz is plain JSON (`state`): the request it was made from and how far it has got.
The quiz itself is rebuilt from the request at each reply (the same seed gives the same quiz,
warm in milliseconds), so the state can live in the browser with the conversation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.app.engine import Briefbot
from bot.app.render import chat_feedback_html, chat_question_html, chat_score_html
from bot.qa.citations import Citation
from bot.qa.intent import quiz_focus
from bot.quiz.grading import grade
from bot.quiz.model import Quiz, QuizError, QuizRequest

QUESTIONS_IN_CHAT = 3

_STOP = re.compile(
    r"^\s*(?:stop|quit|end|exit|cancel|enough|no more|done)(?:\s+(?:the\s+)?quiz)?"
    r"(?:,?\s+(?:please|thanks?))?[\s.!]*$",
    re.I,
)
_SKIP = re.compile(
    r"^\s*(?:skip|pass|next|i\s+don'?t\s+know|idk|no\s+idea|not\s+sure)[\s.!?]*$", re.I
)
_LETTER = re.compile(r"^\s*\(?([A-Za-z])[.):]?(?:\s+(.*))?$", re.S)


@dataclass(frozen=True)
class QuizStep:
    """What the bot says (HTML), the quiz still running (None when it is over) and the
    citations to highlight in the article panel."""

    html: str
    state: dict[str, Any] | None
    citations: tuple[Citation, ...] = ()


def start(bot: Briefbot, message: str, article: str, seed: int) -> QuizStep:
    """A new quiz on `article`, of the type the message asks for ("on the numbers"), if any."""
    focus = quiz_focus(message)
    state: dict[str, Any] = {
        "article": article,
        "types": [focus] if focus else [],
        "seed": seed,
        "at": 0,
        "right": 0,
    }
    try:
        quiz = _quiz(bot, state)
    except QuizError as e:
        if not focus:
            return QuizStep(f"<p>I could not make a quiz from this article: {e}.</p>", None)
        state["types"] = []  # too few items of that type: any type will do
        quiz = _quiz(bot, state)
    if not quiz.questions:
        return QuizStep("<p>I could not make a quiz from this article.</p>", None)
    total = len(quiz.questions)
    return QuizStep(chat_question_html(quiz.questions[0], 1, total, first=True), state)


def reply(bot: Briefbot, state: dict[str, Any], message: str) -> QuizStep:
    """The reply to the current question: graded, the key with its quote, then the next
    question or the score."""
    quiz = _quiz(bot, state)
    at, total = int(state["at"]), len(quiz.questions)
    if _STOP.match(message):
        return QuizStep(chat_score_html(int(state["right"]), at, stopped=True), None)
    item = quiz.questions[at]
    given = "" if _SKIP.match(message) else _as_response(message, item.options)
    result = grade(Quiz(quiz.article, quiz.seed, (item,)), {item.id: given}).results[0]
    right = int(state["right"]) + int(result.correct)
    said = chat_feedback_html(result)
    if at + 1 >= total:
        return QuizStep(said + chat_score_html(right, total), None, result.citations)
    after = {**state, "at": at + 1, "right": right}
    nxt = chat_question_html(quiz.questions[at + 1], at + 2, total)
    return QuizStep(said + nxt, after, result.citations)


def _quiz(bot: Briefbot, state: dict[str, Any]) -> Quiz:
    request = QuizRequest(
        n=QUESTIONS_IN_CHAT,
        types=tuple(state["types"]),
        seed=int(state["seed"]),
        articles=(str(state["article"]),),
    )
    return bot.quiz(request)[0]


def _as_response(message: str, options: tuple[str, ...] | None) -> str:
    """ "b", "B.", "(b)" or "B. Lloyd Austin" as the letter B when the question has options."""
    m = _LETTER.match(message)
    if options is not None and m and m.group(1).upper() < chr(ord("A") + len(options)):
        rest = (m.group(2) or "").strip()
        if not rest or rest.lower() in (o.lower() for o in options):
            return m.group(1).upper()
    return message.strip()
