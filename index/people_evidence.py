"""Evidence of the people resolver (`index/people.py`) that a mention is a person (speaker,
title, role, pronoun), gathered with every role the article gives it, and the roles that come
from a neighbouring sentence ("..., a Home Office minister has said. Hazel Blears said",
"Michael Howard has ... The Tory leader said")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.people_roles import (
    _SAY,
    _role_after,
    _role_before,
    _role_comma_before,
    _role_of,
    _role_text,
    _walk_left,
)
from index.people_words import (
    OTHER_PERSON_PRONOUNS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    _is_cap,
    _is_role_word,
    _Mention,
    _next,
    _norm,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


def role_from_lead(doc: Doc, m: _Mention) -> tuple[str, int, int] | None:
    """A name that opens the sentence after a described speaker: "..., a Home Office minister
    has said. Hazel Blears said..." gives "Home Office minister" (only when that sentence names
    no one else)."""
    sent = doc[m.lead].sent
    if m.lead != sent.start or sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    if any(t.ent_type_ == "PERSON" for t in prev):
        return None
    for t in prev:
        if not (t.dep_ == "nsubj" and t.head.dep_ == "ROOT" and t.i > t.head.i - 3):
            continue
        if t.head.lemma_.lower() not in _SAY or not _is_role_word(t) or t.tag_ == "NNS":
            continue
        s = _walk_left(doc, t.i, allow_det=True, head_limit=t.i + 1)
        # "a Home Office minister" brings in someone the next sentence names; "the
        # Conservative leader" is someone named before ("Mr Blair's government" is not him)
        if doc[s].lower_ in ("a", "an") and doc[s - 1].text == ",":
            return _role_text(doc, s + 1, t.i + 1)  # "..., a Home Office minister has said."
    return None


def role_from_next(doc: Doc, m: _Mention) -> tuple[str, int, int] | None:
    """A described subject that opens the next sentence and refers back: "Michael Howard has
    launched an attack on ... The Tory leader said ..." gives "Tory leader" (the name is the
    subject of its sentence, which names no one else; the description is "the", at least one
    modifier and a singular role noun, the subject of the next sentence, which names no one)."""
    root = doc[m.start : m.end].root
    if root.dep_ not in ("nsubj", "nsubjpass") or root.head.dep_ != "ROOT":
        return None
    sent = doc[m.start].sent
    if sent.end >= len(doc) or _names_other(sent, m):
        return None
    nxt = doc[sent.end].sent
    if nxt[0].lower_ != "the" or any(t.ent_type_ == "PERSON" for t in nxt):
        return None
    for t in nxt[1:6]:
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT":
            ok = t.tag_ in ("NN", "NNP") and _is_role_word(t) and t.i >= nxt.start + 2
            if ok and all(
                doc[k].head.i == t.i or _is_cap(doc[k]) for k in range(nxt.start + 1, t.i)
            ):
                return _role_text(doc, nxt.start + 1, t.i + 1)
            return None
    return None


def role_copula(doc: Doc, m: _Mention) -> tuple[str, int, int] | None:
    """ "Dina Mehta is an Indian blogger who's helping ...": the role the name is said to be
    (a singular role noun after "is a/an/the", its modifiers before it)."""
    root = doc[m.start : m.end].root
    verb = root.head
    if root.dep_ != "nsubj" or verb.lemma_ != "be" or verb.i < m.end:
        return None
    for t in verb.rights:
        if t.dep_ == "attr" and t.tag_ == "NN" and _is_role_word(t):
            if not any(c.dep_ == "det" and c.lower_ in ("a", "an", "the") for c in t.lefts):
                return None
            s = _walk_left(doc, t.i, allow_det=False, head_limit=t.i + 1)
            while s < t.i and doc[s].tag_ in ("JJR", "JJS"):
                s += 1  # "the busier keeper": a comparison, not part of the role
            return _role_text(doc, s, t.i + 1)
    return None


def _names_other(sent: Span, m: _Mention) -> bool:
    """Another person is named in the sentence, other than inside a prepositional phrase
    ("... asylum system under Tony Blair" is no rival for the subject)."""
    for ent in sent.ents:
        if ent.label_ != "PERSON" or m.lead <= ent.start < m.end:
            continue
        if {_norm(t.text) for t in ent} <= {_norm(w) for w in m.words}:
            continue  # the same name again (a headline run into the first sentence)
        if ent.root.dep_ != "pobj":
            return True
    return False


# --------------------------------------------------------------------------- evidence


def _is_speaker(doc: Doc, m: _Mention) -> bool:
    root = doc[m.start : m.end].root
    after = _next(doc, m.end)
    if after is not None and after.text == ":":
        return True
    if m.lead >= 2 and doc[m.lead - 2].lower_ == "according" and doc[m.lead - 1].lower_ == "to":
        return True
    tok = root
    if tok.dep_ == "appos":  # "the leader, Nicola Sturgeon, said"
        tok = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass"):
        head = tok.head
        if head.lemma_.lower() in SPEECH_VERBS or head.lower_ in SPEECH_VERBS:
            return True
    return False


def _pronoun_refers(doc: Doc, m: _Mention, names: set[int]) -> bool:
    """A "he"/"she" after the mention, in its sentence or the next, with no other name or
    person noun in between."""
    root = doc[m.start : m.end].root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    sent = doc[m.start].sent
    limit = sent.end
    if limit < len(doc):
        limit = doc[limit].sent.end
    for i in range(m.end, limit):
        t = doc[i]
        if i in names and t.dep_ in ("nsubj", "nsubjpass"):
            return False
        if t.lower_ in ("it", "they") and t.dep_ in ("nsubj", "nsubjpass"):
            return False
        if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN" and _is_role_word(t):
            return False
        if t.lower_ in SUBJECT_PRONOUNS or (t.lower_ in OTHER_PERSON_PRONOUNS and i < sent.end):
            return True
    return False


def _gather_evidence(
    doc: Doc, m: _Mention, list_roles: dict[int, tuple[str, int, int]], name_tokens: set[int]
) -> None:
    """The evidence that a mention is a person, and the roles the article gives it."""
    if m.honorific:
        m.evidence.add("title")
    if _is_speaker(doc, m):
        m.evidence.add("speaker")
    listed = list_roles.get(m.start)
    if listed:
        m.roles.append((0, *listed))
        m.evidence.add("role")
    before = _role_before(doc, m) if not listed else None
    if before:
        m.roles.append((0, before[0], before[1], before[2]))
        m.evidence.add("role")
        if before[3]:
            m.evidence.add("title")
    after = _role_after(doc, m)
    if after:
        m.roles.append((3 if after[3] else 1, after[0], after[1], after[2]))
        m.evidence.add("role")
    copula = role_copula(doc, m) if not after else None
    if copula:
        m.roles.append((1, *copula))
        m.evidence.add("role")
    of = _role_of(doc, m) if not after else None
    if of:
        m.roles.append((3, *of))  # only when nothing better is found
    comma = _role_comma_before(doc, m)
    if comma:
        m.roles.append((2, comma[0], comma[1], comma[2]))
        m.evidence.add("role")
    lead = role_from_lead(doc, m) or role_from_next(doc, m)
    if lead:
        m.roles.append((2, *lead))
        m.evidence.add("role")
    others = name_tokens - set(range(m.lead, m.end))
    if _pronoun_refers(doc, m, others):
        m.evidence.add("pronoun")
