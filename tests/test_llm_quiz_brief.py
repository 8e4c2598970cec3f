"""LLM-written quiz items and bottom lines: every rule of the checks, with LangChain's fake chat
model for the model's replies and the real seed article."""

from __future__ import annotations

import json

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from bot.llm.backends import LangChainBackend
from bot.llm.generate import Generated
from bot.llm.quiz import ItemRejected, parse_item
from bot.qa.citations import verified
from bot.quiz.model import QuizRequest

P9 = "¶9"


def fake(*replies: str) -> LangChainBackend:
    return LangChainBackend(FakeListChatModel(responses=list(replies)), "fake")


def item(**change: object) -> str:
    good: dict[str, object] = {
        "question": "How many North Korean troops does the U.S. estimate are in Russia?",
        "options": ["5,000", "10,000", "20,000", "2,500"],
        "answer": 1,
        "quote": "The U.S. has estimated there are about 10,000 North Korean troops now in Russia.",
    }
    return json.dumps({**good, **change})


@pytest.fixture()
def p9(bot):  # noqa: ANN001, ANN201
    return bot.stored().passage(P9)


def test_a_good_item_becomes_a_cited_quiz_item(p9) -> None:  # noqa: ANN001
    made = parse_item("Sure! Here it is:\n" + item() + "\nHope that helps.", p9, "q1")
    assert made.answer_text == "10,000" and made.type == "mcq"
    assert made.citations[0].passage == P9 and verified(made.citations[0])


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("I cannot do that.", "no JSON"),
        (item()[:-20], "no JSON"),  # truncated: no closing brace
        (item()[:-1] + ',"x": }', "broken"),
        (item(options=["10,000", "10000", "5,000", "1"]), "not all different"),
        (item(options=["1", "2", "3"]), "options"),
        (item(answer=7), "answer"),
        (item(quote="there are about 50,000 North Korean troops"), "word for word"),
        (item(answer=0), "does not contain the correct answer"),
        (item(options=["Russia", "10,000", "Ukraine", "China"], answer=1), "wrong option"),
        (item(question="Are there 10,000 North Korean troops in Russia?"), "gives the answer"),
        (item(question="How many troops has China sent to Russia?"), "not supported"),
        (item(question="How many North Korean troops are not in Russia?"), "not supported"),
    ],
)
def test_bad_items_are_rejected_with_a_reason(p9, reply: str, reason: str) -> None:  # noqa: ANN001
    with pytest.raises(ItemRejected, match=reason):
        parse_item(reply, p9, "q1")


def test_a_rejected_item_is_retried_once_then_stays_extractive(bot) -> None:  # noqa: ANN001
    extractive, _ = bot.quiz(QuizRequest(n=3, seed=2))
    # every reply is broken JSON: two attempts per item, then the extractive item stays
    quiz, report = bot.quiz(QuizRequest(n=3, seed=2), backend=fake("{broken"))
    assert quiz == extractive
    assert report is not None and report.generated == 0 and len(report.rejected) == 6


def test_a_retry_that_succeeds_replaces_the_item(bot, p9) -> None:  # noqa: ANN001
    # the first seed whose quiz of six asks about ¶9 (which items a seed draws is not fixed)
    seed = next(
        s
        for s in range(1, 30)
        if any(q.passage == P9 for q in bot.quiz(QuizRequest(n=6, seed=s))[0].questions)
    )
    extractive, _ = bot.quiz(QuizRequest(n=6, seed=seed))
    slot = next(i for i, q in enumerate(extractive.questions) if q.passage == P9)
    replies = ["{broken"] * (2 * slot) + ["not json", item()] + ["{broken"] * 40
    quiz, report = bot.quiz(QuizRequest(n=6, seed=seed), backend=fake(*replies))
    assert report is not None and report.generated == 1
    assert quiz.questions[slot].answer_text == "10,000"
    assert quiz.questions[slot].id == extractive.questions[slot].id
    others = [q for i, q in enumerate(quiz.questions) if i != slot]
    assert others == [q for i, q in enumerate(extractive.questions) if i != slot]


def test_a_failing_backend_leaves_the_extractive_quiz_and_says_so(bot) -> None:  # noqa: ANN001
    class Down:
        name = "down"
        context_tokens = 4096

        def stream(self, system: str, user: str):  # noqa: ANN201
            raise ConnectionError("connection refused")
            yield ""

    extractive, _ = bot.quiz(QuizRequest(n=4))
    quiz, report = bot.quiz(QuizRequest(n=4), backend=Down())
    assert quiz == extractive and report is not None and "failed" in (report.note or "")


BOTTOM = (
    "North Korean troops are moving toward Ukraine in Russian uniforms. "
    '[¶1 "North Korean troops wearing Russian uniforms"] '
    'China will mediate the conflict. [¶1 "China will mediate"] '
    "North Korea shipped 1,000 containers of equipment. "
    '[¶12 "shipping 1,000 containers of military equipment"] '
    "Austin said the likelihood is pretty high that Russia will use them in combat. "
    '[¶4 "the likelihood is pretty high"] '
    'Austin thinks Russia will likely use them soon. [¶4 "the likelihood is pretty high"]'
)


def test_bottom_line_keeps_only_verified_sentences(bot) -> None:  # noqa: ANN001
    extractive, _, _ = bot.brief()
    brief, removed, note = bot.brief(backend=fake(BOTTOM))
    lines = brief.sections["bottom_line"]
    # ¶12 is a real quote, but not among the passages the model was given for the bottom line
    # and the last quote is real but the sentence says more than it does
    assert note is None and len(removed) == 3
    assert "word for word" in removed[0] and "not given" in removed[1]
    assert "not supported by ¶4" in removed[2]
    assert [line.citations[0].passage for line in lines] == ["¶1", "¶4"]
    for line in lines:
        assert "China" not in line.text and verified(line.citations[0])
    assert brief.sections["key_facts"] == extractive.sections["key_facts"]


def test_bottom_line_falls_back_when_nothing_checks_out(bot) -> None:  # noqa: ANN001
    extractive, _, _ = bot.brief()
    brief, removed, note = bot.brief(backend=fake("Kim Jong Un will visit Moscow in May."))
    assert brief == extractive and "extractive" in (note or "") and removed


def test_the_stream_ends_with_the_verified_result(bot) -> None:  # noqa: ANN001
    good = 'About 10,000. [¶9 "about 10,000 North Korean troops now in Russia"]'
    parts = list(bot.ask_llm_stream("How many troops are in Russia?", fake(good)))
    assert "".join(p for p in parts if isinstance(p, str)) == good
    assert isinstance(parts[-1], Generated) and parts[-1].answer.citations[0].passage == P9
