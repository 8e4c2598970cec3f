"""HTML for the web app: answers with citation markers, the article with quoted spans
highlighted. All article and user text is escaped; nothing from the article becomes a link,
an image or markup."""

from __future__ import annotations

import html
from collections.abc import Iterable

from bot.brief.briefing import SECTIONS, TITLES, Brief
from bot.qa.answer import Answer
from bot.qa.citations import Citation
from bot.quiz.grading import Grade, ItemResult
from bot.quiz.model import LETTERS, QuizItem
from index.store import StoredArticle


def anchor(passage_id: str, panel: str = "bb") -> str:
    """HTML id of a passage in an article panel ("¶9" -> "bb-p9", "¶7.2" -> "bb-p7-2"); each
    tab's panel has its own prefix (`panel`) so that no id is used twice on the page."""
    return f"{panel}-p" + passage_id.lstrip("¶").replace(".", "-")


def marker(c: Citation) -> str:
    """A clickable [¶n] that opens the passage in the panel of the tab it is in (the page's
    script, CITE_JS); hovering shows the quote; screen readers hear "paragraph n"."""
    number = c.passage.lstrip("¶")
    return (
        f'<a class="bb-cite" href="#{anchor(c.passage)}" title="{html.escape(c.quote)}" '
        f'aria-label="{html.escape(c.label.replace(c.passage, "paragraph " + number))}">'
        f"[{html.escape(c.passage)}]</a>"
    )


def user_html(text: str) -> str:
    """What the user typed, shown as typed: no HTML and no Markdown ("**x**" stays "**x**")."""
    return "".join(f"&#{ord(ch)};" if ch in _MARKDOWN else html.escape(ch) for ch in text)


_MARKDOWN = set("\\`*_{}[]()#+-.!|~<>$&=:")


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


def article_html(
    stored: StoredArticle, highlights: Iterable[Citation] = (), panel: str = "bb"
) -> str:
    """The article as ingested: title, byline, date, numbered passages; quoted spans marked.
    `panel`: the prefix of the passages' ids (see `anchor`)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for c in highlights:
        spans.setdefault(c.passage, []).append((c.start, c.end))
    a = stored.article
    head = [f"<h2>{html.escape(a.title or stored.name)}</h2>"]
    meta = " · ".join(html.escape(x) for x in (a.byline, a.dateline, a.date) if x)
    if meta:
        head.append(f'<p class="bb-meta">{meta}</p>')
    rows = []
    for p in stored.passages:
        body = _marked(p.text, spans.get(p.id, []))
        cls = "bb-passage bb-hit" if p.id in spans else "bb-passage"
        rows.append(
            f'<p id="{anchor(p.id, panel)}" class="{cls}">'
            f'<span class="bb-pid">{html.escape(p.id)}</span> {body}</p>'
        )
    return (
        '<div class="bb-article" tabindex="0" role="region" aria-label="Article text">'
        + "".join(head + rows)
        + "</div>"
    )


def header_md(title: str) -> str:
    """The page header (Markdown) naming the active article."""
    return f"# briefbot · {html.escape(title)}"


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
        parts.append(f"<h2>{TITLES[name]}</h2><ul>{items}</ul>")
    return "".join(parts)


def brief_article_html(stored: StoredArticle, brief: Brief) -> str:
    """The article beside the briefing, every passage the briefing cites highlighted."""
    cited = [c for lines in brief.sections.values() for line in lines for c in line.citations]
    return article_html(stored, cited, panel="bb-br")


def grade_html(result: Grade, questions: dict[str, str] | None = None) -> str:
    """The score, then each answer: right, or wrong with the expected answer and its quotes.
    With `questions` (id -> question text), each question is repeated above its answer."""
    rows = [f"<h2 id='bb-score'>Score: {result.score}/{result.total}</h2><ol>"]
    for r in result.results:
        mark = (
            '<span class="bb-right">✓ right</span>'
            if r.correct
            else '<span class="bb-wrong">✗ wrong</span>'
        )
        given = html.escape(r.given or "(no answer)")
        quotes = "".join(
            f"<blockquote><mark>{html.escape(c.quote)}</mark> {marker(c)}</blockquote>"
            for c in r.citations
        )
        detail = (
            "" if r.correct else f"<br>Answer: <strong>{html.escape(r.expected)}</strong>{quotes}"
        )
        asked = (questions or {}).get(r.id)
        head = f'<span class="bb-asked">{html.escape(asked)}</span><br>' if asked else ""
        rows.append(f"<li>{head}{mark} {given}{detail}</li>")
    return "".join(rows) + "</ol>"


def chat_question_html(item: QuizItem, number: int, total: int, first: bool = False) -> str:
    """A quiz question asked in the chat, its options lettered, and how to answer."""
    lead = f"<p>A quiz of {total} questions on this article.</p>" if first else ""
    options = ""
    if item.options is not None:
        rows = "".join(
            f"<li>{LETTERS[i]}. {html.escape(o)}</li>" for i, o in enumerate(item.options)
        )
        options = f'<ul class="bb-options">{rows}</ul>'
    how = "Reply with a letter" if item.options is not None else "Type your answer"
    return (
        f'{lead}<p class="bb-quiz-q"><strong>Question {number} of {total}.</strong> '
        f"{html.escape(item.question)}</p>{options}"
        f'<p class="bb-hint">{how}; “skip” moves on, “stop” ends the quiz.</p>'
    )


def chat_feedback_html(result: ItemResult) -> str:
    """Right or wrong, and the answer with the quote that supports it."""
    answer = f"<strong>{html.escape(result.expected)}</strong>"
    verdict = (
        f'<p class="bb-right">✓ Right: {answer}</p>'
        if result.correct
        else f'<p class="bb-wrong">✗ Not quite. The answer is {answer}</p>'
    )
    quotes = "".join(
        f"<blockquote>{html.escape(c.quote)} {marker(c)}</blockquote>" for c in result.citations
    )
    return verdict + quotes


def chat_score_html(right: int, total: int, stopped: bool = False) -> str:
    """The end of a quiz in the chat."""
    if stopped and total == 0:
        return "<p>Quiz stopped. Say “quiz me” to start another.</p>"
    end = "Quiz stopped" if stopped else "Quiz done"
    return (
        f'<p class="bb-score">{end}: {right} of {total} right.</p>'
        "<p>Say “quiz me” for another, or ask a question.</p>"
    )


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
.bb-passage { margin: 0 0 0.7em 0; scroll-margin: 4em; }
.bb-hit { background: rgba(255, 230, 120, 0.18); }
.bb-focus { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.bb-pid { color: #595959; font-size: 0.85em; margin-right: 0.3em; }
.bb-meta { color: #595959; font-size: 0.9em; }
.dark .bb-pid, .dark .bb-meta { color: #c8c8c8; }
mark { background: #ffe066; color: #111; padding: 0 2px; }
a.bb-cite, #bb-chat a.bb-cite { color: #1d4ed8 !important; text-decoration: underline;
  font-weight: 600; cursor: pointer; }
.dark a.bb-cite, .dark #bb-chat a.bb-cite { color: #93c5fd !important; }
#bb-chat .prose { opacity: 1 !important; }  /* Gradio dims bot messages to 0.8: below AA */
#bb-also input.subdued { color: #4b5563 !important; }  /* an empty multiselect: #bbbbc2 fails AA */
.dark #bb-also input.subdued { color: #d1d5db !important; }
#bb-header h1 { font-size: 1.5em; margin: 0.2em 0; }
.bb-article h2 { font-size: 1.15em; margin: 0 0 0.3em 0; }
#bb-brief h2 { font-size: 1.05em; margin: 0.8em 0 0.2em 0; }
.gradio-container { --button-primary-background-fill: #1d4ed8;
  --button-primary-background-fill-hover: #1e40af; --button-primary-text-color: #ffffff;
  --button-primary-border-color: #1d4ed8; }
.show-api, .max_value, .min_value { color: #4b4b55 !important; }
button[role="tab"].selected { color: #1d4ed8 !important; }
.dark button[role="tab"].selected { color: #93c5fd !important; }
.bb-removed, .bb-note, .bb-wrong { color: #a33; font-size: 0.85em; margin: 0.4em 0 0 0; }
.bb-right { color: #166534; font-weight: 600; }
.bb-wrong { font-weight: 600; }
.bb-asked { font-weight: 600; }
.bb-hint { color: #595959; font-size: 0.85em; }
.bb-options { list-style: none; padding-left: 0.5em; }
#bb-back { position: fixed; right: 16px; bottom: 16px; z-index: 1000; min-height: 44px;
  padding: 0 16px; border-radius: 22px; border: 0; background: #1d4ed8; color: #fff;
  font-weight: 600; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.3); }
@media (max-width: 640px) {
  a.bb-cite { display: inline-block; min-width: 44px; min-height: 44px; line-height: 44px;
    text-align: center; }
  button { min-height: 44px; min-width: 44px; }
  .bb-article { max-height: none; }
}
"""

# Citation markers: a click opens the passage in the article panel of the tab the marker is
# in (each tab has one, so nothing opens in a hidden tab), outlines it, and, when that moved
# the page (a phone, where the panel is below), offers a button back to the marker.
CITE_JS = """
<script>
(function () {
  var from = null;
  function back() {
    var b = document.getElementById('bb-back');
    if (!b) {
      b = document.createElement('button');
      b.id = 'bb-back'; b.type = 'button'; b.hidden = true;
      b.textContent = '\u21a9 Back to the answer';
      b.addEventListener('click', function () {
        b.hidden = true;
        if (from && from.isConnected) { from.scrollIntoView({block: 'center'}); from.focus(); }
      });
      document.body.appendChild(b);
    }
    return b;
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a.bb-cite') : null;
    if (!a) return;
    var frag = (a.getAttribute('href') || '').replace(/^#bb-/, '-');
    var scope = a.closest('[role="tabpanel"]') || document;
    var target = null;
    scope.querySelectorAll('.bb-article .bb-passage').forEach(function (p) {
      if (!target && p.id.slice(-frag.length) === frag && p.offsetParent !== null) target = p;
    });
    if (!target) return;
    e.preventDefault(); e.stopPropagation();
    document.querySelectorAll('.bb-focus').forEach(function (p) {
      p.classList.remove('bb-focus');
    });
    target.classList.add('bb-focus');
    target.setAttribute('tabindex', '-1');
    var y = window.scrollY;
    target.scrollIntoView({block: 'center'});
    target.focus({preventScroll: true});
    from = a;
    back().hidden = Math.abs(window.scrollY - y) < 40;
  }, true);
})();
</script>
"""
