"""Extractive reader: finds the answer span for a question inside short candidate windows.

The model is the packaged all-MiniLM-L6-v2 encoder plus a Linear(384, 2) head giving start/end
logits per word piece; the [CLS] position means "no answer" (SQuAD 2.0 convention). The shipped
weights file holds every trained tensor except the word-embedding matrix, which is frozen during
training and taken from the base package at load time.

Nothing heavy is imported at module import time: torch and transformers load on first use.

    reader = Reader.load()                       # cached; checks the weights' sha256
    results = reader.read(question, windows)     # one forward pass for all windows

The windows and their encoding: bot/qa/reader_inputs.py; the network and its weights file:
bot/qa/reader_net.py.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.qa.reader_inputs import Encoded, Window, collate, encode_pairs
from bot.qa.reader_net import ReaderIntegrityError, build_model, load_tokenizer, load_weights

MODEL_DIR = Path(__file__).resolve().parent / "reader_model"
WEIGHTS_FILE = "reader.safetensors"
# sha256 of reader_model/reader.safetensors; empty until the trained weights are shipped.
WEIGHTS_SHA256 = "7cb879c08e572b1ebfed504f36891021bee7712e4736ef47d7a1bbdb78c42356"
MAX_ANSWER_TOKENS = 30


@dataclass(frozen=True)
class ReadResult:
    """Best span of one window. `start`/`end` are char offsets in the window's text (end
    exclusive); `sentence` is the (start, end) of the sentence the span starts in."""

    window: int
    start: int
    end: int
    text: str
    span_score: float
    null_score: float
    sentence: tuple[int, int]
    sentence_text: str
    extras: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def margin(self) -> float:
        """null - span: decline when this is above the chosen threshold."""
        return self.null_score - self.span_score


# ---- inference ----------------------------------------------------------------------------

_CACHE: dict[tuple[str, str | None, str], Reader] = {}
_LOCK = threading.Lock()


class Reader:
    def __init__(self, model: Any, tokenizer: Any, mode: str = "fp32") -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.mode = mode

    @classmethod
    def load(
        cls, path: str | Path | None = None, *, sha256: str | None = None, mode: str = "fp32"
    ) -> Reader:
        """Load (once; cached) the reader. `path`: a weights file or a folder holding
        reader.safetensors; default: the shipped model, checked against WEIGHTS_SHA256. For
        another path the file is checked against `sha256` when given. `mode`: fp32, bf16
        (autocast) or int8 (dynamic quantisation of the Linear layers).
        Raises ReaderIntegrityError when the file is missing or its checksum differs."""
        expected: str | None
        if path is None:
            file, expected = MODEL_DIR / WEIGHTS_FILE, WEIGHTS_SHA256
        else:
            file = Path(path)
            file = file / WEIGHTS_FILE if file.is_dir() else file
            expected = sha256
        key = (str(file), expected, mode)
        with _LOCK:
            if key not in _CACHE:
                _CACHE[key] = cls._load(file, expected, mode)
            return _CACHE[key]

    @classmethod
    def _load(cls, file: Path, sha256: str | None, mode: str) -> Reader:
        import torch

        if not file.is_file():
            raise ReaderIntegrityError(f"reader weights not found: {file}")
        model = build_model()
        load_weights(model, file, sha256)
        model.eval()
        if mode == "int8":
            model = torch.ao.quantization.quantize_dynamic(
                model, {torch.nn.Linear}, dtype=torch.qint8
            )
        elif mode not in ("fp32", "bf16"):
            raise ValueError(f"unknown reader mode {mode!r}")
        return cls(model, load_tokenizer(), mode)

    def logits(self, question: str, windows: Sequence[Window]) -> tuple[Any, Any, Encoded]:
        import torch

        enc = encode_pairs(self.tokenizer, [question] * len(windows), windows)
        batch = collate(enc.input_ids, enc.ctx)
        dev = next(self.model.parameters()).device if self.mode != "int8" else "cpu"
        batch = {k: v.to(dev) for k, v in batch.items()}
        with torch.inference_mode():
            if self.mode == "bf16":
                with torch.autocast(torch.device(dev).type, dtype=torch.bfloat16):
                    s, e = self.model(**batch)
            else:
                s, e = self.model(**batch)
        return s.float().cpu(), e.float().cpu(), enc

    def read(
        self, question: str, windows: Sequence[Window], max_answer_tokens: int = MAX_ANSWER_TOKENS
    ) -> list[ReadResult]:
        """Best span and no-answer score for each window (all windows in one forward pass).
        span score = start[i] + end[j] (i <= j < i + max_answer_tokens, inside the window, both
        in the same sentence: an answer never runs across a sentence boundary);
        null score = start[CLS] + end[CLS]."""
        import torch

        if not windows:
            return []
        s, e, enc = self.logits(question, windows)
        n, L = s.shape
        pos = torch.arange(L)
        band = (pos[None, :] >= pos[:, None]) & (pos[None, :] < pos[:, None] + max_answer_tokens)
        out = []
        for w in range(n):
            c0, c1 = enc.ctx[w]
            win = windows[w]
            sentence = torch.full((L,), -1, dtype=torch.long)  # sentence of each context token
            spans = win.sentence_spans()
            for t in range(c0, c1):
                at = enc.offsets[w][t][0]
                sentence[t] = next((k for k, sp in enumerate(spans) if sp[0] <= at < sp[1]), -1)
            valid = sentence >= 0
            m = band & valid[:, None] & valid[None, :] & (sentence[:, None] == sentence[None, :])
            scores = (s[w][:, None] + e[w][None, :]).masked_fill(~m, float("-inf"))
            flat = int(torch.argmax(scores))
            i, j = divmod(flat, L)
            null = float(s[w, 0] + e[w, 0])
            if not bool(m.any()):
                out.append(ReadResult(w, 0, 0, "", float("-inf"), null, (0, 0), ""))
                continue
            a, b = enc.offsets[w][i][0], enc.offsets[w][j][1]
            sent = next(
                (sp for sp in win.sentence_spans() if sp[0] <= a < sp[1]),
                (win.sent_start, win.sent_end),
            )
            out.append(
                ReadResult(
                    w,
                    a,
                    b,
                    win.text[a:b],
                    float(scores[i, j]),
                    null,
                    sent,
                    win.text[sent[0] : sent[1]],
                )
            )
        return out
