"""Where a negation of the cited text reaches (`bot.llm.claims` asks). A claim without a
negation is not supported by a cited sentence that negates what the claim says ("Jobs will be
cut" for "Jobs will not be cut"), but it may take another clause of a sentence that negates
something else ("he just thinks a line should be drawn" from "there wasn't a conspiracy, and
I just think a line should be drawn"; "the forerunner was Ickes" from "... stating 'no
discrimination shall be made', but the forerunner was Ickes").

A negation reaches the whole of its clause: from the last clause mark (a comma, a
semicolon, a bracket, a dash), joining word ("but", "while", ...) or "and" with a pronoun
after it ("and we", "and I") before it, to the next one after it; a clause's words before
a relative pronoun or "that" that comes before the negation ("deceit which was not
limited", "failures that do not generate") are outside it, and so are its words from a
relative pronoun after the negation on ("did not contest the Speakership which went to
Hastert"); a clause that opens with a pronoun the negation soon follows ("but that was not
what happened", "which is not the case") negates what came before it too, and reaches back
to the sentence's start; a negation that ends its clause before a short aside between commas
("did not, however, obtain the freehold") reaches over the aside into the clause after it.
"not only" ("for not only X but also Y") negates nothing. A claim
drops a negation when one of its words that no negation of its own reaches is in the cited
text only where a negation reaches."""

from __future__ import annotations

from bot.llm.claim_tokens import Token

_JOINERS = frozenset("but while whereas although though".split())
_SUBJECTS = frozenset("i we he she they it you".split())
_RELATIVES = frozenset("which who whom whose".split())
_BACK = frozenset("that this which it".split())  # "but that was not so": the clause before
_CONTENT = ("num", "name", "word")


def _negates(toks: list[Token], i: int) -> bool:
    """Is toks[i] a negation ("not only" is none)?"""
    after = toks[i + 1].key if i + 1 < len(toks) else ""
    return toks[i].kind == "neg" and after != "onli"


def _clauses(toks: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for n, t in enumerate(toks):
        after = toks[n + 1].key if n + 1 < len(toks) else ""
        if t.kind == "mark" or t.key in _JOINERS or (t.key == "and" and after in _SUBJECTS):
            out.append([])
        else:
            out[-1].append(t)
    return out


def negated(toks: list[Token]) -> set[int]:
    """The positions (`Token.at`) of the words a negation of `toks` reaches."""
    reached: set[int] = set()
    for clause in _clauses(toks):
        first = next((n for n, t in enumerate(clause) if _negates(clause, n)), None)
        if first is None:
            continue
        if clause[0].key in _BACK and first <= 3:  # "that was not", "which did not happen"
            reached |= {t.at for t in toks[: clause[-1].at + 1]}
            continue
        # "failures that do not generate": before a negation, "that" opens a clause of its
        # own too (a relative one, or what is said: "said that prices will not rise")
        opens = _RELATIVES | {"that"}
        start = max((n + 1 for n in range(first) if clause[n].key in opens), default=0)
        # "did not contest the Speakership which eventually went to Hastert": the relative
        # clause after the negation is not negated (unless it has a negation of its own)
        end = next(
            (n for n in range(first + 1, len(clause)) if clause[n].key in _RELATIVES), len(clause)
        )
        if any(_negates(clause, n) for n in range(end, len(clause))):
            end = len(clause)
        reached |= {t.at for t in clause[start:end]}
    return reached | _over_aside(toks)


def _over_aside(toks: list[Token]) -> set[int]:
    """The positions a negation left with nothing after it in its clause reaches over an
    aside of one or two words between commas: "did not, however, obtain the freehold"."""
    out: set[int] = set()
    for i in range(len(toks) - 3):
        if not (_negates(toks, i) and toks[i + 1].key == ","):
            continue
        close = next((j for j in range(i + 2, min(i + 5, len(toks))) if toks[j].kind == "mark"), 0)
        if close < i + 3 or toks[close].key != ",":
            continue
        for t in toks[close + 1 :]:
            if t.kind == "mark" or t.key in _JOINERS or t.key in _RELATIVES:
                break
            out.add(t.at)
    return out


def has_negation(toks: list[Token]) -> bool:
    return any(_negates(toks, i) for i in range(len(toks)))


def negation_dropped(said: list[Token], texts: list[list[Token]]) -> str:
    """Why a claim is not what the cited text says, or "": one of its words that no negation
    of the claim reaches is in the cited text only where a negation reaches ("was deployed by
    the military but never by consumer broadcasting" for "was never deployed by either the
    military or consumer broadcasting")."""
    ours = negated(said)
    free: set[str] = set()  # words the cited text has outside any negation
    held: set[str] = set()
    for toks in texts:
        reached = negated(toks)
        for t in toks:
            if t.kind in _CONTENT:
                held.add(t.key)
                if t.at not in reached:
                    free.add(t.key)
    words = [
        t.key for t in said if t.kind in _CONTENT and t.at not in ours and t.key in held - free
    ]
    return f"drops the negation the cited text puts on {words[0]}" if words else ""
