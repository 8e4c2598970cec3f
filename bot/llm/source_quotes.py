"""The article's own sentences where the model's could not be verified.

A model sentence the check removes (`bot.llm.claims`) is often right, in words the check
cannot follow ("they beat Manchester City" for "they defeated Manchester City"); sometimes it
is wrong. Either way the sentence it cited is article text the reader can trust. So an answer
that keeps at least one verified sentence quotes, word for word and in the removed one's place
(the order the model gave), the whole sentences the removed ones cited: the reader gets the
article's words in place of the model's, never the model's unverified ones. A sentence is
quoted whole, never a fragment of it (a fragment can drop the "may" or "believes" before it),
at most once, and not where a kept citation already holds what it quoted; a sentence inside a
quotation opened earlier is quoted from the sentence that opens it, so it keeps its speaker, and
one that opens with a pronoun ("He", "It", "The latter") together with the sentence before it
in its passage, so the reader learns who or what that is, unless that sentence is shown already.
A citation of a passage the model was not given, a quote that is not in it word for word and
an instruction planted in the article quote nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.llm.claim_answers import without_answer
from bot.llm.claim_sentences import planted, sentence_spans, split_reply
from bot.qa.citations import Citation, CitationError, cite, cite_quote
from index.passages import Passage

LONGEST = 400  # characters: a longer "sentence" (a list, a table row) is not quoted whole
_QUOTE_MARKS = frozenset('"“”')
_LEANS_BACK = re.compile(
    r"(?:He|She|It|They|His|Her|Its|Their|This|These|That|Those|The latter|The former)\b"
)


def cited_sentences(
    citations: Iterable[tuple[str, str]], passages: Sequence[Passage]
) -> list[tuple[Citation, Citation]]:
    """(the quote, the whole sentence that holds it) for each (passage id, quote) citation
    (a quote across sentences: its part in each sentence, with that sentence), where the
    passage was given and holds the quote word for word; planted instructions left out."""
    by_id = {p.id: p for p in passages}
    out: list[tuple[Citation, Citation]] = []
    for pid, quote in citations:
        passage = by_id.get(pid)
        if passage is None:
            continue
        try:
            found = cite_quote(passage, quote)
        except CitationError:
            continue
        spans = sentence_spans(passage.text)
        for a, b in spans:
            if a < found.end and b > found.start:
                whole = cite(passage, _opened(passage.text, spans, a), b)
                if planted(whole.quote):  # a planted lead: the sentence alone
                    whole = cite(passage, a, b)
                if not planted(whole.quote):  # the part of the quote in this sentence
                    part = cite(passage, max(a, found.start), min(b, found.end))
                    out.append((part, whole))
    return out


def _opened(text: str, spans: Sequence[tuple[int, int]], start: int) -> int:
    """Where a sentence starting at `start` is best quoted from: inside a quotation opened in
    an earlier sentence ('... at the hands of his father: "My hair was pulled. I was hit with
    belts.'), from the sentence that opens it, so the quote keeps its speaker; outside one, a
    sentence opening with a pronoun ("It cost £4m.") from the sentence before it. Either lead
    only within LONGEST characters."""
    end = next((b for a, b in spans if a == start), start)
    marks = [i for i, ch in enumerate(text[:start]) if ch in _QUOTE_MARKS]
    if len(marks) % 2 == 0:  # not inside a quotation: a pronoun opening reaches one back
        before = [a for a, _ in spans if a < start]
        if before and _LEANS_BACK.match(text, start) and end - before[-1] <= LONGEST:
            return before[-1]
        return start
    opening = max((a for a, _ in spans if a <= marks[-1]), default=start)
    return opening if end - opening <= LONGEST else start  # too long: the sentence alone


def _unshown(whole: Citation, shown: Sequence[Citation], passages: Sequence[Passage]) -> Citation:
    """`whole` less the sentences at its start that a shown citation already holds (a lead
    taken for its pronoun or its quotation's speaker)."""
    ends = [c.end for c in shown if c.passage == whole.passage and c.start <= whole.start < c.end]
    if not ends:
        return whole
    passage = next(p for p in passages if p.id == whole.passage)
    start = next((a for a, _ in sentence_spans(passage.text) if a >= max(ends)), whole.end)
    return cite(passage, start, whole.end) if start < whole.end else whole


def covered(c: Citation, others: Iterable[Citation]) -> bool:
    """Is all of `c` inside one of `others` (the same passage's text)?"""
    return any(o.passage == c.passage and o.start <= c.start and c.end <= o.end for o in others)


def woven(
    raw: str, passages: Sequence[Passage], kept: Sequence[tuple[str, Sequence[Citation]]]
) -> tuple[str, list[Citation]]:
    """The answer as the reader gets it: the `kept` sentences (`check_reply`'s, in the reply's
    order) and, where the reply `raw` has a removed sentence, the whole article sentences it
    cited, where no kept citation already holds what it quoted, each once, in its place:
    'From the article, ¶7: “...”'. Also the quoted sentences, as citations."""
    marked = [c for _, cs in kept for c in cs]
    parts: list[str] = []
    quotes: list[Citation] = []
    k = 0
    for sentence in split_reply(raw):
        if k < len(kept) and kept[k][0] in (sentence.text, without_answer(sentence.text)):
            parts.append(kept[k][0])
            k += 1
            continue
        pairs = [pair for unit in sentence.units for pair in unit.citations]
        for found, whole in cited_sentences(pairs, passages):
            whole = _unshown(whole, [*marked, *quotes], passages)
            if len(whole.quote) <= LONGEST and not covered(found, [*marked, *quotes]):
                quotes.append(whole)
                parts.append(f"From the article, {whole.passage}: “{whole.quote}”")
    parts += [text for text, _ in kept[k:]]  # none: each kept sentence is one of the reply's
    return " ".join(parts), quotes
