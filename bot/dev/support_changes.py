"""Unsupported claims for the support model's training pairs (`bot.dev.support_data`), each
made from a supported one: a name, date or figure replaced by another of its kind from the
same article, or two of them swapped; the doer and the done-to of a verb swapped; a negation
added or dropped; an opposite word for a word, or another of the article's verbs; a hedge
dropped, or an opinion without whoever holds it."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bot.dev.support_claim import Claim

KINDS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "EVENT", "WORK_OF_ART", "FAC")
FIGURES = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL")
_PAIRS = (
    "won lost,win lose,wins loses,increased decreased,increase decrease,rose fell,"
    "higher lower,largest smallest,larger smaller,first last,before after,more less,"
    "most least,north south,east west,northern southern,eastern western,earliest latest,"
    "allowed banned,accepted rejected,supported opposed,support oppose,began ended,"
    "early late,earlier later,successful unsuccessful,strong weak,rich poor,major minor,"
    "opened closed,joined left,victory defeat,gained lost,rising falling,young old,"
    "public private,legal illegal,inside outside,upper lower,maximum minimum,above below,"
    "agreed refused,entered left,long short,high low,best worst,male female,popular unpopular,"
    "approved rejected,included excluded,modern ancient,domestic foreign,internal external"
)
ANTONYMS = {a: b for pair in _PAIRS.split(",") for a, b in [pair.split()]}
ANTONYMS |= {b: a for a, b in list(ANTONYMS.items())}
HEDGES = frozenset(
    "reportedly allegedly possibly probably likely perhaps approximately about around nearly "
    "almost roughly estimated some potentially apparently".split()
)
OPINION = frozenset(
    "believe suggest argue claim think speculate allege suspect fear hope consider "
    "contend theorize assert maintain".split()
)
_MODAL_TO_FACT = {"may": "will", "might": "will", "could": "will", "would": "will"}
_AUX = frozenset("is was are were has have had will can would could should must".split())

Pools = dict[str, list[str]]


def _replace_entity(c: Claim, pools: Pools, premise: str, rng: random.Random) -> bool:
    ents = [e for e in c.sent.ents if e.label_ in KINDS + FIGURES and c.kept(e)]
    rng.shuffle(ents)
    for e in ents:
        others = [x for x in pools.get(e.label_, ()) if x.lower() not in premise.lower()]
        if others:
            c.put(e, rng.choice(others))
            return True
    return False


def _change_number(c: Claim, pools: Pools, premise: str, rng: random.Random) -> bool:
    nums = [t for t in c.sent if t.like_num and any(ch.isdigit() for ch in t.text) and c.kept([t])]
    if not nums:
        return False
    t = rng.choice(nums)
    digits = [i for i, ch in enumerate(t.text) if ch.isdigit()]
    at = rng.choice(digits[-3:])
    new = str((int(t.text[at]) + rng.randint(1, 9)) % 10)
    if at == digits[0] and new == "0":
        new = "9"
    c.edits[t.i] = t.text[:at] + new + t.text[at + 1 :]
    return c.edits[t.i] != t.text


def _swap_entities(c: Claim, pools: Pools, premise: str, rng: random.Random) -> bool:
    by: dict[str, list[Any]] = defaultdict(list)
    for e in c.sent.ents:
        if c.kept(e):
            by[e.label_].append(e)
    groups = [g for g in by.values() if len({e.text.lower() for e in g}) >= 2]
    if not groups:
        return False
    g = rng.choice(groups)
    a, b = sorted(rng.sample(g, 2), key=lambda e: e.start)
    between = {t.lower_ for t in c.sent.doc[a.end : b.start]}
    if a.text.lower() == b.text.lower() or between <= {",", "and", "or", "&", "/", "-"}:
        return False  # two items of one list say the same swapped
    c.put(a, b.text)
    c.put(b, a.text)
    return True


def _swap_roles(c: Claim, pools: Pools, premise: str, rng: random.Random) -> bool:
    for v in c.sent:
        subj = next((x for x in v.children if x.dep_ in ("nsubj", "nsubjpass")), None)
        obj = next((x for x in v.children if x.dep_ == "dobj"), None)
        if obj is None:
            agent = next((x for x in v.children if x.dep_ == "agent"), None)
            obj = next((x for x in agent.children if x.dep_ == "pobj"), None) if agent else None
        if subj is None or obj is None or subj.pos_ == "PRON" or obj.pos_ == "PRON":
            continue
        s = c.sent.doc[subj.left_edge.i : subj.right_edge.i + 1]
        o = c.sent.doc[obj.left_edge.i : obj.right_edge.i + 1]
        if len(s) > 6 or len(o) > 6 or not (c.kept(s) and c.kept(o)):
            continue
        if s.text.lower() == o.text.lower():
            continue
        c.put(s, _case(o.text, s[0].i == c.sent.start))
        c.put(o, _case(s.text, False))
        return True
    return False


def _case(text: str, opening: bool) -> str:
    if opening:
        return text[0].upper() + text[1:]
    return text[0].lower() + text[1:] if text.split()[0] in ("The", "A", "An") else text


def _negate(c: Claim, pools: Pools, premise: str, rng: random.Random) -> bool:
    neg = [t for t in c.sent if t.dep_ == "neg" and c.kept([t])]
    if neg:
        c.dropped.add(neg[0].i)
        return True
    root = c.sent.root
    aux = [x for x in root.children if x.dep_ in ("aux", "auxpass") and x.lower_ in _AUX]
    if aux and c.kept(aux[:1]):
        c.edits[aux[0].i] = f"{aux[0].text} not"
    elif root.lower_ in _AUX:
        c.edits[root.i] = f"{root.text} not"
    elif root.tag_ in ("VBD", "VBZ", "VBP") and c.kept([root]):
        do = {"VBD": "did", "VBZ": "does", "VBP": "do"}[root.tag_]
        c.edits[root.i] = f"{do} not {root.lemma_}"
    else:
        return False
    return True


def _drop_hedge(c: Claim, pools: Pools, premise: str, rng: random.Random) -> bool:
    for t in c.sent:
        if not c.kept([t]):
            continue
        nxt = c.sent.doc[t.i + 1] if t.i + 1 < len(c.sent.doc) else None
        numeric = nxt is not None and nxt.like_num
        if t.lower_ in ("about", "around", "some", "nearly", "almost", "roughly") and not numeric:
            continue
        if t.lower_ in HEDGES:
            c.dropped.add(t.i)
            if t.lower_ == "estimated" and t.i > 0 and c.sent.doc[t.i - 1].lower_ == "an":
                c.dropped.add(t.i - 1)
            return True
        if t.lower_ in _MODAL_TO_FACT and t.dep_ == "aux":
            c.edits[t.i] = _MODAL_TO_FACT[t.lower_]
            return True
    for v in c.sent:
        comp = next((x for x in v.children if x.dep_ == "ccomp"), None)
        if v.lemma_ in OPINION and comp is not None and comp.right_edge.i - comp.left_edge.i >= 3:
            keep = {t.i for t in c.sent.doc[comp.left_edge.i : comp.right_edge.i + 1]}
            c.dropped.update(t.i for t in c.sent if t.i not in keep or t.dep_ == "mark")
            return True
    return False


def _antonym(c: Claim, pools: Pools, premise: str, rng: random.Random) -> bool:
    words = [t for t in c.sent if t.lower_ in ANTONYMS and c.kept([t])]
    if not words:
        return False
    t = rng.choice(words)
    new = ANTONYMS[t.lower_]
    c.edits[t.i] = new.capitalize() if t.text[0].isupper() else new
    return True


_TENSES = ("VBD", "VBZ", "VBP", "VBN", "VBG")


def _other_verb(c: Claim, pools: Pools, premise: str, rng: random.Random) -> bool:
    """A verb replaced by another verb of the article in the same form ("fired" -> "hired")."""
    verbs = [t for t in c.sent if t.pos_ == "VERB" and t.tag_ in _TENSES and c.kept([t])]
    rng.shuffle(verbs)
    for t in verbs:
        words = premise.lower().split()
        others = [v for v in pools.get(f"VERB:{t.tag_}", ()) if v.lower() not in words]
        if others:
            c.edits[t.i] = rng.choice(others)
            return True
    return False


Perturb = Callable[[Claim, Pools, str, random.Random], bool]
PERTURBATIONS: tuple[tuple[str, Perturb, int], ...] = (
    ("entity", _replace_entity, 4),
    ("number", _change_number, 2),
    ("swap", _swap_entities, 2),
    ("roles", _swap_roles, 3),
    ("negation", _negate, 2),
    ("hedge", _drop_hedge, 2),
    ("antonym", _antonym, 2),
    ("verb", _other_verb, 3),
)


def perturbed(claim: Claim, pools: Pools, premise: str, rng: random.Random) -> tuple[str, str]:
    """(kind, text) of an unsupported claim made from `claim`; ("", "") when none applies."""
    order = sorted(PERTURBATIONS, key=lambda p: -rng.random() * p[2])
    for kind, fn, _ in order:
        c = claim.copy()
        if fn(c, pools, premise, rng):
            text = c.text()
            if text and text.lower() != claim.text().lower():
                return kind, text
    return "", ""
