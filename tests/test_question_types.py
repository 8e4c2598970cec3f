"""What kind of phrase a question asks for: the rules that decide the short answer's kind."""

from __future__ import annotations

import pytest

from bot.qa.answer import _YES_NO, expected_types
from bot.qa.span import wh_nouns


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did the war begin?", "DATE"),
        ("What year did it end?", "DATE"),
        ("Which European country signed first?", "GPE"),
        ("What is preserved in a closed system when acted upon?", None),  # asks what
        ("When Iqbal promoted unity, what did he encourage ending?", None),  # asks what
        ("Who was king when the war began?", "PERSON"),
        ("What leader of the reformation was a student of Lefevre?", "PERSON"),
        ("What general idea did he have?", None),  # "general" as an adjective
        ("What is the approximate entry temperature of a gas turbine?", "QUANTITY"),
        ("What is the name of the rate?", None),
        ("How big is the budget?", "QUANTITY"),
        ("Who is Lloyd Austin?", "ROLE"),
        ("Who was Robert's son?", "PERSON"),
    ],
)
def test_expected_types(question: str, kind: str | None) -> None:
    types = expected_types(question)
    assert (types[0] if types else None) == kind
    if question == "How big is the budget?":
        assert "MONEY" in types


def test_yes_no_questions() -> None:
    assert _YES_NO.match("Have any North Korean units arrived in Kursk yet?")
    assert _YES_NO.match("Is the output simple or complex?") is None  # a choice, not yes/no
    assert _YES_NO.match("Did he say when they would leave?") is None


def test_wh_nouns() -> None:
    assert wh_nouns("What planet did they predict?") == {"planet"}
    assert wh_nouns("What kind of amino acids are there?") == {"amino", "acid"}
    assert wh_nouns("What did they predict?") == set()
