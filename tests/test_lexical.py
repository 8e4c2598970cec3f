"""Lexical matching: stems, accents, and the typo correction of question terms."""

from __future__ import annotations

from bot.qa.lexical import closest_term, edit_distance, fold, terms


def test_accents_are_folded() -> None:
    assert fold("Céloron à Québec") == "Celoron a Quebec"
    assert terms("Céloron") == terms("Celoron")


def test_edit_distance_stops_at_the_limit() -> None:
    assert edit_distance("kitten", "sitting", 3) == 3
    assert edit_distance("kitten", "sitting", 1) == 2  # limit + 1: more than allowed
    assert edit_distance("abc", "abc", 0) == 0


def test_closest_term() -> None:
    vocabulary = {"characteriz", "celoron", "develop", "astrophysicist", "bat", "cat", "hat"}
    assert closest_term(terms("charecterized")[0], vocabulary) == "characteriz"
    assert closest_term(terms("develpment")[0], vocabulary) == "develop"
    assert closest_term(terms("astrophysisist")[0], vocabulary) == "astrophysicist"
    assert closest_term("celeron", vocabulary) == "celoron"
    assert closest_term("develop", vocabulary) is None  # already known
    assert closest_term("rat", vocabulary) is None  # too short to guess
    assert closest_term("zeloron", vocabulary) is None  # the first letter must match
    assert closest_term("celorons", {"celoron", "celerons"}) is None  # a tie: no guess
    assert closest_term("1990", {"1991"}) is None  # numbers are never corrected
