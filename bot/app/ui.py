"""The Gradio web app. Widgets only: every answer, quiz and briefing comes from `bot/`
functions; rendering is `bot/app/render.py`. Bound to 127.0.0.1, no share link, monitoring off,
a bounded queue, the data directory never served.

`build_app` lays out one tab per module of `bot/app/tabs/` (chat, quiz, briefing, sources: each
has a `layout` and a `wire` for its events), then wires switching the active article
(`sources.wire_switch`) and the JSON API (`_wire_api`)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from bot.app.engine import Briefbot
from bot.app.render import CITE_JS, CSS, header_md
from bot.app.tabs import briefing, chat, quiz, sources
from bot.app.tabs.shared import (
    MODEL_EVENT,
    Shared,
    article_choices,
    internal_error,
    suggested_questions,
)
from bot.llm.backends import ChatBackend
from bot.qa.answer import QuestionError
from bot.qa.citations import CitationError
from bot.qa.followup import turn_of
from bot.quiz.model import QuizError, QuizRequest

QUEUE_SIZE = 32  # events waiting, all together (20 users at once fit); beyond: "Queue is full"


def build_app(bot: Briefbot, backend: ChatBackend | None = None) -> gr.Blocks:
    """The app; with a backend, answers, quiz questions and the bottom line are generated
    (and verified) by it."""
    default = bot.default_article()
    stored = bot.stored(default)
    brief, _, _ = bot.brief(default, backend)

    with gr.Blocks(title="briefbot", delete_cache=(3600, 3600)) as app:
        shared = Shared(
            article=gr.State(default),
            turns=gr.State([]),
            quiz=gr.State(None),
            saved=gr.BrowserState({}, storage_key="briefbot-conversations"),
            header=gr.Markdown(header_md(stored.article.title or default), elem_id="bb-header"),
        )
        with gr.Tabs():
            others = article_choices(bot, leave_out=default)
            chat_tab = chat.layout(stored, suggested_questions(brief), others)
            quiz_tab = quiz.layout(stored)
            briefing_tab = briefing.layout(stored, brief)
            sources_tab = sources.layout(article_choices(bot), default, stored)
        chat.wire(bot, backend, shared, chat_tab)
        quiz.wire(bot, backend, shared, quiz_tab)
        sources.wire(bot, backend, shared, sources_tab, chat_tab, briefing_tab)
        sources.wire_switch(
            bot, backend, app, shared, sources_tab, chat_tab, quiz_tab, briefing_tab
        )
        _wire_api(bot, backend)
    return app


# ---- the JSON API: the same shapes as the CLI, for gradio_client --------------------------------


def _wire_api(bot: Briefbot, backend: ChatBackend | None) -> None:
    def ask_api(
        question: str, article_name: str = "", history: list[str] | None = None
    ) -> dict[str, Any]:
        """`history`: the conversation's earlier questions, oldest first (optional)."""
        try:
            name = article_name or None
            said = [turn_of(a) for a in bot.ask_in_turn(history or [], name)]
            if backend is not None:
                return bot.ask_llm(question, backend, name, history=said).answer.to_dict()
            return bot.ask(question, name, said).to_dict()
        except CitationError as e:
            return {"question": question, "error": internal_error(e)}
        except (QuestionError, ValueError, RuntimeError) as e:
            return {"question": question, "error": str(e)}

    def quiz_api(
        n: int = 10,
        seed: int = 1,
        types: str = "",
        difficulty: str = "mixed",
        article_name: str = "",
    ) -> dict[str, Any]:
        try:
            articles = [article_name] if article_name else []
            request = QuizRequest.of(n, types, difficulty, seed, articles)
            return bot.quiz(request, backend)[0].to_dict()
        except CitationError as e:
            return {"error": internal_error(e)}
        except (QuizError, ValueError, RuntimeError) as e:
            return {"error": str(e)}

    def brief_api(article_name: str = "") -> dict[str, Any]:
        try:
            return bot.brief(article_name or None, backend)[0].to_dict()
        except CitationError as e:
            return {"error": internal_error(e)}
        except (ValueError, RuntimeError) as e:
            return {"error": str(e)}

    gr.api(ask_api, api_name="ask", **MODEL_EVENT)
    gr.api(quiz_api, api_name="quiz", **MODEL_EVENT)
    gr.api(brief_api, api_name="brief", **MODEL_EVENT)


def enable_queue(app: gr.Blocks, max_size: int = QUEUE_SIZE) -> None:
    """The app's one queue: `max_size` events waiting in all (a request beyond it gets HTTP 503,
    "Queue is full! Please try again." in gradio_client, at once, never a hang); model events
    run MODEL_WORKERS at a time together (MODEL_EVENT), the rest one at a time each."""
    app.queue(max_size=max_size, default_concurrency_limit=1)


def serve(
    bot: Briefbot, host: str = "127.0.0.1", port: int = 7860, backend: ChatBackend | None = None
) -> None:
    app = build_app(bot, backend)
    bot.ask("warm up", None)  # model and index in memory before the first visitor
    enable_queue(app)
    app.launch(
        server_name=host,
        server_port=port,
        share=False,
        enable_monitoring=False,
        max_file_size="1mb",
        allowed_paths=[],
        blocked_paths=[str(bot.settings.home)],
        show_error=False,
        quiet=True,
        head=CITE_JS,
        footer_links=["api"],
        css=CSS,
    )
