"""Choosing a quiz's items from each type's pool of candidates: a mixed quiz, one item per
passage until every passage has one, never a sentence or a fact twice, true/false keys kept
near half and half."""

from __future__ import annotations

import re

from bot.brief.facts import name_key
from bot.quiz.distractors import same_name
from bot.quiz.model import QuizItem


class Picker:
    """Items taken in turn from each type's pool: one per passage until every passage has
    one, never a sentence or a fact twice, true/false keys kept near half and half."""

    def __init__(self, n: int, people: frozenset[str] = frozenset()) -> None:
        self.n = n
        self.people = people  # the words of the article's people's names (not giveaways)
        self.chosen: list[QuizItem] = []
        self.spans: list[tuple[str, int, int]] = []
        self.keys: list[str] = []  # the keys of the items other than true/false
        self.per_passage: dict[str, int] = {}
        self.held_back = False  # true/false items left out to keep the keys near even
        self.spare: list[QuizItem] = []  # set aside only for offering options used twice

    def clashes(self, item: QuizItem) -> bool:
        spans = [(c.label, c.start, c.end) for c in item.citations]
        if any(p == q and a < y and x < b for p, a, b in spans for q, x, y in self.spans):
            return True  # a sentence already asked about
        if self._gives_away(item) or self._same_options(item):
            return True
        if item.type == "tf":
            return False
        key = name_key(item.answer_text)  # one fact, one item: "Graham" after "Danny Graham"
        words = not re.search(r"\d", key)  # a figure repeats only as itself
        return any(key == k or (words and k and same_name(key, k)) for k in self.keys)

    def _same_options(self, item: QuizItem) -> bool:
        """Four options that another "which name" or "who is" item already offered (three
        of them or all): the quiz answers itself by elimination."""
        if item.type != "mcq" or not item.options:
            return False  # "who said" offers the quoted speakers, whoever else is asked
        return any(_overlap(item, c) for c in self.chosen if c.type == "mcq")

    def _reuses_options(self, item: QuizItem) -> bool:
        """Its options (three of them or all) are those of two items already chosen, or of
        one that already shares them with another: "the same four players offered for four
        items". Any type with options counts, "who said" too; such an item is taken only
        when no other is left (`fill_spare`)."""
        if item.type == "tf" or not item.options:
            return False
        offered = [c for c in self.chosen if c.type != "tf" and c.options]
        near = [c for c in offered if _overlap(item, c)]
        if len(near) >= 2:
            return True
        return any(_overlap(c, d) for c in near for d in offered if d is not c)

    def fill_spare(self) -> None:
        """The items set aside for their reused options, when the quiz is still short."""
        for item in self.spare:
            if len(self.chosen) >= self.n:
                return
            if all(item is not c for c in self.chosen) and not self.clashes(item):
                self.take(item)

    def _telling(self, key: str) -> bool:
        """A key another item's wording would give away: a figure, a place, an organisation;
        not a person of the article, whose name is in many items without telling an answer."""
        words = set(name_key(key).split())
        return bool(words) and not words <= self.people

    def _gives_away(self, item: QuizItem) -> bool:
        """One item shows another's key ("11,000" in a statement, the figure asked next)."""
        key = item.answer_text
        mine = item.type != "tf" and self._telling(key)
        if mine and any(_names(c.question, key) for c in self.chosen):
            return True  # its key is in an item already chosen
        return any(  # an item already chosen has its key in this one
            _names(item.question, c.answer_text)
            for c in self.chosen
            if c.type != "tf" and self._telling(c.answer_text)
        )

    def take(self, item: QuizItem) -> None:
        self.chosen.append(item)
        self.spans += [(c.label, c.start, c.end) for c in item.citations]
        if item.type != "tf":
            self.keys.append(name_key(item.answer_text))
        self.per_passage[item.passage] = self.per_passage.get(item.passage, 0) + 1

    def _tf_wanted(self) -> str:
        tf = [i.answer_text for i in self.chosen if i.type == "tf"]
        trues, falses = tf.count("True"), tf.count("False")
        return "False" if trues >= falses else "True"  # false ones are scarcer: first

    def _tf_gap(self) -> int:
        tf = [i.answer_text for i in self.chosen if i.type == "tf"]
        return abs(tf.count("True") - tf.count("False"))

    def fill(self, kinds: list[str], pools: dict[str, list[QuizItem]]) -> None:
        cap = 1
        while len(self.chosen) < self.n and any(pools.values()) and cap <= 10:
            progressed = False
            for t in kinds:  # round robin over types: a mixed quiz
                pool = pools.get(t, [])
                pool[:] = [item for item in pool if not self.clashes(item)]
                self.spare += [item for item in pool if self._reuses_options(item)]
                pool[:] = [item for item in pool if not self._reuses_options(item)]
                wanted = self._tf_wanted() if t == "tf" else None
                others = t == "tf" and any(pools.get(k) for k in kinds if k != "tf")
                order = sorted(pool, key=lambda i: i.answer_text != wanted)
                if t == "tf" and self._tf_gap() >= (1 if others else 2):
                    order = [i for i in pool if i.answer_text == wanted]  # only the scarcer key:
                    self.held_back |= not order  # other types, or a shorter quiz, rather
                    # than "True" after "True" (guessable)
                for item in order:
                    if self.per_passage.get(item.passage, 0) < cap:
                        pool.remove(item)
                        self.take(item)
                        progressed = True
                        break
                if len(self.chosen) == self.n:
                    return
            if not progressed:  # every passage used: allow one more item per passage
                cap += 1


def _overlap(a: QuizItem, b: QuizItem) -> bool:
    """Three options or more in common."""
    return len(set(a.options or ()) & set(b.options or ())) >= 3


def _names(text: str, key: str) -> bool:
    return bool(re.search(rf"(?<![\w£$€]){re.escape(key)}(?![\w%])", text, re.IGNORECASE))
