"""The support model, an experiment (not shipped): its training pairs (bot/dev/support_data.py,
on real spaCy parses) and a tiny real training run, whose weights load, score and fail the
integrity check once altered."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.dev import support_changes as sc
from bot.dev import support_data as sd
from bot.dev.support_model import judged

TINY = Path(__file__).parent / "data" / "reader_tiny_squad.json"


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from index.nlp import load_nlp

    return load_nlp()


def _sent(nlp, text: str):  # type: ignore[no-untyped-def]
    return next(nlp(text).sents)


def _edit(nlp, text: str, fn: sc.Perturb, pools: sc.Pools | None = None) -> str:  # type: ignore[no-untyped-def]
    c = sd.Claim(_sent(nlp, text))
    assert fn(c, pools or {}, text, random.Random(1))
    return c.text()


def test_questions_turn_into_statements_only_in_forms_that_need_no_inflection() -> None:
    assert sd.statement("Who founded the company?", "Thomas Watson") == (
        "Thomas Watson founded the company."
    )
    assert sd.statement("What was the name of the ship?", "Titanic") == (
        "The name of the ship was Titanic."
    )
    assert sd.statement("When did the war end?", "1945") is None
    assert sd.statement("What is the city known for?", "beer") is None  # ends in a preposition
    assert sd.statement("What year did it open?", "1901") is None  # "year" is no verb


def test_unsupported_claims_change_what_the_sentence_says(nlp) -> None:  # type: ignore[no-untyped-def]
    s = "In 1911, Patterson fired Watson from the company."
    assert _edit(nlp, s, sc._swap_roles) == "In 1911, Watson fired Patterson from the company."
    assert _edit(nlp, s, sc._negate) == "In 1911, Patterson did not fire Watson from the company."
    assert _edit(nlp, "The team won the cup in 1906.", sc._antonym) == (
        "The team lost the cup in 1906."
    )
    assert _edit(nlp, "About 500 people were hurt.", sc._drop_hedge) == "500 people were hurt."
    assert _edit(nlp, "The company did not make a profit.", sc._negate) == (
        "The company did make a profit."
    )
    pools = {"GPE": ["Paris", "Berlin"]}
    assert _edit(nlp, "He was born in Berlin in 1901.", sc._replace_entity, pools) == (
        "He was born in Paris in 1901."
    )
    changed = _edit(nlp, "The bridge is 1,200 metres long.", sc._change_number)
    assert changed != "The bridge is 1,200 metres long." and "metres long" in changed


def test_a_reduced_claim_drops_only_what_leaves_it_true(nlp) -> None:  # type: ignore[no-untyped-def]
    s = _sent(nlp, "Ada Lovelace, a mathematician, wrote the first program (in 1843).")
    texts = {sd.reduced(s, random.Random(k)).text() for k in range(12)}
    assert "Ada Lovelace wrote the first program." in texts or (
        "Ada Lovelace wrote the first program (in 1843)." in texts
    )
    assert all("program" in t and "Lovelace" in t for t in texts)
    negated = _sent(nlp, "Ada Lovelace, a mathematician, did not build the engine.")
    assert sd._droppable(negated) == []  # a negation's reach is left whole


def test_pairs_from_squad_have_both_labels_and_leave_out_excluded_articles(nlp) -> None:  # type: ignore[no-untyped-def]
    import json

    art = next(a for a in json.loads(TINY.read_text())["data"] if "Whitehead" in a["title"])
    excerpt = f"Alfred North Whitehead\n\n{art['paragraphs'][0]['context']}\n"  # a claim text
    pairs = sd.build_pairs(str(TINY), 40, 3, [excerpt], nlp, lambda m: None)
    assert {p["label"] for p in pairs} == {0, 1}
    assert not any("Whitehead" in p["cited"] for p in pairs)
    kept = sd.build_pairs(str(TINY), 40, 3, [], nlp, lambda m: None)
    assert any("Whitehead" in p["cited"] for p in kept)  # the check above could fail
    for p in pairs:
        assert p["claim"] and p["cited"]
        if p["kind"] == "same":
            assert p["claim"].rstrip(".") in p["cited"]


def test_the_model_reads_the_claim_without_its_answer_word_and_the_text_without_a_tag() -> None:
    assert judged("No, the vote failed.", ["It failed (Kim said)", "Then it ended."]) == (
        "The vote failed.",
        "It failed Then it ended.",
    )


def test_a_tiny_real_training_run_packs_trains_and_writes_loadable_weights(tmp_path: Path) -> None:
    """The GPU path on the CPU: pairs built and packed with the base's word embeddings beside
    them, then two optimiser steps from the pack, the encoder started from the reader."""
    from bot.dev import train_support
    from bot.dev.support_model import SupportModel
    from bot.qa.reader_net import ReaderIntegrityError, sha256_file

    pack = tmp_path / "pairs.npz.xz"
    train_support.main(["--pack", str(pack), "--train", str(TINY), "--paragraphs", "12"])
    data = train_support.unpack(str(pack))
    assert len(data["ids"]) == len(data["label"]) > 5 and set(data["label"]) == {0, 1}
    assert all(
        x[0] == 101 and x.count(data["sep"]) == 2 for x in data["ids"]
    )  # [CLS] a [SEP] b [SEP]
    out = tmp_path / "out"
    args = ["--features", str(pack), "--base", str(tmp_path / "sbase"), "--from-reader"]
    train_support.main([*args, "--out", str(out), "--steps", "2", "--batch", "8"])
    log = (out / "train-support.log").read_text()
    assert "trained 2 steps" in log and "held out" in log
    weights = out / "support.safetensors"
    model = SupportModel.load(weights, sha256_file(weights))
    p = model.scores([("The cat sat.", "The cat sat on the mat."), ("A dog ran.", "A cat sat.")])
    assert len(p) == 2 and all(0.0 <= x <= 1.0 for x in p)
    bad = tmp_path / "altered.safetensors"
    data = bytearray(weights.read_bytes())
    data[-100] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(ReaderIntegrityError, match="support model weights .* failed the integrity"):
        SupportModel.load(bad, sha256_file(weights))
