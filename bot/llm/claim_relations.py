"""Two words a claim links by another preposition than the cited text (`bot.llm.claims`
asks): "images of photographers" (what they show) for "images taken by photographers" (who
took them); "moved to Chelsea" for "moved from Chelsea". Only prepositions that turn a
relation round count (of / by, to / from), and only where the cited text links the same two
words, close together, always with the other one. And a word put where the cited text has its
opposite (`opposite_placed`): "losing seasons" for "winning seasons" when "losing" is said
elsewhere in the cited text."""

from __future__ import annotations

from bot.llm.claim_tokens import Token
from bot.qa.lexical import ANTONYMS

_OTHER = {"of": {"by"}, "by": {"of"}, "to": {"from"}, "from": {"to", "into"}, "into": {"from"}}
_CONTENT = ("word", "name")
REACH = 4  # tokens: how far apart the two words may be in the cited text


def _links(said: list[Token]) -> list[tuple[str, str, str]]:
    """(word, preposition, word) for each "A of [the] B" in the claim."""
    out = []
    for i in range(1, len(said) - 1):
        p = said[i]
        if p.key not in _OTHER or said[i - 1].kind not in _CONTENT:
            continue
        j = i + 1
        while j < len(said) and said[j].kind == "free" and said[j].key not in _OTHER:
            j += 1
        if j < len(said) and said[j].kind in _CONTENT:
            out.append((said[i - 1].key, p.key, said[j].key))
    return out


def relation_turned(said: list[Token], texts: list[list[Token]]) -> str:
    """Why the claim links two words by a preposition the cited text turns round, or ""."""
    for a, prep, b in _links(said):
        between = []
        for toks in texts:
            for s in toks:
                if s.key != a:
                    continue
                for t in toks[s.at + 1 : s.at + 1 + REACH]:
                    if t.kind == "mark":
                        break
                    if t.key == b:
                        between.append({x.key for x in toks[s.at + 1 : t.at]})
                        break
        if between and all(prep not in keys and keys & _OTHER[prep] for keys in between):
            other = sorted(between[0] & _OTHER[prep])[0]
            return f"says {a} {prep} {b}; the cited text says {a} ... {other} {b}"
    return ""


def opposite_placed(said: list[Token], texts: list[list[Token]]) -> str:
    """Why the claim puts a word before a word the cited text puts only its listed opposite
    before (`bot.qa.lexical.ANTONYMS`), or "": "the Cubs finished with losing seasons" for
    "... winning seasons" (the word check passes when "losing" is said elsewhere). Only the
    word before: after a word ("prices fell") it may be a verb whose subject the cited text
    left out ("prices rose in May and fell in June")."""
    for i, t in enumerate(said[:-1]):
        after = said[i + 1]
        if t.kind != "word" or t.key not in ANTONYMS or after.kind not in _CONTENT:
            continue
        before = {  # what the cited text puts right before that word
            toks[m - 1].key
            for toks in texts
            for m in range(1, len(toks))
            if toks[m].key == after.key
        }
        if t.key not in before and before & ANTONYMS[t.key]:
            other = sorted(before & ANTONYMS[t.key])[0]
            return f"says {t.key} {after.key} where the cited text has {other} {after.key}"
    return ""
