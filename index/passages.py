"""Article -> numbered passages (one per paragraph, split to fit the embedder) with sentences.

Every sentence carries the named entities and noun phrases spaCy finds in it, with offsets
into the passage text, so answering never needs to run spaCy at question time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.ingest import Article

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

Mention = tuple[int, int, str]  # start, end (into the passage text), label


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into the passage text
    end: int
    text: str
    entities: tuple[Mention, ...] = ()
    chunks: tuple[Mention, ...] = ()  # noun phrases, label "NP"


@dataclass(frozen=True)
class Passage:
    id: str  # "¶9", or "¶9.2" for the second part of a paragraph too long to embed whole
    paragraph: int  # 1-based paragraph number in the article body
    text: str
    start: int  # offsets into Article.body
    end: int
    sentences: tuple[Sentence, ...]


def build_passages(
    article: Article,
    nlp: Language,
    count_tokens: Callable[[str], int],
    max_tokens: int,
) -> list[Passage]:
    """Passages for every body paragraph; a paragraph over `max_tokens` word pieces is split
    between sentences (or, for one giant sentence, between words) so nothing is cut."""
    budget = max_tokens - 2  # [CLS] and [SEP]
    passages: list[Passage] = []
    offset = 0
    for number, (paragraph, doc) in enumerate(
        zip(article.paragraphs, nlp.pipe(article.paragraphs, batch_size=32), strict=True), start=1
    ):
        sentences = [_sentence(s) for s in doc.sents if s.text.strip()]
        pieces = _fit(sentences, paragraph, count_tokens, budget)
        for part, (lo, hi, sents) in enumerate(pieces, start=1):
            pid = f"¶{number}" if len(pieces) == 1 else f"¶{number}.{part}"
            shifted = tuple(_shift(s, -lo) for s in sents)
            passages.append(
                Passage(pid, number, paragraph[lo:hi], offset + lo, offset + hi, shifted)
            )
        offset += len(paragraph) + 2  # paragraphs are joined by a blank line in Article.body
    return passages


def _sentence(span: Span) -> Sentence:
    base = span.start_char
    lead = len(span.text) - len(span.text.lstrip())
    text = span.text.strip()
    start = base + lead
    end = start + len(text)

    def inside(items: Iterable[Span], label: str | None) -> tuple[Mention, ...]:
        return tuple(
            (it.start_char, it.end_char, label or it.label_)
            for it in items
            if it.start_char >= start and it.end_char <= end
        )

    doc = span.doc
    return Sentence(start, end, text, inside(span.ents, None), inside(_chunks(doc, span), "NP"))


def _chunks(doc: object, span: Span) -> list[Span]:
    try:
        return list(span.noun_chunks)
    except (ValueError, NotImplementedError):  # no parser in the pipeline
        return []


def _shift(s: Sentence, by: int) -> Sentence:
    def move(ms: tuple[Mention, ...]) -> tuple[Mention, ...]:
        return tuple((a + by, b + by, label) for a, b, label in ms)

    return Sentence(s.start + by, s.end + by, s.text, move(s.entities), move(s.chunks))


def _fit(
    sentences: list[Sentence], paragraph: str, count_tokens: Callable[[str], int], budget: int
) -> list[tuple[int, int, list[Sentence]]]:
    """Group consecutive sentences into pieces of at most `budget` word pieces."""
    if not sentences or count_tokens(paragraph) <= budget:
        return [(0, len(paragraph), sentences)]
    units: list[Sentence] = []
    for s in sentences:
        units.extend(
            _split_words(s, count_tokens, budget) if count_tokens(s.text) > budget else [s]
        )
    pieces: list[tuple[int, int, list[Sentence]]] = []
    group: list[Sentence] = []
    for s in units:
        candidate = group + [s]
        if group and count_tokens(paragraph[candidate[0].start : s.end]) > budget:
            pieces.append((group[0].start, group[-1].end, group))
            candidate = [s]
        group = candidate
    pieces.append((group[0].start, group[-1].end, group))
    return pieces


def _split_words(s: Sentence, count_tokens: Callable[[str], int], budget: int) -> list[Sentence]:
    """One sentence too long for the model: cut it between words (and a word longer than the
    whole window between characters) into verbatim windows that fit."""
    spans = [
        piece for m in re.finditer(r"\S+", s.text) for piece in _pieces(m, count_tokens, budget)
    ]
    windows: list[tuple[int, int]] = []
    first = last = -1
    for a, b in spans:
        if first >= 0 and count_tokens(s.text[first:b]) > budget:
            windows.append((first, last))
            first = -1
        if first < 0:
            first = a
        last = b
    if first >= 0:
        windows.append((first, last))
    return [
        Sentence(
            s.start + a,
            s.start + b,
            s.text[a:b],
            tuple(e for e in s.entities if e[0] >= s.start + a and e[1] <= s.start + b),
            tuple(c for c in s.chunks if c[0] >= s.start + a and c[1] <= s.start + b),
        )
        for a, b in windows
    ]


def _pieces(
    m: re.Match[str], count_tokens: Callable[[str], int], budget: int
) -> list[tuple[int, int]]:
    """A word as (start, end) spans; a word over the window is cut between characters."""
    a, b = m.span()
    if b - a < budget or count_tokens(m.group(0)) <= budget:
        return [(a, b)]
    out = []
    while a < b:
        cut = min(b - a, budget)  # a word piece covers at least one character
        while cut > 1 and count_tokens(m.string[a : a + cut]) > budget:
            cut //= 2
        out.append((a, a + cut))
        a += cut
    return out
