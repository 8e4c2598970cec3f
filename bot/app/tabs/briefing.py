"""The Briefing tab: the cited briefing, its Markdown to copy, and the article beside it with
every passage the briefing cites highlighted."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from bot.app.render import brief_article_html, brief_html
from bot.brief.briefing import Brief
from index.store import StoredArticle


@dataclass(frozen=True)
class BriefingTab:
    view: gr.HTML
    markdown: gr.Textbox
    passages: gr.HTML


def layout(stored: StoredArticle, brief: Brief) -> BriefingTab:
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
            passages = gr.HTML(brief_article_html(stored, brief), elem_id="bb-brief-article")
    return BriefingTab(view, markdown, passages)
