"""What every tab of the web app shares: the per-browser state (`Shared`), the one limit on
model events, the conversation kept in the browser (`remember`/`recall`) and the message shown
when an invariant breaks."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import gradio as gr

from bot.brief.briefing import Brief
from bot.qa.citations import CitationError
from bot.qa.followup import Turn

MAX_QUESTIONS = 20
# Every event that runs a model (answers, quizzes, briefings, indexing, the API) shares one
# limit: MODEL_WORKERS at a time, whichever tab or route they come from. Two, so that indexing
# an upload leaves a worker for questions; the engine lets them run side by side.
MODEL_WORKERS = 2
MODEL_EVENT: dict[str, Any] = {"concurrency_id": "model", "concurrency_limit": MODEL_WORKERS}
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


def remember(
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


def recall(
    saved: dict[str, Any] | None, name: str
) -> tuple[list[dict[str, Any]], list[Turn], dict[str, Any] | None]:
    """The conversation with `name` kept in the browser: messages, turns, running quiz.
    Anything not in the shape `remember` writes is dropped."""
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


def article_choices(bot: Any, leave_out: str | None = None) -> list[tuple[str, str]]:
    """The indexed articles as (label, name) for a chooser: the headline, then the name.
    Titles come from the store's manifest, so no article is loaded to list them."""
    listed = bot.store.manifest().get("articles") or {}
    out = []
    for name in bot.store.names():
        title = (listed.get(name) or {}).get("title")
        if name != leave_out:
            out.append((f"{title} ({name})" if title else name, name))
    return out


def suggested_questions(brief: Brief) -> list[str]:
    return [line.text for line in brief.sections.get("suggested_questions", ())][:SUGGESTED]
