"""The briefing's timeline: only date expressions the article states, each once, as written
(a weekday stays "Wednesday": the calendar date it falls on is used for ordering only), in
time order; a match report's minute marks ("in the 14th minute") when it has them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from bot.brief.facts import ArticleSentence

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_LENGTH = re.compile(r"-year|years|-day|days|-month|months|-week|weeks")
_MINUTE = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)[- ]minute\b")
# "from 2.4bn euros in 2003", "compared with 2003's": a date given only as the comparison
_COMPARED = re.compile(
    r"\b(?:from|than|compared (?:with|to)|against|previous|prior)\b(?:\s+\S+){0,4}\s*$", re.I
)
_NO_DATE = 10**7
_PSEUDO = dt.date(2000, 7, 1)  # a stand-in article date, to order relative dates only


def dated_sentences(
    sents: list[ArticleSentence],
    article_date: str | None,
    shown: Callable[[ArticleSentence], list[ArticleSentence]] = lambda s: [s],
) -> list[tuple[str, ArticleSentence]]:
    """(date as written, its sentence) for each date the article states as an event (not a
    limit such as "since May" or "by 2006"), ordered by when it falls: once per date, and no
    sentence under two dates (nor shown again as the one another leans on). `shown` gives
    the sentences a line of a sentence would show: none when it cannot be used."""
    base = dt.date.fromisoformat(article_date) if article_date else _estimated_base(sents)
    found: dict[str, list[tuple[bool, tuple[int, int, int], str, ArticleSentence]]] = {}
    for s in sents:
        for label, compared, order in _dates_in(s, base) if shown(s) else ():
            found.setdefault(_key(label), []).append((compared, order, label, s))
    taken: set[int] = set()
    rows = []
    # a date that is an event (not a comparison) in a sentence, and one with fewer sentences
    # to choose from, chooses first, so that each sentence goes to the date it is about
    for key in sorted(found, key=lambda k: (min(found[k])[0], len(found[k]), min(found[k])[1])):
        for row in sorted(found[key], key=lambda r: (r[0], r[3].index)):
            lines = {x.index for x in shown(row[3])}
            if not lines & taken:
                taken |= lines
                rows.append(row)
                break
    rows.sort(key=lambda r: r[1])
    return [(label, s) for _, _, label, s in rows]


_FUTURE = re.compile(
    r"\b(?:will|expect\w*|forecasts?|due|plans?|hopes?|next|by|until|aims?)\b(?:\s+\S+){0,5}\s*$",
    re.I,
)


def _estimated_base(sents: list[ArticleSentence]) -> dt.date | None:
    """For ordering only, when the article gives no date: the 1st of January of the year after
    the latest year it writes of as past (else of the first year it writes of as ahead)."""
    past: list[int] = []
    ahead: list[int] = []
    for s in sents:
        text = s.sentence.text
        for m in re.finditer(r"\b(?:1[89]\d\d|20\d\d)\b", text):
            (ahead if _FUTURE.search(text[: m.start()]) else past).append(int(m.group(0)))
    year = max(past) + 1 if past else min(ahead) if ahead else None
    return dt.date(year, 1, 1) if year else None


def _dates_in(
    s: ArticleSentence, base: dt.date | None
) -> list[tuple[str, bool, tuple[int, int, int]]]:
    text = s.passage.text
    out = []
    for a, b in (part for m in s.mentions("DATE", "TIME") for part in _parts(text, m)):
        label = re.sub(r"(?i)^the\s+year\s+", "", text[a:b]).strip()
        possessive = re.search(r"\s*['’]s$", label)  # "next week's": the date is "next week"
        label = label[: possessive.start()] if possessive else label
        if _LENGTH.search(label) or not _A_DATE.search(label) or _in_a_name(s, (a, b)):
            continue  # a length of time, a frequency ("every week"), no date, "Sheffield Wednesday"
        if _LIMIT.search(text[s.sentence.start : a]):
            continue  # "since May", "until 2006", "by 2006", "than in 2003": not its event
        compared = bool(
            possessive
            or _COMPARED.search(text[s.sentence.start : a])
            or re.match(r"['’]s\b", text[b : b + 2])
        )
        out.append((label, compared, _order(label, base, s.index)))
    if re.search(r"\b[a-z]{3,}\b.*\b[a-z]{3,}\b", s.sentence.text):  # running text
        for mark in _MINUTE.finditer(s.sentence.text):
            minute = int(mark.group(1))
            if minute <= 130:  # "in the 14th minute": a match's own clock
                out.append((mark.group(0), False, (_NO_DATE - 1, minute, s.index)))
    return out


# a date that bounds or compares rather than dates an event: "since May", "until 2006",
# "by 2006", "than in 2003", "before Christmas"
_LIMIT = re.compile(
    r"\b(?:since|until|till|by|before|than(?:(?:\s+[\w'’]+){0,3}?\s+(?:in|at|on|during))?)\s+"
    r"(?:the\s+)?"
    r"(?:(?:end|start|middle|beginning)\s+of\s+(?:the\s+)?)?$",
    re.I,
)
# "May last month" (from "since May last month"): two dates, a month and a recent span
_TWO = re.compile(
    r"(?i)^(.*?\S)\s+((?:last|next|this)\s+(?:week|month)|(?:yesterday|today|tomorrow))$"
)


def _parts(text: str, m: tuple[int, int, str]) -> list[tuple[int, int]]:
    """The date expressions in one entity: itself, or "May" and "last month" when a date
    is followed by a span that cannot be part of it."""
    found = _TWO.match(text[m[0] : m[1]])
    if not found or not _A_DATE.search(found.group(1)):
        return [(m[0], m[1])]
    return [(m[0], m[0] + found.end(1)), (m[0] + found.start(2), m[1])]


def _order(label: str, base: dt.date | None, index: int) -> tuple[int, int, int]:
    """A date's place in time (never shown): its day when it can be placed, else after the
    placed ones, "last year" before "last week"."""
    when = _resolve(label, base) or _about(label, base)
    if when:
        return (when.toordinal(), 0, index)
    rel = _about(label, _PSEUDO) or _resolve(label, _PSEUDO)
    days = (rel - _PSEUDO).days if rel else 10**4
    return (_NO_DATE, days, index)


def _key(label: str) -> str:
    return " ".join(label.lower().split())


_DATE_LEAD = frozenset("on last next this by until from since each every early late".split())


def _in_a_name(s: ArticleSentence, m: tuple[int, int]) -> bool:
    """A date word that is part of a longer proper noun: a capitalised word just before it
    (other than "On", "Last", ...) or just after it."""
    text = s.passage.text
    before = re.search(r"([A-Z][\w'’]*)\s+$", text[s.sentence.start : m[0]])
    if before and before.group(1).lower() not in _DATE_LEAD and before.start() > 0:
        # "since May last month": a date before it, not a name
        return not _A_DATE.fullmatch(before.group(1))
    return bool(re.match(r"\s+[A-Z][a-z]", text[m[1] : m[1] + 3])) and not re.match(
        r"\s+(?:January|February|March|April|May|June|July|August|September|October|"
        r"November|December|\d)",
        text[m[1] : m[1] + 12],
    )


_MONTHS = "january february march april may june july august september october november december"
# a date expression: a year, a month, a weekday, a named day, or last/next/this week/month/year
# (not "every week", "a full year", "that year": a frequency, a length, a reference)
_A_DATE = re.compile(
    r"\b(?:1[89]\d\d|20\d\d)\b|\b(?:"
    + "|".join(_MONTHS.split())
    + "|"
    + "|".join(_WEEKDAYS)
    + r")\b|\b(?:yesterday|today|tomorrow|tonight)\b|\b(?:last|next|this|earlier\s+this|"
    r"later\s+this|early|late)\s+(?:week|month|year|spring|summer|autumn|winter)\b",
    re.IGNORECASE,
)
_SHIFT = {"last": -1, "next": 1, "this": 0, "earlier this": 0, "later this": 0}


def _about(label: str, base: dt.date | None) -> dt.date | None:
    """Roughly when a date expression falls, for ordering only (never shown): a year, a
    month (of the year given or the article's), or last/next week/month/year from the
    article's date."""
    low = label.lower()
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", low)
    month = next((i + 1 for i, m in enumerate(_MONTHS.split()) if m in low), None)
    if year or (month and base):
        y = int(year.group(1)) if year else base.year if base else 2000
        if not year:  # "October last year", "last July": the one before the article
            y += _SHIFT.get(_year_shift(low), 0)
        when = dt.date(y, month or 7, 15 if month else 1)
        if not year and base and low.startswith("last") and when > base:
            when = when.replace(year=y - 1)
        return when
    rel = re.search(r"\b(last|next|this|earlier this|later this)\s+(week|month|year)\b", low)
    if rel and base:
        if rel.group(1) == "earlier this" and rel.group(2) == "month":
            return base.replace(day=max(1, base.day // 2))  # between the 1st and the article
        step = _SHIFT[rel.group(1)]
        days = {"week": 7, "month": 30, "year": 365}[rel.group(2)] * step
        if re.search(r"\bend of\b", low):  # "the end of last year"
            days += {"week": 5, "month": 25, "year": 330}[rel.group(2)]
        return base + dt.timedelta(days=days)
    if base and re.search(r"\byesterday\b", low):
        return base - dt.timedelta(days=1)
    if base and re.search(r"\b(?:today|tonight)\b", low):
        return base
    return None


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


def _year_shift(low: str) -> str:
    m = re.search(r"\b(last|next|this)\s+year\b", low)
    return m.group(1) if m else ""
