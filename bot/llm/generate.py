"""Generative answers, verified: the model writes, the code checks every citation.

The reply is split into sentences; a sentence survives only if it carries its own citation of
a passage that was retrieved for this question, the quote is a verbatim substring of that
passage, and everything the sentence asserts (numbers, names, content words, negation) is in
the cited text (`bot.llm.claims`). Everything else is removed (and reported). If nothing verified
is left, or the backend fails in any way, the extractive answer is returned instead, with a
note saying why. Where some sentence is verified and others are removed, the whole article
sentences the removed ones cite are quoted in their place (`bot.llm.source_quotes`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from bot.brief.briefing import Brief, BriefLine
from bot.llm.backends import ChatBackend
from bot.llm.claims import Judge, check_reply
from bot.llm.source_quotes import woven
from bot.qa.answer import DECLINE, Answer
from bot.qa.citations import Citation
from bot.qa.retrieve import Retrieval
from index.passages import Passage

PASSAGES_IN_PROMPT = 4
TOKEN_CHARS = 4  # rough characters per token, to keep the prompt inside the context window


@dataclass(frozen=True)
class Generated:
    answer: Answer  # the verified answer, or the extractive fallback
    raw: str  # what the model said, as streamed
    removed: tuple[str, ...] = ()  # sentences dropped, each with the reason
    fell_back: bool = False
    note: str | None = None  # why the extractive answer is shown, for the user
    kept: tuple[str, ...] = field(default=())
    quoted: tuple[str, ...] = field(default=())  # article sentences quoted for removed ones


def template(name: str) -> str:
    return resources.files("prompts").joinpath(name).read_text(encoding="utf-8")


def passage_blocks(passages: list[Passage], budget_chars: int) -> str:
    """Passages as numbered, delimited data, trimmed (the last first) to fit the budget."""
    blocks: list[str] = []
    for p in passages:
        text = p.text[: max(budget_chars - sum(len(b) for b in blocks) - 40, 0)]
        if len(text) < 40:
            break
        blocks.append(f'<passage id="{p.id}">\n{text}\n</passage>')
    return "\n".join(blocks)


def build_prompt(question: str, passages: list[Passage], context_tokens: int) -> tuple[str, str]:
    """System and user messages. Passages are numbered, delimited data; the question is never
    cut: passages are trimmed (the last first) until the prompt fits the context window."""
    system = template("answer_system.txt")
    budget = context_tokens * TOKEN_CHARS - len(system) - len(question) - 1200  # reply room
    user = template("answer_user.txt").format(
        passages=passage_blocks(passages, budget), question=question
    )
    return system, user


def run(
    backend: ChatBackend, system: str, user: str, on_text: Callable[[str], None] | None = None
) -> tuple[str, str | None]:
    """The model's whole reply, streamed through `on_text`; and the failure, if any, worded for
    the user. A backend never raises past here: down, slow, HTTP 500, bad payload."""
    parts: list[str] = []
    try:
        for piece in backend.stream(system, user):
            parts.append(piece)
            if on_text:
                on_text(piece)
    except Exception as e:
        return "".join(parts), f"{backend.name} failed ({type(e).__name__}: {str(e)[:160]})"
    return "".join(parts).strip(), None


def verify(
    raw: str, passages: list[Passage], judge: Judge | None = None, question: str = ""
) -> tuple[list[tuple[str, tuple[Citation, ...]]], list[str]]:
    """Split the model's text into sentences; keep those whose citations check out and whose
    every number, name and content word is in the text they cite (see `bot.llm.claims`), and
    that `judge` (the reading model, when given) does not reject. An opening "Yes,"/"No," is
    shown only when the cited text settles `question` that way (`bot.llm.claim_answers`)."""
    return check_reply(raw, passages, ignore=(DECLINE,), judge=judge, question=question)


def generate_answer(
    question: str,
    found: Retrieval,
    backend: ChatBackend,
    extractive: Answer,
    on_text: Callable[[str], None] | None = None,
    judge: Judge | None = None,
) -> Generated:
    passages = [hit.passage for hit in found.passages[:PASSAGES_IN_PROMPT]]
    system, user = build_prompt(question, passages, backend.context_tokens)
    raw, failure = run(backend, system, user, on_text)
    if failure:
        return Generated(extractive, raw, (), True, f"{failure}; showing the extractive answer")
    if raw.startswith(DECLINE) and extractive.abstained:
        return Generated(extractive, raw)
    kept, removed = verify(raw, passages, judge, question)
    if not kept:
        note = "nothing the model said could be verified; showing the extractive answer"
        return Generated(extractive, raw, tuple(removed), True, note)
    citations = tuple(dict.fromkeys(c for _, cs in kept for c in cs))
    text, quotes = woven(raw, passages, kept)
    answer = Answer(question, text, None, False, (*citations, *quotes), extractive.confidence)
    claims = tuple(claim for claim, _ in kept)
    return Generated(
        answer, raw, tuple(removed), False, None, claims, tuple(q.quote for q in quotes)
    )


def generate_bottom_line(
    brief: Brief,
    passages: list[Passage],
    backend: ChatBackend,
    on_text: Callable[[str], None] | None = None,
    judge: Judge | None = None,
) -> tuple[Brief, tuple[str, ...], str | None]:
    """The briefing's bottom line written by the model from the passages the extractive
    briefing leans on most, each sentence verified like an answer. Returns the briefing, the
    sentences removed (with reasons) and a note when the extractive bottom line was kept."""
    cited = [
        c.passage
        for name in ("bottom_line", "key_facts")
        for line in brief.sections.get(name, ())
        for c in line.citations
    ]
    by_id = {p.id: p for p in passages}
    chosen = [by_id[pid] for pid in dict.fromkeys(cited) if pid in by_id][:6]
    if not chosen:
        return brief, (), "no passages to write a bottom line from"
    system = template("bottom_line_system.txt")
    budget = backend.context_tokens * TOKEN_CHARS - len(system) - 1600  # reply room
    user = template("bottom_line_user.txt").format(
        title=brief.title or brief.article, passages=passage_blocks(chosen, budget)
    )
    raw, failure = run(backend, system, user, on_text)
    if failure:
        return brief, (), f"{failure}; the bottom line is extractive"
    kept, removed = verify(raw, chosen, judge)
    if not kept:
        note = "nothing the model wrote could be verified; the bottom line is extractive"
        return brief, tuple(removed), note
    lines = tuple(BriefLine(claim, cs) for claim, cs in kept[:3])
    new = Brief(brief.article, brief.title, {**brief.sections, "bottom_line": lines})
    return new, tuple(removed), None
