"""Questions read off a sentence's parse (spaCy's small English model): who did what the
sentence says, when they did it, how much or how many. Each comes with the words of the
sentence that answer it, so the briefing keeps a question only when the answerer's reply
holds them (a question the article answers, and answers with that sentence's fact)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.brief.context import stands_alone
from bot.brief.facts import ArticleSentence
from index.nlp import load_nlp

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

Asked = tuple[str, str]  # a question, and the words of the article that answer it

_DOERS = {"PERSON", "ORG", "GPE", "NORP"}
_NOT_DEEDS = frozenset({"say", "tell", "add", "ask", "be", "have", "do", "call", "name", "use"})
_CUT = frozenset({",", ";", ":", "-", "–", "—", "(", '"', "“", "”"})
_CLAUSES = frozenset({"advcl", "ccomp", "conj", "cc", "parataxis", "relcl"})
_SAY = frozenset({"say", "tell", "add", "announce", "report", "confirm"})
_DANGLING = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PRON", "PART", "AUX"})


def parsed_questions(sents: list[ArticleSentence]) -> dict[str, list[Asked]]:
    """The article's "who", "when" and "how much/many" questions, in article order."""
    out: dict[str, list[Asked]] = {"who": [], "when": [], "how_much": []}
    alone = [s for s in sents if stands_alone(s)]
    if not alone:
        return out
    for doc in load_nlp().pipe(s.sentence.text for s in alone):
        for sent in doc.sents:
            found: dict[str, list[Asked]] = {"who": [], "when": [], "how_much": []}
            _read(sent, found)
            # one question a sentence: two would ask one fact twice
            kind = next((k for k in ("how_much", "when", "who") if found[k]), None)
            if kind:
                out[kind].append(found[kind][0])
    return out


def _read(sent: Span, out: dict[str, list[Asked]]) -> None:
    root = sent.root
    said = [c for c in root.children if c.dep_ == "ccomp" and c.i < root.i]
    if root.lemma_.lower() in _SAY and said:
        root = said[0]  # "Sales rose 5% in 2004, the industry body said": what was said
    if root.tag_ != "VBD" or root.lemma_.lower() in _NOT_DEEDS:
        return
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ == "PRON" or subj.i > root.i:
        return
    doer = sent.doc[subj.left_edge.i : subj.right_edge.i + 1]
    rest = _clause(sent, root)
    if rest is None or not 2 <= len(rest) <= 16:
        return
    entity = [e for e in sent.ents if e.start <= subj.i < e.end]
    if entity and entity[0].label_ in _DOERS and len(doer) <= len(entity[0]) + 1:
        out["who"].append((f"Who {_words(rest)}?", entity[0].text))
    common = doer[0].pos_ != "PROPN" and doer[0].i == sent.start  # "Sales of ...", "The firm"
    subject = doer.text[:1].lower() + doer.text[1:] if common else doer.text
    verb = root.lemma_.lower()
    for ent in sent.ents:
        inside = rest[0].i < ent.start and ent.end <= rest[-1].i + 1
        if not inside:
            continue
        if ent.label_ == "DATE":
            phrase = _phrase(ent, root)
            left = [t for t in rest[1:] if not phrase[0].i <= t.i < phrase[-1].i + 1]
            if left and left[-1].pos_ not in _DANGLING:
                out["when"].append((f"When did {subject} {verb} {_words(left)}?", ent.text))
        elif ent.label_ in ("MONEY", "CARDINAL") and ent.root.head.dep_ == "dobj":
            obj = ent.root.head
            if obj.head.i != root.i or ent.root.dep_ not in ("nummod", "quantmod"):
                continue
            noun = [t for t in obj.subtree if not ent.start <= t.i < ent.end and t.i <= obj.i]
            after = [t for t in rest if t.i > obj.right_edge.i]
            ask = "How much" if ent.label_ == "MONEY" else f"How many {_words(noun)}"
            tail = f" {_words(after)}" if after else ""
            out["how_much"].append((f"{ask} did {subject} {verb}{tail}?", ent.text))
        elif ent.label_ == "MONEY" and ent.root.dep_ == "dobj" and ent.root.head.i == root.i:
            a, b = _figure(ent)
            after = [t for t in rest if t.i >= b]
            tail = f" {_words(after)}" if after else ""
            figure = sent.doc[a:b].text
            out["how_much"].append((f"How much did {subject} {verb}{tail}?", figure))


def _clause(sent: Span, root: Token) -> list[Token] | None:
    """The verb and what follows it in its own clause: up to a comma, a spaced dash, an
    "and"/"but" or a clause of its own ("when it faced ..."); None when that would cut a
    phrase in two ("posted a $676m" of "a $676m (£352m) loss") or leave it hanging ("of")."""
    doc = sent.doc
    stops = {c.left_edge.i for c in root.children if c.dep_ in _CLAUSES and c.i > root.i}
    words = []
    for t in doc[root.i : sent.end]:
        spaced = t.i == 0 or bool(doc[t.i - 1].whitespace_)  # a dash, not "quarter-final"
        if (
            (t.text in _CUT and (spaced or t.text not in "-–—"))
            or t.i in stops
            or t.is_sent_end
            or t.dep_ == "cc"
        ):
            break
        words.append(t)
    while words and words[-1].is_punct:
        words.pop()
    if not words or words[-1].pos_ in _DANGLING:
        return None
    kept = {t.i for t in words}
    if any(t.head.i not in kept for t in words[1:]):
        return None  # a word whose head is past the cut ("posted a $676m" of "... loss")
    return words


def _phrase(ent: Span, root: Token) -> list[Token]:
    """The date with the preposition that brings it in ("in October 2001", "on Monday")."""
    head = ent.root.head
    if head.dep_ == "prep" and head.head.i == root.i:
        return list(head.subtree)
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    return ([before] if before is not None and before.pos_ == "ADP" else []) + list(ent)


def _figure(ent: Span) -> tuple[int, int]:
    """The figure with the currency sign and scale the tagger left out ("$" "850" "m")."""
    doc, a, b = ent.doc, ent.start, ent.end
    if a > 0 and doc[a - 1].text in "$£€" and not doc[a - 1].whitespace_:
        a -= 1
    if b < len(doc) and doc[b].lower_ in _SCALES and not doc[b - 1].whitespace_:
        b += 1
    return a, b


_SCALES = frozenset({"m", "bn", "k", "%", "million", "billion"})


def _words(tokens: list[Token]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()
