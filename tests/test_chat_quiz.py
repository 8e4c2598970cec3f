"""A quiz inside the chat (bot/app/chat_quiz.py) through the real engine, and the web app's
conversation kept in the browser (bot/app/tabs/shared.py `remember`/`recall`): the state is plain
JSON, the quiz is rebuilt from it, each reply is graded with its quote."""

from __future__ import annotations

import html
import json
import re

from bot.app import chat_quiz
from bot.app.render import user_html
from bot.app.tabs.shared import recall, remember
from bot.qa.followup import Turn
from bot.quiz.model import LETTERS, QuizRequest


def _key(bot, state: dict) -> list:  # noqa: ANN001
    """The quiz the state stands for, made again through the engine's own quiz request."""
    request = QuizRequest(
        n=chat_quiz.QUESTIONS_IN_CHAT,
        types=tuple(state["types"]),
        seed=state["seed"],
        articles=(state["article"],),
    )
    return list(bot.quiz(request)[0].questions)


def _right(item) -> str:  # noqa: ANN001
    return LETTERS[item.answer] if item.options is not None else item.answer_text


def test_quiz_me_asks_one_question_at_a_time_and_grades_with_the_quote(bot) -> None:  # noqa: ANN001
    name = bot.default_article()
    step = chat_quiz.start(bot, "Quiz me", name, seed=3)
    assert step.state is not None and json.loads(json.dumps(step.state)) == step.state
    items = _key(bot, step.state)
    assert len(items) == chat_quiz.QUESTIONS_IN_CHAT
    assert "Question 1 of 3." in step.html and html.escape(items[0].question) in step.html
    assert html.escape(items[1].question) not in step.html

    right = chat_quiz.reply(bot, step.state, _right(items[0]))
    assert "✓ Right" in right.html and html.escape(items[1].question) in right.html
    passages = {p.id: p.text for p in bot.stored(name).passages}
    assert right.citations and all(c.quote in passages[c.passage] for c in right.citations)
    assert right.state is not None and right.state["at"] == 1 and right.state["right"] == 1

    wrong = chat_quiz.reply(bot, right.state, "Nobody at all")
    assert "Not quite" in wrong.html and html.escape(items[1].answer_text) in wrong.html
    assert wrong.state is not None and wrong.state["right"] == 1

    last = chat_quiz.reply(bot, wrong.state, "skip")
    assert last.state is None and "Quiz done: 1 of 3 right." in last.html


def test_a_quiz_on_the_numbers_asks_number_questions(bot) -> None:  # noqa: ANN001
    step = chat_quiz.start(bot, "test me on the numbers", bot.default_article(), seed=1)
    assert step.state is not None and step.state["types"] == ["number"]
    assert {item.type for item in _key(bot, step.state)} == {"number"}


def test_stop_ends_the_quiz_with_the_score_so_far(bot) -> None:  # noqa: ANN001
    step = chat_quiz.start(bot, "quiz me", bot.default_article(), seed=2)
    assert step.state is not None
    first = _key(bot, step.state)[0]
    after = chat_quiz.reply(bot, step.state, _right(first))
    assert after.state is not None
    stopped = chat_quiz.reply(bot, after.state, "stop the quiz")
    assert stopped.state is None and "Quiz stopped: 1 of 1 right." in stopped.html


def test_a_letter_is_read_in_any_usual_form(bot) -> None:  # noqa: ANN001
    step = chat_quiz.start(bot, "multiple choice quiz please", bot.default_article(), seed=1)
    assert step.state is not None
    item = _key(bot, step.state)[0]
    assert item.options is not None
    letter = LETTERS[item.answer]
    for said in (letter.lower(), f"({letter})", f"{letter}.", f"{letter}. {item.answer_text}"):
        assert "✓ Right" in chat_quiz.reply(bot, step.state, said).html, said


def test_user_text_is_shown_as_typed() -> None:
    typed = "**not bold** <b>x</b> [link](http://x) # not a heading `code` it's"
    shown = user_html(typed)
    assert html.unescape(shown) == typed
    assert not set("*<>[]()#`") & set(re.sub(r"&#?\w+;", "", shown))  # only entities left


def test_the_conversation_kept_in_the_browser_round_trips_as_json() -> None:
    turns = [Turn("Who is he?", "Lloyd Austin ...", "Lloyd Austin", ("¶1",), ("Defense ...",))]
    messages = [{"role": "user", "content": "Who is he?"}, {"role": "assistant", "content": "x"}]
    quiz = {"article": "a", "types": [], "seed": 1, "at": 1, "right": 0}
    saved = json.loads(json.dumps(remember({}, "a", messages, turns, quiz)))
    saved = json.loads(json.dumps(remember(saved, "b", messages[:1], [], None)))
    assert saved["article"] == "b"
    assert recall(saved, "a") == (messages, turns, quiz)
    assert recall(saved, "b") == (messages[:1], [], None)
    assert recall(saved, "c") == ([], [], None)
    assert recall({"chats": {"a": {"messages": 3}}}, "a") == ([], [], None)
    assert recall(None, "a") == ([], [], None)
