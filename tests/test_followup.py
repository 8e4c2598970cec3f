"""Follow-up questions read in the context of the conversation (bot.qa.followup).

Cases written by hand from the seed article (AP, North Korean troops) and the tune BBC
stories business-103, business-111, entertainment-103, politics-101, sport-101, tech-102;
the expectations come from reading the articles, not from the code's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.qa.followup import Reading, Turn, read_in_context

DEV = Path(__file__).parent / "data" / "followups_dev.jsonl"
DEV_FLOOR = 0.9  # share of the dev conversations read as expected (42/44 measured)

AUSTIN_COMBAT = Turn(
    "What did Austin say about combat?",
    "Austin said “the likelihood is pretty high” that Russia will use the North Korean troops "
    "in combat.",
    "the likelihood is pretty high",
    ("¶4",),
    ("the likelihood is pretty high",),
)
US_TROOPS = Turn(
    "How many troops does the U.S. think are in Russia?",
    "The U.S. has estimated there are about 10,000 North Korean troops now in Russia.",
    "about 10,000",
    ("¶9",),
)
WELCOME = Turn(
    "Who welcomed Kim Yong Hyun to the Pentagon?",
    "Defense Secretary Lloyd Austin, center right, welcomes South Korean Defense Minister Kim "
    "Yong Hyun, center left, to the Pentagon on Wednesday, Oct. 30, 2024 in Washington.",
    "Lloyd Austin",
    ("¶1",),
)
MARSH_LOSS = Turn(
    "How much did Marsh lose in the fourth quarter?",
    "Marsh posted a $676m (£352m) loss for the last three months of 2004, against a $375m "
    "(£195.3m) profit a year before.",
    "$676m",
    ("¶2",),
)
DELTA = Turn(
    "Who suspended Ellen Simonetti?",
    "But after she posted pictures of herself in uniform, Delta Airlines suspended her "
    "indefinitely without pay.",
    "Delta Airlines",
    ("¶1",),
)
ESSEX = Turn(
    "What did Sue Essex call the settlement?",
    'Ms Essex said: "This is a good deal for local government, which will allow the '
    "well-managed councils of Wales to develop their services and charge reasonable levels "
    'of council tax."',
    'a "good deal"',
    ("¶3",),
)


def read(q: str, *history: Turn) -> Reading:
    return read_in_context(q, history)


# ---- the two examples ------------------------------------------------------------------


def test_who_is_he_after_austin() -> None:
    r = read("Who is he?", AUSTIN_COMBAT)
    assert r.rewritten
    assert r.question in ("Who is Austin?", "Who is Lloyd Austin?")
    assert r.note == f"Reading this as: {r.question}"
    assert r.focus == ("¶4",)


def test_who_is_he_takes_the_longest_name_the_conversation_gave() -> None:
    assert read("Who is he?", WELCOME).question == "Who is Lloyd Austin?"


def test_what_about_seouls_estimate() -> None:
    r = read("What about Seoul's estimate?", US_TROOPS)
    assert r.rewritten
    assert "Seoul" in r.question and "troops" in r.question and "estimate" in r.question
    assert "Russia" in r.question  # the topic stays; only the U.S. slot changes
    assert "U.S." not in r.question
    assert r.focus == ("¶9",)


# ---- rules -------------------------------------------------------------------------------------


def test_no_history_never_rewrites() -> None:
    for q in ("Who is he?", "Why?", "What about Seoul's estimate?", "And in Ireland?"):
        r = read_in_context(q, [])
        assert (r.question, r.rewritten, r.note, r.focus) == (q, False, None, ())


def test_standalone_question_is_unchanged() -> None:
    for q in (
        "What did Kim say about the deployment?",
        "How many troops does South Korea think are in Russia?",
        "Who is Lloyd Austin?",
    ):
        r = read(q, AUSTIN_COMBAT, US_TROOPS)
        assert (r.question, r.rewritten, r.note, r.focus) == (q, False, None, ())


def test_pronoun_bound_inside_the_question_is_left_alone() -> None:
    q = "What did Marsh say about its dividend?"
    assert not read(q, DELTA).rewritten
    assert not read("Did Kim say he expects war?", AUSTIN_COMBAT).rewritten


def test_expletive_it_is_left_alone() -> None:
    assert not read("Is it likely that Russia will use the troops?", US_TROOPS).rewritten


def test_he_and_she_respect_gender_cues() -> None:
    assert read("What did she say next?", ESSEX).question == "What did Sue Essex say next?"
    assert not read("What did he say next?", ESSEX).rewritten  # the only person is a "Ms"...
    # ...unless a man was named
    r = read("What did he say next?", ESSEX, AUSTIN_COMBAT)
    assert r.question == "What did Austin say next?"


def test_she_from_a_title() -> None:
    t = Turn("Why was Ms Simonetti suspended?", "", None, ("¶1",))
    assert "Simonetti" in read("When was she suspended?", t).question


def test_they_takes_a_plural_noun() -> None:
    assert "troops" in read("Where are they heading?", US_TROOPS).question


@pytest.mark.parametrize(
    ("asked", "turn", "read_as"),
    [
        ("Did they comment?", DELTA, "Did Delta Airlines comment?"),  # an organisation
        ("What did her employer say?", DELTA, "What did Ellen Simonetti's employer say?"),
        ("What did it blame?", MARSH_LOSS, "What did Marsh blame?"),  # the last thing
        # "And in X?" fills the place slot, "And the X?" the time slot
        ("And in Ukraine?", US_TROOPS, "How many troops does the U.S. think are in Ukraine?"),
        ("And the third quarter?", MARSH_LOSS, "How much did Marsh lose in the third quarter?"),
    ],
)
def test_a_follow_up_is_read_in_full(asked: str, turn: Turn, read_as: str) -> None:
    assert read(asked, turn).question == read_as


def test_that_takes_the_last_answer() -> None:
    r = read("Is that more than Seoul's figure?", US_TROOPS)
    assert "10,000" in r.question


def test_what_about_organisation_substitutes_the_company() -> None:
    assert read("What about Unilever?", MARSH_LOSS).question.startswith("How much did Unilever")


def test_no_slot_of_the_kind_appends_a_modifier() -> None:
    t = Turn("Did Marsh cut jobs?", "Up to 2,500 jobs are to go at ...", None, ("¶1",))
    assert read("And in Ireland?", t).question == "Did Marsh cut jobs in Ireland?"


def test_bare_wh_words() -> None:
    t = Turn("Did Marsh cut jobs?", "Up to 2,500 jobs are to go at ...", None, ("¶1",))
    assert read("Why?", t).question == "Why did Marsh cut jobs?"
    assert read("How many?", t).question == "How many jobs did Marsh cut?"
    assert read("Why?", DELTA).question == "Why did Delta Airlines suspend Ellen Simonetti?"
    assert read("When?", AUSTIN_COMBAT).question.startswith("When did Austin say")


def test_focus_prefers_the_turn_resolved_against() -> None:
    r = read("Who is he?", AUSTIN_COMBAT, US_TROOPS)
    assert r.question == "Who is Austin?"
    assert r.focus == ("¶4", "¶9")
    r = read("Where?", AUSTIN_COMBAT, US_TROOPS)
    assert r.focus[0] == "¶9"


def test_works_without_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.qa.followup as f
    import bot.qa.mentions

    monkeypatch.setattr(bot.qa.mentions, "_nlp", lambda: None)  # no spaCy model loads
    assert bot.qa.mentions.parse("Who is he?") is None
    assert f.read_in_context("Who is he?", [WELCOME]).question == "Who is Lloyd Austin?"
    assert f.read_in_context("What did she say next?", [ESSEX]).question == (
        "What did Sue Essex say next?"
    )
    assert f.read_in_context("And in Ukraine?", [US_TROOPS]).question.endswith("in Ukraine?")


def test_deterministic() -> None:
    a = read("What about Seoul's estimate?", US_TROOPS)
    b = read("What about Seoul's estimate?", US_TROOPS)
    assert a == b


# ---- the dev set -------------------------------------------------------------------------------


def _dev() -> list[dict]:
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]


def _ok(row: dict) -> bool:
    history = [
        Turn(t["question"], t["answer"], t["short_answer"], tuple(t["passages"]))
        for t in row["history"]
    ]
    r = read_in_context(row["followup"], history)
    if r.rewritten != row["rewritten"]:
        return False
    text = r.question.lower()
    return all(any(alt.lower() in text for alt in want.split("|")) for want in row["expect"])


def test_dev_set_is_large_enough_and_on_tune_stories_only() -> None:
    rows = _dev()
    assert len(rows) >= 30
    tune = {
        "seed",
        "business-103",
        "business-111",
        "entertainment-103",
        "politics-101",
        "sport-101",
        "tech-102",
    }
    assert {r["article"] for r in rows} <= tune


def test_dev_set_share_resolved() -> None:
    rows = _dev()
    ok = [_ok(r) for r in rows]
    share = sum(ok) / len(rows)
    print(f"\nfollow-up dev set: {sum(ok)}/{len(rows)} read as expected ({share:.0%})")
    for r, good in zip(rows, ok, strict=True):
        if not good:
            history = [Turn(t["question"], t["answer"], t["short_answer"]) for t in r["history"]]
            print("  miss:", r["followup"], "->", read_in_context(r["followup"], history).question)
    assert share >= DEV_FLOOR
