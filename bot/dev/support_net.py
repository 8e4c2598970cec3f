"""The support model's network: the base MiniLM encoder with one logit on [CLS] for "the cited
text supports the claim" (input `[CLS] claim [SEP] cited text [SEP]`), and its tokenizer.
Weights are written and checked like the reader's (`bot.qa.reader_net`). Nothing heavy at
import time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MAX_TOKENS = 160


def build_support_model(path: str | None = None) -> Any:
    """The untrained support model: the base MiniLM encoder (pretrained) + a fresh head."""
    import torch
    from torch import nn

    from bot.qa.reader_net import load_encoder

    class SupportModel(nn.Module):
        def __init__(self, encoder: Any) -> None:
            super().__init__()
            self.encoder = encoder
            self.head = nn.Linear(encoder.config.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            h = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return self.head(h[:, 0]).float().squeeze(-1)

    model = SupportModel(load_encoder(path))
    torch.nn.init.normal_(model.head.weight, std=0.02)
    torch.nn.init.zeros_(model.head.bias)
    return model


def encode(tokenizer: Any, claims: Sequence[str], cited: Sequence[str]) -> list[list[int]]:
    """Word-piece ids of each (claim, cited text) pair, the cited text cut to fit."""
    enc = tokenizer(list(claims), list(cited), truncation="longest_first", max_length=MAX_TOKENS)
    return [list(x) for x in enc["input_ids"]]


def collate(ids: Sequence[Sequence[int]], sep_id: int) -> dict[str, Any]:
    """Padded tensors of a batch of encoded pairs; segment 1 starts after the first [SEP]."""
    import torch

    n = max(len(x) for x in ids)
    input_ids = torch.zeros(len(ids), n, dtype=torch.long)
    mask = torch.zeros(len(ids), n, dtype=torch.long)
    types = torch.zeros(len(ids), n, dtype=torch.long)
    for r, x in enumerate(ids):
        input_ids[r, : len(x)] = torch.tensor(x)
        mask[r, : len(x)] = 1
        first = list(x).index(sep_id) + 1
        types[r, first : len(x)] = 1
    return {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": types}
