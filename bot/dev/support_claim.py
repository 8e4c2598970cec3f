"""A claim made from a parsed sentence (`Claim`) for the support model's training pairs
(`bot.dev.support_data`): the sentence with some words dropped and some spans rewritten."""

from __future__ import annotations

import re
from typing import Any


class Claim:
    """A claim made from a parsed sentence: some tokens dropped, some spans rewritten."""

    def __init__(self, sent: Any) -> None:
        self.sent = sent
        self.dropped: set[int] = set()
        self.edits: dict[int, str] = {}  # token index in the doc -> text put in its place

    def copy(self) -> Claim:
        c = Claim(self.sent)
        c.dropped, c.edits = set(self.dropped), dict(self.edits)
        return c

    def kept(self, span: Any) -> bool:
        return all(t.i not in self.dropped and t.i not in self.edits for t in span)

    def put(self, span: Any, text: str) -> None:
        self.edits[span[0].i] = text
        self.dropped.update(t.i for t in span[1:])

    def text(self) -> str:
        out = []
        for t in self.sent:
            if t.i in self.edits:
                out.append(self.edits[t.i] + t.whitespace_)
            elif t.i not in self.dropped:
                gap = t.i + 1 in self.dropped  # a space where the dropped words were
                out.append(t.text + (t.whitespace_ or (" " if gap else "")))
        s = re.sub(r"\s+", " ", "".join(out)).strip()
        s = re.sub(r"\s+([,.;:)])", r"\1", s)
        s = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", s)
        s = re.sub(r"^[,;:\s]+|[,;:\s]+(?=\.?$)", "", s)
        s = re.sub(r"\(\s*\)", "", s)
        if not s:
            return s
        s = s[0].upper() + s[1:]
        return s if s.endswith((".", "!", "?", '"')) else s + "."
