"""Mentions: the people, organisations, places, numbers, times and noun phrases a text names
(spaCy's entities and noun chunks when its model loads, capitalisation cues otherwise), and
those of a conversation's earlier turns ranked for resolving a follow-up (bot.qa.followup)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.qa.context_words import (
    COMMON,
    FEMALE_TITLES,
    GENERIC,
    LABELS,
    MALE_TITLES,
    NUMBER,
    ORG_WORDS,
    PERSON_NOUNS,
    PERSON_TITLES,
    PREPS,
    PRONOUN_WORDS,
    STOP,
    WH,
    stop_words,
)

if TYPE_CHECKING:
    from bot.qa.followup import Turn


@functools.cache
def _nlp() -> Any:
    try:
        from index.nlp import load_nlp

        return load_nlp()
    except Exception:  # no model installed: capitalisation cues only
        return None


def parse(text: str) -> Any:
    """spaCy's parse of `text`, or None when no model loads (capitalisation cues only)."""
    return _parsed(text) if _nlp() is not None else None


@functools.lru_cache(maxsize=512)
def _parsed(text: str) -> Any:
    return _nlp()(text)


@dataclass
class Mention:
    text: str
    kind: str  # PERSON ORG PLACE NORP NUMBER TIME THING
    plural: bool = False
    start: int = 0
    end: int = 0
    dep: str = ""
    prep: str = ""  # the preposition right before it, if any
    gender: str = ""  # "m", "f" or ""
    turn: int = -1  # 0: the most recent turn
    source: str = ""  # "short", "question", "answer"

    @property
    def key(self) -> str:
        return norm(self.text)


def norm(text: str) -> str:
    t = text.lower().replace("’", "'")
    t = re.sub(r"^(?:the|a|an)\s+", "", t)
    return re.sub(r"'s$", "", t).strip(" .,;:")


def cap_spans(text: str) -> list[tuple[int, int]]:
    """Runs of capitalised words (names) not at the very start of a question."""
    out = []
    pat = r"\b[A-Z][\w.’'&-]*(?:\s+(?:[A-Z][\w.’'&-]*|of|and|de|van|von|al)\b)*"
    for m in re.finditer(pat, text):
        s = m.start()
        chunk = m.group(0)
        while len(chunk.split()) > 1 and chunk.split()[-1] in {
            "of",
            "and",
            "de",
            "van",
            "von",
            "al",
        }:
            chunk = chunk.rsplit(None, 1)[0]
        first = chunk.split()[0]
        initial = not text[:s].strip() or bool(re.search(r"[.!?:\"“‘(]\s*$", text[:s]))
        if first.lower() in COMMON or (initial and first.lower() in stop_words()):
            rest = chunk.split(None, 1)
            if len(rest) < 2:
                continue
            s = s + len(first) + (len(chunk) - len(first) - len(rest[1]))
            chunk = rest[1]
        if chunk.lower() in {"i", "and", "of"} or not chunk[:1].isupper():
            continue
        if initial and s == m.start() and len(chunk.split()) == 1:
            continue  # "Work is going on ...": one capitalised word opening a sentence
        out.append((s, s + len(chunk)))
    return out


def _prep_before(text: str, start: int) -> str:
    m = re.search(r"(\w+)\s+$", text[:start])
    return m.group(1).lower() if m and m.group(1).lower() in PREPS else ""


def cue_kind(text: str, full: str, start: int) -> str:
    words = text.replace("’", "'").split()
    before = re.findall(r"[\w.]+", full[:start])[-2:]
    if words[0].lower() in PERSON_TITLES or any(b.lower() in PERSON_TITLES for b in before):
        return "PERSON"
    if any(w.lower().strip(".,") in ORG_WORDS for w in words) or text.isupper():
        return "ORG"
    if len(words) in (2, 3) and all(w[:1].isupper() for w in words):
        return "PERSON"
    return "NAME"  # a name of unknown kind


def mentions_of(text: str) -> list[Mention]:
    """Entities and noun phrases of one text, in order of appearance."""
    if not text or not text.strip():
        return []
    out: list[Mention] = []
    covered: list[tuple[int, int]] = []  # spans already taken by an entity or a name
    doc = parse(text)
    if doc is not None:
        out += _entity_mentions(doc, text, covered)
        out += _chunk_mentions(doc, text, covered)
    out += _name_mentions(text, covered)
    out.sort(key=lambda m: m.start)
    for m in out:
        _mark_gender(m, text)
    return out


def _entity_mentions(doc: Any, text: str, covered: list[tuple[int, int]]) -> list[Mention]:
    """spaCy's entities (ordinals left out), each span added to `covered`."""
    out = []
    for ent in doc.ents:
        kind = LABELS.get(ent.label_, "THING")
        if ent.label_ == "ORDINAL":
            continue
        s, e = ent.start_char, ent.end_char
        etext = text[s:e]
        if etext.lower().endswith(("'s", "’s")):
            etext = etext[:-2]
        plural = kind in ("ORG", "NORP") and etext.endswith("s")
        if kind == "PERSON" and any(w.lower() in ORG_WORDS for w in etext.split()):
            kind = "ORG"
        out.append(
            Mention(etext, kind, plural, s, s + len(etext), ent.root.dep_, _prep_before(text, s))
        )
        covered.append((s, e))
    return out


def _chunk_mentions(doc: Any, text: str, covered: list[tuple[int, int]]) -> list[Mention]:
    """spaCy's noun chunks that are not inside an entity, nor pronouns or generic nouns."""
    out = []
    for chunk in doc.noun_chunks:
        root = chunk.root
        words = [t for t in chunk if t.lower_ not in STOP]
        if not words or root.lower_ in WH | PRONOUN_WORDS | GENERIC:
            continue
        if any(t.tag_ in ("PRP$", "WP$") for t in chunk):
            continue
        if any(t.lower_ in WH or t.tag_ == "WDT" for t in chunk):
            # "How many troops": the troops are a thing the question names
            if root.tag_ in ("NNS", "NN") and root.lower_ not in WH | GENERIC:
                end = root.idx + len(root.text)
                plural = root.tag_ == "NNS"
                out.append(
                    Mention(root.text, "THING", plural, root.idx, end, root.dep_, source="wh")
                )
            continue
        s, e = chunk.start_char, chunk.end_char
        if any(cs <= s and e <= ce for cs, ce in covered) or len(chunk) > 8:
            continue
        plural = root.tag_ in ("NNS", "NNPS")
        kind = "THING"
        if root.lower_ in PERSON_NOUNS and not plural and chunk[0].lower_ in ("the", "a", "an"):
            kind = "PERSON"
        if root.ent_type_ and all(t.ent_type_ for t in chunk if t.lower_ not in STOP):
            kind = LABELS.get(root.ent_type_, "THING")
        out.append(Mention(chunk.text, kind, plural, s, e, root.dep_, _prep_before(text, s)))
    return out


def _name_mentions(text: str, covered: list[tuple[int, int]]) -> list[Mention]:
    """Capitalised names that overlap no entity (spaCy missed them, or did not load)."""
    out = []
    for s, e in cap_spans(text):
        if any(not (e <= cs or s >= ce) for cs, ce in covered):
            continue
        name = text[s:e]
        if name.endswith(("'s", "’s")):
            name = name[:-2]
            e -= 2
        out.append(Mention(name, cue_kind(name, text, s), False, s, e, "", _prep_before(text, s)))
        covered.append((s, e))
    return out


def _by_role(mentions: list[Mention]) -> list[Mention]:
    """Subjects first, then objects, then the rest, each in order of appearance."""
    rank = {"nsubj": 0, "nsubjpass": 0, "dobj": 1}
    return sorted(mentions, key=lambda m: rank.get(m.dep, 2))


_TIER_PL = {"THING": 0, "NORP": 0, "ORG": 1, "PLACE": 2}


def rank_plural(pool: list[Mention]) -> list[Mention]:
    """For "they": within the short answer and question of a turn, plural nouns before
    organisations before places; the answer text after those."""
    return sorted(
        pool,
        key=lambda m: (m.turn, m.source == "answer", _TIER_PL.get(m.kind, 3)),
    )


def _mark_gender(m: Mention, text: str) -> None:
    if m.kind not in ("PERSON", "NAME"):
        return
    noun = m.text.split()[-1].lower()
    if noun in PERSON_NOUNS:
        m.gender = PERSON_NOUNS[noun]
        return
    before = re.findall(r"[\w.]+", text[: m.start])[-1:]
    first = m.text.split()[0].lower()
    if first in MALE_TITLES or (before and before[0].lower() in MALE_TITLES):
        m.gender = "m"
    elif first in FEMALE_TITLES or (before and before[0].lower() in FEMALE_TITLES):
        m.gender = "f"
        return
    # a sentence naming one person and using "she"/"he"
    for sent in re.split(r"(?<=[.!?])\s+", text):
        if m.text in sent:
            names = set(re.findall(r"\b(?:Mr|Ms|Mrs|Miss|Sir)\.? [A-Z]\w+", sent))
            if len(names) <= 1:
                if re.search(r"\b(?:she|her|hers|herself)\b", sent, re.I) and not m.gender:
                    m.gender = "f"
                elif re.search(r"\b(?:he|him|his|himself)\b", sent, re.I) and not m.gender:
                    m.gender = "m"


def history_mentions(history: Sequence[Turn], for_it: bool) -> list[Mention]:
    """All mentions of the earlier turns, most salient first."""
    out: list[Mention] = []
    for age, turn in enumerate(reversed(history)):
        short: list[Mention] = []
        if turn.short_answer and turn.short_answer.strip():
            sa = turn.short_answer.strip()
            ms = mentions_of(sa)
            whole = [
                m for m in ms if len(m.text) >= 0.8 * len(sa.strip(" .")) and m.kind != "THING"
            ]
            if whole:
                short = whole[:1]
            elif len(sa.split()) <= 12:
                doc = parse(sa)
                roots = [t for t in doc if t.dep_ == "ROOT"] if doc is not None else []
                plural = bool(roots and roots[0].tag_ in ("NNS", "NNPS"))
                kind = "NUMBER" if NUMBER.match(sa) else "THING"
                short = [Mention(sa.strip(" ."), kind, plural)]
                short += [m for m in ms if m.kind != "THING"]
            else:
                short = [m for m in ms if m.kind != "THING"]
        question = mentions_of(turn.question)
        answer = mentions_of(turn.answer)
        quotes = [m for q in turn.quotes if q not in turn.answer for m in mentions_of(q)]
        for m in short:
            m.source = "short"
        for m in question:
            m.source = "question"
        for m in answer + quotes:
            m.source = "answer"
        if for_it:
            # "it": a thing the last answer named, else the latest thing the question named
            short = [m for m in short if nounish(m.text)]
            ordered = short + _by_role(question)
        else:
            ordered = short + _by_role(question)
        for m in ordered + answer + quotes:
            m.turn = age
            out.append(m)
    vote_kinds(out)
    return out


def vote_kinds(mentions: list[Mention]) -> None:
    """The same name tagged differently in different sentences takes its most common kind;
    a gender seen once holds for every mention of the name."""
    votes: dict[str, dict[str, int]] = {}
    genders: dict[str, str] = {}
    for m in mentions:
        if m.kind in ("PERSON", "ORG", "PLACE", "NORP", "NAME"):
            last = m.key.split()[-1] if m.key else ""
            votes.setdefault(m.key, {}).setdefault(m.kind, 0)
            votes[m.key][m.kind] += 2 if m.kind != "NAME" else 1
            if m.gender and last:
                genders.setdefault(last, m.gender)
    for m in mentions:
        v = votes.get(m.key)
        if v:
            best = max(v.items(), key=lambda kv: (kv[1], kv[0] == m.kind))[0]
            m.kind = best
        if m.kind in ("PERSON", "NAME") and not m.gender and m.key:
            m.gender = genders.get(m.key.split()[-1], "")


def full_thing(m: Mention, mentions: list[Mention]) -> str:
    """A fuller form of a noun phrase from the same turn ("troops" -> "North Korean troops")."""
    head = m.text.split()[-1].lower()
    best = m.text
    for o in mentions:
        if o.kind != "THING" or o.turn != m.turn or o.text.split()[-1].lower() != head:
            continue
        words = o.text.split()
        while words and (
            words[0].lower()
            in {
                "the",
                "a",
                "an",
                "about",
                "some",
                "around",
                "up",
                "to",
                "more",
                "than",
                "as",
                "many",
                "over",
            }
            or words[0][:1].isdigit()
        ):
            words = words[1:]
        cand = " ".join(words)
        if len(words) <= 5 and len(cand) > len(best.removeprefix("the ")):
            best = ("the " if m.text.lower().startswith("the ") or len(words) > 1 else "") + cand
    return best


def _after_titles(name: str) -> list[str]:
    """The words of a name after its last title ("Defense Secretary Lloyd Austin" -> Lloyd
    Austin)."""
    words = name.split()
    last_title = max((i for i, w in enumerate(words) if w.lower() in PERSON_TITLES), default=-1)
    return words[last_title + 1 :]


def full_name(m: Mention, mentions: list[Mention]) -> str:
    """The longest form of a person's name the conversation gave ("Austin" -> "Lloyd Austin")."""
    words = _after_titles(m.text)
    if not words:
        return m.text
    last = words[-1].lower()
    best = " ".join(words)
    for o in mentions:
        if o.kind not in ("PERSON", "NAME"):
            continue
        ow = _after_titles(o.text)
        longer = ow and ow[-1].lower() == last and len(ow) <= 4 and len(" ".join(ow)) > len(best)
        if longer and all(w.lower() in {x.lower() for x in ow} for w in words):
            best = " ".join(ow)
    return best


def nounish(text: str) -> bool:
    doc = parse(text)
    if doc is None:
        return not re.search(r"\b(?:is|are|was|were|has|have|will|would|said)\b", text)
    return not any(t.pos_ in ("VERB", "AUX") for t in doc)
