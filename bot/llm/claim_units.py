"""A figure's unit (`bot.llm.claims` checks it): the measure word that follows a figure in a
claim must be the one that follows that figure in the cited text. "after 45 minutes" is not
"after 45 seconds", even when "minute" is elsewhere in the cited sentence ("a 79th-minute own
goal"): the content-word check finds the word, and the figure's neighbours are within reach,
so only the word right after the figure tells them apart."""

from __future__ import annotations

import functools
import re

from bot.llm.claim_tokens import Token, tokens

# measure words, each with its other spellings: a figure's unit when it follows the figure
_UNITS = """second seconds sec secs | minute minutes min mins | hour hours hr hrs | day days |
week weeks | fortnight fortnights | month months | year years yr yrs | decade decades |
century centuries | point points pts | pence penny pennies | metre metres meter meters |
kilometre kilometres kilometer kilometers km | mile miles | yard yards | foot feet ft |
inch inches | kilogram kilograms kilo kilos kg | tonne tonnes ton tons | litre litres liter
liters | gallon gallons | barrel barrels | acre acres | hectare hectares | degree degrees |
time times"""
_PERCENT = "%"


@functools.cache
def _unit_keys() -> dict[str, str]:
    """A measure word's key -> its unit's name (the first spelling)."""
    out: dict[str, str] = {}
    for group in _UNITS.split("|"):
        words = group.split()
        for t in tokens(" ".join(words)):
            out.setdefault(t.key, words[0])
    return out


def unit_of(toks: list[Token], at: int) -> str:
    """The unit of the figure toks[at]: "%" for a share, else the measure word right after
    it, over function words ("45 of the seconds" is no unit: a figure's unit is the word that
    follows it); "percentage points" are points. "" when no measure word follows."""
    if toks[at].key.endswith(_PERCENT):
        return _PERCENT
    j = at + 1
    if j < len(toks) and toks[j].key == "percentag":
        j += 1
    if j < len(toks) and toks[j].kind == "word":
        return _unit_keys().get(toks[j].key, "")
    return ""


def _currency(key: str) -> str:
    return key[0] if key[:1] in "$£€¥" else ""


def _bare(key: str) -> str:
    return re.sub(r"^[$£€¥]|%$", "", key)


def unit_changed(said: list[Token], texts: list[list[Token]]) -> str:
    """Why a figure of the claim carries another unit than the same figure in the cited text
    ("45 minutes" for "45 seconds"; "4.4 million tons" for "4.4 million pounds", read as
    money), or "". Only a unit the cited text does give counts: a figure the cited text
    gives with no measure word after it ("aged 45") leaves the claim's unit to the other
    checks."""
    for i, t in enumerate(said):
        if t.kind != "num":
            continue
        ours = unit_of(said, i)
        shares = [
            s.key.endswith(_PERCENT)
            for toks in texts
            for s in toks
            if s.kind == "num" and _bare(s.key) == _bare(t.key)
        ]
        if not ours and shares and all(shares):  # "91 negative responses" for "a 91% ..."
            return f"gives {_bare(t.key)} as a count; the cited text gives {_bare(t.key)}%"
        if not ours:
            continue
        theirs = {  # a sum of money is measured in its currency ("4.4 million pounds")
            _currency(s.key) or unit_of(toks, s.at)
            for toks in texts
            for s in toks
            if s.kind == "num" and _bare(s.key) == _bare(t.key)
        } - {""}
        if theirs and ours not in theirs:
            given = ", ".join(sorted(theirs))
            return f"gives {_bare(t.key)} in {ours}; the cited text gives it in {given}"
    return ""


def unit_moved(claim: str, texts: list[list[Token]]) -> str:
    """A figure's unit joined to it ("a 12-song set") must follow that figure in the cited
    text ("12-minute" is another unit, even with "songs" nearby)."""
    for m in re.finditer(r"(?<![\w.,])(\d+(?:\.\d+)?)-([A-Za-z]+)", claim):
        figure, unit = tokens(m.group(1))[0].key, tokens(m.group(2))[0].key
        pairs = {(a.key, b.key) for toks in texts for a, b in zip(toks, toks[1:], strict=False)}
        if (figure, unit) not in pairs:
            return f"says {m.group(0)}; the cited text gives {m.group(1)} another unit"
    return ""


def counted_changed(said: list[Token], texts: list[list[Token]]) -> str:
    """Why a figure of the claim counts another thing than the same figure in the cited text,
    when the thing it counts there is one the cited text counts with another figure ("643
    million people" for "643 million homes and a TV audience of 4.7 billion people") or a
    name ("224 Americans" for "224 people"), or ""."""
    counted: dict[str, str] = {}  # figure -> the (last) word right after it in the cited text
    after_all: dict[str, set[str]] = {}  # figure -> every word or name right after it there
    for toks in texts:
        for s in toks[:-1]:
            if s.kind == "num":
                nxt = toks[s.at + 1]
                after_all.setdefault(_bare(s.key), set()).add(nxt.key)
                if nxt.kind == "word":
                    counted[_bare(s.key)] = nxt.key
    for i, t in enumerate(said[:-1]):
        after = said[i + 1]
        theirs = counted.get(_bare(t.key))
        if t.kind != "num" or theirs is None or after.key in after_all[_bare(t.key)]:
            continue
        # a name the count is narrowed to ("224 Americans" for "224 people") counts others
        if (after.kind == "word" and after.key in counted.values()) or after.kind == "name":
            return f"gives {_bare(t.key)} {after.key}; the cited text gives {_bare(t.key)} {theirs}"
    return ""


def rate_changed(said: list[Token], texts: list[list[Token]]) -> str:
    """Why a figure's "per ..." in the claim is not the one the cited text gives that figure
    ("$15 million per listed species" for "$15 million per year"), or ""."""
    rates: dict[str, set[str]] = {}  # figure -> the words of its "per ..." in the cited text
    for toks in texts:
        for s in toks[:-2]:
            if s.kind == "num" and toks[s.at + 1].key == "per":
                words = {t.key for t in toks[s.at + 2 : s.at + 4] if t.kind in ("word", "name")}
                rates.setdefault(_bare(s.key), set()).update(words)
    for t in said[:-2]:
        if t.kind != "num" or said[t.at + 1].key != "per":
            continue
        ours = next((x.key for x in said[t.at + 2 : t.at + 4] if x.kind in ("word", "name")), "")
        theirs = rates.get(_bare(t.key))
        if ours and theirs and ours not in theirs:
            return f"gives {_bare(t.key)} per {ours}; the cited text gives it per {min(theirs)}"
    return ""
