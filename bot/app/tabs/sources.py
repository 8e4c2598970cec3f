"""The Sources tab: the active article's chooser, adding an article (a file or a URL), the
article's text; and switching the active article, which refreshes every tab."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr

from bot.app.engine import Briefbot
from bot.app.render import article_html, brief_article_html, brief_html, header_md
from bot.app.tabs.briefing import BriefingTab
from bot.app.tabs.chat import ChatTab
from bot.app.tabs.quiz import QuizTab
from bot.app.tabs.shared import (
    MAX_QUESTIONS,
    MODEL_EVENT,
    SUGGESTED,
    Shared,
    article_choices,
    recall,
    remember,
    suggested_questions,
)
from bot.llm.backends import ChatBackend
from index.store import StoredArticle


@dataclass(frozen=True)
class SourcesTab:
    chooser: gr.Dropdown
    upload: gr.File
    link: gr.Textbox
    add: gr.Button
    added: gr.HTML
    source: gr.HTML
    remove: gr.Button
    removing: gr.State  # the article a first click on "Remove" asked about, until confirmed


def layout(choices: list[tuple[str, str]], default: str, stored: StoredArticle) -> SourcesTab:
    with gr.Tab("Sources", id="sources"):
        chooser = gr.Dropdown(choices, value=default, label="Active article", elem_id="bb-chooser")
        remove = gr.Button("Remove this article…", size="sm", elem_id="bb-remove")
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
    return SourcesTab(chooser, upload, link, add, added, source, remove, gr.State(None))


def wire(
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
        message = f"<p>Added <strong>{html.escape(report.name)}</strong> ({status}).</p>"
        return message, gr.update(choices=article_choices(bot), value=report.name)

    tab.add.click(
        add_article,
        [tab.upload, tab.link],
        [tab.added, tab.chooser],
        api_visibility="private",
        **MODEL_EVENT,
    )
    tab.remove.click(
        _remover(bot),
        [shared.article, tab.removing],
        [tab.added, tab.chooser, tab.remove, tab.removing],
        api_visibility="private",
        **MODEL_EVENT,
    )


def _remover(bot: Briefbot) -> Callable[[str, str | None], list[Any]]:
    """Removing takes two clicks: the first names what will go, the second removes it (its
    passages, vectors and saved text) and makes the packaged article (or another) active."""

    def remove(name: str, asked: str | None) -> list[Any]:
        from bot.app.library import default_name, seed_article
        from index.store import StoreError

        label = gr.update(value="Remove this article…")
        if asked != name:
            why = f"Click again to remove <strong>{html.escape(name)}</strong> for good."
            return [
                f"<p class='bb-note'>{why}</p>",
                gr.skip(),
                gr.update(value="Yes, remove it"),
                name,
            ]
        if len(bot.store.names()) < 2:
            note = (
                "<p class='bb-note'>This is the only article; add another before removing it.</p>"
            )
            return [note, gr.skip(), label, None]
        try:
            bot.remove(name)
            remaining = bot.store.names()
            seed = default_name(seed_article())
            active = seed if seed in remaining else remaining[0]
        except StoreError as e:
            return [f"<p class='bb-note'>⚠ {html.escape(str(e))}</p>", gr.skip(), label, None]
        done = f"<p>Removed <strong>{html.escape(name)}</strong>.</p>"
        return [done, gr.update(choices=article_choices(bot), value=active), label, None]

    return remove


def wire_switch(
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
    switch = _switcher(bot, backend)
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
        chat.also,
    ]
    chooser = sources.chooser
    chooser.change(
        switch, [chooser, shared.saved], outputs, api_visibility="private", **MODEL_EVENT
    )

    def restore(name: str, saved: dict[str, Any] | None) -> list[Any]:
        wanted = (saved or {}).get("article")
        if isinstance(wanted, str) and wanted in bot.store.names():
            if wanted == name and not recall(saved, name)[0]:
                return [gr.skip()] * (1 + len(outputs))  # the page as served is right
            return [gr.update(value=wanted), *switch(wanted, saved)]
        return [gr.skip()] * (1 + len(outputs))

    app.load(restore, [shared.article, shared.saved], [chooser, *outputs])


def _switcher(
    bot: Briefbot, backend: ChatBackend | None
) -> Callable[[str, dict[str, Any] | None], list[Any]]:
    """The switch handler: (article, saved) -> a value for each of `wire_switch`'s outputs."""
    hidden = gr.update(visible=False)

    def switch(name: str, saved: dict[str, Any] | None) -> list[Any]:
        s = bot.stored(name)
        b = bot.cached_brief(name) if backend is None else bot.brief(name, backend)[0]
        messages, turns, running = recall(saved, name)
        suggested = suggested_questions(b)
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
            remember(saved, name, messages, turns, running),
            *buttons,
            brief_html(b),
            b.to_markdown(),
            brief_article_html(s, b),
            *quiz_reset,
            article_html(s, panel="bb-qz"),
            gr.update(choices=article_choices(bot, leave_out=name), value=[]),
        ]

    return switch
