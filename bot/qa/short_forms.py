"""Short follow-ups read against the previous question: a bare wh-word ("Where?", "How
many?") and "What about X?" (bot.qa.followup)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.qa.context_words import AUX, NUMBER, PREPS, TIME_WORDS, WH
from bot.qa.mentions import (
    Mention,
    cap_spans,
    cue_kind,
    history_mentions,
    mentions_of,
    norm,
    nounish,
    parse,
    vote_kinds,
)
from bot.qa.pronouns import find_pronouns, resolve_pronouns

if TYPE_CHECKING:
    from bot.qa.followup import Turn

_LEAD = r"^\s*(?:(?:and|but|so|ok|okay|well|then|hmm|oh)[,\s]+)*"
BARE_WH = re.compile(
    _LEAD + r"(?P<wh>where|when|why|how many|how much|how long|how|who|since when|why not|"
    r"what for|how come|which|what)(?:\s+(?:then|exactly|so|else|again|now))?\s*[?.!]*\s*$",
    re.I,
)
ABOUT = re.compile(
    _LEAD
    + r"(?:what|how)\s+about\s+(?P<x>.+?)\s*[?.!]*\s*$|"
    + _LEAD.replace("(?:and|", "(?:but|")
    + r"(?:and|what of|as for)\s+(?P<y>.+?)\s*[?.!]*\s*$",
    re.I,
)
_WH_START = re.compile(
    r"^\s*(?P<wh>how (?:many|much|long|often|far|big|old)(?:\s+(?!(?:is|are|was|were|do|does|"
    r"did|has|have|had|can|could|will|would|should)\b)[\w'’$£€,.%-]+){0,3}?|(?:what|which)"
    r"(?:\s+(?!(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b)"
    r"[\w'’-]+){0,2}?|who|whom|whose|where|when|why|how)\s+(?=(?:is|are|was|were|do|does|did|"
    r"has|have|had|can|could|will|would|should|may|might|must)\b|\w)",
    re.I,
)
_YESNO = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|"
    r"must)\b",
    re.I,
)


def _ends(q: str) -> str:
    return q.strip().rstrip("?.! ")


def _lower_first(q: str) -> str:
    w = q.split(None, 1)[0] if q.split() else ""
    if w and (
        w.isupper()
        and len(w) > 1
        or (w[:1].isupper() and cap_spans(q)[:1] == [(0, len(w))] and w.lower() not in AUX | WH)
    ):
        return q
    return q[:1].lower() + q[1:]


_WH_AS = {"why not": "Why", "how come": "Why", "what for": "Why", "since when": "When"}


def bare_wh(wh: str, history: Sequence[Turn]) -> str | None:
    """A bare wh-word asked about the previous question: put in front of a yes/no question,
    in place of the old wh-phrase of a wh-question."""
    prev = history[-1]
    q = _ends(prev.question)
    wh_l = wh.lower()
    wh_out = _WH_AS.get(wh_l, wh_l[:1].upper() + wh_l[1:])
    if _YESNO.match(q):
        return _wh_before_yes_no(wh_l, wh_out, q)
    m = _WH_START.match(q)
    if not m:
        return f"{wh_out}: {q}?"
    old = m.group("wh")
    old_l = old.lower()
    rest = _answer_in_place(old_l, q[m.end() :].strip(), prev.short_answer)
    if wh_l in ("how many", "how much") and old_l.startswith(("how many", "how much")):
        return f"{old[:1].upper()}{old[1:]} {rest}?"
    return f"{wh_out} {rest}?"


def _wh_before_yes_no(wh_l: str, wh_out: str, q: str) -> str:
    """ "Did Marsh sell shares?" + "How many?" -> "How many shares did Marsh sell?"."""
    if wh_l in ("how many", "how much"):
        doc = parse(q)
        if doc is not None:
            for chunk in doc.noun_chunks:
                if (wh_l == "how many" and chunk.root.tag_ == "NNS") or (
                    wh_l == "how much" and chunk.root.tag_ == "NN" and chunk.root.dep_ == "dobj"
                ):
                    words = [t.text for t in chunk if t.lower_ not in _DETERMINERS]
                    rest = (q[: chunk.start_char] + q[chunk.end_char :]).strip()
                    rest = re.sub(r"\s+", " ", rest)
                    return f"{wh_out} {' '.join(words)} {_lower_first(rest)}?"
    return f"{wh_out} {_lower_first(q)}?"


_DETERMINERS = ("the", "a", "an", "any", "some")


def _answer_in_place(old_wh: str, rest: str, short_answer: str | None) -> str:
    """The rest of a wh-question after its wh-phrase, with the answer it got standing in
    for what the wh-phrase asked."""
    sa = (short_answer or "").strip().rstrip(".")
    if old_wh.split()[0] in ("what", "which") and re.match(r"(?:do|does|did)\b", rest, re.I):
        # object wh ("What did Austin say about combat?"): the object becomes "that"
        doc = parse(rest)
        verbs = [t for t in doc if t.pos_ == "VERB" and t.i > 0] if doc is not None else []
        if verbs:
            end = verbs[0].idx + len(verbs[0].text)
            obj = sa if sa and len(sa.split()) <= 5 and nounish(sa) else "that"
            rest = rest[:end] + " " + obj + rest[end:]
    elif old_wh in ("who", "what") and not re.match(
        r"(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might)\b",
        rest,
        re.I,
    ):
        # subject wh ("Who suspended Ellen Simonetti?"): the answer becomes the subject
        doc = parse(rest)
        if sa and doc is not None and len(doc) and doc[0].tag_ in ("VBD", "VBZ", "VBP"):
            aux = {"VBD": "did", "VBZ": "does", "VBP": "do"}[doc[0].tag_]
            rest = f"{aux} {sa} {doc[0].lemma_}{rest[len(doc[0].text) :]}"
    return rest


def _x_kind(x: str) -> tuple[str, str, str, str]:
    """(kind, filler, head, preposition) of the X in "What about X?"."""
    prep = ""
    m = re.match(r"(?P<p>\w+)\s+(?P<x>.+)$", x)
    if m and m.group("p").lower() in PREPS - {"about"}:
        prep, x = m.group("p").lower(), m.group("x")
    head = ""
    pm = re.match(r"^(?P<y>.+?)(?:'s|’s|s')\s+(?P<n>[\w-]+(?:\s+[\w-]+){0,2})$", x)
    filler = x
    if pm:
        filler, head = pm.group("y"), pm.group("n")
        if x[len(filler) :].startswith("s'"):
            filler += "s"
    ms = [mm for mm in mentions_of(filler) if mm.kind != "THING"]
    whole = [mm for mm in ms if len(norm(mm.text)) >= 0.6 * len(norm(filler))]
    if whole:
        kind = whole[0].kind
    elif NUMBER.match(filler):
        kind = "NUMBER"
    elif TIME_WORDS.search(filler):
        kind = "TIME"
    elif filler[:1].isupper() and not filler.lower().startswith(("the ", "a ", "an ")):
        kind = cue_kind(filler, filler, 0)
    else:
        kind = "THING"
    if kind == "NAME":
        kind = "PLACE" if prep in ("in", "at", "from", "across", "inside", "within") else "ORG"
    return kind, filler, head, prep


_FAMILY = {
    "ORG": ("PLACE", "NAME", "NORP", "PERSON"),
    "PLACE": ("ORG", "NAME"),
    "NORP": ("PLACE", "ORG"),
    "PERSON": ("NAME", "ORG"),
}


def what_about(x: str, history: Sequence[Turn]) -> str | None:
    """The previous question asked again with X in the slot of its kind, else with X added
    as a modifier."""
    q = history[-1].question.strip()
    if not q.endswith("?"):
        q = _ends(q) + "?"
    if find_pronouns(x) and len(x.split()) == 1:
        resolved, used, _ = resolve_pronouns(x, history)
        if not used:
            return None
        x = resolved
    kind, filler, head, prep = _x_kind(x)
    choice = _slot(q, history, kind, head, prep)
    if choice is not None:
        new = filler
        if kind == "THING":
            new = x.split(None, 1)[1] if prep and choice.prep and len(x.split()) > 1 else x
        if choice.text[:1].islower() and new.lower().startswith(("the ", "a ", "an ")):
            new = new[:1].lower() + new[1:]
        out = q[: choice.start] + new + q[choice.end :]
        if head and head.lower() not in out.lower():
            out = _ends(out) + f", according to {filler}'s {head}?"
        return out
    mod = x
    if head:
        mod = f"according to {filler}'s {head}"
    elif not prep:
        if kind in ("PLACE", "TIME"):
            mod = f"in {x}"
        elif kind in ("PERSON", "ORG", "NORP", "NAME"):
            mod = f"for {x}"
        else:
            mod = f"about {x}"
    return f"{_ends(q)} {mod}?"


def _slot(q: str, history: Sequence[Turn], kind: str, head: str, prep: str) -> Mention | None:
    """The mention of question `q` that X (of `kind`) replaces: the last plain noun phrase
    for a thing; else the first of the same kind (or family), a subject for a possessive,
    after the same preposition when X has one."""
    slots = [m for m in mentions_of(q) if m.kind != "THING" or kind == "THING"]
    vote_kinds(history_mentions(history, for_it=False) + slots)
    wh = _WH_START.match(q)
    if wh:
        slots = [m for m in slots if m.start >= wh.end() or m.kind != "THING"]
    if kind == "THING":
        plain = [m for m in slots if m.kind == "THING"]
        return plain[-1] if plain else None
    same = [m for m in slots if m.kind == kind]
    if not same:
        same = [m for m in slots if m.kind in _FAMILY.get(kind, ())]
        if prep or kind == "PLACE":
            same = [m for m in same if m.kind in ("PLACE", "ORG", "NAME")]
    if head:  # a possessive fills a subject slot only
        same = [
            m
            for m in same
            if m.dep in ("nsubj", "nsubjpass", "poss", "compound")
            or (m.prep == "to" and q[: m.start].lower().rstrip().endswith("according to"))
        ]
    if prep:
        same = [m for m in same if m.prep == prep] or same
    return same[0] if same else None
