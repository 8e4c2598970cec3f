"""Pronouns in a follow-up ("he", "they", "it", "that") and the mentions of the conversation
they refer to (bot.qa.followup)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.qa.mentions import (
    Mention,
    full_name,
    full_thing,
    history_mentions,
    mentions_of,
    parse,
    rank_plural,
)

if TYPE_CHECKING:
    from bot.qa.followup import Turn

_PRONOUNS = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
    "they": "pl",
    "them": "pl",
    "their": "pl",
    "theirs": "pl",
    "themselves": "pl",
    "it": "it",
    "its": "it",
    "itself": "it",
    "that": "that",
    "this": "that",
}
_POSSESSIVE = {"his", "their", "its", "hers", "theirs"}
_EXPLETIVE_IT = re.compile(
    r"\bit(?:'s|’s| is| was| will be| would be| has been)?\s+(?:\w+\s+)?(?:likely|unlikely|"
    r"true|possible|clear|known|certain|expected|said|reported|believed|thought|"
    r"right|fair|wrong|necessary|important|easy|hard)\s+(?:that|to|whether)\b|"
    r"\b(?:is|was|are|were|does|did)\s+it\s+(?:\w+\s+)?(?:likely|unlikely|true|possible|clear|"
    r"known|certain|expected|said|reported|believed|right|fair)\s+(?:that|to|whether)\b|"
    r"\bit\s+(?:seems|appears|looks|matters|says|said)\b|\bmake it\b|\bis it (?:raining)\b",
    re.I,
)
_THAT_NEXT = re.compile(
    r"^\s*(?:[?.!,;:]|$|is\b|was\b|'s\b|’s\b|mean|means|meant|happen|happened|true|right|"
    r"correct|so\b|said|says|will\b|would\b|could\b|has\b|had\b|did\b|does\b|do\b|about\b|"
    r"for\b|in\b|to\b|from\b|by\b|at\b|on\b|with\b|number|figure|estimate\b)",
    re.I,
)


_PRONOUN_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "ROOT"}


@dataclass
class _Pron:
    start: int
    end: int
    word: str
    kind: str  # m f pl it that
    possessive: bool


def find_pronouns(question: str) -> list[_Pron]:
    out: list[_Pron] = []
    doc = parse(question)
    for m in re.finditer(r"\b[A-Za-z]+\b", question):
        w = m.group(0).lower()
        kind = _PRONOUNS.get(w)
        if kind is None:
            continue
        after = question[m.end() :]
        if kind == "that":
            # "that deal", "the claim that ...", relative "that": not a pronoun
            tok = _token_at(doc, m.start())
            pronoun_role = tok is not None and tok.dep_ in _PRONOUN_DEPS and tok.tag_ != "WDT"
            if not pronoun_role and not _THAT_NEXT.match(after):
                continue
            # "that" after a noun or a verb of saying: "the deal that", "say that he ..."
            if re.match(r"^\s+(?:the|a|an|he|she|they|it|[A-Z]\w+)\b", after) and not re.match(
                r"^\s+(?:is|was)\b", after
            ):
                continue
        if kind == "it" and w == "it":
            window = question[max(0, m.start() - 20) : m.end() + 40]
            if _EXPLETIVE_IT.search(window):
                continue
        possessive = w in _POSSESSIVE
        if w == "her":
            tok = _token_at(doc, m.start())
            if tok is not None:
                possessive = tok.tag_ == "PRP$"
            else:
                possessive = bool(
                    re.match(
                        r"^\s+(?!(?:to|in|on|at|for|about|as|and|or|by|"
                        r"with|from|that|if|\W))[a-z]\w*",
                        after,
                    )
                )
        out.append(_Pron(m.start(), m.end(), m.group(0), kind, possessive))
    return out


def _token_at(doc: Any, char: int) -> Any:
    if doc is None:
        return None
    for t in doc:
        if t.idx == char:
            return t
    return None


def _compatible(m: Mention, kind: str) -> bool:
    """Whether a mention can be what a pronoun of `kind` (m f pl it that) refers to: a name
    of unknown kind only for "he"/"she" once its gender is known."""
    if kind in ("m", "f"):
        other = "f" if kind == "m" else "m"
        return (m.kind == "PERSON" and m.gender != other) or (m.kind == "NAME" and m.gender == kind)
    if kind == "pl":
        if m.kind in ("ORG", "PLACE"):
            return True
        if m.kind in ("NORP", "THING"):
            return m.plural
        return False
    if kind in ("it", "that"):
        if m.kind in ("ORG", "PLACE", "NAME"):
            return True
        if m.kind == "THING":
            return not m.plural
        return kind == "that" and m.kind == "NUMBER"
    return False


def _binds(m: Mention, kind: str) -> bool:
    """Whether a mention earlier in the same question can be what the pronoun refers to; any
    name binds "it" (the small model often tags a company as a person)."""
    if kind in ("it", "pl") and m.kind == "PERSON" and not m.gender:
        return True
    return _compatible(m, kind)


def resolve_pronouns(
    question: str, history: Sequence[Turn]
) -> tuple[str, list[tuple[str, str]], set[int]]:
    prons = find_pronouns(question)
    if not prons:
        return question, [], set()
    own = mentions_of(question)
    pieces: list[tuple[int, int, str]] = []
    used: list[tuple[str, str]] = []
    turns: set[int] = set()
    for p in prons:
        # bound inside the question itself ("What did Marsh say about its dividend?")
        if any(m.end <= p.start and m.source != "wh" and _binds(m, p.kind) for m in own):
            continue
        pool = history_mentions(history, for_it=p.kind == "it")
        if p.kind == "that":
            shorts = [m for m in pool if m.turn == 0 and m.source == "short" and m.kind != "PERSON"]
            cand = shorts[0] if shorts else None
            if cand is None:
                cand = next((m for m in pool if _compatible(m, "it")), None)
        else:
            ranked = rank_plural(pool) if p.kind == "pl" else pool
            cand = next((m for m in ranked if _compatible(m, p.kind)), None)
        if cand is None:
            continue
        if cand.kind in ("PERSON", "NAME"):
            text = full_name(cand, pool)
        elif cand.kind == "THING" and cand.source == "question":
            text = full_thing(cand, pool)
        else:
            text = cand.text
        if cand.source == "short" and cand.kind == "THING" and cand.kind != "NUMBER":
            text = text.rstrip(".")
        if p.possessive:
            text = text + ("'" if text.endswith("s") and cand.plural else "'s")
        if p.start == 0 or re.search(r"[.?!]\s*$", question[: p.start]):
            text = text[:1].upper() + text[1:]
        elif text[:4] in ("The ", "A ", "An ") or text.split()[0] in ("The", "A", "An"):
            text = text[:1].lower() + text[1:]
        pieces.append((p.start, p.end, text))
        used.append((p.word, text))
        turns.add(cand.turn)
    if not pieces:
        return question, [], set()
    out = question
    for s, e, t in sorted(pieces, reverse=True):
        out = out[:s] + t + out[e:]
    return out, used, turns
