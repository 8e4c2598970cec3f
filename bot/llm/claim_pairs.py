"""Who goes with whom, by the names round a word (`bot.llm.claims` asks). A claim that joins
a name to a word and another name the cited text joins differently is not what it says:

- "the plan proposed by Smith" where the cited text has the plan "proposed by Jones" (and
  "proposed by" nobody else): the name after "by" is the cited text's only one; so is the
  name after "of", "on", "in" ... ("the dismissal of Kolbin" for "the dismissal of Konayev");
- "Acme was founded by Jane Roe" where the cited text has "Acme (founded by John Doe) and
  Zeta (founded by Jane Roe)": the name before the word, with the name after it, is the one
  the cited text puts there;
- "Acme got the gold medal, with the silver going to Zeta" for the reverse (`modifier_moved`),
  "Ralph Roberts, Chairman" for "Brian L. Roberts, Chairman" (`role_moved`), "more
  protesters than supporters" for the reverse (`compared_round`), and "her mother's
  parents" for "her father's parents" (`owner_moved`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.llm.claim_tokens import REPORTING_WORDS, Token, tokens

# the words that link a word to its name: "proposed by Smith", "the dismissal of Konayev",
# "a listing on the London Stock Exchange"
_LINKS = ("by", "of", "on", "at", "in", "from", "to", "with", "for")
REACH = 8  # tokens: how far after the word the second name may come
_OPEN = frozenset("( ,".split())  # "Acme (founded by ...)", "Acme, founded by ..."


def _run(toks: list[Token], i: int) -> list[str]:
    """The keys of the name run from toks[i] on (none if toks[i] is no name)."""
    out = []
    while i < len(toks) and toks[i].kind == "name":
        out.append(toks[i].key)
        i += 1
    return out


def _start(toks: list[Token], i: int, link: str) -> int | None:
    """Where the words after "word by [the]" (or another `link`) at toks[i] begin, or None
    when no such link follows the word."""
    if i + 1 >= len(toks) or toks[i + 1].key != link:
        return None
    j = i + 2
    while j < len(toks) and toks[j].kind == "free":
        j += 1
    return j


def _agent(toks: list[Token], i: int, link: str = "by") -> list[str] | None:
    """The name after "word by [the]" (or "word of [the]") at toks[i] ([] for words that
    are no name), or None when no such `link` follows the word."""
    j = _start(toks, i, link)
    return None if j is None else _run(toks, j)


def _named_after(toks: list[Token], i: int, link: str) -> list[str] | None:
    """`_agent`, with the names further on in its phrase and in a bracket that closes it:
    "at US insurance broker Marsh" is also Marsh's, "Mortgage-backed security (MBS)" is
    also "MBS"."""
    j = _start(toks, i, link)
    run = None if j is None else _run(toks, j)
    if not run or j is None:
        return run
    end = j + len(run)
    # the rest of the phrase: "at US insurance broker Marsh & McLennan" is also Marsh's
    while end < min(j + len(run) + 4, len(toks)) and toks[end].kind in ("word", "name"):
        if toks[end].kind == "name":
            run.append(toks[end].key)
        end += 1
    if end < len(toks) and toks[end].key == "(":  # "Mortgage-backed security (MBS)"
        run += [t.key for t in toks[end + 1 : end + 4] if t.kind == "name"]
    return run


def _modifier(toks: list[Token], i: int) -> str:
    """The word right before toks[i] ("primary" of "a primary listing"), or ""."""
    return toks[i - 1].key if i and toks[i - 1].kind == "word" else ""


def agent_moved(said: list[Token], texts: list[list[Token]]) -> str:
    """ "proposed by Smith" where the cited text has that word only "by" another name; the
    same for "of" ("the dismissal of Kolbin" where the cited text has "the dismissal of
    Konayev") and the other `_LINKS`; a word the claim qualifies ("its primary listing on")
    is looked for with the same word before it first ("a primary listing on the London Stock
    Exchange, a secondary listing on the Amsterdam ...")."""
    for link in _LINKS:
        for i, t in enumerate(said):
            ours = _agent(said, i, link) if t.kind == "word" else None
            if not ours:
                continue
            spots = [(toks, s.at) for toks in texts for s in toks if s.key == t.key]
            # "primary listing on": the spots with the claim's word before it, if any
            alike = [(toks, at) for toks, at in spots if _modifier(toks, at) == _modifier(said, i)]
            theirs = [_named_after(toks, at, link) for toks, at in (alike or spots)]
            named = [a for a in theirs if a is not None]
            if named and all(named) and not any(ours[0] in a or ours[-1] in a for a in named):
                return f"says {t.key} {link} {ours[-1]}; the cited text says {link} {named[0][-1]}"
    return ""


def _before(toks: list[Token], i: int) -> str | None:
    """The last word of the name right before toks[i], over function words and an opening
    bracket or comma; None when a word that is no name comes first."""
    j = i - 1
    while j >= 0 and (toks[j].kind == "free" or toks[j].key in _OPEN):
        if toks[j].key in REPORTING_WORDS:
            return None
        j -= 1
    return toks[j].key if j >= 0 and toks[j].kind == "name" else None


def _after(toks: list[Token], i: int) -> list[str]:
    """The name keys within REACH tokens after toks[i], before a clause mark."""
    out = []
    for t in toks[i + 1 : i + 1 + REACH]:
        if t.kind == "mark":
            break
        if t.kind == "name":
            out.append(t.key)
    return out


def pair_moved(said: list[Token], texts: list[list[Token]]) -> str:
    """ "A was founded by B" where every "founded ... B" of the cited text has another name
    right before it, and not A anywhere since the word came before ("Truman, a veteran of
    World War I, issued" is still Truman's)."""
    for i, t in enumerate(said):
        if t.kind != "word":
            continue
        a = _before(said, i)
        names = _after(said, i)
        if a is None or not names:
            continue
        b = names[0]
        others = []
        for toks in texts:
            last = -1  # where the word came before: a name since then may be its own
            for s in toks:
                if s.key != t.key:
                    continue
                if b in _after(toks, s.at):
                    since = {x.key for x in toks[last + 1 : s.at]}
                    others.append(None if a in since else _before(toks, s.at))
                last = s.at
        if others and all(o is not None for o in others):
            return f"says {a} {t.key} ... {b}; the cited text says {others[0]} {t.key} ... {b}"
    return ""


def _content(toks: list[Token], j: int, step: int) -> str:
    """The first content word from toks[j] on, stepping by `step`, before a clause mark."""
    while 0 <= j < len(toks) and toks[j].kind == "free":
        j += step
    return toks[j].key if 0 <= j < len(toks) and toks[j].kind in ("word", "name") else ""


def modifier_moved(said: list[Token], texts: list[list[Token]]) -> str:
    """ "awarded Comcast the gold medal, with the silver medal going to ..." where the cited
    text has them the other way round: a noun the claim and the cited text both qualify two
    ways keeps, with each qualifier, a neighbour the cited text gives it (the word before the
    pair or the one after)."""
    for i in range(1, len(said)):
        m, n = said[i - 1], said[i]
        if m.kind != "word" or n.kind != "word":
            continue
        spots = [(toks, j) for toks in texts for j in range(1, len(toks)) if toks[j].key == n.key]
        mods = {toks[j - 1].key for toks, j in spots if toks[j - 1].kind == "word"}
        # both qualifiers in the claim too: a swap, not a word before a noun ("incorporate
        # infringement" is no kind of infringement)
        ours_mods = {said[k - 1].key for k in range(1, len(said)) if said[k].key == n.key}
        if len(mods & ours_mods) < 2 or m.key not in mods:
            continue
        ours = (_content(said, i - 2, -1), _content(said, i + 1, 1))
        theirs = [
            (_content(toks, j - 2, -1), _content(toks, j + 1, 1))
            for toks, j in spots
            if toks[j - 1].key == m.key
        ]
        if not any(a == ours[0] or b == ours[1] for a, b in theirs):
            return f"says {m.key} {n.key} where the cited text has another {n.key}"
    return ""


def role_moved(said: list[Token], texts: list[list[Token]]) -> str:
    """ "Ralph Roberts, Chairman ... of Comcast, is the son" where the cited text has "Brian
    L. Roberts, Chairman ...": the name a role follows after a comma is the cited text's."""
    for i in range(1, len(said) - 1):
        if said[i].key != "," or said[i - 1].kind != "name":
            continue
        role = said[i + 1].key
        theirs = [
            _names_back(toks, k - 1)
            for toks in texts
            for k in range(1, len(toks) - 1)
            if toks[k].key == "," and toks[k + 1].key == role and toks[k - 1].kind == "name"
        ]
        ours = _names_back(said, i - 1)
        if theirs and not any(set(ours) <= set(run) for run in theirs):
            return (
                f"gives {said[i - 1].key} the role {role}; the cited text gives it {theirs[0][0]}"
            )
    return ""


def _names_back(toks: list[Token], k: int) -> list[str]:
    """The name run that ends at toks[k], read backwards, over an initial's full stop
    ("Brian L. Roberts")."""
    run = []
    while k >= 0 and toks[k].kind == "name":
        run.append(toks[k].key)
        k -= 1
        if k > 0 and toks[k].key == "." and len(toks[k - 1].key) == 1:
            k -= 1
    return run


def compared_round(said: list[Token], texts: list[list[Token]]) -> str:
    """ "the number of protesters was much more than the number of supporters" for the
    reverse: a word the claim puts before "than" the cited text puts only after it, and one
    it puts after, only before."""
    ours = _sides_of_than(said)
    if not ours:
        return ""
    theirs = [s for toks in texts if (s := _sides_of_than(toks))]
    if not theirs:
        return ""
    before = set().union(*(b for b, _ in theirs))
    after = set().union(*(a for _, a in theirs))
    moved_on = {w for w in ours[0] if w in after and w not in before}
    moved_back = {w for w in ours[1] if w in before and w not in after}
    if moved_on and moved_back:
        return f"puts {min(moved_on)} and {min(moved_back)} the other way round from the cited text"
    return ""


def _sides_of_than(toks: list[Token]) -> tuple[set[str], set[str]] | None:
    """The content words of the clause before "than" and after it, or None."""
    at = next((t.at for t in toks if t.key == "than"), None)
    if at is None:
        return None
    start = max((t.at + 1 for t in toks[:at] if t.kind == "mark"), default=0)
    end = next((t.at for t in toks[at:] if t.kind == "mark"), len(toks))
    words = ("word", "name")
    return (
        {t.key for t in toks[start:at] if t.kind in words},
        {t.key for t in toks[at + 1 : end] if t.kind in words},
    )


_OWNED = re.compile(r"\b([A-Za-z]+)['’]s\s+([a-z]+)\b")


def _owned(text: str) -> set[tuple[str, str]]:
    """(owner, thing) stems of each "mother's parents" of `text` whose owner is a common noun
    (written small: "Madonna's" is a name, left to the name checks)."""
    out = set()
    for m in _OWNED.finditer(text):
        owner, thing = tokens(m.group(1)), tokens(m.group(2))
        if owner and thing and owner[0].kind == "word" and thing[0].kind == "word":
            out.add((owner[0].key, thing[0].key))
    return out


def owner_moved(claim: str, sources: Sequence[str]) -> str:
    """ "her mother's parents" where the cited text has "her father's parents" and nobody
    else's: the owner of a thing, both plain nouns, is the cited text's (a thing the cited
    text gives no owner is left alone)."""
    theirs = set().union(*(_owned(s) for s in sources)) if sources else set()
    for owner, thing in sorted(_owned(claim)):
        others = sorted(o for o, t in theirs if t == thing and o != owner)
        if others and (owner, thing) not in theirs:
            return f"gives the {thing} to {owner}; the cited text to {others[0]}"
    return ""
