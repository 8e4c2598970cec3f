""" "Who is X?" answered with the role the article gives X, from the people resolver
(`index/people.py`): "Who is Lloyd Austin?" -> "Defense Secretary", citing the sentence."""

from __future__ import annotations

from collections.abc import Sequence

from bot.qa.answer import Answer, answer_window
from bot.qa.citations import cite
from bot.qa.intent import who_target
from bot.qa.retrieve import SentenceHit
from index.people import Person, who_is
from index.store import StoredArticle


def who_answer(question: str, stored: StoredArticle, people: Sequence[Person]) -> Answer | None:
    """The role of the person the question names, cited; None when the question is not a
    "who is NAME" question, or the article gives that person no role."""
    target = who_target(question)
    person = who_is(people, target) if target else None
    if person is None or person.role_span is None:
        return None
    a, b = person.role_span
    passage = next((p for p in stored.passages if p.start <= a < p.end), None)
    if passage is None or b > passage.end:
        return None
    ra, rb = a - passage.start, b - passage.start
    order = next((i for i, s in enumerate(passage.sentences) if s.start <= ra < s.end), None)
    if order is None:
        return None
    hit = SentenceHit(passage, order, passage.sentences[order], 0.0, 0.0, 0.0, 0.0)
    start, end = answer_window(hit, (ra, rb), set())
    main = cite(passage, min(start, ra), max(end, rb))
    short = passage.text[ra:rb]
    return Answer(question, main.quote, short, False, (main,), 1.0, {"who": 1.0})
