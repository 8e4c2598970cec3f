"""The briefing's timeline: only date expressions the article states, each once, as written
(a weekday stays "Wednesday": the calendar date it falls on is used for ordering only), in
time order; a match report's minute marks ("in the 14th minute") when it has them."""

from __future__ import annotations

import datetime as dt
import re

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
    sents: list[ArticleSentence], article_date: str | None
) -> list[tuple[str, ArticleSentence]]:
    """(date as written, its sentence) for each date the article states, once per date (the
    sentence where it is not just a comparison base), ordered by when it falls."""
    base = dt.date.fromisoformat(article_date) if article_date else None
    best: dict[str, tuple[bool, tuple[int, int, int], str, ArticleSentence]] = {}
    for s in sents:
        for label, compared, order in _dates_in(s, base):
            key = _key(label)
            if key not in best or (best[key][0] and not compared):
                best[key] = (compared, order, label, s)
    rows = sorted(best.values(), key=lambda r: r[1])
    return [(label, s) for _, _, label, s in rows]


def _dates_in(
    s: ArticleSentence, base: dt.date | None
) -> list[tuple[str, bool, tuple[int, int, int]]]:
    text = s.passage.text
    out = []
    for m in s.mentions("DATE", "TIME"):
        label = re.sub(r"(?i)^the\s+year\s+", "", s.span(m)).strip()
        if _LENGTH.search(label) or not _A_DATE.search(label) or _in_a_name(s, m):
            continue  # a length of time, a frequency ("every week"), no date, "Sheffield Wednesday"
        compared = bool(
            _COMPARED.search(text[s.sentence.start : m[0]])
            or re.match(r"['’]s\b", text[m[1] : m[1] + 2])
        )
        when = _resolve(label, base) or _about(label, base)
        if when:
            order = (when.toordinal(), 0, s.index)
        else:  # no article date: "last year" before "last week", after the years
            rel = _about(label, _PSEUDO) or _resolve(label, _PSEUDO)
            days = (rel - _PSEUDO).days if rel else 10**4
            if re.match(r"(?i)last\s+[a-z]", label) and rel and days > 0:
                days -= 365  # "Last July": the July before the article
            order = (_NO_DATE, days, s.index)
        out.append((label, compared, order))
    if re.search(r"\b[a-z]{3,}\b.*\b[a-z]{3,}\b", s.sentence.text):  # running text
        for mark in _MINUTE.finditer(s.sentence.text):
            minute = int(mark.group(1))
            if minute <= 130:  # "in the 14th minute": a match's own clock
                out.append((mark.group(0), False, (_NO_DATE - 1, minute, s.index)))
    return out


def _key(label: str) -> str:
    return " ".join(label.lower().split())


_DATE_LEAD = frozenset("on last next this by until from since each every early late".split())


def _in_a_name(s: ArticleSentence, m: tuple[int, int, str]) -> bool:
    """A date word that is part of a longer proper noun: a capitalised word just before it
    (other than "On", "Last", ...) or just after it."""
    text = s.passage.text
    before = re.search(r"([A-Z][\w'’]*)\s+$", text[s.sentence.start : m[0]])
    if before and before.group(1).lower() not in _DATE_LEAD and before.start() > 0:
        return True
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
        return dt.date(y, month or 7, 15 if month else 1)
    rel = re.search(r"\b(last|next|this|earlier this|later this)\s+(week|month|year)\b", low)
    if rel and base:
        if rel.group(1) == "earlier this" and rel.group(2) == "month":
            return base.replace(day=max(1, base.day // 2))  # between the 1st and the article
        step = _SHIFT[rel.group(1)]
        days = {"week": 7, "month": 30, "year": 365}[rel.group(2)] * step
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
