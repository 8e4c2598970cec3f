"""Who said it, who did what, and when, as the cited text has it (`bot.llm.claims` asks): a
claim whose named speaker is not the cited text's speaker ("Blair said" for "Howard said"),
whose name does what another name does there ("Varga crossed" for "Thompson crossed"), whose
two names sit the other way round round a word, or whose date has other words beside it than
in the cited text's clause is not what the cited text says."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from bot.llm.claim_pairs import (
    agent_moved,
    compared_round,
    modifier_moved,
    owner_moved,
    pair_moved,
    role_moved,
)
from bot.llm.claim_sentences import _SPEECH, ROLE_SPEAKER
from bot.llm.claim_tokens import FUNCTION_WORDS, NEGATIONS, REPORTING_WORDS, Token, tokens

_CAPS = r"(?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+"
# "Michael Howard has said", "Jeffrey Matsuura of the University of Dayton said", "said Kim"
_SPEAKER = re.compile(
    rf"{ROLE_SPEAKER}|({_CAPS})(?:\s+of\s+(?:the\s+)?{_CAPS})*(?:,[^,.]{{1,80}},)?\s+(?:has\s+|had\s+)?"
    rf"{_SPEECH}\b|\b{_SPEECH}\s+({_CAPS})"
)
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+)")
_JOINERS = frozenset("but while whereas although though".split())  # clauses, not lists


def neighbours(claim: list[Token], i: int) -> list[str]:
    """The content words next to claim[i] on either side; they stop at a clause mark or a
    reporting verb (the speaker is no neighbour)."""
    sides = []
    for step in (-1, 1):
        j = i + step
        while (
            0 <= j < len(claim) and claim[j].kind == "free" and claim[j].key not in REPORTING_WORDS
        ):
            j += step
        if 0 <= j < len(claim) and claim[j].kind not in ("neg", "free", "mark"):
            sides.append(claim[j].key)
    return sides


def _speaker_keys(texts: Iterable[str]) -> set[str]:
    """The last word of each named speaker in `texts` ("Tony Blair said" -> "blair")."""
    found = set()
    for text in texts:
        for m in [*_SPEAKER.finditer(text), *_ACCORDING.finditer(text)]:
            for name in m.groups():
                if name and name.split()[0].lower() not in FUNCTION_WORDS | NEGATIONS:
                    found.add(tokens(name.split()[-1])[0].key)
    return found


# light words a name and its verb may have between them: "Zanssen was the director"
_LIGHT = frozenset("is are was were has have had the a an".split())


def _next_word(toks: list[Token], i: int) -> int:
    """The position of the first token after toks[i] that is no light word (len if none)."""
    j = i + 1
    while j < len(toks) and toks[j].key in _LIGHT:
        j += 1
    return j


def _names_before(toks: list[Token], j: int) -> list[str] | None:
    """The name run right before toks[j], over light words ("Arsenal Football Club was
    formed" -> arsenal, fc), or None when the token there is no name."""
    i = j - 1
    while i >= 0 and toks[i].key in _LIGHT:
        i -= 1
    run = []
    while i >= 0 and toks[i].kind == "name":
        run.append(toks[i].key)
        i -= 1
    return run or None


def _doers(said: list[Token], texts: list[list[Token]]) -> str:
    """ "Varga whipped in a corner" where the cited text only has "Thompson whipped", or
    "Zanssen was the technical director" where it has "von Braun was the technical director":
    the word right after a name in the claim (over "was", "the") follows only other names in
    the cited text."""
    for i, t in enumerate(said[:-1]):
        n = _next_word(said, i)
        if t.kind != "name" or n >= len(said) or said[n].kind != "word":
            continue
        verb = said[n]
        before = [
            _names_before(toks, j)
            for toks in texts
            for j in range(1, len(toks))
            if toks[j].key == verb.key
        ]
        if before and all(b is not None and t.key not in b for b in before):
            first = before[0][0] if before[0] else ""
            return f"says {t.key} {verb.key}; the cited text says {first} {verb.key}"
    return ""


@functools.cache
def _calendar() -> frozenset[str]:
    words = """January February March April May June July August September October November
    December Monday Tuesday Wednesday Thursday Friday Saturday Sunday"""
    return frozenset(t.key for t in tokens(words))


def _clauses(toks: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for t in toks:
        if t.kind == "mark" or t.key in _JOINERS:
            out.append([])
        elif t.kind != "free":
            out[-1].append(t)
    return out


def _date_clauses(toks: list[Token]) -> list[set[str]]:
    """The keys of each clause of `toks`, a clause that is only a date ("In October 1950,
    Chinese forces crossed", "moved to Huntsville, in 1950") joined to the clause it dates."""
    clauses = [c for c in _clauses(toks) if c]
    out = [{c.key for c in clause} for clause in clauses]
    for n, clause in enumerate(clauses):
        if all(c.kind == "num" or c.key in _calendar() for c in clause):
            near = n + 1 if n + 1 < len(clauses) else n - 1
            if 0 <= near != n:
                out[n] |= out[near]
    return out


def swapped(claim: str, said: list[Token], sources: Sequence[str], texts: list[list[Token]]) -> str:
    """Who said it, and when, as the cited text has it. A claim whose named speaker is not
    the cited text's speaker is not supported ("Blair said" for "Howard said"); nor one whose
    name does what another name does in the cited text ("Varga crossed" for "Thompson
    crossed"); nor one whose date has other words beside it than in the cited text's clause
    ("exports rose in October" for "jobs rose in October, while exports rose in September");
    nor one that pairs names the cited text pairs otherwise (`claim_pairs`).
    Names may change order: a question or a paraphrase reorders clauses freely."""
    theirs, ours = _speaker_keys(sources), _speaker_keys([claim])
    if theirs and ours - theirs:
        return f"gives {', '.join(sorted(ours - theirs))} as the speaker; the cited text does not"
    doer = _doers(said, texts) or _crossed(said, texts) or agent_moved(said, texts)
    doer = doer or pair_moved(said, texts) or modifier_moved(said, texts)
    doer = doer or role_moved(said, texts) or compared_round(said, texts)
    doer = doer or owner_moved(claim, sources)
    if doer:
        return doer
    names = {t.key for t in said if t.kind == "name"}
    for i, t in enumerate(said):
        if t.key not in _calendar():
            continue
        sides = [x for x in neighbours(said, i) if x not in names]
        clauses = [keys for toks in texts for keys in _date_clauses(toks)]
        if not any(t.key in keys and all(x in keys for x in sides) for keys in clauses):
            return f"puts {t.key} with words the cited text does not put it with"
    return ""


def _crossed(said: list[Token], texts: list[list[Token]]) -> str:
    """Two names on either side of the same word, the other way round from the cited text:
    "FleetBoston snapped up BOA" for "BOA snapped up FleetBoston", "a slump at
    DaimlerChrysler prompted a drop at Mercedes" for the reverse."""
    sources = [clause for toks in texts for clause in _clauses(toks)]
    for clause in _clauses(said):
        for i, a in enumerate(clause):
            for j in range(i + 1, len(clause)):
                b = clause[j]
                if a.kind != "name" or b.kind != "name" or a.key == b.key:
                    continue
                between = {t.key for t in clause[i + 1 : j] if t.kind == "word"}
                if between and _reversed(a.key, b.key, between, sources):
                    return f"puts {a.key} and {b.key} the other way round from the cited text"
    return ""


def _reversed(a: str, b: str, between: set[str], sources: list[list[Token]]) -> bool:
    """Whether the cited clauses have b ... a with one of `between` in the middle, and never
    a ... b with it."""
    ways = set()
    for clause in sources:
        keys = [t.key for t in clause]
        for x, first, second in ((0, a, b), (1, b, a)):
            for i, k in enumerate(keys):
                if k != first:
                    continue
                for j in range(i + 1, len(keys)):
                    if keys[j] == second and between & set(keys[i + 1 : j]):
                        ways.add(x)
    return ways == {1}
