"""Kinds of chat message (bot.qa.intent), on messages written by hand for the seed article
and the tune BBC stories (business-103, business-111, entertainment-103, politics-101,
sport-101, tech-102)."""

from __future__ import annotations

import pytest

from bot.qa.intent import KINDS, message_kind, quiz_focus, who_target
from bot.quiz.model import TYPES

LABELLED: list[tuple[str, str]] = [
    # overview
    ("What is this article about?", "overview"),
    ("Summarize the article", "overview"),
    ("summarise this please", "overview"),
    ("Can you give me the gist?", "overview"),
    ("tl;dr", "overview"),
    ("TLDR?", "overview"),
    ("What's the story?", "overview"),
    ("Give me a summary of the article in 3 sentences", "overview"),
    ("What are the main points?", "overview"),
    ("What does the article say?", "overview"),
    ("Sum it up for me", "overview"),
    ("What's this about?", "overview"),
    ("Give me an overview", "overview"),
    ("What happened?", "overview"),
    # quiz
    ("Quiz me", "quiz"),
    ("quiz me on the people please", "quiz"),
    ("Test me on the numbers", "quiz"),
    ("Can you test my knowledge?", "quiz"),
    ("Ask me some questions", "quiz"),
    ("Ask me a few questions about the story", "quiz"),
    ("Give me a quiz on the quotes", "quiz"),
    ("Let's do a true or false quiz", "quiz"),
    # who
    ("Who is Lloyd Austin?", "who"),
    ("Who is he?", "who"),
    ("who's Mr Cherkasky?", "who"),
    ("Who is Kim Yong-hyun exactly?", "who"),
    ("Who was Ellen Simonetti?", "who"),
    ("Who is Jeffrey Matsuura in the article?", "who"),
    ("Who are the Killers?", "who"),
    ("And who is she?", "who"),
    # chitchat
    ("thanks", "chitchat"),
    ("Thank you!", "chitchat"),
    ("hi", "chitchat"),
    ("Hello there", "chitchat"),
    ("ok", "chitchat"),
    ("OK, great, thanks!", "chitchat"),
    ("cool", "chitchat"),
    ("bye", "chitchat"),
    ("Got it.", "chitchat"),
    # questions
    ("What is the article's main claim about taxes?", "question"),
    ("summary of the fines?", "question"),
    ("What did Austin say about combat?", "question"),
    ("How many troops does the U.S. think are in Russia?", "question"),
    ("Who is the finance minister?", "question"),
    ("Who said the likelihood is pretty high?", "question"),
    ("Who scored United's first goal?", "question"),
    ("What does the article say about Slimfast?", "question"),
    ("What is the main point of Dai Lloyd's criticism?", "question"),
    ("Why was Ellen Simonetti suspended?", "question"),
    ("How much did Marsh lose in the fourth quarter?", "question"),
    ("What happened to Unilever's profits?", "question"),
    ("Where?", "question"),
    ("What about Seoul's estimate?", "question"),
    ("Is Delta Airlines going to comment?", "question"),
    ("Who is going to lead Unilever?", "question"),
    ("What did the BPI spokesman say?", "question"),
]
KIND_FLOOR = 0.95


@pytest.mark.parametrize(("text", "kind"), LABELLED)
def test_message_kind(text: str, kind: str) -> None:
    assert message_kind(text) == kind


def test_kind_accuracy() -> None:
    right = sum(message_kind(t) == k for t, k in LABELLED)
    share = right / len(LABELLED)
    print(f"\nmessage kinds: {right}/{len(LABELLED)} right ({share:.0%})")
    assert share >= KIND_FLOOR
    assert {message_kind(t) for t, _ in LABELLED} == set(KINDS)


@pytest.mark.parametrize(
    ("text", "focus"),
    [
        ("Test me on the numbers", "number"),
        ("quiz me on the figures", "number"),
        ("quiz me on the people please", "who_said"),
        ("Give me a quiz on the quotes", "who_said"),
        ("who said what? quiz me", "who_said"),
        ("Let's do a true or false quiz", "tf"),
        ("a multiple choice quiz please", "mcq"),
        ("quiz me with fill in the blanks", "fill"),
        ("Quiz me", None),
        ("Can you test my knowledge?", None),
    ],
)
def test_quiz_focus(text: str, focus: str | None) -> None:
    assert quiz_focus(text) == focus
    assert focus is None or focus in TYPES


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Who is Lloyd Austin?", "Lloyd Austin"),
        ("Who is he?", "he"),
        ("who's Mr Cherkasky?", "Mr Cherkasky"),
        ("Who is Kim Yong-hyun exactly?", "Kim Yong-hyun"),
        ("Who is Jeffrey Matsuura in the article?", "Jeffrey Matsuura"),
        ("Who are the Killers?", "the Killers"),
        ("Who is the finance minister?", None),
        ("Who said the likelihood is pretty high?", None),
        ("What is Unilever?", None),
    ],
)
def test_who_target(text: str, target: str | None) -> None:
    assert who_target(text) == target
