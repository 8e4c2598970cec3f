"""The briefing's numbers: each figure with its unit, the clause that says what it measures,
and who says so."""

from __future__ import annotations

import re

from bot.brief.facts import ArticleSentence, figure_in
from bot.qa.citations import Citation, cite

_NOT_A_SUBJECT_END = {"to", "yet", "not", "will", "would", "could", "may", "might", "did", "do"}


def prose(text: str) -> bool:
    """Running text, not a line-up or a list of names."""
    words = re.findall(r"[A-Za-z]+", text)
    return sum(w.islower() for w in words) >= 0.4 * len(words)


def figures(sents: list[ArticleSentence]) -> list[tuple[str, Citation]]:
    """Each figure once, with the clause that says what it measures, whose figure it is when
    the clause says only "its", and who says so."""
    out = []
    for s in sents:
        text = s.passage.text
        if not prose(s.sentence.text):
            continue  # a line-up's substitution minutes are not figures to brief
        seen: set[str] = set()
        for m in s.mentions("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
            at = figure_in(text, m[0], m[1])
            if at is None or _inside_parentheses(text, m) or text[at[1] : at[1] + 1] == "-":
                continue  # "1-1": a score, not a figure
            if _CHART.search(text[s.sentence.start : min(m[0], at[0])]):
                continue  # "the UK top 75": a chart's name, not a figure
            if re.search(r"\d[\w%]*\s\($", text[s.sentence.start : min(m[0], at[0])]):
                continue  # "785m euros ($1bn)": the same figure in another currency
            figure = _with_unit(text, min(m[0], at[0]), at[1])  # "about 10,000", "£3.2bn"
            if figure in seen:
                continue
            seen.add(figure)
            a, b = _clause(s, (min(m[0], at[0]), max(m[1], at[1]), m[2]))
            source = _source(s, m)
            if source and re.search(r"\d", source):
                source = None  # "(per Only 42% of them)": the figure is not its own source
            per = f" (per {source})" if source else ""
            owner = _owner(sents, s, text[a:b])
            whose = f" ({owner})" if owner else ""
            c = cite(s.passage, a, b)
            out.append((f"{figure}{whose}: {c.quote}{per}", c))
    return out


_CHART = re.compile(r"\b(?:top|Top|No\.?|number)\s*$")
_ITS = re.compile(r"^(?:[A-Z][\w ]{0,30},\s+)?(?:its|their)\s", re.I)


def _owner(sents: list[ArticleSentence], s: ArticleSentence, clause: str) -> str | None:
    """Whose figure a clause that says "its operating profits" gives: the first organisation
    or person named in its sentence, else in the sentence before."""
    if not _ITS.search(clause):
        return None
    for x in (s, sents[s.index - 1] if s.index else None):
        if x is None:
            continue
        for m in sorted(x.mentions("ORG", "PERSON", "GPE")):
            name = re.sub(r"['’]s?$", "", x.span(m)).strip()
            if name and name not in clause:
                return name
    return None


_NOT_A_UNIT = frozenset(
    "of and or to in on at for from the a an per by with as than who that which is are was "
    "were has have had will would said says".split()
)


_CURRENCIES = frozenset("euro euros dollars pounds pence yen yuan roubles rupees".split())
_UNITS = frozenset(
    "day week month year minute hour second mile kilometre kilometer metre meter point goal "
    "person game match seat vote".split()
)


def _with_unit(text: str, a: int, b: int) -> str:
    """The figure with the word after it when that names what is counted ("36 days",
    "1,000 containers"); a figure with a currency, scale or % sign is whole already."""
    figure = text[a:b]
    nxt = re.match(r"\s([a-z][a-z-]+)", text[b : b + 30])
    if nxt and nxt.group(1) in _CURRENCIES:
        return f"{figure} {nxt.group(1)}"  # "2.9bn euros"
    if re.search(r"[£$€%]|m$|bn$|million|billion|per ?cent", figure) or not nxt:
        return figure
    word = nxt.group(1)
    if word not in _NOT_A_UNIT and (word.endswith("s") or word in _UNITS):
        return f"{figure} {word}"
    return figure


def _inside_parentheses(text: str, m: tuple[int, int, str]) -> bool:
    return text[max(m[0] - 1, 0) : m[0]] == "(" and text[m[1] : m[1] + 1] == ")"


def _clause(s: ArticleSentence, m: tuple[int, int, str]) -> tuple[int, int]:
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


def _source(s: ArticleSentence, m: tuple[int, int, str]) -> str | None:
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
