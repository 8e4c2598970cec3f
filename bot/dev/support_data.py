"""Training pairs for the support model (`bot.dev.support_model`): (claim, cited text) -> supported?

Built from SQuAD-format JSON (the training articles; the Wikipedia texts of the claim sets in
`tests/data/claims_wiki` are left out). Each sentence of a paragraph (spaCy's parse and
entities) is the cited text - sometimes with the sentence before it - and gives claims:

supported (label 1):
- the sentence itself, or the sentence with parts dropped that a faithful summary drops
  (a bracket, an apposition, a clause of time or cause, an opening phrase);
- a SQuAD question about the sentence turned into a statement with its gold answer
  ("Who founded X?" + "Y" -> "Y founded X."): the question writers' own paraphrase;
- news-style rewordings (`support_rewords`): a pronoun subject written as its name, a
  surname for a full name, the sentence quoted with a speaker and "<speaker> said ...".

unsupported (label 0), each made from a supported claim:
- a name, date or figure replaced by another of its kind from the same article, or two of
  them swapped; the doer and the done-to of a verb swapped;
- a negation added or dropped; an opposite word for a word ("won" -> "lost"), or another of
  the article's verbs in the same form ("fired" -> "hired");
- a hedge dropped ("about", "reportedly", "may"), or an opinion without whoever holds it;
- the question's statement with a wrong answer (another name of its kind from the article);
- the speaker's claim with another speaker, or with a changed claim.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.dev import support_rewords as rw
from bot.dev.support_changes import Pools, perturbed
from bot.dev.support_claim import Claim

__all__ = ["Claim", "build_pairs", "statement"]

# ---- supported claims ---------------------------------------------------------------------

_DROPPABLE = frozenset({"appos", "parataxis"})
_SAFE_MARKS = frozenset({"because", "after", "when", "while", "since", "before", "as"})


def _droppable(sent: Any) -> list[Any]:
    """Parts of a sentence whose removal leaves a claim the sentence still supports."""
    if any(t.dep_ == "neg" for t in sent):
        return []  # a negation's reach decides what it covers: leave such sentences whole
    parts = []
    for t in sent:
        sub = _with_commas(sent, t.left_edge.i, t.right_edge.i + 1)
        if (
            t.dep_ in _DROPPABLE
            and len(sub) < len(sent) / 2
            or t.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ in _SAFE_MARKS for c in t.children)
            or t.dep_ == "relcl"
            and t.left_edge.i > 0
            and sent.doc[t.left_edge.i - 1].text == ","
        ):
            parts.append(sub)
        elif t.text == "(":
            close = next((u for u in sent if u.i > t.i and u.text == ")"), None)
            if close is not None:
                parts.append(sent.doc[t.i : close.i + 1])
    first = sent[0]
    if first.dep_ == "prep" and first.head.dep_ == "ROOT":
        after = first.right_edge.i + 1  # the opening phrase ends with a comma
        if after < sent.end and after - sent.start <= 12 and sent.doc[after].text == ",":
            parts.append(sent.doc[first.i : after + 1])
    return parts


def _with_commas(sent: Any, a: int, b: int) -> Any:
    """Tokens a..b-1 with the comma before them, and the one after when both are there
    ("X, a mathematician, wrote" loses ", a mathematician,")."""
    doc = sent.doc
    if a > sent.start and doc[a - 1].text == ",":
        a -= 1
        if b < sent.end and doc[b].text == ",":
            b += 1
    return doc[a:b]


def reduced(sent: Any, rng: random.Random) -> Claim:
    """The sentence, or it with one or two droppable parts left out."""
    claim = Claim(sent)
    parts = _droppable(sent)
    rng.shuffle(parts)
    for part in parts[: rng.choice((0, 1, 1, 2))]:
        if len(sent) - len(claim.dropped) - len(part) >= 5:
            claim.dropped.update(t.i for t in part)
    return claim


_WHO = re.compile(r"^(?:Who|What|Which\s+[a-z]+)\s+([a-z]+)\s+(.+?)\s*\?*$")
_PAST = frozenset(
    "won led wrote made built became took gave found began sold bought held ran told brought "
    "sent lost met paid fought chose drew grew knew rose fell saw spent struck taught thought "
    "threw beat broke caught came hit kept put set shot won".split()
)
_COPULA = re.compile(r"^(?:Who|What)\s+(is|was|are|were)\s+(.+?)\s*\?*$")


def statement(question: str, answer: str) -> str | None:
    """A SQuAD question with its answer as a statement, for the two forms that turn round
    without inflecting a verb; None for any other form."""
    q = question.strip()
    m = _COPULA.match(q)
    if m:
        rest = m.group(2)
        if rest.split()[-1].lower() in {"of", "for", "in", "on", "by", "to", "with", "from", "as"}:
            return None
        return f"{rest[0].upper()}{rest[1:]} {m.group(1)} {answer}."
    m = _WHO.match(q)
    if m and (m.group(1).endswith("ed") or m.group(1) in _PAST):
        return f"{answer[0].upper()}{answer[1:]} {m.group(1)} {m.group(2)}."
    return None


# ---- the pairs ----------------------------------------------------------------------------


def _pools(docs: Sequence[Any]) -> Pools:
    pools: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for e in doc.ents:
            pools[e.label_].add(e.text)
        for t in doc:
            if t.pos_ == "VERB" and t.is_alpha and t.is_lower:
                pools[f"VERB:{t.tag_}"].add(t.text)
    return {k: sorted(v) for k, v in pools.items()}


def _pair(claim: str, cited: str, label: int, kind: str) -> dict[str, Any]:
    return {"claim": claim, "cited": cited, "label": label, "kind": kind}


def sentence_pairs(doc: Any, pools: Pools, rng: random.Random) -> list[dict[str, Any]]:
    """One supported and one unsupported claim for each sentence of a paragraph."""
    out = []
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        if not 6 <= len(sent) <= 60:
            continue
        cited = sent.text.strip()
        if k and rng.random() < 0.3:
            cited = f"{sents[k - 1].text.strip()} {cited}"
        claim = reduced(sent, rng)
        how = "reduced" if claim.dropped else "same"
        if rng.random() < 0.6 and rw.resolve_subject(claim):
            how = "resolved"
        if rng.random() < 0.4 and rw.shorten_name(claim, rng):
            how = "short-name"
        text = claim.text()
        kind, bad = perturbed(claim, pools, cited, rng)
        people = pools.get("PERSON", [])
        if people and '"' not in cited and rng.random() < 0.15:
            out += _speaker_pairs(sent, text, bad, people, rng)
            continue
        out.append(_pair(text, cited, 1, how))
        if bad:
            out.append(_pair(bad, cited, 0, kind))
    return out


def _speaker_pairs(
    sent: Any, text: str, bad: str, people: Sequence[str], rng: random.Random
) -> list[dict[str, Any]]:
    """The sentence quoted with a speaker: the claim that they said it (supported), and that
    someone else did or that they said a changed claim (unsupported)."""
    person = rng.choice(people)
    cited = rw.quoted(sent.text, person, rng)
    proper = sent[0].pos_ == "PROPN"
    ref = rng.choice((person, person.split()[-1], "He", "She"))
    out = [_pair(rw.said(text, ref, proper), cited, 1, "speaker")]
    others = [p for p in people if p.split()[-1] not in person]
    if others and (not bad or rng.random() < 0.5):
        out.append(_pair(rw.said(text, rng.choice(others), proper), cited, 0, "wrong-speaker"))
    elif bad:
        out.append(_pair(rw.said(bad, ref, proper), cited, 0, "said-changed"))
    return out


def question_pairs(
    doc: Any, qas: Sequence[dict[str, Any]], pools: Pools, rng: random.Random
) -> list[dict[str, Any]]:
    """Each question that turns into a statement: with its answer, and with a wrong one."""
    out = []
    for qa in qas:
        if qa.get("is_impossible") or not qa.get("answers"):
            continue
        ans = qa["answers"][0]
        a, b = ans["answer_start"], ans["answer_start"] + len(ans["text"])
        sent = next((s for s in doc.sents if s.start_char <= a and b <= s.end_char), None)
        said = statement(qa["question"], ans["text"])
        if sent is None or said is None:
            continue
        out.append(_pair(said, sent.text.strip(), 1, "question"))
        ent = next((e for e in sent.ents if e.start_char <= a and b <= e.end_char), None)
        if ent is None:
            continue
        others = [x for x in pools.get(ent.label_, ()) if x.lower() not in sent.text.lower()]
        if others:
            wrong = statement(qa["question"], rng.choice(others))
            out.append(_pair(wrong or "", sent.text.strip(), 0, "wrong-answer"))
    return out


def build_pairs(
    train_path: str,
    max_paragraphs: int,
    seed: int,
    exclude: Sequence[str],
    nlp: Any,
    log: Callable[[str], None] = print,
) -> list[dict[str, Any]]:
    """The training pairs of up to `max_paragraphs` paragraphs, chosen at random with `seed`,
    of the articles whose first paragraph is in none of the texts `exclude` (the claim sets'
    texts: matched by content, since a title's file name need not match it)."""
    rng = random.Random(seed)
    data = json.loads(Path(train_path).read_text())["data"]
    held = "\n".join(exclude)
    chosen = [
        (art["title"], p)
        for art in data
        if art["paragraphs"][0]["context"].strip() not in held
        for p in art["paragraphs"]
    ]
    rng.shuffle(chosen)
    chosen = chosen[:max_paragraphs]
    log(f"parsing {len(chosen)} paragraphs")
    docs = list(nlp.pipe((p["context"] for _, p in chosen), batch_size=64))
    by_article: dict[str, list[Any]] = defaultdict(list)
    for (title, _), doc in zip(chosen, docs, strict=True):
        by_article[title].append(doc)
    pools = {t: _pools(ds) for t, ds in by_article.items()}
    pairs: list[dict[str, Any]] = []
    for (title, p), doc in zip(chosen, docs, strict=True):
        pairs += sentence_pairs(doc, pools[title], rng)
        pairs += question_pairs(doc, p["qas"], pools[title], rng)
    rng.shuffle(pairs)
    return pairs
