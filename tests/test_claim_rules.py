"""Rules of the claim checker (bot/llm/claims.py and its claim_* modules) added after
heldout5, each tested on made-up sentences independent of the reply sets."""

from __future__ import annotations

from bot.llm.claims import unsupported


def test_a_figure_keeps_the_unit_the_cited_text_gives_it() -> None:
    # "minute" is in the cited sentence (a "12th-minute goal"), near the figure: only the
    # word right after the figure tells the units apart
    cited = ["The striker scored after 30 seconds and the keeper saved a 12th-minute penalty."]
    got = unsupported("The striker scored after 30 minutes.", cited, order=False)
    assert got is not None and "second" in got, got
    assert unsupported("The striker scored after 30 seconds.", cited, order=False) is None
    cited = ["The court jailed him for two years and banned him for six months."]
    assert unsupported("He was banned for six years.", cited, order=False) is not None
    assert unsupported("He was banned for six months.", cited, order=False) is None
    # a share is no count of points; "percentage points" are points
    cited = ["Support rose 4% while the lead grew by 3 percentage points."]
    assert unsupported("Support rose 4 points.", cited, order=False) is not None
    assert unsupported("The lead grew by 3 points.", cited, order=False) is None
    # a hyphen joins the same unit ("a 10-year deal" is ten years)
    cited = ["He signed a 10-year deal."]
    assert unsupported("He signed a deal for 10 years.", cited, order=False) is None


def test_a_figure_the_cited_text_gives_no_unit_is_left_to_the_other_checks() -> None:
    cited = ["The index fell by 45 to 1,200 points."]
    assert unsupported("The index fell by 45 points.", cited, order=False) is None
    cited = ["Between 10 and 20 workers, aged 45, have lost jobs in recent years."]
    assert unsupported("Between 10 and 20 workers lost jobs.", cited, order=False) is None


def test_a_thing_refused_is_not_a_thing_done() -> None:
    cited = ["The minister resisted any temptation to criticise the plan, and left early."]
    got = unsupported("The minister criticised the plan.", cited, order=False)
    assert got is not None and "refusal" in got, got
    claim = "The minister resisted any temptation to criticise the plan."
    assert unsupported(claim, cited, order=False) is None
    cited = ["The firm failed to pay its staff and refused to comment."]
    assert unsupported("The firm paid its staff.", cited, order=False) is not None
    assert unsupported("The firm failed to pay its staff.", cited, order=False) is None
    # "declined" with no "to" after it is a fall, not a refusal
    cited = ["Sales declined sharply in Europe last year."]
    assert unsupported("Sales declined sharply in Europe.", cited, order=False) is None
