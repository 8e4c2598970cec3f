"""The Quiz tab: the quiz's options, its questions as radios and text boxes, grading with
the missed quotes highlighted, and the quiz's downloads."""

from __future__ import annotations

import atexit
import hashlib
import html
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from bot.app.engine import Briefbot
from bot.app.render import article_html, grade_html
from bot.app.tabs.shared import MAX_QUESTIONS, MODEL_EVENT, Shared, internal_error
from bot.llm.backends import ChatBackend
from bot.qa.citations import CitationError
from bot.quiz.export import export_quiz
from bot.quiz.grading import Grade, grade
from bot.quiz.model import TYPES, Quiz, QuizError, QuizRequest
from index.store import StoredArticle

KEPT_EXPORTS = 32  # quiz export folders kept on disk (oldest removed)
EXPORTS = {"json": "quiz.json", "md": "quiz.md", "gift": "quiz.gift.txt", "csv": "quiz-anki.csv"}
TYPE_NAMES = {  # the quiz types in plain language
    "mcq": "multiple choice",
    "tf": "true/false",
    "who_said": "who said it",
    "number": "numbers",
    "fill": "fill in the blank",
}


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


def layout(stored: StoredArticle) -> QuizTab:
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


def _quiz_maker(bot: Briefbot, backend: ChatBackend | None) -> Callable[..., Any]:
    """The "New quiz" handler: (count, seed, level, types, article) -> the quiz, its questions'
    widgets, the buttons, a note, the downloads and the article beside it."""

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

    return make_quiz


def wire(bot: Briefbot, backend: ChatBackend | None, shared: Shared, tab: QuizTab) -> None:
    make_quiz = _quiz_maker(bot, backend)
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
    if not _EXPORT_ROOT:  # Gradio serves its own copy, so the folder goes when we do
        _EXPORT_ROOT.append(Path(tempfile.mkdtemp(prefix="briefbot-quiz-")))
        atexit.register(shutil.rmtree, _EXPORT_ROOT[0], ignore_errors=True)
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
