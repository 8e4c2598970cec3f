"""Declining questions about something the article never mentions (bot/qa/grounding.py)."""

from __future__ import annotations

import pytest

from bot.qa.grounding import unfilled_template, unknown_names
from bot.qa.lexical import terms

TEXT = (
    "Ukraine said on Tuesday that four ships had sunk off the coast. The Canadian navy sent "
    "help in 2024, and the U.S. said it would pay $3,500 to each crew."
)
VOCAB = set(terms(TEXT))


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Who won the 2022 World Cup?", ("2022", "cup", "world")),
        ("What did Chinna say about the ships?", ("chinna",)),
        ("Why did Ukrainian officials blame Canada?", ()),  # Ukraine, Canadian
        ("How many of the 4 ships sank?", ()),  # "four"
        ("What did the US pay in 2024?", ()),  # "U.S."
        ("How much did the U.S. pay each crew, 3,500 or 3500?", ()),
        ("What happened on Tuesday?", ()),
        ("What did Mr Clarke say on Tuesday?", ("clark",)),  # a title is not a name
        ("What did Dr. Ukraine say?", ()),
        ("What happened on Wednesday?", ("wednesday",)),
        ("How many ships sank?", ()),  # no names at all: the reader decides
        ("[2JHow many ships sank?", ()),  # the rest of a terminal escape is not a number
        ("How many of the 4,000-strong crews sank in the 2020s?", ("2020", "4000")),
    ],
)
def test_names_the_article_never_mentions(question: str, missing: tuple[str, ...]) -> None:
    assert unknown_names(question, VOCAB) == missing


def test_a_corrected_typo_counts_as_mentioned() -> None:
    assert unknown_names("What did the Ukriane navy do?", VOCAB) == ("ukrian",)
    assert unknown_names("What did the Ukriane navy do?", VOCAB, {"ukrian": "ukrain"}) == ()


@pytest.mark.parametrize(
    ("question", "unfilled"),
    [
        ("{question}", True),
        ("%s", True),
        ("{{article}} %d", True),
        ("%(question)s", True),
        ("<QUESTION>", True),
        ("What does {x} mean?", False),
        ("Who paid 5% of the cost?", False),
        ("What happened in 2024?", False),
    ],
)
def test_unfilled_templates(question: str, unfilled: bool) -> None:
    assert unfilled_template(question) is unfilled


def test_rates_count_declines_by_kind() -> None:
    from bot.dev.grounding_rates import rates

    found = rates(
        [
            (TEXT, "How many ships sank off the coast?", True),
            (TEXT, "What did the Canadain navy send?", True),  # a typo, corrected
            (TEXT, "What did Japan send in 2024?", False),
        ]
    )
    assert [m for _, m in found[True]] == [(), ()]
    assert [m for _, m in found[False]] == [("japan",)]
