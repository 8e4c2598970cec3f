"""A claim's words as comparable tokens (`bot.llm.claims` checks them): stems, numbers with
their scale and currency, names, negations, and the function and reporting words that add no
fact; spelled-out names the texts also give as an acronym collapse to it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.qa.lexical import fold, stem

# Words that carry no fact of their own: articles, pronouns, auxiliaries, prepositions,
# conjunctions, titles. Quantifiers, modals and negations are NOT here: they change claims.
FUNCTION_WORDS = frozenset(
    """a an the this that these those it its it's itself he him his himself she her hers
    herself they them their theirs themselves we us our ours you your i me my who whom whose
    which what when where why how there here is are was were be been being am has have had
    having do does did doing done of in on at to for from by with as into onto upon toward
    towards via and or but so then than also too very just while whilst both either
    whether if because since though although per cent percent mr ms mrs dr about around
    there's that's one's""".split()
)
# Verbs that report who said a thing; a faithful paraphrase may add them ("X said ...").
REPORTING_WORDS = frozenset(
    "say says said saying stated states according told tell tells added adds".split()
)
# "lacked the seal" says it had none ("lack" as a noun, "a lack of", reads the same way)
NEGATIONS = frozenset(
    "not no never nor neither none nobody nothing nowhere without cannot lack lacks lacked"
    " lacking".split()
)
MODALS = frozenset("will would may might could can should must shall".split())
# Discourse connectives link a sentence to the one before; they assert no fact of their own.
CONNECTIVES = frozenset(
    "however moreover furthermore additionally nevertheless nonetheless likewise".split()
)
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen twenty""".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
     "ninety": 90, "dozen": 12}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
           "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12}  # fmt: skip
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|[0-9]+(?:[.,][0-9]+)*(?:bn|mn|m|k|tn)?\b|[^\W_]+(?:['’][^\W_]+)*"
)
_CLAUSE = re.compile(
    r"(?:[A-Za-z]\.){2,}|(?<![\w.])\.[0-9]+\b%?|[0-9]+(?:[.,][0-9]+)*(?:bn|mn|m|k|tn)?\b%?|[^\W_]+(?:['’][^\W_]+)*|[,;:()—–]|(?<=\s)-(?=\s)|[.!?](?!\w)|[$£€¥](?=\s?[0-9])"
)
# a name as text: capitalised words, with the lower-case particles names carry ("Muammar
# al-Gaddafi", "Wernher von Braun", "Charles de Gaulle")
_WORD = r"(?:[a-z]{1,3}-)?[A-Z][\w'’-]+"
NAME_PATTERN = rf"(?:{_WORD}\s+(?:(?:von|van|de|der|da|di|du|del|bin|ibn|le|la)\s+)?)*{_WORD}"
_CURRENCY = {"$": "$", "£": "£", "€": "€", "¥": "¥"}
_CURRENCY_WORDS = {"dollar": "$", "dollars": "$", "pound": "£", "pounds": "£", "euro": "€",
                   "euros": "€", "yen": "¥"}  # fmt: skip
_NUMBER = re.compile(r"([0-9]+(?:[.,][0-9]+)*)(bn|mn|m|k|tn)?$")


@dataclass(frozen=True)
class Token:
    key: str  # what is compared: a stem, a number's value, an acronym
    kind: str  # "num", "name", "word", "free" (function / reporting word), "neg", "mark"
    at: int  # position in the token list
    adjective: bool = False  # a name used as an adjective ("Korean", "Russian")


def _number_value(text: str) -> float | None:
    m = _NUMBER.match(text.lower())
    if not m:
        return None
    digits, scale = m.group(1), m.group(2)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits):
        digits = digits.replace(",", "")
    try:
        value = float(digits.replace(",", "."))
    except ValueError:
        return None
    return value * _SCALES[scale] if scale else value


def _number_key(value: float) -> str:
    return f"{value:.6g}"


def tokens(text: str, aliases: dict[tuple[str, ...], str] | None = None) -> list[Token]:
    """The words of `text` as comparable tokens; numbers are merged with their scale word
    ("3.2 billion" is one number) and spelled-out names collapse to their acronym."""
    # a figure written from its decimal point (".429", a batting average) is 0.429, not 429
    raw = ["0" + w if w[0] == "." and w[1:2].isdigit() else w for w in _CLAUSE.findall(fold(text))]
    out: list[Token] = []
    i = 0
    money = ""
    while i < len(raw):
        w = raw[i]
        if out and out[-1].kind == "num":
            money = ""
        if w in _CURRENCY:  # "$515m": the currency is part of the figure
            money = _CURRENCY[w]
            i += 1
            continue
        if not w[0].isalnum():  # punctuation: a clause mark; no word and no name spans it
            out.append(Token(w, "mark", len(out)))
            i += 1
            continue
        pct = w[0].isdigit() and w.endswith("%")  # a share: "1.9%" is not "1.9 times"
        w = w.removesuffix("%") if pct else w
        low = w.lower().replace("’", "'")
        value = _number_value(w) if w[0].isdigit() else None
        if value is None and low in _NUMBER_WORDS and not _one_of(raw, i):
            value = float(_NUMBER_WORDS[low])
        if value is not None:
            while i + 1 < len(raw) and raw[i + 1].lower() in _SCALES:
                value *= _SCALES[raw[i + 1].lower()]
                i += 1
            if i + 1 < len(raw) and raw[i + 1].lower() in _CURRENCY_WORDS:
                money = _CURRENCY_WORDS[raw[i + 1].lower()]
                i += 1
            after = [x.lower() for x in raw[i + 1 : i + 3]]
            if not pct and after[:1] == ["percent"]:
                pct, i = True, i + 1
            elif not pct and after == ["per", "cent"]:
                pct, i = True, i + 2
            out.append(Token(money + _number_key(value) + "%" * pct, "num", len(out)))
        elif low in ("a", "an") and i + 1 < len(raw) and raw[i + 1].lower() in _SCALES:
            continue_value = _SCALES[raw[i + 1].lower()]
            i += 1
            out.append(Token(_number_key(continue_value), "num", len(out)))
        elif "." in w or (len(w) >= 2 and w.isupper() and w.isalpha()):
            out.append(Token(low.replace(".", ""), "name", len(out)))  # U.S. = US
        elif (low in NEGATIONS or low.endswith("n't")) and not (
            w[0].isupper() and out and out[-1].kind == "name"
        ):  # "Flying Without Wings", "Always Outnumbered Never Outgunned": a title's word
            out.append(Token("not", "neg", len(out)))
        elif low in FUNCTION_WORDS or low in REPORTING_WORDS or low in _SCALES or _free(raw, i):
            out.append(Token(low, "free", len(out)))
        else:
            name = w[0].isupper()
            adjective = name and bool(re.search(r"[ie]an$", low)) and len(low) > 5
            if adjective:
                low = low[:-1]  # demonyms: "Korean" is "Korea", "Russian" "Russia"
            out.append(Token(stem(low), "name" if name else "word", len(out), adjective))
        i += 1
    return _collapse(out, aliases) if aliases else out


def _one_of(raw: list[str], i: int) -> bool:
    """ "one of the exceptions" names no figure ("only one of the five" does)."""
    near = [w.lower() for w in raw[max(i - 1, 0) : i + 2]]
    return near[-2:] == ["one", "of"] and near[0] not in ("only", "just", "exactly")


def _free(raw: list[str], i: int) -> bool:
    """A connective ("However,", "as well") or "one" of "one of": no fact of its own."""
    low = raw[i].lower()
    after_as = i > 0 and raw[i - 1].lower() == "as"
    return low in CONNECTIVES or (low == "well" and after_as) or _one_of(raw, i)


def _collapse(toks: list[Token], aliases: dict[tuple[str, ...], str]) -> list[Token]:
    out: list[Token] = []
    i = 0
    longest = max((len(k) for k in aliases), default=0)
    while i < len(toks):
        for n in range(min(longest, len(toks) - i), 1, -1):
            key = tuple(t.key for t in toks[i : i + n])
            if all(t.kind == "name" or t.kind == "free" for t in toks[i : i + n]) and (
                key in aliases
            ):
                out.append(Token(aliases[key], "name", len(out)))
                i += n
                break
        else:
            out.append(Token(toks[i].key, toks[i].kind, len(out), toks[i].adjective))
            i += 1
    return out


def find_aliases(texts: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Spelled-out names the texts also give as an acronym: ("unit", "stat") -> "US" when
    both "United States" and "U.S." (or "US") occur. Only the texts' own pairs count."""
    words = [w for t in texts for w in _TOKEN.findall(fold(t))]
    acronyms = {
        w.replace(".", "").lower()
        for w in words
        if ("." in w and not w[0].isdigit()) or (2 <= len(w) <= 6 and w.isupper() and w.isalpha())
    }
    aliases: dict[tuple[str, ...], str] = {}
    run: list[str] = []
    for w in words + [""]:
        capital = w[:1].isupper() and "." not in w and not w.isupper()
        if capital or (run and w.lower() in ("of", "and", "the")):
            run.append(w)
            continue
        for a in range(len(run)):
            for b in range(a + 2, len(run) + 1):
                part = [x for x in run[a:b] if x.lower() not in ("of", "and", "&", "the")]
                initials = "".join(x[0] for x in part).lower()
                if len(part) >= 2 and initials in acronyms and run[a].lower() != "of":
                    key = tuple(t.key for t in tokens(" ".join(run[a:b])))
                    aliases[key] = initials
        run = []
    return aliases
