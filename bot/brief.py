"""A cited briefing of one article, built from its own sentences (no language model).

Every line is article text, trimmed by rule at most, and carries citations whose quotes are
verified verbatim. Sections: bottom line, key facts, numbers (with what they measure and who
says so), who's who (people with the role the article gives them, one entry per person),
key quotes with their speaker, open questions, timeline, and suggested questions that the
answer pipeline can answer with a citation.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.answer import Answer
from bot.citations import Citation, cite
from bot.lexical import STOP_WORDS, terms
from index.passages import Passage, Sentence
from index.store import StoredArticle

SECTIONS = (
    "bottom_line",
    "key_facts",
    "numbers",
    "whos_who",
    "key_quotes",
    "open_questions",
    "timeline",
    "suggested_questions",
)
TITLES = {
    "bottom_line": "Bottom line",
    "key_facts": "Key facts",
    "numbers": "Numbers",
    "whos_who": "Who's who",
    "key_quotes": "Key quotes",
    "open_questions": "Open questions",
    "timeline": "Timeline",
    "suggested_questions": "Suggested questions",
}

_DATELINE = re.compile(r"^[A-Z][A-Z.,' -]+(?:\([\w .&-]+\))?\s*[—–-]{1,2}\s+")
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|noted|added|asked|acknowledged|warned|stated|argued|"
    r"estimated|assess(?:es|ed)?|believe[sd]?|reported|announced|according to)\b"
)
_QUOTE = re.compile(r"[“\"]([^”\"]{2,400})[”\"]")
_UNCERTAIN = re.compile(
    r"\b(?:unclear|unknown|not known|yet to|no details|did not provide|didn't provide|"
    r"not confirmed|unconfirmed|could not be (?:confirmed|verified)|without specifying|"
    r"did not say|declined to|remains to be seen|question is|whether|not authorized)\b",
    re.I,
)
_SIGNIFICANCE = re.compile(
    r"\b(?:concerns?|worr\w*|alarm\w*|threat\w*|danger\w*|risk\w*|could|potential|expand|"
    r"broaden|escalat\w*|significan\w*|implications?|because)\b",
    re.I,
)
_PRONOUN = re.compile(r"^(?:He|She)\b")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_TITLE_WORD = re.compile(r"^[A-Z][\w.'’-]*$")
_NAME_CONNECTORS = {"of", "for", "the"}
_NOT_A_SUBJECT_END = {"to", "yet", "not", "will", "would", "could", "may", "might", "did", "do"}


@dataclass(frozen=True)
class BriefLine:
    text: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class Brief:
    article: str
    title: str | None
    sections: dict[str, tuple[BriefLine, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"article": self.article, "title": self.title}
        for name in SECTIONS:
            out[name] = [line.to_dict() for line in self.sections.get(name, ())]
        return out

    def to_markdown(self) -> str:
        lines = [f"# Briefing: {self.title or self.article}", ""]
        for name in SECTIONS:
            items = self.sections.get(name, ())
            if not items:
                continue
            lines += [f"## {TITLES[name]}", ""]
            for item in items:
                marks = "".join(f"[{c.passage}]" for c in item.citations)
                prefix = "" if name == "bottom_line" else "- "
                lines.append(f"{prefix}{item.text} {marks}".rstrip())
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


@dataclass(frozen=True)
class _Sent:
    passage: Passage
    sentence: Sentence
    index: int  # position in the article

    def cite(self, start: int | None = None, end: int | None = None) -> Citation:
        s = self.sentence
        return cite(
            self.passage, s.start if start is None else start, s.end if end is None else end
        )

    def mentions(self, *labels: str) -> list[tuple[int, int, str]]:
        return [m for m in self.sentence.entities if m[2] in labels]

    def span(self, m: tuple[int, int, str]) -> str:
        return self.passage.text[m[0] : m[1]]


def build_brief(stored: StoredArticle, ask: Callable[[str], Answer] | None = None) -> Brief:
    sents = [
        _Sent(p, s, i)
        for i, (p, s) in enumerate((p, s) for p in stored.passages for s in p.sentences)
    ]
    if not sents:
        return Brief(stored.name, stored.article.title)
    scores = _salience(sents)
    people = _people(sents)
    bottom = _bottom_line(sents, scores)
    used = {id(s) for s in bottom}
    sections = {
        "bottom_line": tuple(_line(s) for s in bottom),
        "key_facts": tuple(_line(s) for s in _key_facts(sents, scores, used)),
        "numbers": _numbers(sents, people),
        "whos_who": tuple(_whos_who(people)),
        "key_quotes": _quotes(sents, people),
        "open_questions": tuple(_line(s) for s in sents if _UNCERTAIN.search(s.sentence.text))[:5],
        "timeline": _timeline(sents, stored.article.date),
        "suggested_questions": _suggest(sents, people, ask) if ask else (),
    }
    return Brief(stored.name, stored.article.title, sections)


# ---- ranking ------------------------------------------------------------------------------


def _salience(sents: list[_Sent]) -> list[float]:
    """Centrality (TF-IDF cosine to the whole article) with a lead bias, as news is written
    most important first."""
    docs = [terms(s.sentence.text) for s in sents]
    df = Counter(t for d in docs for t in set(d))
    n = len(docs)
    idf = {t: math.log(1 + n / c) for t, c in df.items()}
    total: Counter[str] = Counter()
    for d in docs:
        total.update(d)
    centre = {t: c * idf[t] for t, c in total.items()}
    centre_norm = math.sqrt(sum(v * v for v in centre.values())) or 1.0
    out = []
    for s, d in zip(sents, docs, strict=True):
        vec = Counter(d)
        norm = math.sqrt(sum((c * idf[t]) ** 2 for t, c in vec.items())) or 1.0
        cos = sum(c * idf[t] * centre[t] for t, c in vec.items()) / (norm * centre_norm)
        lead = 1.0 / (1.0 + 0.15 * s.passage.paragraph)
        short = 0.5 if len(d) < 5 else 1.0
        out.append(short * (cos + 0.5 * lead))
    return out


def _bottom_line(sents: list[_Sent], scores: list[float]) -> list[_Sent]:
    """The lead sentence (what happened) and the best sentence on why it matters."""
    lead = next((s for s in sents if len(_line(s).text.split()) >= 6), sents[0])
    why = [
        (scores[i], s)
        for i, s in enumerate(sents)
        if s.passage.id != lead.passage.id and _SIGNIFICANCE.search(s.sentence.text)
    ]
    if not why:  # no sentence says why it matters: the most central one from elsewhere
        why = [(scores[i], s) for i, s in enumerate(sents) if s.passage.id != lead.passage.id]
    picked = [lead]
    if why:
        picked.append(max(why, key=lambda x: x[0])[1])
    return sorted(picked, key=lambda s: s.index)


def _key_facts(sents: list[_Sent], scores: list[float], used: set[int]) -> list[_Sent]:
    """Up to 8 salient, mutually non-redundant sentences (maximal marginal relevance)."""
    pool = [
        (scores[i], s)
        for i, s in enumerate(sents)
        if id(s) not in used and len(s.sentence.text.split()) >= 6
    ]
    chosen: list[_Sent] = []
    chosen_terms: list[set[str]] = []
    while pool and len(chosen) < 8:
        best = max(
            pool,
            key=lambda x: (
                x[0]
                - 0.6
                * max(
                    (_overlap(set(terms(x[1].sentence.text)), t) for t in chosen_terms), default=0
                )
            ),
        )
        pool.remove(best)
        chosen.append(best[1])
        chosen_terms.append(set(terms(best[1].sentence.text)))
    return sorted(chosen[: max(5, min(8, len(chosen)))], key=lambda s: s.index)


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / (len(a | b) or 1)


def _line(s: _Sent) -> BriefLine:
    """A sentence as a briefing line: the dateline trimmed, the rest verbatim."""
    text = s.sentence.text
    m = _DATELINE.match(text)
    start = s.sentence.start + (m.end() if m else 0)
    c = s.cite(start, s.sentence.end)
    return BriefLine(c.quote, (c,))


# ---- people -------------------------------------------------------------------------------


@dataclass
class _Person:
    name: str
    role: str | None
    first: _Sent
    role_span: tuple[int, int] | None = None
    aliases: set[str] = field(default_factory=set)


def name_key(name: str) -> str:
    """One key for spellings of one name: "Kim Yong Hyun" and "Kim Yong-hyun" agree."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", name.replace("-", " ")).lower().split())


def _people(sents: list[_Sent]) -> list[_Person]:
    people: dict[str, _Person] = {}
    for s in sents:
        for m in _joined(s, s.mentions("PERSON")):
            name = re.sub(r"[)(]\s*", " ", s.span(m)).strip()
            name = " ".join(name.split())
            if not name[:1].isupper():
                continue
            role = _title_before(s, m[0])
            key = name_key(name)
            person = people.get(key) or _match_partial(people, key)
            if person is None:
                person = people[key] = _Person(name, None, s)
            elif len(name.split()) > len(person.name.split()):
                person.aliases.add(person.name)
                person.name = name
            person.aliases.add(name)
            if role and person.role is None:
                person.role, person.role_span, person.first = role[0], role[1], s
    # Single-word mentions ("Austin") fold into the one full name they belong to.
    for key in [k for k in people if " " not in k]:
        full = [p for k, p in people.items() if " " in k and key in k.split()]
        if len(full) == 1:
            short = people.pop(key)
            full[0].aliases |= short.aliases
            if full[0].role is None and short.role:
                full[0].role, full[0].role_span, full[0].first = (
                    short.role,
                    short.role_span,
                    short.first,
                )
    return sorted(people.values(), key=lambda p: p.first.index)


def _joined(s: _Sent, mentions: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join a first name and a surname that a bracket split ("(... Vladimir) Putin")."""
    text = s.passage.text
    out: list[tuple[int, int, str]] = []
    for m in mentions:
        if out and re.fullmatch(r"[)\s]{1,3}", text[out[-1][1] : m[0]]):
            out[-1] = (out[-1][0], m[1], m[2])
        else:
            out.append(m)
    return out


def _match_partial(people: dict[str, _Person], key: str) -> _Person | None:
    if " " in key:
        return None
    hits = [p for k, p in people.items() if key in k.split()]
    return hits[0] if len(hits) == 1 else None


def _title_before(s: _Sent, at: int) -> tuple[str, tuple[int, int]] | None:
    """Capitalised words right before a name: "South Korean Defense Minister" before
    "Kim Yong-hyun", "Secretary of State" before "Antony Blinken"."""
    text = s.passage.text
    words = list(re.finditer(r"[\w.'’-]+", text[s.sentence.start : at]))
    run: list[re.Match[str]] = []
    for w in reversed(words):
        between = text[
            s.sentence.start + w.end() : s.sentence.start
            + (run[0].start() if run else at - s.sentence.start)
        ]
        if between.strip(" ()"):
            break
        if _TITLE_WORD.match(w.group(0)) or (run and w.group(0) in _NAME_CONNECTORS):
            run.insert(0, w)
        else:
            break
    while run and run[0].group(0).lower() in STOP_WORDS | _NAME_CONNECTORS:
        run.pop(0)
    if not run or (len(run) == 1 and run[0].group(0).lower() in STOP_WORDS):
        return None
    a = s.sentence.start + run[0].start()
    b = s.sentence.start + run[-1].end()
    role = text[a:b]
    if role.isupper() or len(role) < 3:  # a dateline ("WASHINGTON"), not a role
        return None
    return role, (a, b)


def _whos_who(people: list[_Person]) -> list[BriefLine]:
    out = []
    for p in people:
        if p.role and p.role_span:
            c = cite(p.first.passage, p.role_span[0], _name_end(p, p.role_span[1]))
            out.append(BriefLine(f"{p.name}: {p.role}", (c,)))
        else:
            out.append(BriefLine(p.name, (p.first.cite(),)))
    return out


def _name_end(p: _Person, role_end: int) -> int:
    """End of the name that follows its role in the passage, so the quote shows both."""
    text = p.first.passage.text
    for name in sorted(p.aliases | {p.name}, key=len, reverse=True):
        at = text.find(name, role_end)
        if 0 <= at - role_end <= 3:
            return at + len(name)
    return role_end


def _speaker_before(sents: list[_Sent], s: _Sent, people: list[_Person]) -> str | None:
    """Who a sentence's "he"/"she" or speech verb points at: a named person in the sentence,
    else the last person named before it."""
    after_quote = re.search(
        r"[”\"],?\s+([A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)*)\s+(?:said|says)\b", s.sentence.text
    )
    if after_quote:  # “...,” Price said
        return _canonical(after_quote.group(1), people)
    names = [s.span(m) for m in s.mentions("PERSON")]
    if names and not _PRONOUN.match(s.sentence.text):
        return _canonical(names[-1] if _QUOTE.match(s.sentence.text) else names[0], people)
    for prev in reversed(sents[: s.index]):
        found = prev.mentions("PERSON")
        if found:
            return _canonical(prev.span(found[0]), people)
    return None


def _canonical(name: str, people: list[_Person]) -> str:
    key = name_key(name)
    for p in people:
        if key == name_key(p.name) or key in {name_key(a) for a in p.aliases}:
            return p.name
    partial = [p for p in people if key in name_key(p.name).split()]
    return partial[0].name if len(partial) == 1 else name


def _quotes(sents: list[_Sent], people: list[_Person]) -> tuple[BriefLine, ...]:
    out = []
    for s in sents:
        if not _SPEECH.search(s.sentence.text):
            continue
        speaker = _speaker_before(sents, s, people)
        for m in _QUOTE.finditer(s.sentence.text):
            words = m.group(1).split()
            if len(words) < 3:
                continue
            a = s.sentence.start + m.start()
            c = cite(s.passage, a, s.sentence.start + m.end())
            who = f" ({speaker})" if speaker else ""
            out.append(BriefLine(f"{c.quote}{who}", (c,)))
    return tuple(out[:6])


# ---- numbers and dates ------------------------------------------------------------------


def _numbers(sents: list[_Sent], people: list[_Person]) -> tuple[BriefLine, ...]:
    """Each figure with the clause that says what it measures and who says so."""
    out = []
    for s in sents:
        text = s.passage.text
        for m in s.mentions("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
            figure = s.span(m)
            if not re.search(r"\d", figure) or _inside_parentheses(text, m):
                continue
            a, b = _clause(s, m)
            source = _source(s, m)
            c = cite(s.passage, a, b)
            per = f" (per {source})" if source else ""
            out.append(BriefLine(f"{figure}: {c.quote}{per}", (c,)))
    return tuple(out)


def _inside_parentheses(text: str, m: tuple[int, int, str]) -> bool:
    return text[max(m[0] - 1, 0) : m[0]] == "(" and text[m[1] : m[1] + 1] == ")"


def _clause(s: _Sent, m: tuple[int, int, str]) -> tuple[int, int]:
    """The clause around a figure: from the previous boundary to the next one."""
    text = s.passage.text
    lo, hi = s.sentence.start, s.sentence.end
    left = max((x.end() for x in re.finditer(r"[,;:—]\s|\bthat\s", text[lo : m[0]])), default=0)
    right = re.search(r",\s|;|—|\.$|\.\s", text[m[1] : hi])
    end = m[1] + (right.start() if right else hi - m[1])
    start = lo + left
    if len(text[start:end].split()) <= 3:  # "has increased to 11,000": widen to the sentence
        start, end = lo, hi
    return start, end


def _source(s: _Sent, m: tuple[int, int, str]) -> str | None:
    """Who gives the figure: "according to X", or the subject of a reporting verb."""
    text = re.sub(r",\s*(?:however|though|too|also|meanwhile|in turn),", "", s.sentence.text)
    acc = re.search(r"according to ((?:a |an |the )?[^,.;]+)", text)
    verb = re.search(
        r"^(.{3,80}?)\s+(?:has |have |had )?(?:said|says|say|estimated|estimates|"
        r"assess(?:es)?|believe|believes|reported|told)\b",
        text,
    )
    if (
        verb
        and len(verb.group(1).split()) <= 8
        and "," not in verb.group(1)
        and verb.group(1).split()[-1].lower() not in _NOT_A_SUBJECT_END
    ):
        return _lower_article(verb.group(1).strip())
    if acc:
        return _lower_article(acc.group(1).strip())
    return None


def _lower_article(source: str) -> str:
    """ "The U.S." reads "per the U.S." inside a line."""
    first, _, rest = source.partition(" ")
    return f"{first.lower()} {rest}" if first in ("The", "A", "An", "One") and rest else source


def _timeline(sents: list[_Sent], article_date: str | None) -> tuple[BriefLine, ...]:
    """Sentences with a day or date, in time order where the article's date resolves them."""
    base = dt.date.fromisoformat(article_date) if article_date else None
    rows: list[tuple[tuple[int, int], BriefLine]] = []
    for s in sents:
        for m in s.mentions("DATE", "TIME"):
            label = s.span(m)
            if re.search(
                r"-year|years|-day|days|-month|months|-week|weeks", label
            ) or not re.search(r"\d{4}|day\b|month|week|year\b|tonight|morning", label, re.I):
                continue
            when = _resolve(label, base)
            line = _line(s)
            text = f"{when.isoformat() + ' ' if when else ''}{label}: {line.text}"
            order = (when.toordinal() if when else 10**7, s.index)
            rows.append((order, BriefLine(text, line.citations)))
            break
    return tuple(line for _, line in sorted(rows, key=lambda r: r[0]))


def _resolve(label: str, base: dt.date | None) -> dt.date | None:
    """Weekday names relative to the article's date (the nearest such day, within 3 days)."""
    low = label.lower()
    if base is None:
        return None
    for i, day in enumerate(_WEEKDAYS):
        if day in low:
            delta = (i - base.weekday() + 3) % 7 - 3
            return base + dt.timedelta(days=delta)
    return None


# ---- suggested questions ------------------------------------------------------------------


def _suggest(
    sents: list[_Sent], people: list[_Person], ask: Callable[[str], Answer]
) -> tuple[BriefLine, ...]:
    """Candidate questions from the article's facts, kept only when the answer pipeline
    answers them with a citation; at most one per passage, five in all."""
    candidates: list[str] = []
    for s in sents:  # "A key question is what X will get" -> "What will X get?"
        m = re.search(
            r"\bquestion (?:is|remains) ((?:what|whether|how|why|who|when)\b[^.;]+)",
            s.sentence.text,
        )
        if m:
            candidates.append(_as_question(m.group(1)))
    for p in people:
        if p.role:
            candidates.append(f"Who is {p.name}?")
    for s in sents:
        for figure in s.mentions("CARDINAL", "QUANTITY"):
            q = _how_many(s, figure)
            if q:
                candidates.append(q)
    for p in people[:3]:
        candidates.append(f"What did {p.name} say?")
    out: list[BriefLine] = []
    seen_passages: set[str] = set()
    for q in dict.fromkeys(candidates):
        answer = ask(q)
        if answer.abstained or not answer.citations:
            continue
        first = answer.citations[0].passage
        if first in seen_passages:
            continue
        seen_passages.add(first)
        out.append(BriefLine(q, answer.citations))
        if len(out) == 5:
            break
    return tuple(out)


def _as_question(clause: str) -> str:
    clause = clause.strip()
    m = re.match(
        r"(what|how|why|who|when) (.+?) "
        r"(will|would|can|could|may|might|has|have|is|are|was|were|did|does|do) (.+)",
        clause,
    )
    if m:  # "what North Korea will get" -> "What will North Korea get"
        clause = f"{m.group(1)} {m.group(3)} {m.group(2)} {m.group(4)}"
    return clause[:1].upper() + clause[1:].rstrip(" ,") + "?"


def _how_many(s: _Sent, m: tuple[int, int, str]) -> str | None:
    """ "about 10,000 North Korean troops now in Russia" -> "How many North Korean troops are
    now in Russia?" (only when the words after the figure read as a place or time)."""
    after = s.passage.text[m[1] : s.sentence.end]
    found = re.match(
        r"\s+((?:[A-Za-z][\w-]*\s+){0,3}?[a-z][\w-]*s)"
        r"\s+((?:now |currently )?(?:in|at|on|near) [^,.;()]+)",
        after,
    )
    if not found:
        return None
    return f"How many {found.group(1)} are {found.group(2).strip()}?"
