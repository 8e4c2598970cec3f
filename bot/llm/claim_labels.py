"""A label the cited text shortens ("Att: 47,111", "Ref: S Bennett"), as a claim spells it
out ("The attendance was 47,111", "The referee was S Bennett"); `bot.llm.claims` asks.

A claim word the cited text lacks counts as said when the cited text has a short
capitalised label ending in a colon that the word starts with, and the first word the claim
puts after the word (function words skipped) is the first word after the label's colon:
the label and the value go together on both sides. Nothing else is read as an
abbreviation."""

from __future__ import annotations

from bot.llm.claim_tokens import Token

_CONTENT = ("num", "name", "word")


def _next(toks: list[Token], i: int, over_marks: bool = False) -> str:
    """The key of the first content token after toks[i] (past function words, and a mark
    when `over_marks`), or ""."""
    j = i + 1
    while j < len(toks) and (toks[j].kind == "free" or (over_marks and toks[j].kind == "mark")):
        j += 1
    return toks[j].key if j < len(toks) and toks[j].kind in _CONTENT else ""


def _label(said: list[Token], i: int, texts: list[list[Token]]) -> str:
    """The key of the label of the cited text said[i] spells out, whose value follows it in
    both, or ""."""
    word, value = said[i].key, _next(said, i)
    if said[i].kind != "word" or not value or len(word) < 4:
        return ""
    for toks in texts:
        for j, t in enumerate(toks[:-1]):
            label = t.key
            if t.kind != "name" or not 3 <= len(label) <= 4 or toks[j + 1].key != ":":
                continue
            if word.startswith(label) and word != label and _next(toks, j, True) == value:
                return label
    return ""


def spelled_out(said: list[Token], texts: list[list[Token]]) -> list[Token]:
    """`said` with each word that spells out a label of the cited text as that label."""
    keys = {t.key for toks in texts for t in toks}
    out = []
    for i, t in enumerate(said):
        label = "" if t.key in keys else _label(said, i, texts)
        out.append(Token(label, "name", t.at) if label else t)
    return out
