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

    def __init__(self, n: int) -> None:
        self.n = n
        self.chosen: list[QuizItem] = []
        self.spans: list[tuple[str, int, int]] = []
        self.keys: list[str] = []  # the keys of the items other than true/false
        self.per_passage: dict[str, int] = {}

    def clashes(self, item: QuizItem) -> bool:
        spans = [(c.label, c.start, c.end) for c in item.citations]
        if any(p == q and a < y and x < b for p, a, b in spans for q, x, y in self.spans):
            return True  # a sentence already asked about
        if item.type == "tf":
            return False
        key = name_key(item.answer_text)  # one fact, one item: "Graham" after "Danny Graham"
        words = not re.search(r"\d", key)  # a figure repeats only as itself
        return any(key == k or (words and k and same_name(key, k)) for k in self.keys)

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
                wanted = self._tf_wanted() if t == "tf" else None
                others = t == "tf" and any(pools.get(k) for k in kinds if k != "tf")
                if others and self._tf_gap() >= 1 and all(i.answer_text != wanted for i in pool):
                    continue  # no more of the scarcer key: other types rather than imbalance
                order = sorted(pool, key=lambda i: i.answer_text != wanted)
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
