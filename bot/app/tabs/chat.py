"""The Chat tab: the conversation, the question box, suggested questions and the article
beside it with the cited passages highlighted; a quiz can run in the chat too."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from bot.app import chat_quiz
from bot.app.engine import Briefbot
from bot.app.render import (
    answer_html,
    article_html,
    checked_html,
    offers_html,
    reading_html,
    user_html,
)
from bot.app.tabs.shared import MODEL_EVENT, SUGGESTED, Shared, internal_error, remember
from bot.llm.backends import ChatBackend
from bot.llm.generate import Generated
from bot.qa.answer import QuestionError, check_question
from bot.qa.citations import CitationError
from bot.qa.followup import Turn, turn_of
from bot.qa.intent import message_kind
from bot.quiz.model import QuizError
from index.store import StoredArticle


@dataclass(frozen=True)
class ChatTab:
    chat: gr.Chatbot
    question: gr.Textbox
    ask: gr.Button
    clear: gr.Button
    suggested: list[gr.Button]
    evidence: gr.HTML
    also: gr.Dropdown


def layout(stored: StoredArticle, suggested: list[str], others: list[tuple[str, str]]) -> ChatTab:
    with gr.Tab("Chat", id="chat"), gr.Row():
        with gr.Column(scale=3, min_width=300):
            chat = gr.Chatbot(
                height=440,
                sanitize_html=True,
                elem_id="bb-chat",
                show_label=False,
                label="Conversation",
                buttons=["copy", "copy_all"],  # no "share" (an unlabelled icon, for Spaces)
            )
            question = gr.Textbox(
                placeholder="Ask a question about the article",
                show_label=False,
                elem_id="bb-question",
                max_lines=3,
            )
            with gr.Row():
                ask = gr.Button("Ask", variant="primary", elem_id="bb-ask")
                clear = gr.Button("Clear the conversation", elem_id="bb-clear")
            also = gr.Dropdown(
                others,
                value=[],
                multiselect=True,
                label="Also search these articles (the best-supported answer wins)",
                elem_id="bb-also",
            )
            gr.Markdown("Suggested questions (click to ask):", elem_id="bb-suggested-label")
            with gr.Column(elem_id="bb-suggested"):
                buttons = [
                    gr.Button(
                        suggested[i] if i < len(suggested) else "",
                        size="sm",
                        visible=i < len(suggested),
                        elem_classes=["bb-suggest"],
                    )
                    for i in range(SUGGESTED)
                ]
        with gr.Column(scale=2, min_width=280):
            evidence = gr.HTML(article_html(stored), elem_id="bb-evidence")
    return ChatTab(chat, question, ask, clear, buttons, evidence, also)


def wire(bot: Briefbot, backend: ChatBackend | None, shared: Shared, tab: ChatTab) -> None:
    respond = _responder(bot, backend)
    state = [tab.chat, shared.article, shared.turns, shared.quiz, shared.saved, tab.also]
    outputs = [tab.chat, tab.question, tab.evidence, shared.turns, shared.quiz, shared.saved]
    for trigger in (tab.ask.click, tab.question.submit):
        trigger(respond, [tab.question, *state], outputs, api_visibility="private", **MODEL_EVENT)
    for button in tab.suggested:  # a suggested question is asked when clicked
        button.click(respond, [button, *state], outputs, api_visibility="private", **MODEL_EVENT)

    def clear(name: str, saved: dict[str, Any] | None) -> Any:
        return [], article_html(bot.stored(name)), [], None, remember(saved, name, [], [], None)

    for clearing in (tab.clear.click, tab.chat.clear):  # the button, and the chat's trash icon
        clearing(
            clear,
            [shared.article, shared.saved],
            [tab.chat, tab.evidence, shared.turns, shared.quiz, shared.saved],
            api_visibility="private",
        )


def _responder(bot: Briefbot, backend: ChatBackend | None) -> Callable[..., Iterator[Any]]:
    """The chat's handler: (question, chat, article, turns, chat quiz, saved, other articles)
    -> (chat, question box, evidence panel, turns, chat quiz, saved), streamed. While a quiz
    runs in the chat, a message is the answer to its question; "quiz me" starts one. With
    other articles chosen, a question is asked of all of them (`Briefbot.ask_across`)."""

    def respond(
        text: str,
        history: list[dict[str, Any]],
        name: str,
        said: list[Turn],
        quiz: dict[str, Any] | None,
        saved: dict[str, Any] | None,
        also: list[str] | None = None,
    ) -> Any:
        text = text or ""
        also = [a for a in (also or []) if a != name]
        history = [*(history or []), {"role": "user", "content": user_html(text)}]

        def done(body: str, cited: Any, turns: list[Turn], running: dict[str, Any] | None) -> Any:
            messages = [*history, {"role": "assistant", "content": body}]
            source = next((c.article for c in cited or () if c.article), None) or name
            page = article_html(bot.stored(source), cited)
            kept = remember(saved, name, messages, turns, running)
            return messages, "", page, turns, running, kept

        skip = gr.skip()
        asks_quiz = bool(text.strip()) and message_kind(text) == "quiz"
        if quiz is not None and quiz.get("article") != name:
            quiz = None
        if asks_quiz or (quiz is not None and text.strip()):
            try:
                step = _quiz_step(bot, None if asks_quiz else quiz, text, name, len(history))
            except (QuizError, KeyError, TypeError, IndexError, ValueError) as e:
                yield [*history, _warning(str(e))], "", skip, skip, None, skip
                return
            yield done(step.html, step.citations, said, step.state)
            return
        try:
            if backend is not None:
                for messages, answer, extra in _respond_llm(
                    bot, backend, text, history, name, said
                ):
                    if answer is None:
                        yield messages, "", skip, skip, skip, skip
                    else:
                        yield done(extra, answer.citations, [*said, turn_of(answer)], None)
                return
            answer, offers = _ask(bot, text, name, said, also)
        except (QuestionError, CitationError) as e:  # shown in the chat, never a trace
            why = internal_error(e) if isinstance(e, CitationError) else str(e)
            yield [*history, _warning(why)], "", skip, skip, skip, skip
            return
        for partial in _partials(history, answer.answer):  # the sentence, then the cited version
            yield partial, "", skip, skip, skip, skip
        body = reading_html(answer) + answer_html(answer) + offers_html(offers)
        yield done(body, answer.citations, [*said, turn_of(answer)], None)

    return respond


def _quiz_step(
    bot: Briefbot, running: dict[str, Any] | None, text: str, name: str, seed: int
) -> chat_quiz.QuizStep:
    """The running chat quiz's next step for `text`, or a new quiz ("quiz me")."""
    if running is not None:
        return chat_quiz.reply(bot, running, text)
    return chat_quiz.start(bot, text, name, seed=seed)


def _ask(
    bot: Briefbot, text: str, name: str, said: list[Turn], also: list[str]
) -> tuple[Any, list[str]]:
    """The answer to a chat message and, after a decline, the questions the article does
    answer; with other articles chosen, a question is asked of all of them."""
    also = [a for a in also if a in bot.store.names()]  # one may be removed meanwhile
    if also and message_kind(text) != "overview":
        return bot.ask_across(check_question(text), [name, *also]), []
    return bot.chat(text, name, said)


def _warning(why: str) -> dict[str, str]:
    """A chat message saying what went wrong (never a trace)."""
    return {"role": "assistant", "content": f"⚠ {html.escape(why)}"}


def _partials(history: list[dict[str, Any]], text: str) -> Iterator[list[dict[str, Any]]]:
    """The chat with the answer's sentence shown eight more words at a time."""
    words = text.split()
    for i in range(0, len(words), 8):
        partial = html.escape(" ".join(words[: i + 8]))
        yield [*history, {"role": "assistant", "content": partial}]


def _respond_llm(
    bot: Briefbot,
    backend: ChatBackend,
    text: str,
    history: list[dict[str, Any]],
    name: str,
    said: list[Turn],
) -> Iterator[tuple[list[dict[str, Any]], Any, str]]:
    """The model's words as they come (messages, None, ""), then the verified answer with
    what was removed (messages, answer, its HTML)."""
    shown = ""
    for part in bot.ask_llm_stream(text, backend, name, said):
        if isinstance(part, Generated):
            answer = part.answer
            body = (
                reading_html(answer) + answer_html(answer) + checked_html(part.removed, part.note)
            )
            yield history, answer, body
            return
        shown += part
        yield [*history, {"role": "assistant", "content": html.escape(shown)}], None, ""
