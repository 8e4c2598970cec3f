"""Questions the article cannot answer, whatever the reader makes of them.

A question that names something (a capitalised word after the first, or a number) the article
never mentions asks about something else: "Who won the 2022 World Cup?" of a story with no
2022 and no World Cup, "What did Chinna say?" of one with no Chinna. The reader, trained to
find the best span, can still find one that looks like an answer; this check needs no
weights and declines such questions before the reader is asked.

A name counts as mentioned when the article has its term (`bot.qa.lexical.terms`: stems, "U.S."
as "us", "Korean" as "korea"), a term one typo away (the question's spelling is corrected
first, see `ArticleIndex.spelled`), a term that starts with it or that it starts with
("Ukrain-e/-ian"), one sharing all but its last letter ("Canad-a/-ian"), or, for a small
number, the number's word ("4" and "four").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from bot.qa.lexical import named_terms

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
MIN_PREFIX = 4  # shortest shared beginning that counts as the same name
# Titles before a name are the asker's style, not the article's ("Mr Blair" of a story that
# only says "Tony Blair")
_TITLES = frozenset("mr mrs ms miss dr prof sir dame lord lady st".split())

# Unfilled template slots: "{question}", "{{article}}", "${name}", "%s", "%(name)s", "<QUESTION>"
_SLOT = re.compile(r"\{\{[^{}]*\}\}|\{[^{}]*\}|\$\{[^{}]*\}|%\([^)]*\)[sdifr]|%[sdifr]|<[A-Z_]+>")


def unfilled_template(question: str) -> bool:
    """True when the question is nothing but template slots (a caller forgot to fill them):
    there is nothing to ask the article."""
    rest = _SLOT.sub(" ", question)
    return bool(_SLOT.search(question)) and not re.search(r"\w", rest)


def unknown_names(
    question: str, vocabulary: Collection[str], respelled: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """The terms of the names and numbers in `question` that the article (its `vocabulary`
    of terms) never mentions; `respelled` maps a misspelt question term to the article's."""
    respelled = respelled or {}
    missing = []
    for term in sorted(named_terms(question) - _TITLES):
        term = respelled.get(term, term)
        if not _mentioned(term, vocabulary):
            missing.append(term)
    return tuple(missing)


def _mentioned(term: str, vocabulary: Collection[str]) -> bool:
    if term in vocabulary:
        return True
    if term.isdigit() and int(term) < len(_NUMBER_WORDS):
        return _NUMBER_WORDS[int(term)] in vocabulary
    if len(term) < MIN_PREFIX or term.isdigit():
        return False
    return any(_same_name(term, v) for v in vocabulary)


def _same_name(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    if len(short) < MIN_PREFIX or short.isdigit():
        return False
    if long_.startswith(short):
        return True
    shared = len(short) - 1  # all but the last letter: "canada" / "canadian"
    return shared >= MIN_PREFIX + 1 and long_.startswith(short[:shared])
