"""Faithful rewordings for the support model's supported claims (`bot.dev.support_data`): what
a careful writer changes without changing what a sentence says, as news replies do.

- a "he"/"she"/"it"/"they" or "the club"-style subject written as the name it stands for (the
  nearest name of its kind earlier in the paragraph);
- a full name cut to the surname, with or without "Mr"/"Ms", its title words before it
  dropped ("Bank of England governor Mervyn King" -> "Mr King");
- a sentence given as someone's words: the cited text quotes it with its speaker, the claim
  says "<speaker> said ...".
"""

from __future__ import annotations

import random
from typing import Any

from bot.dev.support_claim import Claim

_PERSONAL = frozenset({"he", "she"})
_NOUNS = {
    "ORG": "company club team band firm group party university school government army church",
    "GPE": "city town country state nation capital",
    "WORK_OF_ART": "film album book song novel series show",
}
_KIND_OF = {w: k for k, ws in _NOUNS.items() for w in ws.split()}


def _subject(sent: Any) -> Any:
    return next((t for t in sent.root.children if t.dep_ in ("nsubj", "nsubjpass")), None)


def resolve_subject(c: Claim) -> bool:
    """The sentence's pronoun or "the <noun>" subject written as the name it stands for."""
    subj = _subject(c.sent)
    if subj is None:
        return False
    doc = c.sent.doc
    span = doc[subj.left_edge.i : subj.right_edge.i + 1]
    words = [t.lower_ for t in span]
    if any(c.dep_ in ("ccomp", "xcomp") for c in c.sent.root.children) and words == ["it"]:
        return False  # "it is thought that ...": no thing to name
    if words in (["he"], ["she"]):
        kinds: tuple[str, ...] = ("PERSON",)
    elif words in (["it"], ["they"]):
        kinds = ("ORG",)
    elif len(words) == 2 and words[0] == "the" and words[1] in _KIND_OF:
        kinds = (_KIND_OF[words[1]],)
    else:
        return False
    before = [e for e in doc.ents if e.end <= c.sent.start and e.label_ in kinds]
    if not before or not c.kept(span):
        return False
    c.put(span, before[-1].text)
    return True


def shorten_name(c: Claim, rng: random.Random) -> bool:
    """A full name as its surname, "Mr"/"Ms" before it or not, its title words dropped."""
    names = [
        e
        for e in c.sent.ents
        if e.label_ == "PERSON" and len(e) >= 2 and c.kept(e) and all(t.pos_ == "PROPN" for t in e)
    ]
    if not names:
        return False
    e = rng.choice(names)
    surname = e[-1].text
    c.put(e, rng.choice((surname, f"Mr {surname}", f"Ms {surname}", surname)))
    doc = c.sent.doc
    lead = doc[e.root.left_edge.i : e.start]
    titles = [t for t in lead if t.dep_ in ("compound", "amod", "nmod", "punct", "prep", "pobj")]
    if lead and len(lead) <= 5 and len(titles) == len(lead) and rng.random() < 0.5:
        c.dropped.update(t.i for t in lead)
    return True


def quoted(sentence: str, speaker: str, rng: random.Random) -> str:
    """The sentence as a quote of `speaker`, as news prints one."""
    body = sentence.strip().rstrip(".")
    return rng.choice(
        (f'"{body}," said {speaker}.', f'{speaker} said: "{body}."', f'"{body}," {speaker} said.')
    )


def said(claim: str, speaker: str, proper_start: bool) -> str:
    """'<speaker> said <claim>' ("He said the plan failed.")."""
    body = claim if proper_start else claim[:1].lower() + claim[1:]
    return f"{speaker} said {body}"
