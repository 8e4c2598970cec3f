"""The support model, an experiment kept with its tools but not shipped: does the cited text
say what a claim says, in other words?

A MiniLM cross-encoder (`bot.dev.support_net`) trained by `bot.dev.train_support` on claims
made from SQuAD training sentences (`bot.dev.support_data`): the sentence, parts of it, its
questions turned into statements and news-style rewordings of it (supported), and the same
with a name, figure, verb or role changed, a negation added or dropped, an opposite word or a
hedge dropped (unsupported). It reads `[CLS] claim [SEP] cited sentences [SEP]` and gives
the chance that the cited text supports the claim.

Measured on the claim sets (`python -m bot.dev.support_scan`, BENCHMARKS.md "Support model"),
it did not earn a place in the app: as a veto after the word-level check it dropped more
faithful sentences than the unsupported ones it caught, and vouching for a verb the cited
text lacks showed red-team sentences before it kept any faithful one. Its weights are not in
the package; `make support-pack` and the GPU command in the Makefile rebuild them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_TAG = re.compile(r"\s*\([^()]*\bsaid\)$")


def judged(claim: str, cited: Sequence[str]) -> tuple[str, str]:
    """What the model reads: the claim without an opening "Yes,"/"No," (the check settles
    that word on its own: `claim_answers`), and the cited sentences joined, without the
    "(Kim said)" tag a claims source may carry."""
    from bot.llm.claim_answers import without_answer

    return without_answer(claim.strip()), " ".join(_TAG.sub("", s) for s in cited).strip()


class SupportModel:
    """The trained network and its tokenizer, on the CPU."""

    def __init__(self, net: Any, tokenizer: Any) -> None:
        self.net = net
        self.tokenizer = tokenizer

    @classmethod
    def load(cls, weights: str | Path, sha256: str | None = None) -> SupportModel:
        """The model with the weights `train_support` wrote (checked against `sha256` when
        given: `bot.qa.reader_net.ReaderIntegrityError` if they differ)."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from bot.dev.support_net import build_support_model
        from bot.qa.reader_net import load_tokenizer, load_weights

        net = build_support_model()
        load_weights(net, weights, sha256, "support model")
        net.eval()
        return cls(net, load_tokenizer())

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """P(supported) for each (claim, cited text)."""
        import torch

        from bot.dev.support_net import collate, encode

        if not pairs:
            return []
        ids = encode(self.tokenizer, [c for c, _ in pairs], [t for _, t in pairs])
        batch = collate(ids, self.tokenizer.sep_token_id)
        with torch.inference_mode():
            return list(torch.sigmoid(self.net(**batch)).tolist())
