"""Who did what to what, by word order (`bot.llm.claims` asks): a claim that puts the words
next to a verb the other way round from the cited text, in the same voice, is not what the
cited text says ("physical singles overtook song downloads" for "song downloads overtook
physical singles"; "inflation fears sparked soaring house prices" for the reverse), or in
the same order in the other voice when one side is plainly passive ("was bought by") and
the other plainly active ("A bought B" for "A was bought by B"). Another change of voice
("CBS was fined" for "which saw CBS fined") is left alone: only a form of "be" before the
verb or "by" after it marks the passive here. Nor may the claim move a verb's roles: the
doer made the one done to ("Watson fired Patterson" for "Watson, fired ... by Patterson"),
or two verbs' subjects swapped, read from spaCy's parse, where commas keep word order from
telling (`roles_moved`)."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.llm.claim_tokens import MODALS, Token, tokens
from bot.qa.lexical import fold

if TYPE_CHECKING:
    from spacy.tokens import Token as Token_

_JOINERS = frozenset("but while whereas although though".split())  # clauses, not lists
_CONTENT = ("word", "name")
_RELATIVES = frozenset("who which that".split())


def clauses(toks: list[Token]) -> list[list[Token]]:
    """`toks` cut at clause marks and joiners; function words are kept ("sparked by"). A
    bracketed aside is a clause of its own, and no cut in the one round it ("the company
    (founded in 1888) was bought" is "the company was bought")."""
    out: list[list[Token]] = [[]]
    current = out[0]
    around: list[list[Token]] = []  # the clauses a bracket opened inside
    for t in toks:
        if t.key == ")" and around:
            current = around.pop()
        elif t.kind == "mark" or t.key in _JOINERS:
            if t.key == "(":
                around.append(current)
            current = []
            out.append(current)
        else:
            current.append(t)
    return out


@functools.lru_cache(maxsize=512)
def _verbs(text: str) -> frozenset[str]:
    """The stems of the words spaCy tags as verbs in `text`."""
    from index.nlp import parse

    doc = parse(text)
    return frozenset(
        t.key for w in doc if w.pos_ == "VERB" for t in tokens(w.text) if t.kind == "word"
    )


_BE = frozenset("is are was were be been being".split())


def _ways(a: str, verb: str, b: str, clause: list[Token]) -> set[tuple[int, int]]:
    """(0, voice) where `clause` has a ... verb ... b, (1, voice) for b ... verb ... a; the
    voice is passive (1) when a form of "be" comes right before the verb or "by" right
    after, and plainly so (2) when both do ("was bought by"); else active (0)."""
    keys = [t.key for t in clause]
    found = set()
    for j, k in enumerate(keys):
        if k != verb:
            continue
        passive = (keys[j + 1 : j + 2] == ["by"]) + (j > 0 and keys[j - 1] in _BE)
        before, after = set(keys[:j]), set(keys[j + 1 :])
        if a in before and b in after:
            found.add((0, passive))
        if b in before and a in after:
            found.add((1, passive))
    return found


def turned_round(
    claim: str, cited: Sequence[str], said: list[Token], texts: list[list[Token]]
) -> str:
    """Why the claim puts the word right before a verb (its subject's last word, roughly) and
    a word after it in its clause (the object, or a word further on: "shrugged off claims
    from the prime minister") the other way round from the cited text, or "". The word must
    be a verb on both sides: "a further rise in the cost of borrowing" is no "borrowing ...
    rise"."""
    sources = [c for toks in texts for c in clauses(toks)]
    verbs = _verbs(fold(claim)) & frozenset().union(*(_verbs(fold(s)) for s in cited))
    for clause in clauses(said):
        words = [t for t in clause if t.kind in _CONTENT and t.key not in MODALS]
        for n, v in enumerate(words[1:-1], start=1):
            for b in dict.fromkeys(w.key for w in words[n + 1 :]):
                a = words[n - 1].key
                if v.key not in verbs or len({a, v.key, b}) < 3:
                    continue
                ours = _ways(a, v.key, b, clause)
                theirs = {w for c in sources for w in _ways(a, v.key, b, c)}
                if len(ours) == 1 and _turned(next(iter(ours)), theirs):
                    return f"puts {a} and {b} the other way round around {v.key}"
    return ""


def _turned(ours: tuple[int, int], theirs: set[tuple[int, int]]) -> bool:
    """The same voice, the other order ("sales of singles overtook downloads" for "sales of
    downloads overtook singles"); or the same order in the other voice, one side plainly
    passive and the other plainly active ("A bought B" for "A was bought by B"). A change of
    voice less plain is left alone ("CBS was fined" for "which saw CBS fined")."""
    order, voice = ours
    if theirs and all(o != order and bool(v) == bool(voice) for o, v in theirs):
        return True
    return bool(theirs) and all(o == order and {v, voice} == {0, 2} for o, v in theirs)


@functools.lru_cache(maxsize=512)
def _voices(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The stems of `text`'s verbs used actively on an object ("to document the war") and
    those used in the passive with no doer ("was documented", not "was documented by
    reporters" - any "by" after the verb counts), by spaCy's parse."""
    from index.nlp import parse

    active: set[str] = set()
    passive: set[str] = set()
    for w in parse(text):
        if w.pos_ != "VERB":
            continue
        keys = {t.key for t in tokens(w.text) if t.kind == "word"}
        deps = {c.dep_ for c in w.children}
        if "auxpass" in deps or "nsubjpass" in deps:
            if "agent" not in deps and not any(x.lower_ == "by" for x in w.doc[w.i + 1 :]):
                passive |= keys
        elif "dobj" in deps:
            active |= keys
    return frozenset(active), frozenset(passive)


def doer_added(claim: str, cited: Sequence[str]) -> str:
    """Why the claim makes a doer of a verb the cited text only has in the passive with no
    doer ("She was one of the first to document the war" for "The war was one of the first
    to be documented"), or ""."""
    ours, _ = _voices(fold(claim))
    theirs = [_voices(fold(s)) for s in cited]
    for verb in sorted(ours):
        found = [v for v in theirs if verb in v[1]]
        if found and not any(verb in active for active, _ in theirs):
            return f"says who did {verb}; the cited text has it done, by nobody named"
    return ""


def _key(word: str) -> str:
    keys = [t.key for t in tokens(word) if t.kind in _CONTENT]
    return keys[0] if keys else ""


@functools.lru_cache(maxsize=512)
def _roles(text: str) -> tuple[frozenset[tuple[str, Any]], ...]:
    """Sets of (verb, word) stems from spaCy's parse of `text`: each verb's "by" doer
    ("fired ... by Patterson", passive or not), the object of each verb used actively, the
    subject of each verb used actively (its head word: "his brother" is "brother"; "who" the
    noun its clause is said of), what each verb acts on (its object, its passive subject,
    whom it goes "to": "wrote to his sisters"), every word naming a "by" doer, and the name
    that is the subject of each active verb, a verb joined by "and" taking the subject of the
    one before (`_subject`)."""
    from index.nlp import parse

    doers: set[tuple[str, str]] = set()
    by: set[tuple[str, str]] = set()  # every word naming a "by" doer: "the Duke of Newcastle"
    objects: set[tuple[str, str]] = set()
    subjects: set[tuple[str, str]] = set()
    named: set[tuple[str, frozenset[str]]] = set()  # (verb, the words naming its subject)
    # ("verb preposition", (the words naming its object, every word of the object's phrase))
    places: set[tuple[str, tuple[frozenset[str], frozenset[str]]]] = set()
    acted_on: set[tuple[str, str]] = set()
    for w in parse(text):
        if w.pos_ != "VERB":
            continue
        verb = _key(w.text) or w.lemma_.lower()  # "said", a free word, is "say"
        active = not {"auxpass", "nsubjpass", "agent"} & {x.dep_ for x in w.children}
        if not any(c.dep_ == "agent" for c in w.children):
            by.add((verb, "?"))  # the verb is also said with no "by" doer
        for c in w.children:
            if c.dep_ == "agent":
                doers |= {(verb, _key(o.text)) for o in c.children if o.dep_ == "pobj"}
                by |= {(verb, _key(t.text)) for o in c.children for t in _named(o)}
            elif c.dep_ == "dobj" and active:
                objects.add((verb, _key(c.text)))
            elif c.dep_ == "nsubj" and active:
                subjects.add((verb, _key(_antecedent(c).text)))
            if c.dep_ in ("dobj", "dative", "nsubjpass"):
                acted_on.add((verb, _key(c.text)))
            elif c.dep_ == "prep" and c.lower_ == "to":
                acted_on |= {(verb, _key(o.text)) for o in c.children if o.dep_ == "pobj"}
        for c in w.children:  # "traveled ... through AIESEC Yale"
            if c.dep_ == "prep":
                for o in c.children:
                    if o.dep_ == "pobj" and o.pos_ == "PROPN":
                        whole = frozenset(k for x in o.subtree if (k := _key(x.text)))
                        places.add((f"{verb} {c.lower_}", (_name_keys(o), whole)))
        who = _subject(w) if active else None
        if who is not None and who.pos_ == "PROPN":
            named.add((verb, _name_keys(who)))
    sets: tuple[set[tuple[str, Any]], ...] = (doers, objects, subjects, acted_on, by, named, places)
    return tuple(frozenset(x) for x in sets)


def _antecedent(word: Token_) -> Token_:
    """ "who" (or "which", "that") as the subject of a relative clause is the noun the clause
    is said of: "Kurt Marnul, who invited him" is Marnul inviting."""
    verb = word.head
    if word.lower_ in _RELATIVES and verb.dep_ == "relcl":
        return verb.head
    return word


def _name_keys(word: Token_) -> frozenset[str]:
    """The stems of every word naming `word`, with what stands beside it as the same one (an
    apposition: "the European Central Bank (ECB)") or with it ("Martin, Gustafson and
    Palombo")."""
    words = [x for c in word.children if c.dep_ in ("appos", "conj") for x in _named(c)]
    return frozenset(k for x in [*_named(word), *words] if (k := _key(x.text)))


def _subject(verb: Token_) -> Token_ | None:
    """The subject of `verb` (`_antecedent`), or of the verb it is joined to by "and" when it
    has none of its own: "A met B and invited him" is A inviting."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            return _antecedent(c)
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    return None


def _named(word: Token_) -> list[Token_]:
    """The words that name `word` (its compounds, "of Newcastle"), not what is said of it
    (an apposition, a relative clause: "the Duke, brother of Henry Pelham")."""
    out = [word]
    for c in word.children:
        if c.dep_ in ("compound", "amod", "prep", "pobj", "poss", "flat"):
            out += _named(c)
    return out


def roles_moved(claim: str, cited: Sequence[str]) -> str:
    """Why the claim gives a verb's roles otherwise than the cited text, read from one parse
    of each, or "":
    - the doer (after "by") made the verb's object ("Watson fired Patterson" for "Watson,
      fired ... by Patterson"), or the one it acts on made its doer ("was put under house
      arrest by Naguib" for "put Naguib under house arrest");
    - the one it acts on (its object, passive subject, or whom it goes "to") made its
      subject ("His sisters wrote to him" for "he wrote to his sisters");
    - a subject other than the "by" doer the cited text gives the verb every time ("Henry
      Pelham deemed it essential" for "it was deemed essential by the Duke of Newcastle,
      ... brother Henry Pelham");
    - two verbs given each other's subjects ("the brother tackled the skull, while Bell
      constructed the throat" for the reverse);
    - a name made the subject of a verb whose subject the cited text names otherwise, never
      so ("Schwarzenegger met Marnul and invited him" for "met Marnul, who invited him").
    Each only where the cited text never gives the claim's role to that word."""
    our_doers, ours, our_subjects, _, _, our_named, our_places = _roles(fold(claim))
    theirs = [_roles(fold(s)) for s in cited]
    doers, objects, subjects, acted_on, by, named_by, places = (
        set().union(*(t[n] for t in theirs)) for n in range(7)
    )
    for link, (name, _) in sorted(our_places, key=str):
        there = [whole for v, (_, whole) in places if v == link]
        if name and there and not any(name & whole for whole in there):
            return f"says {link} {sorted(name)[-1]}; the cited text names another there"
    for verb, who in sorted(our_named, key=str):
        theirs = [d for v, d in named_by if v == verb]
        elsewhere = any(who & d for v, d in named_by if v != verb)  # doing something else
        if who and theirs and elsewhere and not any(who & d for d in theirs):
            name, other = sorted(who)[-1], sorted(theirs[0])[-1]
            return f"has {name} {verb}; the cited text has {other} do it"
    for verb, thing in sorted(ours):
        if thing and (verb, thing) in doers and (verb, thing) not in objects:
            return f"makes {thing} the object of {verb}; the cited text has {thing} doing it"
    for verb, thing in sorted(our_doers):
        if thing and (verb, thing) in objects and (verb, thing) not in doers:
            return f"has {thing} do {verb}; the cited text has it done to {thing}"
    for verb, who in sorted(our_subjects):
        if who and (verb, who) in acted_on and (verb, who) not in subjects:
            return f"makes {who} the subject of {verb}; the cited text has {verb} act on {who}"
        named = sorted(d for v, d in doers if v == verb and d)
        if who and named and (verb, "?") not in by and (verb, who) not in by | subjects:
            return f"has {who} {verb}; the cited text has it done by {named[0]}"
    for (v1, s1), (v2, s2) in itertools.permutations(sorted(our_subjects), 2):
        crossed = {(v1, s2), (v2, s1)} <= subjects and (v1, s1) not in subjects
        if v1 != v2 and s1 and s2 and s1 != s2 and crossed:  # "" for a pronoun: unknown
            return f"says {s1} {v1} and {s2} {v2}; the cited text says {s2} {v1}, {s1} {v2}"
    return ""
