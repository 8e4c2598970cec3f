"""Wrong options and swapped facts: names of the same kind that are not variants of the key,
figures of the same unit and magnitude the article never states."""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence

from bot.brief.facts import FIGURE, ArticleSentence, Person, canonical_name, figure_in, name_key
from bot.qa.context_words import FEMALE_TITLES, MALE_TITLES
from bot.quiz.slots import place_slot, sort_of
from index.people_words import ROLE_NOUNS

KINDS = {
    "PERSON": "PERSON",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "ORG": "ORG",
    "NORP": "NORP",
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


def distinct(
    key: str, pool: list[str], rng: random.Random, k: int = 3, ordered: bool = False
) -> list[str] | None:
    """k options from pool that are neither the key nor variants of it or of each other;
    `ordered`: taken in pool order (the article's names before a typed list's)."""
    picked: list[str] = []
    candidates = pool[:]
    if not ordered:
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


def _named_in(person: Person, sentence: str) -> bool:
    return any(
        re.search(rf"\b{re.escape(n)}\b", sentence) for n in (person.name, *person.aliases) if n
    )


_HE = re.compile(r"\b(?:he|his|him|himself)\b", re.IGNORECASE)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)


def pronoun_gender(text: str) -> str | None:
    """ "m" or "f" when `text` refers to a person as he or she (and not both), else None."""
    he, she = bool(_HE.search(text)), bool(_SHE.search(text))
    return None if he == she else "m" if he else "f"


def gender(person: Person, body: str) -> str | None:
    """What the article calls `person`: "m" for "Mr X" or a "he" right after a name of theirs
    in the same sentence, "f" for "Ms X" or a "she"; None when it never says, or says both."""
    return _gender(tuple(sorted({person.name, *person.aliases}, key=len, reverse=True)), body)


@functools.lru_cache(maxsize=1024)
def _gender(names: tuple[str, ...], body: str) -> str | None:
    forms = {n.split()[-1] for n in names if n} | {n for n in names if n}  # surname, full name
    said = set()
    for form in forms:  # the titles the follow-up reader uses too (bot/qa/context_words.py)
        for m in re.finditer(rf"\b([A-Z][a-z]+)\.?\s+{re.escape(form)}\b", body):
            title = m.group(1).lower()
            said |= {"m"} if title in MALE_TITLES else {"f"} if title in FEMALE_TITLES else set()
    for name in names:
        for m in re.finditer(rf"\b{re.escape(name)}\b", body):
            rest = re.split(r"(?<=[.!?])\s", body[m.end() : m.end() + 200], maxsplit=1)[0]
            if g := pronoun_gender(re.split(r"\b[A-Z][a-z]+\s[A-Z][a-z]+", rest)[0]):
                said.add(g)  # up to the next full name in the sentence
    return said.pop() if len(said) == 1 else None


def fits_pronouns(person: Person, after: str, body: str) -> bool:
    """Whether `person` can fill a name slot followed by `after` ("... as he sang"): a slot
    the sentence calls "he" takes only someone the article calls "he"."""
    wanted = pronoun_gender(after)
    return wanted is None or gender(person, body) == wanted


_FUNCTION = frozenset("the a an of and in for on at to s mr ms mrs dr".split())


def name_fits_pronouns(name: str, after: str, people: list[Person], body: str) -> bool:
    """Whether the person named `name` can fill a slot followed by `after` (see fits_pronouns)."""
    who = canonical_name(name, people)
    person = next((p for p in people if p.name == who), None)
    return person is None or fits_pronouns(person, after, body)


def name_words(text: str) -> set[str]:
    """The words of the names in `text` (its capitalised words), without "The", "of", "Mr"."""
    names = " ".join(re.findall(r"\b[A-Z][\w'’.-]*", text))
    return set(name_key(names).split()) - _FUNCTION


def fact_swaps(
    s: ArticleSentence, people: list[Person], body: str, places: Sequence[str] = ()
) -> list[tuple[tuple[int, int], str]]:
    """Like-for-like swaps that make a sentence false: one of the article's people for
    another (a title before the name goes with it), a figure for one in the same unit.
    A place is swapped only for another place of the same sort (a country for a country, a
    US state for a US state) among `places`, the ones the article itself names, and never
    for one the sentence names: a place from outside the story ("war in Armenia" in a story
    on Ukraine) is false for a silly reason."""
    out: list[tuple[tuple[int, int], str]] = []
    text = s.passage.text
    for a, b, label in entities(s):
        span = text[a:b]
        if label == "PERSON" and span[:1].isupper():
            who = canonical_name(span, people)
            if who is None:
                continue  # not one of the article's people: a bill, a company, a song
            title = re.search(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir)\.?\s$", text[:a])
            start = title.start() if title else a
            role = re.search(r"\b([A-Z][a-z]+)\s$", text[max(a - 30, 0) : a])
            if role and role.group(1).lower() in ROLE_NOUNS:
                continue  # "President Mervyn King": the role would stay with another name
            sex = next((gender(p, body) for p in people if p.name == who), None)
            sentence = text[s.sentence.start : s.sentence.end]
            # never someone the sentence already names: "X, where Norman Cook is a neighbour"
            # made "Norman Cook ..., where Norman Cook is a neighbour"
            after = text[b : s.sentence.end]  # "Fergie ... remove his jacket as he sang"
            out += [
                ((start, b), p.name)
                for p in people
                if p.name != who
                and not _named_in(p, sentence)
                and fits_pronouns(p, after, body)
                and (sex is None or gender(p, body) == sex)  # not "Mr Y" (or who?) for "Mrs X"
            ]
        elif (
            label in ("GPE", "LOC")
            and place_slot(text, a, b)
            and (sort := sort_of(span, text[s.sentence.start : a]))
        ):
            sentence = text[s.sentence.start : s.sentence.end]
            others = [o for o in dict.fromkeys(places) if sort_of(o) == sort and o not in sentence]
            out += [((a, b), o) for o in random.Random(a).sample(others, min(2, len(others)))]
        elif label in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
            at = figure_in(text, a, b)
            if at:
                figure = text[at[0] : at[1]]
                out += [(at, d) for d in number_distractors(figure, body, random.Random(a))[:1]]
    return out


def number_distractors(key: str, body: str, rng: random.Random) -> list[str]:
    """Figures in the key's currency, scale and unit and of its magnitude that the article
    never states (so none is also true: 11,000 is not offered against 10,000 when both are in
    the text); a share stays within 100%; a bare year gets none."""
    m = FIGURE.fullmatch(key.strip())
    if not m:
        return []
    digits = m.group("num")
    value = float(digits.replace(",", ""))
    share = bool(m.group("pct"))
    if not (m.group("cur") or m.group("scale") or share) and 1900 <= value <= 2100:
        return []  # a year: its neighbours are no test of reading
    stated = {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", body)}
    factors = [0.5, 2.0, 1.5, 0.75, 3.0, 1.25, 0.25, 4.0]
    rng.shuffle(factors)
    decimals = min(len(digits.split(".")[1]) if "." in digits else 0, 1)
    out: list[str] = []
    for f in factors:
        v = value * f
        # two significant figures for large numbers; small ones keep the key's decimals
        v = round(v, -max(len(str(int(v))) - 2, 0)) if v >= 100 else round(v, decimals)
        if v <= 0 or v == value or v in stated or (share and v > 100):
            continue
        if decimals and v < 100:
            text = f"{v:.{decimals}f}"
        else:
            text = f"{int(v):,}" if "," in digits or v >= 10_000 else str(int(v))
        text = f"{m.group('cur') or ''}{text}{m.group('scale') or ''}{m.group('pct') or ''}"
        if text not in out:
            out.append(text)
    return out
