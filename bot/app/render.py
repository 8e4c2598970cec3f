"""HTML for the web app: answers with citation markers, the article with quoted spans
highlighted. All article and user text is escaped; nothing from the article becomes a link,
an image or markup."""

from __future__ import annotations

import html
from collections.abc import Iterable

from bot.brief.briefing import SECTIONS, TITLES, Brief
from bot.qa.answer import Answer
from bot.qa.citations import Citation
from bot.quiz.grading import Grade
from index.store import StoredArticle


def anchor(passage_id: str) -> str:
    """HTML id of a passage in the article panel ("¶9" -> "bb-p9", "¶7.2" -> "bb-p7-2")."""
    return "bb-p" + passage_id.lstrip("¶").replace(".", "-")


def marker(c: Citation) -> str:
    """A clickable [¶n] that jumps to the passage; hovering shows the quote."""
    return (
        f'<a class="bb-cite" href="#{anchor(c.passage)}" title="{html.escape(c.quote)}">'
        f"[{html.escape(c.passage)}]</a>"
    )


def reading_html(answer: Answer) -> str:
    """How a follow-up was read ("Who is he?" -> "Who is Lloyd Austin?"), when it was."""
    if not answer.read_as:
        return ""
    return f'<p class="bb-reading">Reading this as: <em>{html.escape(answer.read_as)}</em></p>'


def offers_html(offers: Iterable[str]) -> str:
    """Questions the article does answer, offered after a decline."""
    items = "".join(f"<li>{html.escape(q)}</li>" for q in offers)
    return f'<p class="bb-offers">It does answer:</p><ul>{items}</ul>' if items else ""


def answer_html(answer: Answer) -> str:
    if answer.abstained:
        return f"<em>{html.escape(answer.answer)}</em>"
    text = html.escape(answer.answer)
    if answer.short_answer:
        short = html.escape(answer.short_answer)
        text = text.replace(short, f"<strong>{short}</strong>", 1)
    marks = " ".join(marker(c) for c in answer.citations)
    return f"{text} {marks}"


def checked_html(removed: Iterable[str], note: str | None) -> str:
    """What the verifier took out of a generated text, and why the extractive one shows."""
    parts = [
        f'<p class="bb-removed">Removed, not verified: <s>{html.escape(r)}</s></p>' for r in removed
    ]
    if note:
        parts.append(f'<p class="bb-note">{html.escape(note)}</p>')
    return "".join(parts)


def article_html(stored: StoredArticle, highlights: Iterable[Citation] = ()) -> str:
    """The article as ingested: title, byline, date, numbered passages; quoted spans marked."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for c in highlights:
        spans.setdefault(c.passage, []).append((c.start, c.end))
    a = stored.article
    head = [f"<h3>{html.escape(a.title or stored.name)}</h3>"]
    meta = " · ".join(html.escape(x) for x in (a.byline, a.dateline, a.date) if x)
    if meta:
        head.append(f'<p class="bb-meta">{meta}</p>')
    rows = []
    for p in stored.passages:
        body = _marked(p.text, spans.get(p.id, []))
        cls = "bb-passage bb-hit" if p.id in spans else "bb-passage"
        rows.append(
            f'<p id="{anchor(p.id)}" class="{cls}"><span class="bb-pid">{html.escape(p.id)}</span> '
            f"{body}</p>"
        )
    return '<div class="bb-article">' + "".join(head + rows) + "</div>"


def header_md(title: str) -> str:
    """The page header (Markdown) naming the active article."""
    return f"## briefbot · {html.escape(title)}"


def brief_html(brief: Brief) -> str:
    """The briefing's sections as headed lists, each line with its citation markers."""
    parts = []
    for name in SECTIONS:
        lines = brief.sections.get(name, ())
        if not lines:
            continue
        items = "".join(
            f"<li>{html.escape(line.text)} {' '.join(marker(c) for c in line.citations)}</li>"
            for line in lines
        )
        parts.append(f"<h4>{TITLES[name]}</h4><ul>{items}</ul>")
    return "".join(parts)


def grade_html(result: Grade) -> str:
    """The score, then each answer: right, or wrong with the expected answer and its quotes."""
    rows = [f"<h3 id='bb-score'>Score: {result.score}/{result.total}</h3><ol>"]
    for r in result.results:
        mark = "✓" if r.correct else "✗"
        given = html.escape(r.given or "(no answer)")
        quotes = "".join(
            f"<blockquote><mark>{html.escape(c.quote)}</mark> {marker(c)}</blockquote>"
            for c in r.citations
        )
        detail = (
            "" if r.correct else f"<br>Answer: <strong>{html.escape(r.expected)}</strong>{quotes}"
        )
        rows.append(f"<li>{mark} {given}{detail}</li>")
    return "".join(rows) + "</ol>"


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


CSS = """
.bb-article { max-height: 620px; overflow-y: auto; font-size: 0.95em; line-height: 1.45; }
.bb-passage { margin: 0 0 0.7em 0; }
.bb-hit { background: rgba(255, 230, 120, 0.18); }
.bb-pid { color: #888; font-size: 0.85em; margin-right: 0.3em; }
.bb-meta { color: #666; font-size: 0.9em; }
mark { background: #ffe066; color: inherit; padding: 0 2px; }
a.bb-cite { text-decoration: none; font-weight: 600; }
.bb-removed, .bb-note { color: #a33; font-size: 0.85em; margin: 0.4em 0 0 0; }
"""
