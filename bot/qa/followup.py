"""Reading a chat question in the context of the conversation before it.

`read_in_context(question, history)` turns a follow-up ("Who is he?", "What about Seoul's
estimate?", "Where?") into a question that stands on its own ("Who is Lloyd Austin?"), says
how it was read ("Reading this as: ...?") and which passages the conversation is about.

Rules (deterministic; spaCy's small model for entities and noun phrases when it loads, plus
capitalisation cues when it misses or is absent):

- No history, or a question that stands on its own (no short form, no pronoun left to
  resolve): returned unchanged, rewritten=False.
- Mentions are collected from the earlier turns, most recent turn first; within a turn the
  short answer comes first for he/she/they/that/this (the new thing the user just learned),
  the question's own mentions first for "it", then the answer text and quotes.
- he/him/his -> the most recent person not marked female ("Ms", "she" in the same sentence);
  she/her/hers -> a person not marked male; a person is written in the longest form the
  conversation gave ("Austin" -> "Lloyd Austin"). they/them/their -> an organisation,
  country/place, nationality noun or plural noun phrase. it/its -> the last non-person thing
  (organisation, place, singular noun phrase). that/this (as pronouns, not "that deal") ->
  the last short answer, else as "it". A pronoun with a compatible mention earlier in the
  same question is bound there and left alone; "it" in "is it likely that ..." is left alone.
- "What about X?", "How about X?", "And X?", "And in X?": the previous question is asked
  again with X in the slot of the same kind (person, organisation, place, nationality, number,
  time; a noun phrase replaces the last plain noun phrase). A preposition ("in X") prefers a
  slot after the same preposition; a possessive ("Seoul's estimate") only replaces the
  subject and adds "according to Seoul's estimate". No slot of the kind: X is appended as a
  modifier ("... in Ireland?").
- A bare wh-word ("Where?", "When?", "Why?", "How many?", "How much?", "Who?") asks the
  previous question's topic with that wh-word: after a yes/no question it is put in front
  ("Why did ...?"); after a wh-question the old wh-phrase is replaced.

`Turn.question` should be the question as it was read (the rewritten one), so that chains
of follow-ups keep their referents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.qa.context_words import WH
from bot.qa.mentions import parse
from bot.qa.pronouns import resolve_pronouns
from bot.qa.short_forms import ABOUT, BARE_WH, bare_wh, what_about

if TYPE_CHECKING:
    from bot.qa.answer import Answer

__all__ = ["Reading", "Turn", "read_in_context"]


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of the conversation."""

    question: str
    answer: str = ""
    short_answer: str | None = None
    passages: tuple[str, ...] = ()  # cited passage ids, e.g. ("¶9",)
    quotes: tuple[str, ...] = ()  # the cited quotes


@dataclass(frozen=True)
class Reading:
    question: str  # what to ask the answerer
    rewritten: bool = False
    note: str | None = None  # "Reading this as: ...?" when rewritten
    focus: tuple[str, ...] = ()  # passage ids the conversation is about, most recent first
    resolved: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (said, read as)


def _focus(history: Sequence[Turn], first: set[int]) -> tuple[str, ...]:
    out: list[str] = []
    ages = sorted(first) + [a for a in range(len(history)) if a not in first]
    for age in ages:
        for p in history[len(history) - 1 - age].passages:
            if p not in out:
                out.append(p)
    return tuple(out)


def _tidy(q: str) -> str:
    q = re.sub(r"\s+", " ", q).strip()
    q = re.sub(r"\s+([?,.!])", r"\1", q)
    q = re.sub(r"^(?:(?:and|but|so|ok|okay|well|then|oh)[,\s]+)+", "", q, flags=re.I)
    if q and not q.endswith("?"):
        q = q.rstrip(".!") + "?"
    return q[:1].upper() + q[1:]


def _has_verb(x: str) -> bool:
    doc = parse(x)
    if doc is None:
        return bool(
            re.match(
                r"^(?:is|are|was|were|do|does|did|has|have|had|can|could|will|"
                r"would|should|what|who|where|when|why|how|which)\b",
                x,
                re.I,
            )
        )
    return any(t.pos_ in ("VERB", "AUX") for t in doc) or x.split()[0].lower() in WH


def read_in_context(question: str, history: Sequence[Turn]) -> Reading:
    """The question to ask, read in the context of the conversation so far."""
    q = " ".join(question.split())
    if not history or not q:
        return Reading(q)
    rewritten: str | None = None
    used: list[tuple[str, str]] = []
    turns: set[int] = set()
    m = BARE_WH.match(q)
    if m:
        rewritten = bare_wh(m.group("wh"), history)
        turns = {0}
        used = [(m.group("wh"), "the previous question")]
    if rewritten is None:
        a = ABOUT.match(q)
        if a:
            x = (a.group("x") or a.group("y") or "").strip()
            if x and len(x.split()) <= 6 and not _has_verb(x):
                rewritten = what_about(x, history)
                turns = {0}
                used = [(x, "the previous question")]
    if rewritten is None:
        out, used, turns = resolve_pronouns(q, history)
        if used:
            rewritten = out
    if rewritten is None:
        return Reading(q)
    rewritten = _tidy(rewritten)
    if rewritten.lower() == q.lower():
        return Reading(q)
    return Reading(
        rewritten,
        rewritten=True,
        note=f"Reading this as: {rewritten}",
        focus=_focus(history, turns),
        resolved=tuple(used),
    )


def turn_of(answer: Answer) -> Turn:
    """One exchange of the conversation, as the next question reads it: the question as it
    was read (so a chain of follow-ups keeps its references), the answer and its citations."""
    return Turn(
        answer.read_as or answer.question,
        "" if answer.abstained else answer.answer,
        answer.short_answer,
        tuple(c.passage for c in answer.citations),
        tuple(c.quote for c in answer.citations),
    )
