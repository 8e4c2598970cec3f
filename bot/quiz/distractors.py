"""Wrong options and swapped facts: names of the same kind that are not variants of the key,
figures of the same unit and magnitude the article never states."""

from __future__ import annotations

import random
import re

from bot.brief.facts import ArticleSentence, Person, name_key

KINDS = {
    "PERSON": "PERSON",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "ORG": "ORG",
    "NORP": "NORP",
}


# Used only when the article has too few names of a kind to make four options.
FALLBACK = {
    "PLACE": ("France", "Brazil", "Japan", "Canada", "Egypt", "India", "Mexico", "Norway"),
    "NORP": ("French", "Brazilian", "Japanese", "Canadian", "Egyptian", "Indian"),
}


def entities(s: ArticleSentence) -> list[tuple[int, int, str]]:
    """The sentence's entities without a possessive ending ("Russia’s" -> "Russia"), and
    without fragments of a longer name or title ("Defense" in "Defense Secretary ...")."""
    text = s.passage.text
    out = []
    for a, b, label in s.sentence.entities:
        if text[b - 2 : b] in ("’s", "'s"):
            b -= 2
        if re.match(r"\s+[A-Z]", text[b : b + 2]) and label not in ("CARDINAL", "QUANTITY"):
            continue
        if b - a >= 2:
            out.append((a, b, label))
    return out


def distinct(key: str, pool: list[str], rng: random.Random, k: int = 3) -> list[str] | None:
    """k options from pool that are neither the key nor variants of it or of each other."""
    picked: list[str] = []
    candidates = pool[:]
    rng.shuffle(candidates)
    for c in candidates:
        keys = [name_key(key)] + [name_key(p) for p in picked]
        if not any(same_name(name_key(c), x) for x in keys):
            picked.append(c)
        if len(picked) == k:
            return picked
    return None


def people_words(people: list[Person]) -> set[str]:
    return {w for p in people for a in p.aliases | {p.name} for w in name_key(a).split()}


def same_name(a: str, b: str) -> bool:
    """Keys of one person or place: equal, or one part of the other ("kim", "kim yong hyun")."""
    return a == b or set(a.split()) <= set(b.split()) or set(b.split()) <= set(a.split())


def fact_swaps(
    s: ArticleSentence, sents: list[ArticleSentence], body: str
) -> list[tuple[tuple[int, int], str]]:
    out: list[tuple[tuple[int, int], str]] = []
    text = s.passage.text
    for a, b, label in entities(s):
        span = text[a:b]
        # Places are not swapped: a capital for its country ("Seoul" for "South Korea") would
        # make a "false" statement that is arguably true.
        if label == "PERSON" and span[:1].isupper():
            others = {
                o.passage.text[x:y]
                for o in sents
                for x, y, lab in o.sentence.entities
                if lab == label and not same_name(name_key(o.passage.text[x:y]), name_key(span))
            }
            out += [((a, b), o) for o in sorted(others) if o[:1].isupper()]
        elif label in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT") and re.search(r"\d", span):
            out += [((a, b), d) for d in number_distractors(span, body, random.Random(a))[:1]]
    return out


def number_distractors(key: str, body: str, rng: random.Random) -> list[str]:
    """Figures of the same unit and magnitude that the article never states (so none of them
    is also true: 11,000 is not offered against 10,000 when both are in the text)."""
    m = re.match(r"(\d[\d,.]*)(.*)", key)
    if not m:
        return []
    digits, unit = m.group(1), m.group(2)
    try:
        value = float(digits.replace(",", ""))
    except ValueError:
        return []
    stated = {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", body)}
    factors = [0.5, 2.0, 1.5, 3.0, 0.25, 4.0, 0.75, 5.0]
    rng.shuffle(factors)
    out = []
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    for f in factors:
        v = value * f
        # two significant figures for large numbers; small ones keep at most one decimal
        v = round(v, -max(len(str(int(v))) - 2, 0)) if v >= 100 else round(v, min(decimals, 1))
        if v <= 0 or v == value or v in stated:  # compared after rounding, as it is shown
            continue
        if decimals and v < 100:
            text = f"{v:.{min(decimals, 1)}f}"
        else:
            text = f"{int(v):,}" if "," in digits or v >= 10_000 else str(int(v))
        text += unit
        if text not in out:
            out.append(text)
    return out
