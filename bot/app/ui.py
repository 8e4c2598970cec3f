"""The Gradio web app. Widgets only: every answer, quiz and briefing comes from `bot/`
functions; rendering is `bot/app/render.py`. Bound to 127.0.0.1, no share link, monitoring off,
a bounded queue, the data directory never served.

`build_app` lays out one tab per builder (`_chat_tab`, `_quiz_tab`, `_briefing_tab`,
`_sources_tab`), then wires each tab's events (`_wire_*`) and the JSON API (`_wire_api`)."""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from bot.app.engine import Briefbot
from bot.app.render import (
    CSS,
    answer_html,
    article_html,
    brief_html,
    checked_html,
    grade_html,
    header_md,
    offers_html,
    reading_html,
)
from bot.brief.briefing import Brief
from bot.llm.backends import ChatBackend
from bot.llm.generate import Generated
from bot.qa.answer import QuestionError
from bot.qa.followup import Turn, turn_of
from bot.quiz.export import export_quiz
from bot.quiz.grading import grade
from bot.quiz.model import TYPES, Quiz, QuizError, QuizRequest
from index.store import StoredArticle

MAX_QUESTIONS = 20
QUEUE_SIZE = 16
EXPORTS = {"json": "quiz.json", "md": "quiz.md", "gift": "quiz.gift.txt", "csv": "quiz-anki.csv"}


@dataclass(frozen=True)
class Shared:
    """What every tab reads: the active article's name, this browser's conversation (for
    follow-ups, "Who is he?") and the page header."""

    article: gr.State
    turns: gr.State
    header: gr.Markdown


@dataclass(frozen=True)
class ChatTab:
    chat: gr.Chatbot
    question: gr.Textbox
    ask: gr.Button
    clear: gr.Button
    evidence: gr.HTML


@dataclass(frozen=True)
class QuizTab:
    n: gr.Slider
    seed: gr.Number
    difficulty: gr.Radio
    types: gr.CheckboxGroup
    make: gr.Button
    state: gr.State
    radios: list[gr.Radio]
    boxes: list[gr.Textbox]
    submit: gr.Button
    result: gr.HTML
    downloads: gr.File


@dataclass(frozen=True)
class BriefingTab:
    view: gr.HTML
    markdown: gr.Code


@dataclass(frozen=True)
class SourcesTab:
    chooser: gr.Dropdown
    upload: gr.File
    link: gr.Textbox
    add: gr.Button
    added: gr.HTML
    source: gr.HTML


def build_app(bot: Briefbot, backend: ChatBackend | None = None) -> gr.Blocks:
    """The app; with a backend, answers, quiz questions and the bottom line are generated
    (and verified) by it."""
    default = bot.default_article()
    names = bot.store.names()
    stored = bot.stored(default)
    brief, _, _ = bot.brief(default, backend)
    suggested = [line.text for line in brief.sections.get("suggested_questions", ())]

    with gr.Blocks(title="briefbot") as app:
        shared = Shared(
            article=gr.State(default),
            turns=gr.State([]),
            header=gr.Markdown(header_md(stored.article.title or default), elem_id="bb-header"),
        )
        with gr.Tabs():
            chat = _chat_tab(stored, suggested)
            quiz = _quiz_tab()
            briefing = _briefing_tab(brief)
            sources = _sources_tab(names, default, stored)
        _wire_chat(bot, backend, shared, chat)
        _wire_quiz(bot, backend, shared, quiz)
        _wire_sources(bot, backend, shared, sources, chat, briefing)
        _wire_api(bot, backend)
    return app


# ---- layout: one builder per tab ----------------------------------------------------------------


def _chat_tab(stored: StoredArticle, suggested: list[str]) -> ChatTab:
    with gr.Tab("Chat", id="chat"), gr.Row():
        with gr.Column(scale=3, min_width=300):
            chat = gr.Chatbot(height=440, sanitize_html=True, elem_id="bb-chat", show_label=False)
            question = gr.Textbox(
                placeholder="Ask a question about the article",
                show_label=False,
                elem_id="bb-question",
                max_lines=3,
            )
            with gr.Row():
                ask = gr.Button("Ask", variant="primary", elem_id="bb-ask")
                clear = gr.Button("Clear", elem_id="bb-clear")
            if suggested:
                gr.Examples([[q] for q in suggested], inputs=question, label="Suggested")
        with gr.Column(scale=2, min_width=280):
            evidence = gr.HTML(article_html(stored), elem_id="bb-evidence")
    return ChatTab(chat, question, ask, clear, evidence)


def _quiz_tab() -> QuizTab:
    with gr.Tab("Quiz", id="quiz"):
        with gr.Row():
            n = gr.Slider(1, MAX_QUESTIONS, value=5, step=1, label="Questions")
            seed = gr.Number(value=1, precision=0, label="Seed")
            difficulty = gr.Radio(["mixed", "easy", "hard"], value="mixed", label="Difficulty")
        types = gr.CheckboxGroup(list(TYPES), value=list(TYPES), label="Question types")
        make = gr.Button("New quiz", variant="primary", elem_id="bb-make-quiz")
        state = gr.State(None)
        radios = [gr.Radio([], visible=False, elem_id=f"bb-q{i}") for i in range(MAX_QUESTIONS)]
        boxes = [gr.Textbox(visible=False, elem_id=f"bb-t{i}") for i in range(MAX_QUESTIONS)]
        submit = gr.Button("Submit answers", visible=False, elem_id="bb-submit")
        result = gr.HTML(elem_id="bb-result")
        downloads = gr.File(label="Download", file_count="multiple", visible=False)
    return QuizTab(
        n, seed, difficulty, types, make, state, radios, boxes, submit, result, downloads
    )


def _briefing_tab(brief: Brief) -> BriefingTab:
    with gr.Tab("Briefing", id="briefing"):
        view = gr.HTML(brief_html(brief), elem_id="bb-brief")
        markdown = gr.Code(brief.to_markdown(), language="markdown", label="Copy as Markdown")
    return BriefingTab(view, markdown)


def _sources_tab(names: list[str], default: str, stored: StoredArticle) -> SourcesTab:
    with gr.Tab("Sources", id="sources"):
        chooser = gr.Dropdown(names, value=default, label="Active article", elem_id="bb-chooser")
        with gr.Accordion("Add an article", open=False, elem_id="bb-add-box"):
            with gr.Row():
                upload = gr.File(
                    label="A file (.txt, .md, .html, up to 1 MB)",
                    file_types=[".txt", ".md", ".html", ".htm"],
                    type="filepath",
                    elem_id="bb-upload",
                )
                with gr.Column():
                    link = gr.Textbox(
                        label="or a news page URL",
                        placeholder="https://…",
                        elem_id="bb-url",
                        max_lines=1,
                    )
                    add = gr.Button("Add", variant="primary", elem_id="bb-add")
            added = gr.HTML(elem_id="bb-add-status")
        source = gr.HTML(article_html(stored), elem_id="bb-source")
    return SourcesTab(chooser, upload, link, add, added, source)


# ---- wiring: each tab's events ------------------------------------------------------------------


def _wire_chat(bot: Briefbot, backend: ChatBackend | None, shared: Shared, tab: ChatTab) -> None:
    respond = _responder(bot, backend)
    for trigger in (tab.ask.click, tab.question.submit):
        trigger(
            respond,
            [tab.question, tab.chat, shared.article, shared.turns],
            [tab.chat, tab.question, tab.evidence, shared.turns],
            api_visibility="private",
        )
    tab.clear.click(
        lambda name: ([], article_html(bot.stored(name)), []),
        shared.article,
        [tab.chat, tab.evidence, shared.turns],
        api_visibility="private",
    )


def _responder(bot: Briefbot, backend: ChatBackend | None) -> Callable[..., Iterator[Any]]:
    """The chat's handler: (question, chat, article, turns) -> (chat, question box, evidence
    panel, turns), streamed."""

    def respond(text: str, history: list[dict[str, Any]], name: str, said: list[Turn]) -> Any:
        history = [*(history or []), {"role": "user", "content": html.escape(text or "")}]
        try:
            if backend is not None:
                yield from _respond_llm(bot, backend, text or "", history, name, said)
                return
            answer, offers = bot.chat(text or "", name, said)
        except QuestionError as e:  # shown in the chat, never a trace
            reply = {"role": "assistant", "content": f"⚠ {html.escape(str(e))}"}
            yield [*history, reply], "", gr.skip(), gr.skip()
            return
        words = answer.answer.split()
        for i in range(0, len(words), 8):  # stream the sentence, then the cited version
            partial = html.escape(" ".join(words[: i + 8]))
            yield (
                [*history, {"role": "assistant", "content": partial}],
                "",
                gr.skip(),
                gr.skip(),
            )
        body = reading_html(answer) + answer_html(answer) + offers_html(offers)
        final = {"role": "assistant", "content": body}
        page = article_html(bot.stored(name), answer.citations)
        yield [*history, final], "", page, [*said, turn_of(answer)]

    return respond


def _respond_llm(
    bot: Briefbot,
    backend: ChatBackend,
    text: str,
    history: list[dict[str, Any]],
    name: str,
    said: list[Turn],
) -> Iterator[Any]:
    """The model's words as they come, then the verified answer with what was removed."""
    shown = ""
    for part in bot.ask_llm_stream(text, backend, name, said):
        if isinstance(part, Generated):
            answer = part.answer
            body = (
                reading_html(answer) + answer_html(answer) + checked_html(part.removed, part.note)
            )
            final = {"role": "assistant", "content": body}
            page = article_html(bot.stored(name), answer.citations)
            yield [*history, final], "", page, [*said, turn_of(answer)]
            return
        shown += part
        partial = {"role": "assistant", "content": html.escape(shown)}
        yield [*history, partial], "", gr.skip(), gr.skip()


def _wire_quiz(bot: Briefbot, backend: ChatBackend | None, shared: Shared, tab: QuizTab) -> None:
    def make_quiz(count: float, s: float, level: str, kinds: list[str], name: str) -> Any:
        try:
            quiz, _ = bot.quiz(QuizRequest.of(count, kinds, level, s or 1, [name]), backend)
        except QuizError as e:
            gr.Warning(str(e))
            hidden = gr.update(visible=False)
            return [None, *[hidden] * (2 * MAX_QUESTIONS), hidden, "", hidden]
        if quiz.note:
            gr.Info(quiz.note)  # fewer questions than asked, and why
        shown = gr.update(visible=True)
        files = gr.update(visible=True, value=_export_files(quiz))
        return [quiz, *_question_updates(quiz), shown, "", files]

    tab.make.click(
        make_quiz,
        [tab.n, tab.seed, tab.difficulty, tab.types, shared.article],
        [tab.state, *tab.radios, *tab.boxes, tab.submit, tab.result, tab.downloads],
        api_visibility="private",
    )
    tab.submit.click(
        submit, [tab.state, *tab.radios, *tab.boxes], tab.result, api_visibility="private"
    )


def _export_files(quiz: Quiz) -> list[str]:
    """The quiz written in every export format to a fresh temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="briefbot-quiz-"))
    files = []
    for fmt, filename in EXPORTS.items():
        (folder / filename).write_text(export_quiz(quiz, fmt), encoding="utf-8")
        files.append(str(folder / filename))
    return files


def _question_updates(quiz: Quiz) -> list[Any]:
    """Updates for the radios (choice questions), then the text boxes (free text)."""
    radio_updates, box_updates = [], []
    for i in range(MAX_QUESTIONS):
        item = quiz.questions[i] if i < len(quiz.questions) else None
        label = f"{i + 1}. {item.question}" if item else ""
        choice = item is not None and item.options is not None
        radio_updates.append(
            gr.update(
                visible=choice,
                choices=list(item.options) if item and item.options else [],
                value=None,
                label=label,
            )
        )
        box_updates.append(
            gr.update(visible=item is not None and not choice, value="", label=label)
        )
    return [*radio_updates, *box_updates]


def submit(quiz: Quiz | None, *answers: str) -> str:
    """Grade the answers given in the radios and boxes (the handler keeps the name "submit")."""
    if quiz is None:
        return "<p>Make a quiz first.</p>"
    radio_values, box_values = answers[:MAX_QUESTIONS], answers[MAX_QUESTIONS:]
    responses: dict[str, str | int] = {}
    for i, item in enumerate(quiz.questions):
        value = radio_values[i] if item.options is not None else box_values[i]
        if value:
            responses[item.id] = value
    return grade_html(grade(quiz, responses))


def _wire_sources(
    bot: Briefbot,
    backend: ChatBackend | None,
    shared: Shared,
    tab: SourcesTab,
    chat: ChatTab,
    briefing: BriefingTab,
) -> None:
    def choose(name: str) -> Any:
        s = bot.stored(name)
        b, _, _ = bot.brief(name, backend)
        header_text = header_md(s.article.title or name)
        page = article_html(s)
        return name, page, page, brief_html(b), b.to_markdown(), [], header_text, []

    tab.chooser.change(
        choose,
        tab.chooser,
        [
            shared.article,
            tab.source,
            chat.evidence,
            briefing.view,
            briefing.markdown,
            chat.chat,
            shared.header,
            shared.turns,
        ],
        api_visibility="private",
    )

    def add_article(path: str | None, url: str) -> Any:
        from index.fetch import FetchError
        from index.ingest import IngestError
        from index.store import StoreError

        if not path and not (url or "").strip():
            return "<p class='bb-note'>Choose a file or paste a URL first.</p>", gr.skip()
        try:
            report = bot.add(path or url.strip())
        except (IngestError, FetchError, StoreError) as e:
            return f"<p class='bb-note'>⚠ {html.escape(str(e))}</p>", gr.skip()
        status = "already indexed" if report.unchanged else f"{report.added} records indexed"
        choices = bot.store.names()
        message = f"<p>Added <strong>{html.escape(report.name)}</strong> ({status}).</p>"
        return message, gr.update(choices=choices, value=report.name)

    tab.add.click(
        add_article, [tab.upload, tab.link], [tab.added, tab.chooser], api_visibility="private"
    )


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
        except (QuizError, ValueError, RuntimeError) as e:
            return {"error": str(e)}

    def brief_api(article_name: str = "") -> dict[str, Any]:
        try:
            return bot.brief(article_name or None, backend)[0].to_dict()
        except (ValueError, RuntimeError) as e:
            return {"error": str(e)}

    gr.api(ask_api, api_name="ask")
    gr.api(quiz_api, api_name="quiz")
    gr.api(brief_api, api_name="brief")


def serve(
    bot: Briefbot, host: str = "127.0.0.1", port: int = 7860, backend: ChatBackend | None = None
) -> None:
    app = build_app(bot, backend)
    bot.ask("warm up", None)  # model and index in memory before the first visitor
    app.queue(max_size=QUEUE_SIZE, default_concurrency_limit=1)
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
        footer_links=["api"],
        css=CSS,
    )
