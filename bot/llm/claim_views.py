"""Somebody's view stated as fact (`bot.llm.claims` asks). What the cited text gives only as
the content of a verb of opinion ("Some scholars suggest that Madison functioned as the first
minority leader", "critics argue the plan will fail") is a view, not a fact: a claim that
states it needs somebody to hold it - a verb of saying or of opinion, or a word of doubt,
anywhere in the claim ("Scholars suggest Madison was the first", "Mr Frost said the demands
should be resisted"); a word of approximation will do for an estimate ("about 10,000 troops
are in Russia" for "the U.S. has estimated there are about 10,000 troops in Russia"; "the
club was worth $1.3 billion" for "Forbes estimates the club was worth $1.3 billion" is not).
The view's extent is read from spaCy's parse: the clause the verb of opinion governs, less a
clause of reason inside it ("because he led the opposition" is the text's own) and a clause
with its own subject after ", and" or ", while". A holder the claim takes from inside the
view ("the family believed" for "biographers wrote that the family believed") holds
nothing."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.llm.claim_hedges import doubt_words
from bot.llm.claim_tokens import REPORTING_WORDS, Token, tokens

if TYPE_CHECKING:
    from spacy.tokens import Token as SpacyToken

_OPINION = """suggest believe think argue speculate claim allege contend hypothesise hypothesize
theorise theorize suspect fear assume guess reckon estimate consider feel seem appear
declare write maintain assert"""
_REASONS = frozenset("because since".split())
_CONTRASTS = frozenset("while whereas".split())


@functools.cache
def _opinion_stems() -> frozenset[str]:
    return frozenset(t.key for t in tokens(_OPINION))


@functools.cache
def _holders() -> frozenset[str]:
    """Words that put a claim in somebody's mouth or in doubt."""
    return _opinion_stems() | REPORTING_WORDS | doubt_words()


@functools.lru_cache(maxsize=512)
def view_only(sentence: str) -> frozenset[str]:
    """The keys (`claim_tokens.Token.key`) of the words `sentence` has only inside a clause
    governed by a verb of opinion."""
    from index.nlp import parse

    doc = parse(sentence)
    lemmas = _opinion_stems()
    inside: set[int] = set()
    for w in doc:
        if w.pos_ not in ("VERB", "AUX") or {t.key for t in tokens(w.lemma_)}.isdisjoint(lemmas):
            continue
        for c in w.children:
            if c.dep_ == "ccomp":
                inside |= {x.i for x in c.subtree}
    for w in doc:
        if w.i in inside and (_reason(w) or _own_clause(w)):
            inside -= {x.i for x in w.subtree}
    keys_in: set[str] = set()
    keys_out: set[str] = set()
    for w in doc:
        for t in tokens(w.text):
            if t.kind in ("word", "name", "num"):
                (keys_in if w.i in inside else keys_out).add(t.key)
    return frozenset(keys_in - keys_out)


def _reason(w: SpacyToken) -> bool:
    """ "... because he led the opposition": a reason, not the view."""
    return w.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _REASONS for m in w.children)


def _own_clause(w: SpacyToken) -> bool:
    """ "argue the tax will hurt farmers, and the minister resigned": a clause with its own
    subject after a comma and "and" (or "while", "whereas") is the text's own."""
    subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in w.children)
    comma = any(c.text == "," and w.head.i < c.i < w.i for c in w.head.children)
    contrast = w.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ in _CONTRASTS for m in w.children
    )  # "47% believe she should have no title, while 7% think she should be queen"
    return (w.dep_ == "conj" or contrast) and subject and comma


def view_as_fact(said: list[Token], sources: Sequence[str]) -> str:
    """Why the claim states as fact what the cited sentences give only as somebody's view,
    or ""."""
    views = {s: view_only(s) for s in sources}
    viewed = frozenset().union(*views.values())
    # a holder the claim takes from inside the view is the view's own word ("the family
    # believed" for "biographers wrote that the family believed"), no holder of it
    if any(t.key in _holders() and t.key not in viewed for t in said):
        return ""
    keys = {t.key for t in said if t.kind in ("word", "name", "num")}
    outside = {t.key for s in sources for t in tokens(s) if t.key not in views[s]}
    only = sorted(k for k in keys if k in viewed and k not in outside)
    if only:
        return f"states {only[0]} as fact; the cited text gives it as somebody's view"
    return ""
