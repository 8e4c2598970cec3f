"""Words a claim may not drop or move (`bot.llm.claims` checks them): the modal verb, the
word of doubt or the verb of refusal that governs a word in the cited text ("will use",
"predict a further rise", "is reputedly working on", "refused to pay"), and what a share is a
share of ("45% of the information ...")."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence

from bot.llm.claim_tokens import MODALS, Token, tokens


def _modal(toks: Sequence[Token], at: int) -> str:
    """What governs toks[at]: "refused" (a verb of refusal before its "to": "refused to
    pay"), "doubt" (a word of doubt or prediction: "may", "likely to",
    "reputedly", "predict a further rise"), "modal" (another modal verb or word of intent:
    "will", "aims to"), or "" (nothing: a fact stated). An aside between commas right before
    the word is read past ("can, for example, exert")."""
    refusal_at, at = at, _past_aside(toks, at)
    before = [t for t in toks[max(at - 3, 0) : at] if not _capitalised(toks, t)]
    # the words of intent or doubt stop at a clause mark ("faster than expected, hitting": no)
    clause = before[max((i + 1 for i, t in enumerate(before) if t.kind == "mark"), default=0) :]
    # "likely to have convinced", "widely considered to be playing" are doubt; "1.9 times
    # more likely" is a figure's measure, "considered the offer" a fact
    reach = [t for t in _words_before(toks, at) if not _capitalised(toks, t)]  # "in May"
    # ("is likely to be a sensitive issue": function words are reached over)
    after = [toks[t.at + 1].key if t.at + 1 < len(toks) else "" for t in reach]
    # "refused to pay", "resisted any temptation to refer", "refrained from commenting": the
    # verb after "to"/"from" is a thing not done
    to = refusal_at and toks[refusal_at - 1].key in ("to", "from")
    if to and any(t.key in _refusal() for t in reach):
        return "refused"
    if any(
        t.key in _doubt()
        or (t.key in _doubt_to() and a == "to")
        or (t.key in _CREDIT and a == "with")
        for t, a in zip(reach, after, strict=True)
    ):
        return "doubt"
    if any(t.key in MODALS for t in before) or any(t.key in _intent() for t in clause):
        return "modal"
    # "has to fulfil", "needs to be", "was to be delivered": duty or plan, not a fact stated
    if any(t.key in _MUST_TO and toks[t.at + 1].key == "to" for t in before):
        return "modal"
    return ""


# the words of an aside that says nothing: "for example", "in fact", "of course"
_ASIDES = frozenset(t.key for t in tokens("example instance fact course turn particular"))


def _past_aside(toks: Sequence[Token], at: int) -> int:
    """Where toks[at] would stand without a short aside between commas right before it
    ("can, for example, exert" -> "can exert"): the first comma's place, or `at`."""
    if at < 1 or toks[at - 1].key != ",":
        return at
    for j in range(at - 2, max(at - 6, 0) - 1, -1):
        if toks[j].key == ",":
            aside = toks[j + 1 : at - 1]
            plain = aside and all(t.kind == "free" or t.key in _ASIDES for t in aside)
            return j if plain and len(aside) <= 3 else at
        if toks[j].kind == "mark":
            return at
    return at


# before "with": "is credited with writing" gives the writing to him by repute, not as fact
_CREDIT = frozenset(t.key for t in tokens("credited"))

# before "to": "has to", "is to", "need to" put the verb after it under duty or plan ("had to
# make two saves": he made them)
_MUST_TO = frozenset("is are was were has have need needs ought".split())
_FINITE = frozenset("is are was were has have had does did".split())


def _capitalised(toks: Sequence[Token], t: Token) -> bool:
    """Is `t` a capitalised word inside its sentence: the month "May", the name "Will", no
    modal verb (a sentence's first word is capitalised whatever it is)?"""
    return t.kind == "name" and t.at > 0 and toks[t.at - 1].kind != "mark"


def _clause_modal(toks: Sequence[Token], at: int) -> bool:
    """A modal verb earlier in toks[at]'s clause: "this would have meant the signal doubled"
    does not state the doubling as fact."""
    j = at - 1
    while j >= 0 and toks[j].kind != "mark":
        if toks[j].key in MODALS and not _capitalised(toks, toks[j]):
            return True
        j -= 1
    return False


def _words_before(toks: Sequence[Token], at: int, n: int = 3) -> list[Token]:
    """The tokens before toks[at] back to its n-th word before it (function words skipped
    over, not counted), stopping at a clause mark."""
    out: list[Token] = []
    j = at - 1
    while j >= 0 and toks[j].kind != "mark" and sum(t.kind != "free" for t in out) < n:
        # "may be a product and generally has to": a new verb after "and"/"but" is its own
        if toks[j].key == "but" or (
            toks[j].key == "and" and any(t.key in _FINITE for t in toks[j + 1 : j + 4])
        ):
            break
        out.insert(0, toks[j])
        j -= 1
    return out


@functools.cache
def _intent() -> frozenset[str]:
    # stems: "aims", "aimed", "aiming" are all "aim"; "sought" is not "seek"
    words = "aim plan hope seek sought want intend try promise propose threaten"
    return frozenset(t.key for t in tokens(words))


@functools.cache
def _refusal() -> frozenset[str]:
    """Verbs that say the thing after their "to" was not done."""
    words = "refuse refused decline declined resist resisted fail failed refrain refrained"
    return frozenset(t.key for t in tokens(words))


@functools.cache
def _doubt() -> frozenset[str]:
    """Words that say a thing may not be so: "will" is no stand-in for them."""
    words = """may might could expect predict forecast probably possibly allegedly reputedly
    reportedly supposedly apparently suggest ponder mull contemplate consider potential
    possible alleged suspected purported presumed putative arguably perhaps presumably
    seemingly ostensibly purportedly"""
    return frozenset(t.key for t in tokens(words))


def doubt_words() -> frozenset[str]:
    """Every word of doubt, prediction or intent, and of approximation (`claim_views`
    asks)."""
    return _doubt() | _doubt_to() | _intent() | frozenset(t.key for t in tokens(_ABOUT))


@functools.cache
def _doubt_to() -> frozenset[str]:
    """Words of doubt only before "to": "is likely to", "is believed to", "seems to", "is
    said to have"."""
    words = """likely unlikely believed thought considered understood rumoured seems seemed
    appears appeared set poised said reported"""
    return frozenset(t.key for t in tokens(words))


def hedged_alike(said: list[Token], t: Token, texts: list[list[Token]]) -> bool:
    """A word the cited text only ever puts after a verb of refusal ("resisted any
    temptation to refer") needs one in the claim ("referred to" is the opposite). A word the
    cited text only ever puts after a modal ("Russia will use") needs a modal
    in the claim too ("Russia uses" is not what it says); one it only puts after a word of
    doubt ("some economists predict a further rise", "are likely to have convinced") needs a
    word of doubt ("will rise further" is not what it says)."""
    found = [_modal(toks, s.at) for toks in texts for s in toks if s.key == t.key]
    if not found or not all(found):
        return True
    ours = _modal(said, t.at) or ("modal" if _clause_modal(said, t.at) else "")
    for kind in ("refused", "doubt"):  # these need their own kind, no other word will do
        if all(f == kind for f in found):
            return ours == kind
    return bool(ours)


def share_of(toks: list[Token], at: int) -> str:
    """What a share in a claim is a share of: "45% of businesses" -> "busi" ("" if none)."""
    j = at + 1
    if not toks[at].key.endswith("%") or j >= len(toks) or toks[j].key != "of":
        return ""
    while j < len(toks) and toks[j].kind == "free":
        j += 1
    return toks[j].key if j < len(toks) and toks[j].kind in ("word", "name") else ""


def phrase_after(toks: list[Token], at: int) -> set[str]:
    """The words right after a share in the cited text, to the first function word or mark:
    "45% of the information critical to ..." -> information, critical."""
    j = at + 1
    while j < len(toks) and toks[j].kind == "free":
        j += 1
    words = set()
    while j < len(toks) and toks[j].kind in ("word", "name", "num"):
        words.add(toks[j].key)
        j += 1
    return words


# Words that make a figure approximate or a bound: "an estimated 1,000", "more than 300".
# A figure the cited text only ever gives with one needs one of the same sort in the claim.
_ABOUT = "about around estimated approximately roughly some nearly almost circa"
_ABOVE = "over above exceeding excess upwards"
_BELOW = "under below nearly almost maximum"
_BEFORE_THAN = {"more": "above", "less": "below", "fewer": "below"}  # "more than 300"
_BEFORE_TO = {"up": "below", "close": "about"}  # "up to 300", "close to 300"


@functools.cache
def _qualifiers() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for sort, words in (("about", _ABOUT), ("above", _ABOVE), ("below", _BELOW)):
        for t in tokens(words):
            out.setdefault(t.key, set()).add(sort)
    return {k: frozenset(v) for k, v in out.items()}


def qualified(toks: Sequence[Token], at: int) -> frozenset[str]:
    """What sort of qualifier the figure toks[at] has before it ("about", "above", "below"),
    reading back over function words to the first other word or clause mark: "at an
    estimated 1,000" -> {"about"}, "more than 300" -> {"above"}, "as many as 9" -> {"below"},
    "at least 5" -> {"above"}, "10,000 troops" -> set()."""
    sorts: set[str] = set()
    j = at - 1
    while j >= 0 and at - j <= 5 and toks[j].kind in ("free", "word", "name"):  # "More than"
        t, after = toks[j], toks[j + 1].key
        before = toks[j - 1].key if j else ""
        if t.key in _qualifiers():
            sorts |= _qualifiers()[t.key]
        elif after == "than" and t.key in _BEFORE_THAN:
            sorts.add(_BEFORE_THAN[t.key])
        elif after == "to" and t.key in _BEFORE_TO:
            sorts.add(_BEFORE_TO[t.key])
        elif t.key == "least" and before == "at":
            sorts.add("above")
        elif t.key in ("mani", "much") and before == "as":
            sorts.add("below")
        elif t.kind != "free":
            break
        j -= 1
    return frozenset(sorts)


def qualifier_dropped(said: list[Token], i: int, texts: list[list[Token]], same: set[str]) -> str:
    """Why the claim's figure said[i] drops the qualifier every mention of it in the cited
    text has ("1,000-5,000 casualties" for "an estimated 1,000-5,000"; "300 troops" for "more
    than 300"), or "". `same`: the cited keys that are this figure."""
    theirs = [
        qualified(toks, s.at) for toks in texts for s in toks if s.kind == "num" and s.key in same
    ]
    if not theirs or not all(theirs):
        return ""
    ours = qualified(said, i)
    if any(ours >= sorts for sorts in theirs):  # "more than" keeps no "estimated to be"
        return ""
    sorts = "/".join(sorted(frozenset().union(*theirs) - ours))
    if ours:  # "more than $3bn" for "estimated to be more than $3bn"
        return f"gives {said[i].key} without a qualifier the cited text gives it ({sorts})"
    return f"gives {said[i].key} as exact; the cited text qualifies it ({sorts})"


# "one of the largest", "among the greatest", "some of the best-selling": a superlative the
# cited text gives a group of things, not the one
_AMONG = re.compile(
    r"\b(?:among|one\s+of|some\s+of)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:[\w-]+\s+)?"
    r"((?:[a-z]+est|best|worst|most|least)\b)",
    re.IGNORECASE,
)


def superlative_narrowed(claim: str, sources: Sequence[str]) -> str:
    """Why the claim gives the one a superlative that the cited text only gives one of a
    group ("the largest" for "one of the largest"), or ""."""
    grouped = Counter(m.group(1).lower() for s in sources for m in _AMONG.finditer(s))
    for word, n in sorted(grouped.items()):
        if sum(len(re.findall(rf"\b{word}\b", s, re.IGNORECASE)) for s in sources) > n:
            continue  # the cited text also gives it alone
        for m in re.finditer(rf"\b{word}\b", claim, re.IGNORECASE):
            if not _AMONG.search(claim[max(m.start() - 40, 0) : m.end()]):
                return f'says "the {word}"; the cited text says "one of"/"among" the {word}'
    return ""
