"""Who goes with whom, by the names round a word (`bot.llm.claims` asks). A claim that joins
a name to a word and another name the cited text joins differently is not what it says:

- "the plan proposed by Smith" where the cited text has the plan "proposed by Jones" (and
  "proposed by" nobody else): the name after "by" is the cited text's only one;
- "Acme was founded by Jane Roe" where the cited text has "Acme (founded by John Doe) and
  Zeta (founded by Jane Roe)": the name before the word, with the name after it, is the one
  the cited text puts there."""

from __future__ import annotations

from bot.llm.claim_tokens import REPORTING_WORDS, Token

REACH = 8  # tokens: how far after the word the second name may come
_OPEN = frozenset("( ,".split())  # "Acme (founded by ...)", "Acme, founded by ..."


def _run(toks: list[Token], i: int) -> list[str]:
    """The keys of the name run from toks[i] on (none if toks[i] is no name)."""
    out = []
    while i < len(toks) and toks[i].kind == "name":
        out.append(toks[i].key)
        i += 1
    return out


def _agent(toks: list[Token], i: int) -> list[str] | None:
    """The name after "word by [the]" at toks[i] ([] for words that are no name), or None when
    no "by" follows the word."""
    if i + 1 >= len(toks) or toks[i + 1].key != "by":
        return None
    j = i + 2
    while j < len(toks) and toks[j].kind == "free":
        j += 1
    return _run(toks, j)


def agent_moved(said: list[Token], texts: list[list[Token]]) -> str:
    """ "proposed by Smith" where the cited text has that word only "by" another name."""
    for i, t in enumerate(said):
        ours = _agent(said, i) if t.kind == "word" else None
        if not ours:
            continue
        theirs = [_agent(toks, s.at) for toks in texts for s in toks if s.key == t.key]
        named = [a for a in theirs if a is not None]
        if named and all(named) and not any(ours[0] in a or ours[-1] in a for a in named):
            return f"says {t.key} by {ours[-1]}; the cited text says by {named[0][-1]}"
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
