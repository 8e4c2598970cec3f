"""Citations: a passage id plus a verbatim quote from it, checked in code every time."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.record import FIRST, Record
from index.passages import Passage


class CitationError(ValueError):
    """A quote that is not an exact substring of the passage it cites."""


@dataclass(frozen=True)
class Citation(Record):
    passage: str  # "¶9"
    text: str  # the whole passage
    quote: str  # exactly text[start:end]
    start: int
    end: int
    article: str | None = field(
        default=None, metadata=FIRST
    )  # set when a question spans several articles

    @property
    def label(self) -> str:
        return f"{self.article} {self.passage}" if self.article else self.passage


def cite(passage: Passage, start: int, end: int) -> Citation:
    """Cite `passage.text[start:end]`, trimmed of surrounding spaces."""
    quote = passage.text[start:end]
    lead = len(quote) - len(quote.lstrip())
    quote = quote.strip()
    return verified(
        Citation(passage.id, passage.text, quote, start + lead, start + lead + len(quote))
    )


def cite_quote(passage: Passage, quote: str) -> Citation:
    """Cite a quote given as text; raises `CitationError` if the passage does not contain it."""
    at = passage.text.find(quote)
    if not quote or at < 0:
        raise CitationError(f"quote not found verbatim in {passage.id}: {quote[:60]!r}")
    return verified(Citation(passage.id, passage.text, quote, at, at + len(quote)))


def verified(c: Citation) -> Citation:
    """Every citation leaves through here: the quote must be the passage text at its offsets."""
    if not c.quote or c.text[c.start : c.end] != c.quote:
        raise CitationError(f"quote is not verbatim at {c.passage}[{c.start}:{c.end}]")
    return c
