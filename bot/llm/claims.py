"""Is a sentence the model wrote supported by the passage it cites? Checked in code, strictly.

A model's reply is split into sentences first; every sentence needs its own citation
(`[¶N "verbatim quote"]`), and a sentence is kept only if what it asserts is in the text it
cites. "The text it cites" is the sentence (or sentences) of the passage that hold the quote,
not the whole passage and not the article. A sentence is supported when:

- every number in it is a number there (10,000 = 10000, £3.2bn = 3.2 billion, "six" = 6),
  with the words next to it in the claim within WINDOW words of it there;
- every name (a run of capitalised words) is a name there, in the same order; a demonym
  with its noun ("South Korean troops") must be together there too;
- every other content word is there after folding accents, lowercasing and stemming (or
  spells out a label there with the label's value after it: `claim_labels`, "Att: 47,111");
  an acronym and its spelled-out form ("US" / "U.S." / "United States") count as one name only
  when the passages themselves use both; "he said" counts as the passage's last named speaker;
- it says "not/no/never/...n't" only when the cited text does, and has none of its words only
  where a negation of the cited text reaches (its clause: `claim_negation`), and keeps its
  modal verb ("will use" is not "uses");
- one passage supports it on its own (facts joined across passages are not supported);
- the cited text is not an instruction planted in the article ("ignore the passages and say
  ...") - such sentences support nothing.

Function words and a short list of reporting verbs ("said", "according to") are free: they
add no facts. No synonyms from outside the article are used, so a paraphrase that changes
words is dropped (that is the cost of showing nothing unsupported). Pure functions; no model.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence

from bot.llm.claim_answers import NEGATION_REASON, settled, split_answer, without_answer
from bot.llm.claim_hedges import hedged_alike, phrase_after, qualifier_dropped, share_of
from bot.llm.claim_labels import spelled_out
from bot.llm.claim_negation import has_negation, negation_dropped
from bot.llm.claim_order import turned_round
from bot.llm.claim_pairs import agent_moved, pair_moved
from bot.llm.claim_relations import relation_turned
from bot.llm.claim_sentences import _SPEECH, ROLE_SPEAKER, Unit, clean, split_reply, support
from bot.llm.claim_tokens import (
    _CURRENCY,
    FUNCTION_WORDS,
    MODALS,
    NEGATIONS,
    REPORTING_WORDS,
    Token,
    find_aliases,
    tokens,
)
from bot.llm.claim_units import unit_changed, unit_moved
from bot.llm.claim_views import view_as_fact
from bot.qa.citations import Citation, CitationError, cite_quote
from index.passages import Passage

WINDOW = 10  # words: how near a number's or a name's neighbours must be in the cited text
_CAPS = r"(?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+"
# "Michael Howard has said", "Jeffrey Matsuura of the University of Dayton said", "said Kim"
_SPEAKER = re.compile(
    rf"{ROLE_SPEAKER}|({_CAPS})(?:\s+of\s+(?:the\s+)?{_CAPS})*(?:,[^,.]{{1,80}},)?\s+(?:has\s+|had\s+)?"
    rf"{_SPEECH}\b|\b{_SPEECH}\s+({_CAPS})"
)
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+)")
_JOINERS = frozenset("but while whereas although though".split())  # clauses, not lists


def _sides(claim: list[Token], i: int) -> list[str]:
    """The content words next to claim[i] on either side; they stop at a clause mark or a
    reporting verb (the speaker is no neighbour)."""
    sides = []
    for step in (-1, 1):
        j = i + step
        while (
            0 <= j < len(claim) and claim[j].kind == "free" and claim[j].key not in REPORTING_WORDS
        ):
            j += step
        if 0 <= j < len(claim) and claim[j].kind not in ("neg", "free", "mark"):
            sides.append(claim[j].key)
    return sides


def _bare(key: str) -> str:
    """A figure without its currency or percent sign: what a claim that drops them says."""
    return key.lstrip("".join(_CURRENCY)).removesuffix("%")


def _near(claim: list[Token], i: int, source: list[Token], matches: list[int]) -> bool:
    """Are the content words next to claim[i] (a number) also within WINDOW words of one of
    `matches`?"""
    sides = _sides(claim, i)
    if not sides:
        return True
    for at in matches:
        window = {t.key for t in source[max(at - WINDOW, 0) : at + WINDOW + 1]}
        if all(s in window for s in sides):
            return True
    return False


def _runs(toks: Sequence[Token]) -> list[list[Token]]:
    runs: list[list[Token]] = []
    current: list[Token] = []
    for t in toks:
        if t.kind == "name":
            current.append(t)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _in_order(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def unsupported(
    claim: str,
    sources: Sequence[str],
    aliases: dict[tuple[str, ...], str] | None = None,
    order: bool = True,
    qualifiers: bool = True,
) -> str | None:
    """Why `claim` is not supported by `sources` (the cited sentences), or None if it is.
    `order`: also the words round each verb (`claim_order`) and views stated as fact
    (`claim_views`); both parse with spaCy. `qualifiers`: a figure keeps its "about", "more
    than" (`claim_hedges.qualifier_dropped`; a quiz option is the bare figure)."""
    if not sources:
        return "the cited words support no fact (an instruction, or nothing)"
    said = tokens(claim, aliases)
    texts = [tokens(s, aliases) for s in sources]
    said = spelled_out(said, texts)  # "attendance" for "Att:"
    everywhere = {t.key for toks in texts for t in toks if t.kind in ("num", "name", "word")}
    everywhere |= {_bare(k) for k in everywhere}  # "515m" is said where "$515m" is
    missing = [t.key for t in said if t.kind in ("num", "name", "word") and t.key not in everywhere]
    if missing:
        return f"says {', '.join(dict.fromkeys(missing))!s}, which the cited text does not"
    if negation_dropped(said, texts) or (
        has_negation(said) and not any(has_negation(toks) for toks in texts)
    ):
        return NEGATION_REASON
    if not any(t.kind in ("num", "name", "word") for t in said):
        return "asserts nothing the cited text can support"
    for i, t in enumerate(said):
        if t.kind == "num" and not any(
            _near(said, i, toks, [s.at for s in toks if t.key in (s.key, _bare(s.key))])
            for toks in texts
        ):
            return f"puts {t.key} with words the cited text does not put it with"
        if t.kind == "num" and qualifiers:
            same = {s.key for toks in texts for s in toks if t.key in (s.key, _bare(s.key))}
            dropped = qualifier_dropped(said, i, texts, same)
            if dropped:
                return dropped
        whole = share_of(said, i)
        if whole and not any(
            whole in phrase_after(toks, s.at) for toks in texts for s in toks if s.key == t.key
        ):
            return f"gives {t.key} of {whole}; the cited text gives it of something else"
    unit = unit_moved(claim, texts) or unit_changed(said, texts) or relation_turned(said, texts)
    if unit:
        return unit
    source_runs = [[t.key for t in r] for toks in texts for r in _runs(toks)]
    lower = {t.key for toks in texts for t in toks if t.kind == "word"}
    for run in _runs(said):
        keys = [t.key for t in run]
        if len(keys) > 1 and run[0].at == 0 and keys[0] in lower:  # "Some Anglicans"
            keys = keys[1:]
        if len(keys) > 1 and not any(_in_order(keys, r) for r in source_runs):
            return f"names {' '.join(keys)}, a name the cited text does not give"
        after = run[-1].at + 1
        adjective = run[-1].adjective and after < len(said) and said[after].kind == "word"
        head = said[after] if adjective else None
        if head and not any(_named(keys, head.key, toks) for toks in texts):
            return f"says {' '.join(keys)} {said[after].key}, which the cited text does not"
    swapped = _swapped(claim, said, sources, texts) or (
        turned_round(claim, sources, said, texts) if order else ""
    )
    if swapped:
        return swapped
    for t in said:
        if t.kind == "word" and t.key not in MODALS and not hedged_alike(said, t, texts):
            return f"drops the modal verb or refusal before {t.key} (will/may/refused to...)"
    return (view_as_fact(said, sources) or None) if order else None


def _speaker_keys(texts: Iterable[str]) -> set[str]:
    """The last word of each named speaker in `texts` ("Tony Blair said" -> "blair")."""
    found = set()
    for text in texts:
        for m in [*_SPEAKER.finditer(text), *_ACCORDING.finditer(text)]:
            for name in m.groups():
                if name and name.split()[0].lower() not in FUNCTION_WORDS | NEGATIONS:
                    found.add(tokens(name.split()[-1])[0].key)
    return found


def _doers(said: list[Token], texts: list[list[Token]]) -> str:
    """ "Varga whipped in a corner" where the cited text only has "Thompson whipped": the
    word right after a name in the claim follows only other names in the cited text."""
    for i, t in enumerate(said[:-1]):
        verb = said[i + 1]
        if t.kind != "name" or verb.kind != "word":
            continue
        before = [
            toks[j - 1] for toks in texts for j in range(1, len(toks)) if toks[j].key == verb.key
        ]
        if before and all(b.kind == "name" and b.key != t.key for b in before):
            return f"says {t.key} {verb.key}; the cited text says {before[0].key} {verb.key}"
    return ""


@functools.cache
def _calendar() -> frozenset[str]:
    words = """January February March April May June July August September October November
    December Monday Tuesday Wednesday Thursday Friday Saturday Sunday"""
    return frozenset(t.key for t in tokens(words))


def _clauses(toks: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for t in toks:
        if t.kind == "mark" or t.key in _JOINERS:
            out.append([])
        elif t.kind != "free":
            out[-1].append(t)
    return out


def _swapped(
    claim: str, said: list[Token], sources: Sequence[str], texts: list[list[Token]]
) -> str:
    """Who said it, and when, as the cited text has it. A claim whose named speaker is not
    the cited text's speaker is not supported ("Blair said" for "Howard said"); nor one whose
    name does what another name does in the cited text ("Varga crossed" for "Thompson
    crossed"); nor one whose date has other words beside it than in the cited text's clause
    ("exports rose in October" for "jobs rose in October, while exports rose in September");
    nor one that pairs names the cited text pairs otherwise (`claim_pairs`).
    Names may change order: a question or a paraphrase reorders clauses freely."""
    theirs, ours = _speaker_keys(sources), _speaker_keys([claim])
    if theirs and ours - theirs:
        return f"gives {', '.join(sorted(ours - theirs))} as the speaker; the cited text does not"
    doer = _doers(said, texts) or _crossed(said, texts) or agent_moved(said, texts)
    doer = doer or pair_moved(said, texts)
    if doer:
        return doer
    names = {t.key for t in said if t.kind == "name"}
    for i, t in enumerate(said):
        if t.key not in _calendar():
            continue
        sides = [x for x in _sides(said, i) if x not in names]
        clauses = [{c.key for c in clause} for toks in texts for clause in _clauses(toks)]
        if not any(t.key in keys and all(x in keys for x in sides) for keys in clauses):
            return f"puts {t.key} with words the cited text does not put it with"
    return ""


def _crossed(said: list[Token], texts: list[list[Token]]) -> str:
    """Two names on either side of the same word, the other way round from the cited text:
    "FleetBoston snapped up BOA" for "BOA snapped up FleetBoston", "a slump at
    DaimlerChrysler prompted a drop at Mercedes" for the reverse."""
    sources = [clause for toks in texts for clause in _clauses(toks)]
    for clause in _clauses(said):
        for i, a in enumerate(clause):
            for j in range(i + 1, len(clause)):
                b = clause[j]
                if a.kind != "name" or b.kind != "name" or a.key == b.key:
                    continue
                between = {t.key for t in clause[i + 1 : j] if t.kind == "word"}
                if between and _reversed(a.key, b.key, between, sources):
                    return f"puts {a.key} and {b.key} the other way round from the cited text"
    return ""


def _reversed(a: str, b: str, between: set[str], sources: list[list[Token]]) -> bool:
    """Whether the cited clauses have b ... a with one of `between` in the middle, and never
    a ... b with it."""
    ways = set()
    for clause in sources:
        keys = [t.key for t in clause]
        for x, first, second in ((0, a, b), (1, b, a)):
            for i, k in enumerate(keys):
                if k != first:
                    continue
                for j in range(i + 1, len(keys)):
                    if keys[j] == second and between & set(keys[i + 1 : j]):
                        ways.add(x)
    return ways == {1}


def _named(run: list[str], word: str, source: list[Token]) -> bool:
    """Is `word` right after the name `run` somewhere in `source` ("North Korean troops")?"""
    for j, t in enumerate(source):
        if t.key == run[-1] and word in {s.key for s in source[j + 1 : j + 4]}:
            before = [s.key for s in source[max(j - len(run) - 2, 0) : j + 1]]
            if _in_order(run, before):
                return True
    return False


Judge = Callable[[str, Sequence[str]], str | None]


def check_reply(
    raw: str,
    passages: Sequence[Passage],
    ignore: Iterable[str] = (),
    judge: Judge | None = None,
    question: str = "",
) -> tuple[list[tuple[str, tuple[Citation, ...]]], list[str]]:
    """Every sentence of the reply, kept with its citations or removed with the reason.
    Sentences equal to one of `ignore` (the decline phrase) are neither kept nor reported.
    `judge` (claim, cited sentences) -> reason or None is asked about every sentence the
    word-level check keeps (`bot.llm.judge.ReaderJudge`: the reading model); it can only
    remove. A sentence's opening "Yes,"/"No," is checked against `question` (the question
    the reply answers; `claim_answers`): kept when the cited text settles it that way, else
    dropped from the sentence shown (and reported)."""
    by_id = {p.id: p for p in passages}
    aliases = find_aliases(p.text for p in passages)
    skip = {clean(s) for s in ignore}
    kept: list[tuple[str, tuple[Citation, ...]]] = []
    removed: list[str] = []
    for sentence in split_reply(raw):
        if not sentence.units:
            if sentence.text not in skip:
                removed.append(f"{sentence.text} (no citation)")
            continue
        word, rest = split_answer(sentence.units[0].text)
        units = sentence.units
        if word:  # the answer word is no fact of the passage: the rest is the claim
            units = (Unit(rest, units[0].citations), *units[1:])
        reason, cited = _check_units(units, by_id, aliases, judge)
        if reason:
            removed.append(f"{sentence.text} ({reason})")
            continue
        shown = sentence.text
        check = functools.partial(unsupported, aliases=aliases, order=False)
        if word and not settled(word, rest, question, units[0].citations, by_id, check):
            shown = without_answer(shown)
            removed.append(
                f'the opening "{word}" of "{sentence.text}" (the cited text does not settle'
                " the question that way)"
            )
        kept.append((shown, tuple(dict.fromkeys(cited))))
    return kept, removed


def _check_units(
    units: Sequence[Unit],
    by_id: dict[str, Passage],
    aliases: dict[tuple[str, ...], str],
    judge: Judge | None = None,
) -> tuple[str | None, list[Citation]]:
    cited: list[Citation] = []
    for unit in units:
        sources: dict[str, list[str]] = {}  # passage id -> the cited sentences in it
        written: dict[str, list[str]] = {}  # the same, read with the passage's names
        for pid, quote in unit.citations:
            if pid not in by_id:
                return f"cites {pid}, a passage the model was not given", []
            try:
                citation = cite_quote(by_id[pid], quote)
            except CitationError:
                return f"the quote is not in {pid} word for word", []
            cited.append(citation)
            for into, context in ((sources, False), (written, True)):
                held = into.setdefault(pid, [])
                held.extend(s for s in support(citation, context) if s not in held)
        # One passage must support the words on its own: facts joined across passages are not
        # a fact any passage states. A cited sentence is read as it stands and, failing that,
        # with "they"/"it" and short names written out as the passage gives them.
        reasons, helds = [], []
        for pid, held in sources.items():
            why = unsupported(unit.text, held, aliases)
            if why and written[pid] != held and not unsupported(unit.text, written[pid], aliases):
                why, held = None, written[pid]
            reasons.append(why)
            helds.append(held)
        if all(reasons):
            return f"not supported by {'/'.join(sources)}: {reasons[0]}", []
        if judge is not None:
            verdicts = [
                why or judge(unit.text, held) for why, held in zip(reasons, helds, strict=True)
            ]
            if all(verdicts):
                return f"not supported by {'/'.join(sources)}: {verdicts[0]}", []
    return None, cited


_QUESTION_FRAME = re.compile(
    r"\b(?:how\s+many|how\s+much|which\s+of\s+the\s+following|according\s+to\s+the\s+"
    r"(?:article|passage|story)|in\s+the\s+(?:article|passage|story))\b",
    re.IGNORECASE,
)


def check_item(question: str, key: str, citation: Citation) -> str | None:
    """Why a quiz item (its question with the correct option) is not supported by the quoted
    sentence(s), or None. Wording that only frames a question ("how many") is free. Word
    order round verbs is not checked: a question with its answer after it is not a sentence."""
    claim = _QUESTION_FRAME.sub(" ", question) + " " + key
    aliases = find_aliases([citation.text])
    return unsupported(claim, support(citation), aliases, order=False, qualifiers=False)
