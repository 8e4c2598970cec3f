"""The Gradio web app. Widgets only: every answer, quiz and briefing comes from `bot/`
functions; rendering is `bot/app/render.py`. Bound to 127.0.0.1, no share link, monitoring off,
a bounded queue, the data directory never served.

`build_app` lays out one tab per builder (`_chat_tab`, `_quiz_tab`, `_briefing_tab`,
`_sources_tab`), then wires each tab's events (`_wire_*`) and the JSON API (`_wire_api`)."""

from __future__ import annotations

import hashlib
import html
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from bot.app import chat_quiz
from bot.app.engine import Briefbot
from bot.app.render import (
    CITE_JS,
    CSS,
    answer_html,
    article_html,
    brief_html,
    checked_html,
    grade_html,
    header_md,
    offers_html,
    reading_html,
    user_html,
)
from bot.brief.briefing import Brief
from bot.llm.backends import ChatBackend
from bot.llm.generate import Generated
from bot.qa.answer import QuestionError
from bot.qa.citations import CitationError
from bot.qa.followup import Turn, turn_of
from bot.qa.intent import message_kind
from bot.quiz.export import export_quiz
from bot.quiz.grading import Grade, grade
from bot.quiz.model import TYPES, Quiz, QuizError, QuizRequest
from index.store import StoredArticle

MAX_QUESTIONS = 20
QUEUE_SIZE = 32  # events waiting, all together (20 users at once fit); beyond: "Queue is full"
# Every event that runs a model (answers, quizzes, briefings, indexing, the API) shares one
# limit: MODEL_WORKERS at a time, whichever tab or route they come from. Two, so that indexing
# an upload leaves a worker for questions; the engine lets them run side by side.
MODEL_WORKERS = 2
MODEL_EVENT: dict[str, Any] = {"concurrency_id": "model", "concurrency_limit": MODEL_WORKERS}
KEPT_EXPORTS = 32  # quiz export folders kept on disk (oldest removed)
EXPORTS = {"json": "quiz.json", "md": "quiz.md", "gift": "quiz.gift.txt", "csv": "quiz-anki.csv"}
TYPE_NAMES = {  # the quiz types in plain language
    "mcq": "multiple choice",
    "tf": "true/false",
    "who_said": "who said it",
    "number": "numbers",
    "fill": "fill in the blank",
}
SUGGESTED = 5  # suggested-question buttons under the chat
SAVED_MESSAGES = 60  # per article, kept in the browser across reloads
SAVED_ARTICLES = 8


def internal_error(e: CitationError) -> str:
    """What the app says when an invariant breaks (a citation failed its own check): a bug in
    briefbot, never the user's input. The traceback goes to the server's log."""
    import traceback

    traceback.print_exception(e)
    return (
        "internal error: a citation failed its check; this is a bug in briefbot, please report it"
    )


@dataclass(frozen=True)
class Shared:
    """What every tab reads: the active article's name, this browser's conversation (for
    follow-ups, "Who is he?"), the quiz running in the chat (`bot.app.chat_quiz` state), the
    conversations kept in the browser's storage (per article, across reloads) and the page
    header."""

    article: gr.State
    turns: gr.State
    quiz: gr.State
    saved: gr.BrowserState
    header: gr.Markdown


@dataclass(frozen=True)
class ChatTab:
    chat: gr.Chatbot
    question: gr.Textbox
    ask: gr.Button
    clear: gr.Button
    suggested: list[gr.Button]
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
    again: gr.Button
    result: gr.HTML
    downloads: gr.File
    passages: gr.HTML


@dataclass(frozen=True)
class BriefingTab:
    view: gr.HTML
    markdown: gr.Textbox
    passages: gr.HTML


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

    with gr.Blocks(title="briefbot", delete_cache=(3600, 3600)) as app:
        shared = Shared(
            article=gr.State(default),
            turns=gr.State([]),
            quiz=gr.State(None),
            saved=gr.BrowserState({}, storage_key="briefbot-conversations"),
            header=gr.Markdown(header_md(stored.article.title or default), elem_id="bb-header"),
        )
        with gr.Tabs():
            chat = _chat_tab(stored, _suggested(brief))
            quiz = _quiz_tab(stored)
            briefing = _briefing_tab(stored, brief)
            sources = _sources_tab(names, default, stored)
        _wire_chat(bot, backend, shared, chat)
        _wire_quiz(bot, backend, shared, quiz)
        _wire_sources(bot, backend, shared, sources, chat, briefing)
        _wire_switch(bot, backend, app, shared, sources, chat, quiz, briefing)
        _wire_api(bot, backend)
    return app


def _suggested(brief: Brief) -> list[str]:
    return [line.text for line in brief.sections.get("suggested_questions", ())][:SUGGESTED]


# ---- layout: one builder per tab ----------------------------------------------------------------


def _chat_tab(stored: StoredArticle, suggested: list[str]) -> ChatTab:
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
    return ChatTab(chat, question, ask, clear, buttons, evidence)


def _quiz_tab(stored: StoredArticle) -> QuizTab:
    with gr.Tab("Quiz", id="quiz"):
        with gr.Row():
            n = gr.Slider(1, MAX_QUESTIONS, value=5, step=1, label="Number of questions")
            difficulty = gr.Radio(["mixed", "easy", "hard"], value="mixed", label="Difficulty")
        types = gr.CheckboxGroup(
            [(TYPE_NAMES[t], t) for t in TYPES],
            value=list(TYPES),
            label="Question types",
            elem_id="bb-types",
        )
        with gr.Accordion("More options", open=False):
            seed = gr.Number(
                value=1, precision=0, label="Quiz number (the same number gives the same quiz)"
            )
        make = gr.Button("New quiz", variant="primary", elem_id="bb-make-quiz")
        state = gr.State(None)
        radios = [gr.Radio([], visible=False, elem_id=f"bb-q{i}") for i in range(MAX_QUESTIONS)]
        boxes = [gr.Textbox(visible=False, elem_id=f"bb-t{i}") for i in range(MAX_QUESTIONS)]
        with gr.Row():
            submit = gr.Button("Submit answers", visible=False, elem_id="bb-submit")
            again = gr.Button("Try again", visible=False, elem_id="bb-again")
        with gr.Row():
            with gr.Column(scale=3, min_width=300):
                result = gr.HTML(elem_id="bb-result")
            with gr.Column(scale=2, min_width=280):
                passages = gr.HTML(article_html(stored, panel="bb-qz"), elem_id="bb-quiz-article")
        downloads = gr.File(label="Download", file_count="multiple", visible=False)
    return QuizTab(
        n, seed, difficulty, types, make, state, radios, boxes, submit, again, result, downloads,
        passages,
    )  # fmt: skip


def _briefing_tab(stored: StoredArticle, brief: Brief) -> BriefingTab:
    with gr.Tab("Briefing", id="briefing"), gr.Row():
        with gr.Column(scale=3, min_width=300):
            view = gr.HTML(brief_html(brief), elem_id="bb-brief")
            markdown = gr.Textbox(
                brief.to_markdown(),
                label="Copy as Markdown",
                lines=8,
                max_lines=16,
                interactive=False,
                buttons=["copy"],
                elem_id="bb-brief-md",
            )
        with gr.Column(scale=2, min_width=280):
            passages = gr.HTML(_brief_article(stored, brief), elem_id="bb-brief-article")
    return BriefingTab(view, markdown, passages)


def _brief_article(stored: StoredArticle, brief: Brief) -> str:
    """The article beside the briefing, every passage the briefing cites highlighted."""
    cited = [c for lines in brief.sections.values() for line in lines for c in line.citations]
    return article_html(stored, cited, panel="bb-br")


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
        source = gr.HTML(article_html(stored, panel="bb-src"), elem_id="bb-source")
    return SourcesTab(chooser, upload, link, add, added, source)


# ---- wiring: each tab's events ------------------------------------------------------------------


def _wire_chat(bot: Briefbot, backend: ChatBackend | None, shared: Shared, tab: ChatTab) -> None:
    respond = _responder(bot, backend)
    state = [tab.chat, shared.article, shared.turns, shared.quiz, shared.saved]
    outputs = [tab.chat, tab.question, tab.evidence, shared.turns, shared.quiz, shared.saved]
    for trigger in (tab.ask.click, tab.question.submit):
        trigger(respond, [tab.question, *state], outputs, api_visibility="private", **MODEL_EVENT)
    for button in tab.suggested:  # a suggested question is asked when clicked
        button.click(respond, [button, *state], outputs, api_visibility="private", **MODEL_EVENT)

    def clear(name: str, saved: dict[str, Any] | None) -> Any:
        return [], article_html(bot.stored(name)), [], None, _remember(saved, name, [], [], None)

    for clearing in (tab.clear.click, tab.chat.clear):  # the button, and the chat's trash icon
        clearing(
            clear,
            [shared.article, shared.saved],
            [tab.chat, tab.evidence, shared.turns, shared.quiz, shared.saved],
            api_visibility="private",
        )


def _remember(
    saved: dict[str, Any] | None,
    name: str,
    messages: list[dict[str, Any]],
    turns: list[Turn],
    quiz: dict[str, Any] | None,
) -> dict[str, Any]:
    """The browser's stored conversations with `name`'s replaced (and made the active one)."""
    chats = dict((saved or {}).get("chats") or {})
    chats.pop(name, None)
    chats[name] = {
        "messages": messages[-SAVED_MESSAGES:],
        "turns": [asdict(t) for t in turns[-SAVED_MESSAGES:]],
        "quiz": quiz,
    }
    while len(chats) > SAVED_ARTICLES:
        chats.pop(next(iter(chats)))
    return {"article": name, "chats": chats}


def _recall(
    saved: dict[str, Any] | None, name: str
) -> tuple[list[dict[str, Any]], list[Turn], dict[str, Any] | None]:
    """The conversation with `name` kept in the browser: messages, turns, running quiz.
    Anything not in the shape `_remember` writes is dropped."""
    entry = ((saved or {}).get("chats") or {}).get(name)
    if not isinstance(entry, dict):
        return [], [], None
    try:
        messages = [m for m in entry["messages"] if m.get("role") in ("user", "assistant")]
        turns = [
            Turn(
                str(t["question"]),
                str(t["answer"]),
                t["short_answer"],
                tuple(t["passages"]),
                tuple(t["quotes"]),
            )
            for t in entry["turns"]
        ]
    except (KeyError, TypeError, AttributeError):
        return [], [], None
    quiz = entry.get("quiz")
    return messages, turns, quiz if isinstance(quiz, dict) else None


def _responder(bot: Briefbot, backend: ChatBackend | None) -> Callable[..., Iterator[Any]]:
    """The chat's handler: (question, chat, article, turns, chat quiz, saved) -> (chat,
    question box, evidence panel, turns, chat quiz, saved), streamed. While a quiz runs in the
    chat, a message is the answer to its question; "quiz me" starts one."""

    def respond(
        text: str,
        history: list[dict[str, Any]],
        name: str,
        said: list[Turn],
        quiz: dict[str, Any] | None,
        saved: dict[str, Any] | None,
    ) -> Any:
        text = text or ""
        history = [*(history or []), {"role": "user", "content": user_html(text)}]

        def done(body: str, cited: Any, turns: list[Turn], running: dict[str, Any] | None) -> Any:
            messages = [*history, {"role": "assistant", "content": body}]
            page = article_html(bot.stored(name), cited)
            kept = _remember(saved, name, messages, turns, running)
            return messages, "", page, turns, running, kept

        skip = gr.skip()
        asks_quiz = bool(text.strip()) and message_kind(text) == "quiz"
        if quiz is not None and quiz.get("article") != name:
            quiz = None
        if asks_quiz or (quiz is not None and text.strip()):
            try:
                if quiz is not None and not asks_quiz:
                    step = chat_quiz.reply(bot, quiz, text)
                else:
                    step = chat_quiz.start(bot, text, name, seed=len(history))
            except (QuizError, KeyError, TypeError, IndexError, ValueError) as e:
                reply = {"role": "assistant", "content": f"⚠ {html.escape(str(e))}"}
                yield [*history, reply], "", skip, skip, None, skip
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
            answer, offers = bot.chat(text, name, said)
        except (QuestionError, CitationError) as e:  # shown in the chat, never a trace
            why = internal_error(e) if isinstance(e, CitationError) else str(e)
            reply = {"role": "assistant", "content": f"⚠ {html.escape(why)}"}
            yield [*history, reply], "", skip, skip, skip, skip
            return
        words = answer.answer.split()
        for i in range(0, len(words), 8):  # stream the sentence, then the cited version
            partial = html.escape(" ".join(words[: i + 8]))
            yield [*history, {"role": "assistant", "content": partial}], "", skip, skip, skip, skip
        body = reading_html(answer) + answer_html(answer) + offers_html(offers)
        yield done(body, answer.citations, [*said, turn_of(answer)], None)

    return respond


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


def _wire_quiz(bot: Briefbot, backend: ChatBackend | None, shared: Shared, tab: QuizTab) -> None:
    def make_quiz(count: float, s: float, level: str, kinds: list[str], name: str) -> Any:
        try:
            if not kinds:  # an empty selection is not "any type"
                raise QuizError("choose at least one question type")
            quiz, _ = bot.quiz(QuizRequest.of(count, kinds, level, s or 1, [name]), backend)
        except (QuizError, CitationError) as e:
            why = internal_error(e) if isinstance(e, CitationError) else str(e)
            hidden = gr.update(visible=False)
            said = f"<p class='bb-note'>⚠ {html.escape(why)}</p>"
            return [None, *[hidden] * (2 * MAX_QUESTIONS), hidden, hidden, said, hidden, gr.skip()]
        shown, hidden_again = gr.update(visible=True), gr.update(visible=False)
        # fewer questions than asked: say why where the result goes
        note = f"<p class='bb-note'>{html.escape(quiz.note)}</p>" if quiz.note else ""
        files = gr.update(visible=True, value=_export_files(quiz))
        page = article_html(bot.stored(name), panel="bb-qz")
        return [quiz, *_question_updates(quiz), shown, hidden_again, note, files, page]

    tab.make.click(
        make_quiz,
        [tab.n, tab.seed, tab.difficulty, tab.types, shared.article],
        [
            tab.state,
            *tab.radios,
            *tab.boxes,
            tab.submit,
            tab.again,
            tab.result,
            tab.downloads,
            tab.passages,
        ],
        api_visibility="private",
        **MODEL_EVENT,
    )

    def submit_and_show(quiz: Quiz | None, name: str, *answers: str) -> Any:
        """The grade, and the article beside it with the quotes of the misses highlighted."""
        if quiz is None:
            return submit(quiz, *answers), gr.skip(), gr.skip()
        graded = _graded(quiz, answers)
        cited = [c for r in graded.results if not r.correct for c in r.citations]
        asked = {item.id: item.question for item in quiz.questions}
        page = article_html(bot.stored(name), cited, panel="bb-qz")
        return grade_html(graded, asked), page, gr.update(visible=True)

    tab.submit.click(
        submit_and_show,
        [tab.state, shared.article, *tab.radios, *tab.boxes],
        [tab.result, tab.passages, tab.again],
        api_visibility="private",
    )

    def try_again(name: str) -> Any:
        """The same questions, answers cleared."""
        cleared = [gr.update(value=None)] * MAX_QUESTIONS + [gr.update(value="")] * MAX_QUESTIONS
        page = article_html(bot.stored(name), panel="bb-qz")
        return [*cleared, "", page, gr.update(visible=False)]

    tab.again.click(
        try_again,
        shared.article,
        [*tab.radios, *tab.boxes, tab.result, tab.passages, tab.again],
        api_visibility="private",
    )


_EXPORT_ROOT: list[Path] = []  # this process's one folder of quiz exports, made when needed


def _export_files(quiz: Quiz) -> list[str]:
    """The quiz written in every export format, in a folder named by its content under one
    folder for the process: the same quiz is written once, and only the newest KEPT_EXPORTS
    folders are kept (a folder per download would grow without end)."""
    if not _EXPORT_ROOT:
        _EXPORT_ROOT.append(Path(tempfile.mkdtemp(prefix="briefbot-quiz-")))
    texts = {filename: export_quiz(quiz, fmt) for fmt, filename in EXPORTS.items()}
    digest = hashlib.sha256("\0".join(texts.values()).encode("utf-8")).hexdigest()[:16]
    folder = _EXPORT_ROOT[0] / digest
    folder.mkdir(exist_ok=True)
    for filename, text in texts.items():
        target = folder / filename
        if not target.exists():  # written whole, then renamed: a reader never sees half of it
            part = target.with_name(f".{filename}.{threading.get_ident()}")
            part.write_text(text, encoding="utf-8")
            part.replace(target)
    folder.touch()
    older = sorted(_EXPORT_ROOT[0].iterdir(), key=lambda f: f.stat().st_mtime, reverse=True)
    for stale in older[KEPT_EXPORTS:]:
        shutil.rmtree(stale, ignore_errors=True)
    return [str(folder / filename) for filename in texts]


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
    return grade_html(_graded(quiz, answers))


def _graded(quiz: Quiz, answers: tuple[str, ...]) -> Grade:
    radio_values, box_values = answers[:MAX_QUESTIONS], answers[MAX_QUESTIONS:]
    responses: dict[str, str | int] = {}
    for i, item in enumerate(quiz.questions):
        value = radio_values[i] if item.options is not None else box_values[i]
        if value:
            responses[item.id] = value
    return grade(quiz, responses)


def _wire_sources(
    bot: Briefbot,
    backend: ChatBackend | None,
    shared: Shared,
    tab: SourcesTab,
    chat: ChatTab,
    briefing: BriefingTab,
) -> None:
    def add_article(path: str | None, url: str) -> Any:
        from gradio.utils import get_upload_folder

        from index.fetch import FetchError
        from index.ingest import IngestError
        from index.sources import check_upload, check_web_url
        from index.store import StoreError

        if not path and not (url or "").strip():
            return "<p class='bb-note'>Choose a file or paste a URL first.</p>", gr.skip()
        try:  # the URL box takes web pages only; files come in as uploads, never by path
            source = check_upload(path, get_upload_folder()) if path else check_web_url(url)
            report = bot.add(source)
        except (IngestError, FetchError, StoreError) as e:
            return f"<p class='bb-note'>⚠ {html.escape(str(e))}</p>", gr.skip()
        status = "already indexed" if report.unchanged else f"{report.added} records indexed"
        choices = bot.store.names()
        message = f"<p>Added <strong>{html.escape(report.name)}</strong> ({status}).</p>"
        return message, gr.update(choices=choices, value=report.name)

    tab.add.click(
        add_article,
        [tab.upload, tab.link],
        [tab.added, tab.chooser],
        api_visibility="private",
        **MODEL_EVENT,
    )


def _wire_switch(
    bot: Briefbot,
    backend: ChatBackend | None,
    app: gr.Blocks,
    shared: Shared,
    sources: SourcesTab,
    chat: ChatTab,
    quiz: QuizTab,
    briefing: BriefingTab,
) -> None:
    """Switching the active article refreshes everything that belongs to it: header, the three
    article panels, briefing, suggested questions, the quiz tab (cleared) and the chat (the
    conversation with that article this browser kept, if any). A page load does the same for
    the article this browser had open, so a reload keeps the conversation."""
    hidden = gr.update(visible=False)

    def switch(name: str, saved: dict[str, Any] | None) -> list[Any]:
        s = bot.stored(name)
        b = bot.cached_brief(name) if backend is None else bot.brief(name, backend)[0]
        messages, turns, running = _recall(saved, name)
        suggested = _suggested(b)
        buttons = [
            gr.update(value=suggested[i], visible=True) if i < len(suggested) else hidden
            for i in range(SUGGESTED)
        ]
        quiz_reset = [None, *[hidden] * (2 * MAX_QUESTIONS), hidden, hidden, "", hidden]
        return [
            name,
            header_md(s.article.title or name),
            article_html(s, panel="bb-src"),
            article_html(s),
            messages,
            turns,
            running,
            _remember(saved, name, messages, turns, running),
            *buttons,
            brief_html(b),
            b.to_markdown(),
            _brief_article(s, b),
            *quiz_reset,
            article_html(s, panel="bb-qz"),
        ]

    outputs = [
        shared.article,
        shared.header,
        sources.source,
        chat.evidence,
        chat.chat,
        shared.turns,
        shared.quiz,
        shared.saved,
        *chat.suggested,
        briefing.view,
        briefing.markdown,
        briefing.passages,
        quiz.state,
        *quiz.radios,
        *quiz.boxes,
        quiz.submit,
        quiz.again,
        quiz.result,
        quiz.downloads,
        quiz.passages,
    ]
    chooser = sources.chooser
    chooser.change(
        switch, [chooser, shared.saved], outputs, api_visibility="private", **MODEL_EVENT
    )

    def restore(name: str, saved: dict[str, Any] | None) -> list[Any]:
        wanted = (saved or {}).get("article")
        if isinstance(wanted, str) and wanted in bot.store.names():
            if wanted == name and not _recall(saved, name)[0]:
                return [gr.skip()] * (1 + len(outputs))  # the page as served is right
            return [gr.update(value=wanted), *switch(wanted, saved)]
        return [gr.skip()] * (1 + len(outputs))

    app.load(restore, [shared.article, shared.saved], [chooser, *outputs])


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
