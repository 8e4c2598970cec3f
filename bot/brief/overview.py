"""Chat messages that are not questions about one fact: "What is this article about?" gets the
briefing's bottom line and key facts, each with its citation; a question the article cannot
answer gets the briefing's suggested questions, the closest things it can answer."""

from __future__ import annotations

from bot.brief.briefing import Brief
from bot.qa.answer import Answer

KEY_FACTS_IN_OVERVIEW = 3
SUGGESTIONS_ON_DECLINE = 3


def overview_answer(message: str, brief: Brief) -> Answer:
    """The bottom line, then the first key facts, as one cited answer."""
    lines = [
        *brief.sections.get("bottom_line", ()),
        *brief.sections.get("key_facts", ())[:KEY_FACTS_IN_OVERVIEW],
    ]
    if not lines:
        return Answer(message, "The article gives nothing to summarise.", None, True)
    text = " ".join(line.text for line in lines)
    citations = tuple(dict.fromkeys(c for line in lines for c in line.citations))
    return Answer(message, text, None, False, citations, 1.0, {"overview": 1.0})


def suggestions(brief: Brief) -> list[str]:
    """Questions the article does answer (the briefing checked each one)."""
    lines = brief.sections.get("suggested_questions", ())
    return [line.text for line in lines][:SUGGESTIONS_ON_DECLINE]
