"""Reading a chat question in the context of the conversation before it.

`read_in_context(question, history)` turns a follow-up ("Who is he?", "What about Seoul's
estimate?", "Where?") into a question that stands on its own ("Who is Lloyd Austin?"), says
how it was read ("Reading this as: ...?") and which passages the conversation is about.

Rules (deterministic; spaCy's small model for entities and noun phrases when it loads, plus
capitalisation cues when it misses or is absent):

- No history, or a question that stands on its own (no short form, no pronoun left to
  resolve): returned unchanged, rewritten=False.
- Mentions are collected from the earlier turns, most recent turn first; within a turn the
  short answer comes first for he/she/they/that/this (the new thing the user just learned),
  the question's own mentions first for "it", then the answer text and quotes.
- he/him/his -> the most recent person not marked female ("Ms", "she" in the same sentence);
  she/her/hers -> a person not marked male; a person is written in the longest form the
  conversation gave ("Austin" -> "Lloyd Austin"). they/them/their -> an organisation,
  country/place, nationality noun or plural noun phrase. it/its -> the last non-person thing
  (organisation, place, singular noun phrase). that/this (as pronouns, not "that deal") ->
  the last short answer, else as "it". A pronoun with a compatible mention earlier in the
  same question is bound there and left alone; "it" in "is it likely that ..." is left alone.
- "What about X?", "How about X?", "And X?", "And in X?": the previous question is asked
  again with X in the slot of the same kind (person, organisation, place, nationality, number,
  time; a noun phrase replaces the last plain noun phrase). A preposition ("in X") prefers a
  slot after the same preposition; a possessive ("Seoul's estimate") only replaces the
  subject and adds "according to Seoul's estimate". No slot of the kind: X is appended as a
  modifier ("... in Ireland?").
- A bare wh-word ("Where?", "When?", "Why?", "How many?", "How much?", "Who?") asks the
  previous question's topic with that wh-word: after a yes/no question it is put in front
  ("Why did ...?"); after a wh-question the old wh-phrase is replaced.

`Turn.question` should be the question as it was read (the rewritten one), so that chains
of follow-ups keep their referents.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.qa.answer import Answer

__all__ = ["Reading", "Turn", "read_in_context"]


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of the conversation."""

    question: str
    answer: str = ""
    short_answer: str | None = None
    passages: tuple[str, ...] = ()  # cited passage ids, e.g. ("¶9",)
    quotes: tuple[str, ...] = ()  # the cited quotes


@dataclass(frozen=True)
class Reading:
    question: str  # what to ask the answerer
    rewritten: bool = False
    note: str | None = None  # "Reading this as: ...?" when rewritten
    focus: tuple[str, ...] = ()  # passage ids the conversation is about, most recent first
    resolved: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (said, read as)


# ---- spaCy, loaded lazily ---------------------------------------------------------------------


@functools.cache
def _nlp() -> Any:
    try:
        from index.nlp import load_nlp

        return load_nlp()
    except Exception:  # no model installed: capitalisation cues only
        return None


@functools.lru_cache(maxsize=512)
def _doc(text: str) -> Any:
    nlp = _nlp()
    return nlp(text) if nlp is not None else None


# ---- mentions -----------------------------------------------------------------------------------

_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "NORP",
    "CARDINAL": "NUMBER",
    "MONEY": "NUMBER",
    "PERCENT": "NUMBER",
    "QUANTITY": "NUMBER",
    "DATE": "TIME",
    "TIME": "TIME",
}
_MALE_TITLES = {"mr", "mr.", "sir", "lord", "king", "prince", "mister"}
_FEMALE_TITLES = {"ms", "ms.", "mrs", "mrs.", "miss", "lady", "dame", "queen", "princess"}
_PERSON_TITLES = (
    _MALE_TITLES
    | _FEMALE_TITLES
    | {
        "dr",
        "dr.",
        "secretary",
        "minister",
        "president",
        "chancellor",
        "boss",
        "executive",
        "chairman",
        "spokesman",
        "spokeswoman",
        "director",
        "official",
        "prof",
        "professor",
    }
)
_ORG_WORDS = {
    "inc",
    "ltd",
    "plc",
    "corp",
    "company",
    "airlines",
    "airline",
    "association",
    "council",
    "group",
    "party",
    "commission",
    "office",
    "industry",
    "united",
    "city",
    "bank",
    "agency",
    "ministry",
    "department",
    "university",
    "federation",
    "institute",
    "times",
    "press",
    "news",
    "online",
    "assembly",
    "government",
    "club",
    "league",
    "board",
    "funds",
}
_WH = {"what", "who", "whom", "whose", "which", "where", "when", "why", "how"}
_PRONOUN_WORDS = {
    "i",
    "you",
    "he",
    "she",
    "it",
    "we",
    "they",
    "him",
    "her",
    "us",
    "them",
    "me",
    "his",
    "hers",
    "its",
    "our",
    "their",
    "theirs",
    "my",
    "your",
    "this",
    "that",
    "these",
    "those",
    "something",
    "anything",
    "everything",
    "nothing",
    "someone",
    "anyone",
    "everyone",
    "one",
}
_GENERIC = {
    "article",
    "story",
    "text",
    "piece",
    "report",
    "news",
    "passage",
    "paragraph",
    "answer",
    "question",
    "thing",
    "things",
    "way",
    "lot",
    "bit",
    "kind",
    "sort",
    "part",
    "detail",
    "details",
    "words",
    "one",
    "ones",
    "else",
    "next",
}
_STOP = {"the", "a", "an", "of", "and", "to", "in", "on", "for", "'s", "’s"}
_AUX = {
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "has",
    "have",
    "had",
    "can",
    "could",
    "will",
    "would",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "am",
    "be",
    "been",
}
_PREPS = {
    "in",
    "for",
    "at",
    "on",
    "during",
    "from",
    "by",
    "with",
    "to",
    "among",
    "inside",
    "outside",
    "about",
    "of",
    "under",
    "over",
    "against",
    "between",
    "within",
    "across",
    "after",
    "before",
    "since",
    "until",
}
_TIME_WORDS = re.compile(
    r"\b(?:quarter|year|years|month|months|week|weeks|day|days|season|century|decade|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"yesterday|today|tomorrow|(?:19|20)\d\d)\b",
    re.I,
)
_NUMBER = re.compile(r"^(?:about |around |some |more than |over |nearly )?[$£€]?\d[\d,.]*\w*%?")


_COMMON = _WH | _AUX | _PRONOUN_WORDS | {"and", "but", "so", "ok", "okay"}
try:
    from spacy.lang.en.stop_words import STOP_WORDS as _SPACY_STOP

    _STOPWORDS = set(_SPACY_STOP) | _COMMON
except Exception:  # pragma: no cover - spaCy is a dependency
    _STOPWORDS = _COMMON | {"as", "in", "on", "at", "for", "the", "a", "an", "if", "when", "with"}
# nouns naming a person: "the BPI spokesman" can be "he"
_PERSON_NOUNS = {
    "spokesman": "m",
    "spokeswoman": "f",
    "man": "m",
    "woman": "f",
    "boss": "",
    "official": "",
    "minister": "",
    "executive": "",
    "chairman": "m",
    "chairwoman": "f",
    "analyst": "",
    "director": "",
    "reporter": "",
    "attendant": "",
    "player": "",
    "keeper": "",
    "winger": "",
    "manager": "",
    "secretary": "",
    "president": "",
    "leader": "",
    "spokesperson": "",
    "chancellor": "",
    "striker": "",
    "defender": "",
    "goalkeeper": "",
    "coach": "",
    "blogger": "",
    "singer": "",
    "actor": "m",
    "actress": "f",
    "king": "m",
    "queen": "f",
}


@dataclass
class _Mention:
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
        return _norm(self.text)


def _norm(text: str) -> str:
    t = text.lower().replace("’", "'")
    t = re.sub(r"^(?:the|a|an)\s+", "", t)
    return re.sub(r"'s$", "", t).strip(" .,;:")


def _cap_spans(text: str) -> list[tuple[int, int]]:
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
        if first.lower() in _COMMON or (initial and first.lower() in _STOPWORDS):
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
    return m.group(1).lower() if m and m.group(1).lower() in _PREPS else ""


def _cue_kind(text: str, full: str, start: int) -> str:
    words = text.replace("’", "'").split()
    before = re.findall(r"[\w.]+", full[:start])[-2:]
    if words[0].lower() in _PERSON_TITLES or any(b.lower() in _PERSON_TITLES for b in before):
        return "PERSON"
    if any(w.lower().strip(".,") in _ORG_WORDS for w in words) or text.isupper():
        return "ORG"
    if len(words) in (2, 3) and all(w[:1].isupper() for w in words):
        return "PERSON"
    return "NAME"  # a name of unknown kind


def _mentions(text: str) -> list[_Mention]:
    """Entities and noun phrases of one text, in order of appearance."""
    if not text or not text.strip():
        return []
    out: list[_Mention] = []
    covered: list[tuple[int, int]] = []
    doc = _doc(text)
    if doc is not None:
        for ent in doc.ents:
            kind = _LABELS.get(ent.label_, "THING")
            if ent.label_ == "ORDINAL":
                continue
            s, e = ent.start_char, ent.end_char
            etext = text[s:e]
            if etext.lower().endswith(("'s", "’s")):
                etext = etext[:-2]
            if kind in ("PERSON", "ORG", "PLACE") and etext.lower().startswith("the "):
                pass
            plural = kind in ("ORG", "NORP") and etext.endswith("s")
            if kind == "PERSON" and any(w.lower() in _ORG_WORDS for w in etext.split()):
                kind = "ORG"
            out.append(
                _Mention(
                    etext, kind, plural, s, s + len(etext), ent.root.dep_, _prep_before(text, s)
                )
            )
            covered.append((s, e))
        for chunk in doc.noun_chunks:
            root = chunk.root
            words = [t for t in chunk if t.lower_ not in _STOP]
            if not words or root.lower_ in _WH | _PRONOUN_WORDS | _GENERIC:
                continue
            if any(t.tag_ in ("PRP$", "WP$") for t in chunk):
                continue
            if any(t.lower_ in _WH or t.tag_ == "WDT" for t in chunk):
                # "How many troops": the troops are a thing the question names
                if root.tag_ in ("NNS", "NN") and root.lower_ not in _WH | _GENERIC:
                    out.append(
                        _Mention(
                            root.text,
                            "THING",
                            root.tag_ == "NNS",
                            root.idx,
                            root.idx + len(root.text),
                            root.dep_,
                            "",
                            source="wh",
                        )
                    )
                continue
            s, e = chunk.start_char, chunk.end_char
            if any(cs == s and ce == e for cs, ce in covered):
                continue
            if any(cs <= s and e <= ce for cs, ce in covered) or len(chunk) > 8:
                continue
            plural = root.tag_ in ("NNS", "NNPS")
            kind = "THING"
            if (
                root.lower_ in _PERSON_NOUNS
                and not plural
                and chunk[0].lower_ in ("the", "a", "an")
            ):
                kind = "PERSON"
            if root.ent_type_ and all(t.ent_type_ for t in chunk if t.lower_ not in _STOP):
                kind = _LABELS.get(root.ent_type_, "THING")
            out.append(_Mention(chunk.text, kind, plural, s, e, root.dep_, _prep_before(text, s)))
    for s, e in _cap_spans(text):
        if any(not (e <= cs or s >= ce) for cs, ce in covered):
            continue
        name = text[s:e]
        if name.endswith(("'s", "’s")):
            name = name[:-2]
            e -= 2
        out.append(_Mention(name, _cue_kind(name, text, s), False, s, e, "", _prep_before(text, s)))
        covered.append((s, e))
    out.sort(key=lambda m: m.start)
    for m in out:
        _mark_gender(m, text)
    return out


def _by_role(mentions: list[_Mention]) -> list[_Mention]:
    """Subjects first, then objects, then the rest, each in order of appearance."""
    rank = {"nsubj": 0, "nsubjpass": 0, "dobj": 1}
    return sorted(mentions, key=lambda m: rank.get(m.dep, 2))


_TIER_PL = {"THING": 0, "NORP": 0, "ORG": 1, "PLACE": 2}


def _rank_plural(pool: list[_Mention]) -> list[_Mention]:
    """For "they": within the short answer and question of a turn, plural nouns before
    organisations before places; the answer text after those."""
    return sorted(
        pool,
        key=lambda m: (m.turn, m.source == "answer", _TIER_PL.get(m.kind, 3)),
    )


def _mark_gender(m: _Mention, text: str) -> None:
    if m.kind not in ("PERSON", "NAME"):
        return
    noun = m.text.split()[-1].lower()
    if noun in _PERSON_NOUNS:
        m.gender = _PERSON_NOUNS[noun]
        return
    before = re.findall(r"[\w.]+", text[: m.start])[-1:]
    first = m.text.split()[0].lower()
    if first in _MALE_TITLES or (before and before[0].lower() in _MALE_TITLES):
        m.gender = "m"
    elif first in _FEMALE_TITLES or (before and before[0].lower() in _FEMALE_TITLES):
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


def _history_mentions(history: Sequence[Turn], for_it: bool) -> list[_Mention]:
    """All mentions of the earlier turns, most salient first."""
    out: list[_Mention] = []
    for age, turn in enumerate(reversed(history)):
        short: list[_Mention] = []
        if turn.short_answer and turn.short_answer.strip():
            sa = turn.short_answer.strip()
            ms = _mentions(sa)
            whole = [
                m for m in ms if len(m.text) >= 0.8 * len(sa.strip(" .")) and m.kind != "THING"
            ]
            if whole:
                short = whole[:1]
            elif len(sa.split()) <= 12:
                doc = _doc(sa)
                roots = [t for t in doc if t.dep_ == "ROOT"] if doc is not None else []
                plural = bool(roots and roots[0].tag_ in ("NNS", "NNPS"))
                kind = "NUMBER" if _NUMBER.match(sa) else "THING"
                short = [_Mention(sa.strip(" ."), kind, plural)]
                short += [m for m in ms if m.kind != "THING"]
            else:
                short = [m for m in ms if m.kind != "THING"]
        question = _mentions(turn.question)
        answer = _mentions(turn.answer)
        quotes = [m for q in turn.quotes if q not in turn.answer for m in _mentions(q)]
        for m in short:
            m.source = "short"
        for m in question:
            m.source = "question"
        for m in answer + quotes:
            m.source = "answer"
        if for_it:
            # "it": a thing the last answer named, else the latest thing the question named
            short = [m for m in short if _nounish(m.text)]
            ordered = short + _by_role(question)
        else:
            ordered = short + _by_role(question)
        for m in ordered + answer + quotes:
            m.turn = age
            out.append(m)
    _vote_kinds(out)
    return out


def _vote_kinds(mentions: list[_Mention]) -> None:
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


def _full_thing(m: _Mention, mentions: list[_Mention]) -> str:
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
    last_title = max((i for i, w in enumerate(words) if w.lower() in _PERSON_TITLES), default=-1)
    return words[last_title + 1 :]


def _full_name(m: _Mention, mentions: list[_Mention]) -> str:
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


# ---- pronouns -----------------------------------------------------------------------------------

_PRONOUNS = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
    "they": "pl",
    "them": "pl",
    "their": "pl",
    "theirs": "pl",
    "themselves": "pl",
    "it": "it",
    "its": "it",
    "itself": "it",
    "that": "that",
    "this": "that",
}
_POSSESSIVE = {"his", "their", "its", "hers", "theirs"}
_EXPLETIVE_IT = re.compile(
    r"\bit(?:'s|’s| is| was| will be| would be| has been)?\s+(?:\w+\s+)?(?:likely|unlikely|"
    r"true|possible|clear|known|certain|expected|said|reported|believed|thought|"
    r"right|fair|wrong|necessary|important|easy|hard)\s+(?:that|to|whether)\b|"
    r"\b(?:is|was|are|were|does|did)\s+it\s+(?:\w+\s+)?(?:likely|unlikely|true|possible|clear|"
    r"known|certain|expected|said|reported|believed|right|fair)\s+(?:that|to|whether)\b|"
    r"\bit\s+(?:seems|appears|looks|matters|says|said)\b|\bmake it\b|\bis it (?:raining)\b",
    re.I,
)
_THAT_NEXT = re.compile(
    r"^\s*(?:[?.!,;:]|$|is\b|was\b|'s\b|’s\b|mean|means|meant|happen|happened|true|right|"
    r"correct|so\b|said|says|will\b|would\b|could\b|has\b|had\b|did\b|does\b|do\b|about\b|"
    r"for\b|in\b|to\b|from\b|by\b|at\b|on\b|with\b|number|figure|estimate\b)",
    re.I,
)


_PRONOUN_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "ROOT"}


@dataclass
class _Pron:
    start: int
    end: int
    word: str
    kind: str  # m f pl it that
    possessive: bool


def _pronouns(question: str) -> list[_Pron]:
    out: list[_Pron] = []
    doc = _doc(question)
    for m in re.finditer(r"\b[A-Za-z]+\b", question):
        w = m.group(0).lower()
        kind = _PRONOUNS.get(w)
        if kind is None:
            continue
        after = question[m.end() :]
        if kind == "that":
            # "that deal", "the claim that ...", relative "that": not a pronoun
            tok = _token_at(doc, m.start())
            pronoun_role = tok is not None and tok.dep_ in _PRONOUN_DEPS and tok.tag_ != "WDT"
            if not pronoun_role and not _THAT_NEXT.match(after):
                continue
            # "that" after a noun or a verb of saying: "the deal that", "say that he ..."
            if re.match(r"^\s+(?:the|a|an|he|she|they|it|[A-Z]\w+)\b", after) and not re.match(
                r"^\s+(?:is|was)\b", after
            ):
                continue
        if kind == "it" and w == "it":
            window = question[max(0, m.start() - 20) : m.end() + 40]
            if _EXPLETIVE_IT.search(window):
                continue
        possessive = w in _POSSESSIVE
        if w == "her":
            tok = _token_at(doc, m.start())
            if tok is not None:
                possessive = tok.tag_ == "PRP$"
            else:
                possessive = bool(
                    re.match(
                        r"^\s+(?!(?:to|in|on|at|for|about|as|and|or|by|"
                        r"with|from|that|if|\W))[a-z]\w*",
                        after,
                    )
                )
        out.append(_Pron(m.start(), m.end(), m.group(0), kind, possessive))
    return out


def _token_at(doc: Any, char: int) -> Any:
    if doc is None:
        return None
    for t in doc:
        if t.idx == char:
            return t
    return None


def _compatible(m: _Mention, kind: str) -> bool:
    if kind == "m":
        return (
            m.kind in ("PERSON", "NAME")
            and m.gender != "f"
            and m.kind != "NAME"
            or (m.kind == "NAME" and m.gender == "m")
        )
    if kind == "f":
        return (
            m.kind in ("PERSON", "NAME")
            and m.gender != "m"
            and m.kind != "NAME"
            or (m.kind == "NAME" and m.gender == "f")
        )
    if kind == "pl":
        if m.kind in ("ORG", "PLACE"):
            return True
        if m.kind in ("NORP", "THING"):
            return m.plural
        return False
    if kind in ("it", "that"):
        if m.kind in ("ORG", "PLACE", "NAME"):
            return True
        if m.kind == "THING":
            return not m.plural
        return kind == "that" and m.kind == "NUMBER"
    return False


def _binds(m: _Mention, kind: str) -> bool:
    """Whether a mention earlier in the same question can be what the pronoun refers to; any
    name binds "it" (the small model often tags a company as a person)."""
    if kind in ("it", "pl") and m.kind == "PERSON" and not m.gender:
        return True
    return _compatible(m, kind)


def _resolve_pronouns(
    question: str, history: Sequence[Turn]
) -> tuple[str, list[tuple[str, str]], set[int]]:
    prons = _pronouns(question)
    if not prons:
        return question, [], set()
    own = _mentions(question)
    pieces: list[tuple[int, int, str]] = []
    used: list[tuple[str, str]] = []
    turns: set[int] = set()
    for p in prons:
        # bound inside the question itself ("What did Marsh say about its dividend?")
        if any(m.end <= p.start and m.source != "wh" and _binds(m, p.kind) for m in own):
            continue
        pool = _history_mentions(history, for_it=p.kind == "it")
        if p.kind == "that":
            shorts = [m for m in pool if m.turn == 0 and m.source == "short" and m.kind != "PERSON"]
            cand = shorts[0] if shorts else None
            if cand is None:
                cand = next((m for m in pool if _compatible(m, "it")), None)
        else:
            ranked = _rank_plural(pool) if p.kind == "pl" else pool
            cand = next((m for m in ranked if _compatible(m, p.kind)), None)
        if cand is None:
            continue
        if cand.kind in ("PERSON", "NAME"):
            text = _full_name(cand, pool)
        elif cand.kind == "THING" and cand.source == "question":
            text = _full_thing(cand, pool)
        else:
            text = cand.text
        if cand.source == "short" and cand.kind == "THING" and cand.kind != "NUMBER":
            text = text.rstrip(".")
        if p.possessive:
            text = text + ("'" if text.endswith("s") and cand.plural else "'s")
        if p.start == 0 or re.search(r"[.?!]\s*$", question[: p.start]):
            text = text[:1].upper() + text[1:]
        elif text[:4] in ("The ", "A ", "An ") or text.split()[0] in ("The", "A", "An"):
            text = text[:1].lower() + text[1:]
        pieces.append((p.start, p.end, text))
        used.append((p.word, text))
        turns.add(cand.turn)
    if not pieces:
        return question, [], set()
    out = question
    for s, e, t in sorted(pieces, reverse=True):
        out = out[:s] + t + out[e:]
    return out, used, turns


# ---- short forms --------------------------------------------------------------------------------

_LEAD = r"^\s*(?:(?:and|but|so|ok|okay|well|then|hmm|oh)[,\s]+)*"
_BARE_WH = re.compile(
    _LEAD + r"(?P<wh>where|when|why|how many|how much|how long|how|who|since when|why not|"
    r"what for|how come|which|what)(?:\s+(?:then|exactly|so|else|again|now))?\s*[?.!]*\s*$",
    re.I,
)
_ABOUT = re.compile(
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
        or (w[:1].isupper() and _cap_spans(q)[:1] == [(0, len(w))] and w.lower() not in _AUX | _WH)
    ):
        return q
    return q[:1].lower() + q[1:]


def _bare_wh(wh: str, history: Sequence[Turn]) -> str | None:
    prev = history[-1]
    q = _ends(prev.question)
    wh_l = wh.lower()
    wh_out = wh_l[:1].upper() + wh_l[1:]
    if wh_l in ("why not", "how come", "what for"):
        wh_out = "Why"
    if wh_l == "since when":
        wh_out = "When"
    if _YESNO.match(q):
        body = _lower_first(q)
        if wh_l in ("how many", "how much"):
            doc = _doc(q)
            if doc is not None:
                for chunk in doc.noun_chunks:
                    if (wh_l == "how many" and chunk.root.tag_ == "NNS") or (
                        wh_l == "how much" and chunk.root.tag_ == "NN" and chunk.root.dep_ == "dobj"
                    ):
                        words = [
                            t.text
                            for t in chunk
                            if t.lower_ not in ("the", "a", "an", "any", "some")
                        ]
                        rest = (q[: chunk.start_char] + q[chunk.end_char :]).strip()
                        rest = re.sub(r"\s+", " ", rest)
                        return f"{wh_out} {' '.join(words)} {_lower_first(rest)}?"
        return f"{wh_out} {body}?"
    m = _WH_START.match(q)
    if not m:
        return f"{wh_out}: {q}?"
    old = m.group("wh")
    rest = q[m.end() :].strip()
    old_l = old.lower()
    if old_l.split()[0] in ("what", "which") and re.match(r"(?:do|does|did)\b", rest, re.I):
        # object wh ("What did Austin say about combat?"): the object becomes "that"
        doc = _doc(rest)
        if doc is not None:
            verbs = [t for t in doc if t.pos_ == "VERB" and t.i > 0]
            if verbs:
                v = verbs[0]
                sa = (prev.short_answer or "").strip().rstrip(".")
                obj = sa if sa and len(sa.split()) <= 5 and _nounish(sa) else "that"
                rest = rest[: v.idx + len(v.text)] + " " + obj + rest[v.idx + len(v.text) :]
    elif old_l in ("who", "what") and not re.match(
        r"(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might)\b",
        rest,
        re.I,
    ):
        # subject wh ("Who suspended Ellen Simonetti?"): the answer becomes the subject
        sa = (prev.short_answer or "").strip().rstrip(".")
        doc = _doc(rest)
        if sa and doc is not None and len(doc) and doc[0].tag_ in ("VBD", "VBZ", "VBP"):
            aux = {"VBD": "did", "VBZ": "does", "VBP": "do"}[doc[0].tag_]
            rest = f"{aux} {sa} {doc[0].lemma_}{rest[len(doc[0].text) :]}"
    if wh_l in ("how many", "how much") and old_l.startswith(("how many", "how much")):
        return f"{old[:1].upper()}{old[1:]} {rest}?"
    return f"{wh_out} {rest}?"


def _nounish(text: str) -> bool:
    doc = _doc(text)
    if doc is None:
        return not re.search(r"\b(?:is|are|was|were|has|have|will|would|said)\b", text)
    return not any(t.pos_ in ("VERB", "AUX") for t in doc)


def _x_kind(x: str) -> tuple[str, str, str, str]:
    """(kind, filler, head, preposition) of the X in "What about X?"."""
    prep = ""
    m = re.match(r"(?P<p>\w+)\s+(?P<x>.+)$", x)
    if m and m.group("p").lower() in _PREPS - {"about"}:
        prep, x = m.group("p").lower(), m.group("x")
    head = ""
    pm = re.match(r"^(?P<y>.+?)(?:'s|’s|s')\s+(?P<n>[\w-]+(?:\s+[\w-]+){0,2})$", x)
    filler = x
    if pm:
        filler, head = pm.group("y"), pm.group("n")
        if x[len(filler) :].startswith("s'"):
            filler += "s"
    ms = [mm for mm in _mentions(filler) if mm.kind != "THING"]
    whole = [mm for mm in ms if len(_norm(mm.text)) >= 0.6 * len(_norm(filler))]
    if whole:
        kind = whole[0].kind
    elif _NUMBER.match(filler):
        kind = "NUMBER"
    elif _TIME_WORDS.search(filler):
        kind = "TIME"
    elif filler[:1].isupper() and not filler.lower().startswith(("the ", "a ", "an ")):
        kind = _cue_kind(filler, filler, 0)
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


def _what_about(x: str, history: Sequence[Turn]) -> str | None:
    prev = history[-1]
    q = prev.question.strip()
    if not q.endswith("?"):
        q = _ends(q) + "?"
    if _pronouns(x) and len(x.split()) == 1:
        resolved, used, _ = _resolve_pronouns(x, history)
        if not used:
            return None
        x = resolved
    kind, filler, head, prep = _x_kind(x)
    slots = [m for m in _mentions(q) if m.kind != "THING" or kind == "THING"]
    pool = _history_mentions(history, for_it=False)
    _vote_kinds(pool + slots)
    wh = _WH_START.match(q)
    if wh:
        slots = [m for m in slots if m.start >= wh.end() or m.kind != "THING"]
    choice: _Mention | None = None
    if kind == "THING":
        plain = [m for m in slots if m.kind == "THING"]
        choice = plain[-1] if plain else None
    else:
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
            with_prep = [m for m in same if m.prep == prep]
            same = with_prep or same
        choice = same[0] if same else None
    if choice is not None:
        new = filler if not (kind == "THING" and not head) else x if not prep else x
        if kind == "THING":
            new = x if not prep else f"{x}"
            if prep and choice.prep:
                new = x.split(None, 1)[1] if len(x.split()) > 1 else x
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


# ---- the reading --------------------------------------------------------------------------------


def _focus(history: Sequence[Turn], first: set[int]) -> tuple[str, ...]:
    out: list[str] = []
    ages = sorted(first) + [a for a in range(len(history)) if a not in first]
    for age in ages:
        for p in history[len(history) - 1 - age].passages:
            if p not in out:
                out.append(p)
    return tuple(out)


def _tidy(q: str) -> str:
    q = re.sub(r"\s+", " ", q).strip()
    q = re.sub(r"\s+([?,.!])", r"\1", q)
    q = re.sub(r"^(?:(?:and|but|so|ok|okay|well|then|oh)[,\s]+)+", "", q, flags=re.I)
    if q and not q.endswith("?"):
        q = q.rstrip(".!") + "?"
    return q[:1].upper() + q[1:]


def _has_verb(x: str) -> bool:
    doc = _doc(x)
    if doc is None:
        return bool(
            re.match(
                r"^(?:is|are|was|were|do|does|did|has|have|had|can|could|will|"
                r"would|should|what|who|where|when|why|how|which)\b",
                x,
                re.I,
            )
        )
    return any(t.pos_ in ("VERB", "AUX") for t in doc) or x.split()[0].lower() in _WH


def read_in_context(question: str, history: Sequence[Turn]) -> Reading:
    """The question to ask, read in the context of the conversation so far."""
    q = " ".join(question.split())
    if not history or not q:
        return Reading(q)
    rewritten: str | None = None
    used: list[tuple[str, str]] = []
    turns: set[int] = set()
    m = _BARE_WH.match(q)
    if m:
        rewritten = _bare_wh(m.group("wh"), history)
        turns = {0}
        used = [(m.group("wh"), "the previous question")]
    if rewritten is None:
        a = _ABOUT.match(q)
        if a:
            x = (a.group("x") or a.group("y") or "").strip()
            if x and len(x.split()) <= 6 and not _has_verb(x):
                rewritten = _what_about(x, history)
                turns = {0}
                used = [(x, "the previous question")]
    if rewritten is None:
        out, used, turns = _resolve_pronouns(q, history)
        if used:
            rewritten = out
    if rewritten is None:
        return Reading(q)
    rewritten = _tidy(rewritten)
    if rewritten.lower() == q.lower():
        return Reading(q)
    return Reading(
        rewritten,
        rewritten=True,
        note=f"Reading this as: {rewritten}",
        focus=_focus(history, turns),
        resolved=tuple(used),
    )


def turn_of(answer: Answer) -> Turn:
    """One exchange of the conversation, as the next question reads it: the question as it
    was read (so a chain of follow-ups keeps its references), the answer and its citations."""
    return Turn(
        answer.read_as or answer.question,
        "" if answer.abstained else answer.answer,
        answer.short_answer,
        tuple(c.passage for c in answer.citations),
        tuple(c.quote for c in answer.citations),
    )
