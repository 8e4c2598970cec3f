"""Lexical matching: stems, accents, demonyms, opposites, and the typo correction of question
terms."""

from __future__ import annotations

import pytest

from bot.qa.lexical import closest_term, fold, reverses, terms


def test_accents_are_folded() -> None:
    assert fold("Céloron à Québec") == "Celoron a Quebec"
    assert terms("Céloron") == terms("Celoron")


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        # what the hand-written stemmer got wrong (issue 12)
        ("running", "run"),  # was "runn"
        ("evening", "evening"),  # was "even"
        ("news", "news"),  # was "new"
        ("Median", "median"),  # was "media" (read as a demonym), while "median" stayed
        ("median", "median"),
        # and what it got right still holds
        ("troops", "troop"),
        ("deployed", "deploy"),
        ("deploying", "deploy"),
        ("planned", "plan"),
        ("said", "say"),  # irregular past forms
        ("met", "meet"),
    ],
)
def test_stems(word: str, stem: str) -> None:
    assert terms(word) == [stem]


def test_stems_do_not_merge_different_words() -> None:
    assert terms("evening") != terms("even")
    assert terms("news") != terms("new")
    assert terms("Median") != terms("media")


def test_demonyms_match_their_place_in_any_case() -> None:
    assert terms("Korean") == terms("Korea") == terms("korean")
    assert terms("Russian") == terms("Russia")  # ISO: "Russian Federation"
    assert terms("Indonesian") == terms("Indonesia")
    assert terms("Californian") == terms("California")  # a subdivision
    assert terms("Asian") == terms("Asia")  # a continent
    assert terms("Guardian") == terms("guardian") != terms("guardia")


def test_opposites() -> None:
    def reversed_by(question: str, evidence: str) -> bool:
        return reverses(set(terms(question)), set(terms(evidence)))

    assert reversed_by("the lowest court", "the highest court")
    assert reversed_by("unconnected", "connected")
    assert not reversed_by("the lowest court", "the lowest court")
    # one word inside another is not its opposite (issue 12)
    assert not reversed_by("discovered", "covered")
    assert not reversed_by("covered", "discovered")
    assert not reversed_by("install", "stall")


def test_closest_term() -> None:
    vocabulary = {"character", "celoron", "develop", "astrophysicist", "bat", "cat", "hat"}
    assert closest_term(terms("charecterized")[0], vocabulary) == "character"
    assert closest_term(terms("develpment")[0], vocabulary) == "develop"
    assert closest_term(terms("astrophysisist")[0], vocabulary) == "astrophysicist"
    assert closest_term("celeron", vocabulary) == "celoron"
    assert closest_term("develop", vocabulary) is None  # already known
    assert closest_term("rat", vocabulary) is None  # too short to guess
    assert closest_term("zeloron", vocabulary) is None  # the first letter must match
    assert closest_term("celorons", {"celoron", "celerons"}) is None  # a tie: no guess
    assert closest_term("1990", {"1991"}) is None  # numbers are never corrected
    assert closest_term("celxxon", {"celoron"}) is None  # two edits: too far for 7 letters
    assert closest_term("astrophysxxist", {"astrophysicist"}) == "astrophysicist"  # two: long
