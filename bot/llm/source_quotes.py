"""The article's own sentences where the model's could not be verified.

A model sentence the check removes (`bot.llm.claims`) is often right, in words the check
cannot follow ("they beat Manchester City" for "they defeated Manchester City"); sometimes it
is wrong. Either way the sentence it cited is article text the reader can trust. So an answer
that keeps at least one verified sentence also quotes, word for word, the whole sentences the
removed ones cited: the reader gets the article's words in place of the model's, never the
model's unverified ones. A sentence is quoted whole, never a fragment of it (a fragment can drop
the "may" or "believes" before it), at most once, and not where a shown citation already marks
it. A citation of a passage the model was not given, a quote that is not in it word for word and
an instruction planted in the article quote nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.llm.claim_sentences import planted, sentence_spans, split_reply
from bot.qa.citations import Citation, CitationError, cite, cite_quote
from index.passages import Passage

LONGEST = 400  # characters: a longer "sentence" (a list, a table row) is not quoted whole


def cited_sentences(
    citations: Iterable[tuple[str, str]], passages: Sequence[Passage]
) -> list[Citation]:
    """The whole sentences that hold each (passage id, quote) citation, where the passage was
    given and holds the quote word for word; planted instructions left out."""
    by_id = {p.id: p for p in passages}
    out: list[Citation] = []
    for pid, quote in citations:
        passage = by_id.get(pid)
        if passage is None:
            continue
        try:
            found = cite_quote(passage, quote)
        except CitationError:
            continue
        for a, b in sentence_spans(passage.text):
            if a < found.end and b > found.start:
                whole = cite(passage, a, b)
                if whole not in out and not planted(whole.quote):
                    out.append(whole)
    return out


def overlaps(c: Citation, others: Iterable[Citation]) -> bool:
    """Does any of `others` mark part of the same passage text as `c`?"""
    return any(o.passage == c.passage and o.start < c.end and c.start < o.end for o in others)


def quoted_instead(
    raw: str, passages: Sequence[Passage], shown: Sequence[Citation]
) -> list[Citation]:
    """The whole sentences the reply `raw` cites that none of the `shown` citations (those of
    the verified sentences) marks, in the reply's order, each once."""
    chosen: list[Citation] = []
    for sentence in split_reply(raw):
        pairs = [pair for unit in sentence.units for pair in unit.citations]
        for whole in cited_sentences(pairs, passages):
            if len(whole.quote) <= LONGEST and not overlaps(whole, [*shown, *chosen]):
                chosen.append(whole)
    return chosen


def with_quotes(text: str, quotes: Sequence[Citation]) -> str:
    """The verified answer `text`, then the quoted sentences: 'From the article: “...”'."""
    if not quotes:
        return text
    return f"{text} From the article: " + " ".join(f"“{q.quote}”" for q in quotes)
