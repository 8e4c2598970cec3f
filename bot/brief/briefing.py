"""A cited briefing of one article, built from its own sentences (no language model).

Every line is article text, trimmed by rule at most, and carries citations whose quotes are
verified verbatim. Sections: bottom line, key facts, numbers (with what they measure and who
says so), who's who (people with the role the article gives them, one entry per person),
key quotes with their speaker, open questions, timeline, and suggested questions that the
answer pipeline can answer with a citation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.brief.context import holds_quotation, stands_alone, unattributed, with_context
from bot.brief.facts import (
    ArticleSentence,
    Person,
    article_sentences,
    find_people,
    name_end,
)
from bot.brief.numbers import figures
from bot.brief.questions import suggest
from bot.brief.quotes import attribute
from bot.brief.timeline import dated_sentences
from bot.qa.answer import Answer
from bot.qa.citations import Citation, cite
from bot.qa.lexical import terms
from bot.record import Record, plain
from index.ingest import dateline_end
from index.people_words import ROLE_NOUNS
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

_UNCERTAIN = re.compile(
    r"\b(?:unclear|unknown|not known|yet to|no details|did not provide|didn't provide|"
    r"not confirmed|unconfirmed|could not be (?:confirmed|verified)|without specifying|"
    r"did not say|declined to|remains to be seen|question is|whether|not authorized|"
    r"undecided|to be (?:examined|investigated|reviewed|decided)|refused to)\b",
    re.I,
)
# "The official did not provide any additional detail": a reporting formula, not a question
_BOILERPLATE = re.compile(
    r"\b(?:did not|didn't|would not|declined to) (?:provide|give|offer) (?:any )?"
    r"(?:further|additional|more|other) (?:details?|information)|could not be reached|"
    r"declined to comment|did not (?:immediately )?respond|was not available for comment",
    re.I,
)
_SIGNIFICANCE = re.compile(
    r"\b(?:concerns?|worr\w*|alarm\w*|threat\w*|danger\w*|risk\w*|could|potential|expand|"
    r"broaden|escalat\w*|significan\w*|implications?|because)\b",
    re.I,
)


@dataclass(frozen=True)
class BriefLine(Record):
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Brief:
    article: str
    title: str | None
    sections: dict[str, tuple[BriefLine, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Every section as a key of its own, in order, empty ones included."""
        sections = {name: plain(self.sections.get(name, ())) for name in SECTIONS}
        return {"article": self.article, "title": self.title, **sections}

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


def build_brief(stored: StoredArticle, ask: Callable[[str], Answer] | None = None) -> Brief:
    sents = article_sentences(stored)
    if not sents:
        return Brief(stored.name, stored.article.title)
    scores = _salience(sents)
    people = find_people(sents)
    bottom = _bottom_line(sents, scores, stored.article.title)
    attributed = attribute(sents, people)
    quoted = {
        who: cite(s.passage, *span) for s, span, who in reversed(attributed) if who is not None
    }
    used = {id(s) for s in bottom}
    sections = {
        "bottom_line": tuple(_line(s) for s in bottom),
        "key_facts": tuple(_key_facts(sents, scores, used)),
        "numbers": _numbers(sents),
        "whos_who": tuple(_whos_who(people, quoted)),
        "key_quotes": _quotes(attributed),
        "open_questions": tuple(
            _line(s)
            for s in sents
            if _UNCERTAIN.search(s.sentence.text) and not _BOILERPLATE.search(s.sentence.text)
        )[:5],
        "timeline": _timeline(sents, stored.article.date),
        "suggested_questions": _suggest(sents, people, attributed, ask) if ask else (),
    }
    return Brief(stored.name, stored.article.title, sections)


# ---- ranking ------------------------------------------------------------------------------


def _salience(sents: list[ArticleSentence]) -> list[float]:
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


def _bottom_line(
    sents: list[ArticleSentence], scores: list[float], title: str | None
) -> list[ArticleSentence]:
    """The news event (the sentence that best covers the headline and the lead, with a
    figure or a date when it has one) and the best sentence on why it matters: the article's
    own statements, never someone's quoted words."""

    def usable(s: ArticleSentence) -> bool:
        return stands_alone(s) and not holds_quotation(s)

    first = next((s for s in sents if usable(s)), sents[0])
    target = set(terms(title or "")) | set(terms(first.sentence.text))
    early = [s for s in sents if s.passage.paragraph <= sents[0].passage.paragraph + 2]
    candidates = [s for s in early if usable(s)] or [first]

    def coverage(s: ArticleSentence) -> float:
        words = set(terms(s.sentence.text))
        facts = bool(s.mentions("CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE"))
        claim = bool(re.search(r"\b(?:should|must|would|could|will)\b", s.sentence.text))
        return len(words & target) / (len(target) or 1) + 0.15 * facts - 0.1 * claim

    lead = max(candidates, key=lambda s: (coverage(s), -s.index))
    why = [
        (scores[i], s)
        for i, s in enumerate(sents)
        if s.passage.id != lead.passage.id and _SIGNIFICANCE.search(s.sentence.text) and usable(s)
    ]
    if not why:  # no sentence says why it matters: the most central one from elsewhere
        why = [
            (scores[i], s)
            for i, s in enumerate(sents)
            if s.passage.id != lead.passage.id and usable(s)
        ]
    picked = [lead]
    if why:
        picked.append(max(why, key=lambda x: x[0])[1])
    return sorted(picked, key=lambda s: s.index)


def _key_facts(
    sents: list[ArticleSentence], scores: list[float], used: set[int]
) -> list[BriefLine]:
    """Up to 8 salient, mutually non-redundant sentences (maximal marginal relevance), taken
    in turn from the beginning, the middle and the end of the story so that they cover all
    of it, never two from one passage while another part still has one to give. A sentence
    that leans on the one before it comes with that one; quoted words only with the speaker
    the sentence names."""
    thirds: list[list[tuple[float, ArticleSentence]]] = [[], [], []]
    context = {
        id(s): c
        for s in sents
        if (c := with_context(sents, s)) and id(c) not in used and not unattributed(c)
    }
    eligible = [
        (scores[i], s)
        for i, s in enumerate(sents)
        if (stands_alone(s) or id(s) in context) and not unattributed(s)
    ]
    for rank, (score, s) in enumerate(eligible):  # thirds of the story's running text
        if id(s) not in used:
            thirds[min(3 * rank // len(eligible), 2)].append((score, s))
    chosen: list[ArticleSentence] = []
    chosen_terms: list[set[str]] = []
    passages: set[str] = set()

    def value(x: tuple[float, ArticleSentence]) -> float:
        redundancy = max(
            (_overlap(set(terms(x[1].sentence.text)), t) for t in chosen_terms), default=0
        )
        return x[0] - 0.6 * redundancy - 0.3 * (x[1].passage.id in passages)

    while any(thirds) and len(chosen) < 8:
        for part in thirds:
            if not part or len(chosen) == 8:
                continue
            best = max(part, key=value)
            part.remove(best)
            chosen.append(best[1])
            chosen_terms.append(set(terms(best[1].sentence.text)))
            passages.add(best[1].passage.id)
    chosen.sort(key=lambda s: s.index)
    joined = {id(context[id(s)]) for s in chosen if id(s) in context}
    return [
        _line(s, context.get(id(s))) for s in chosen if id(s) not in joined
    ]  # a sentence shown with the next one is not shown again


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / (len(a | b) or 1)


def _line(s: ArticleSentence, before: ArticleSentence | None = None) -> BriefLine:
    """A sentence as a briefing line (with the one before it when given, in one passage): the
    dateline trimmed, the rest verbatim."""
    first = before or s
    text = first.sentence.text
    start = first.sentence.start + dateline_end(text)
    c = s.cite(start, s.sentence.end)
    return BriefLine(c.quote, (c,))


# ---- people -------------------------------------------------------------------------------


def _whos_who(people: list[Person], quoted: dict[str, Citation]) -> list[BriefLine]:
    """One line per person the article gives a role or quotes, most named first, citing the
    role with the name beside it (a title before the name, or an apposition after it), or the
    quotation of one with no role when that one is the story's most named person."""
    out = []
    most = max((p.count for p in people), default=0)
    for p in sorted(people, key=lambda p: (-p.count, p.first.index)):
        aka = f" (aka {', '.join(p.aka)})" if p.aka else ""
        if not (p.role and p.role_span):
            if p.name in quoted and p.count == most:  # central, quoted, with no role given
                out.append(BriefLine(f"{p.name}{aka}: quoted", (quoted[p.name],)))
            continue
        a, b = p.role_span
        text = p.first.passage.text
        s0 = p.first.sentence.start
        # the name nearest before the role in its sentence ("... of Diana, princess of Wales");
        # else in the sentence before ("Michael Howard has ... The Tory leader said")
        at = _nearest_name(text, p.aliases, s0, a)
        if at is None:
            at = _nearest_name(text, p.aliases, max(0, s0 - 300), s0)
            at = at if at is not None and "." in text[at:s0] else None
        # after the name: an apposition ("X, the ...") or "X is a/the ...", or a sentence before
        after_name = at is not None and (at < s0 or _role_after_name(text[at:a]))
        start = at if at is not None and after_name else a
        c = cite(p.first.passage, start, max(b, name_end(p, b)))
        out.append(BriefLine(f"{p.name}{aka}: {_one_of(p.role)}", (c,)))
    return out


def _nearest_name(text: str, names: set[str], lo: int, hi: int) -> int | None:
    """Start of the last mention of any of `names` in text[lo:hi], its longest form ("Bryn
    Halliwell" rather than "Halliwell" in "Bryn Halliwell was ...")."""
    found = [(i + len(n), -i) for n in names if (i := text.rfind(n, lo, hi)) >= 0]
    return -max(found)[1] if found else None


_COPULA = re.compile(r"\s+(?:is|was)\s+(?:an?|the)\s+(?:\w+\s+)?$")


def _role_after_name(between: str) -> bool:
    return "," in between or bool(_COPULA.search(between))


def _one_of(role: str) -> str:
    """A role given to a list of people, said of one ("photographers" -> "photographer")."""
    words = role.split()
    last = words[-1]
    if not last.endswith("s") or last.endswith("ss"):  # "boss", "Princess": not plurals
        return role
    for singular in (last[:-1], last[:-2] if last.endswith("es") else "", last[:-3] + "y"):
        # "Princes William and Harry": "Prince"; "ex-managers": "ex-manager"
        if singular.lower().split("-")[-1] in ROLE_NOUNS:
            return " ".join([*words[:-1], singular])
    return role


def _quotes(
    attributed: list[tuple[ArticleSentence, tuple[int, int], str | None]],
) -> tuple[BriefLine, ...]:
    """Direct quotations with their speaker; one the text gives no speaker for is left out."""
    out = []
    for s, (a, b), speaker in attributed:
        if speaker:
            c = cite(s.passage, a, b)
            out.append(BriefLine(f"{c.quote} ({speaker})", (c,)))
    return tuple(out[:6])


def _numbers(sents: list[ArticleSentence]) -> tuple[BriefLine, ...]:
    return tuple(BriefLine(text, (c,)) for text, c in figures(sents))


def _timeline(sents: list[ArticleSentence], article_date: str | None) -> tuple[BriefLine, ...]:
    """Each date the article states, once, as written, with its sentence (shown with the one
    before it when it leans on it; never one that leans on a sentence it cannot show), in
    time order."""

    def shown(s: ArticleSentence) -> list[ArticleSentence]:
        before = None if stands_alone(s) else with_context(sents, s)
        return [s] if stands_alone(s) else [before, s] if before else []

    out = []
    for label, s in dated_sentences(sents, article_date, shown):
        line = _line(s, None if stands_alone(s) else with_context(sents, s))
        out.append(BriefLine(f"{label}: {line.text}", line.citations))
    return tuple(out)


# ---- suggested questions ------------------------------------------------------------------


def _suggest(
    sents: list[ArticleSentence],
    people: list[Person],
    attributed: list[tuple[ArticleSentence, tuple[int, int], str | None]],
    ask: Callable[[str], Answer],
) -> tuple[BriefLine, ...]:
    passages: dict[str, set[str]] = {}  # who -> the passages that quote them
    for s, _, who in attributed:
        if who is not None:
            passages.setdefault(who, set()).add(s.passage.id)
    return tuple(BriefLine(q, cites) for q, cites in suggest(sents, people, passages, ask))
