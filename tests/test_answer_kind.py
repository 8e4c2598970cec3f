"""The reader's answer must be of the kind the question asks for: a figure for "how many", a
time for "when". Its next-best spans are tried, and the question is declined when none is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from bot.app.engine import Briefbot
from bot.qa.reader import ReadResult, Window
from bot.qa.reading import ReaderDecision, answer_kind, read_answer
from index.ingest import Article

STORY = [
    "The ferry company said on Monday it would sell its harbour unit to a group of managers.",
    "The sale is expected to close next spring, the company said.",
    "About 1,200 people work for the harbour unit, which runs four ferries.",
]


@pytest.mark.parametrize(
    ("question", "phrase", "fits"),
    [
        ("How many people work for the unit?", "1,200 people", True),
        ("How many people work for the unit?", "about a dozen", True),
        ("How many people work for the unit?", "managers", False),
        ("How many ferries does it run?", "four ferries", True),
        ("How much did the sale raise?", "£3bn", True),
        ("When will the sale close?", "next spring", True),
        ("When will the sale close?", "in 1981", True),
        ("When will the sale close?", "on 25 September", True),
        ("When will the sale close?", "its harbour unit", False),
        ("When will the sale close?", "$3bn Trident Funds", False),
        ("In what year did he die?", "1981", True),
        ("How long did the talks last?", "three weeks", True),
        ("How long did the talks last?", "a complaint with the commission", False),
    ],
)
def test_kind_of_phrase(question: str, phrase: str, fits: bool) -> None:
    check = answer_kind(question)
    assert check is not None
    assert check(phrase) is fits


@pytest.mark.parametrize(
    "question",
    ["Who bought the unit?", "Did the company sell the unit?", "Why was the unit sold?"],
)
def test_people_reasons_and_yes_no_are_left_to_the_reader(question: str) -> None:
    assert answer_kind(question) is None


class ScriptedReader:
    """A reader whose best span in each window is the phrase `best`, with `others` as its
    next-best spans (lower scores), all found in the window text."""

    def __init__(self, best: str, others: Sequence[str]) -> None:
        self.best, self.others = best, others

    def read(self, question: str, windows: Sequence[Window]) -> list[ReadResult]:
        out = []
        for n, w in enumerate(windows):
            spans = [
                (10.0 - k, w.text.find(p), w.text.find(p) + len(p))
                for k, p in enumerate([self.best, *self.others])
                if p in w.text
            ]
            if not spans:
                out.append(ReadResult(n, 0, 0, "", float("-inf"), 0.0, (0, 0), ""))
                continue
            score, a, b = spans[0]
            sent = (w.sent_start, w.sent_end)
            result = ReadResult(n, a, b, w.text[a:b], score, 0.0, sent, w.text[sent[0] : sent[1]])
            out.append(replace(result, extras={"alternatives": spans}))
        return out


@pytest.fixture(scope="module")
def ferry(bot: Briefbot) -> Briefbot:
    bot.index_article(Article.from_paragraphs("Ferry unit sold", STORY), "ferry")
    return bot


RULE = ReaderDecision(k=3, threshold=5.0)


def test_a_phrase_of_another_kind_gives_way_to_the_next_best_of_the_right_kind(
    ferry: Briefbot,
) -> None:
    q = "When will the sale of the harbour unit close?"
    found = ferry.search("ferry").search(q)
    got = read_answer(q, found, ScriptedReader("harbour unit", ["next spring"]), RULE)
    assert not got.abstained
    assert got.short_answer == "next spring"
    assert "next spring" in got.citations[0].quote


def test_no_phrase_of_the_right_kind_declines(ferry: Briefbot) -> None:
    q = "When will the sale of the harbour unit close?"
    found = ferry.search("ferry").search(q)
    got = read_answer(q, found, ScriptedReader("harbour unit", ["managers"]), RULE)
    assert got.abstained


def test_a_right_kind_alternative_too_far_below_no_answer_declines(ferry: Briefbot) -> None:
    """The fallback is held to the same decline rule: its score against the no-answer score."""
    q = "When will the sale of the harbour unit close?"
    found = ferry.search("ferry").search(q)
    strict = ReaderDecision(k=3, threshold=-9.5)  # margin of the best span: 0 - 10 = -10
    got = read_answer(q, found, ScriptedReader("harbour unit", ["next spring"]), strict)
    assert got.abstained


def test_a_best_span_of_the_right_kind_is_kept(ferry: Briefbot) -> None:
    q = "How many people work for the harbour unit?"
    found = ferry.search("ferry").search(q)
    got = read_answer(q, found, ScriptedReader("About 1,200 people", ["four ferries"]), RULE)
    assert got.short_answer == "About 1,200 people"
