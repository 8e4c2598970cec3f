"""Follow-up questions through the real engine, the CLI batch and chat: a question is read in
the context of the conversation, and the answer says how it was read."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_briefbot

from bot.qa.followup import turn_of


def test_a_follow_up_is_read_in_context_and_says_so(bot) -> None:  # noqa: ANN001
    first = bot.ask("What did Austin say about combat?")
    follow = bot.ask("Who is he?", history=[turn_of(first)])
    assert follow.question == "Who is he?"
    assert follow.read_as and "Austin" in follow.read_as
    assert follow.to_dict()["read_as"] == follow.read_as
    body = "\n".join(p.text for p in bot.stored().passages)
    for c in follow.citations:
        assert c.quote in body


def test_a_question_that_stands_alone_is_not_rewritten(bot) -> None:  # noqa: ANN001
    first = bot.ask("What did Austin say about combat?")
    alone = bot.ask("How many North Korean troops are in Russia?", history=[turn_of(first)])
    assert alone.read_as is None and "read_as" not in alone.to_dict()
    assert alone == bot.ask("How many North Korean troops are in Russia?")


def test_what_about_takes_the_slot_of_the_same_kind(bot) -> None:  # noqa: ANN001
    answers = bot.ask_in_turn(
        ["How many troops does the U.S. think are in Russia?", "What about Seoul's estimate?"]
    )
    assert answers[1].read_as and "Seoul" in answers[1].read_as


def test_batch_lines_carry_their_history(tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    lines = [
        {"q": "Who is he?", "history": ["What did Austin say about combat?"]},
        {"q": "Who is he?"},
    ]
    batch.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    done = run_briefbot("ask", "--batch", str(batch), "--json", home=tmp_path / "h")
    assert done.returncode == 0, done.stderr[-1500:]
    with_history, alone = (json.loads(x) for x in done.stdout.splitlines())
    assert "Austin" in with_history["read_as"] and with_history["question"] == "Who is he?"
    assert "read_as" not in alone
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"q": "Who?", "history": "not a list"}), encoding="utf-8")
    refused = run_briefbot("ask", "--batch", str(bad), "--json", home=tmp_path / "h")
    assert refused.returncode == 2 and '"history" must be a list' in refused.stderr


def test_who_is_answers_with_the_role_the_article_gives(bot) -> None:  # noqa: ANN001
    answer = bot.ask("Who is Lloyd Austin?")
    assert not answer.abstained and answer.short_answer == "Defense Secretary"
    quote = answer.citations[0].quote
    assert "Defense Secretary Lloyd Austin" in quote  # the role stands next to the name
    assert quote in bot.stored().passage(answer.citations[0].passage).text
    follow = bot.ask_in_turn(["What did Austin say about combat?", "Who is he?"])[-1]
    assert follow.short_answer == "Defense Secretary"
    assert bot.ask("Who is Nobody Atall?").short_answer != "Defense Secretary"


def test_an_overview_request_gets_the_cited_bottom_line_and_key_facts(bot) -> None:  # noqa: ANN001
    answer, offers = bot.chat("What is this article about?")
    brief = bot.cached_brief()
    bottom = brief.sections["bottom_line"][0]
    assert answer.answer.startswith(bottom.text) and not answer.abstained and offers == []
    assert set(bottom.citations) <= set(answer.citations)
    body = "\n".join(p.text for p in bot.stored().passages)
    assert all(c.quote in body for c in answer.citations)


def test_a_declined_question_offers_what_the_article_does_answer(bot) -> None:  # noqa: ANN001
    answer, offers = bot.chat("What is the capital of France?")
    assert answer.abstained and offers
    for q in offers:  # each offer is answered, with a citation
        assert not bot.ask(q).abstained
