"""The reader's inputs: candidate windows (a sentence with its neighbours), sentence spans,
and (question, window) pairs encoded and batched for the model (`bot.qa.reader`). Nothing
heavy at import time: spaCy and torch load on first use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 128  # word pieces for "[CLS] question [SEP] window [SEP]"
MAX_QUESTION_TOKENS = 64


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
