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
from bot.llm.claim_hedges import (
    hedged_alike,
    phrase_after,
    qualifier_dropped,
    share_of,
    superlative_narrowed,
)
from bot.llm.claim_labels import spelled_out
from bot.llm.claim_negation import has_negation, negation_dropped
from bot.llm.claim_order import doer_added, roles_moved, turned_round
from bot.llm.claim_relations import opposite_placed, relation_turned
from bot.llm.claim_roles import neighbours, swapped
from bot.llm.claim_sentences import Unit, clean, split_reply, support
from bot.llm.claim_subject import subject_of
from bot.llm.claim_tokens import (
    _CURRENCY,
    MODALS,
    Token,
    find_aliases,
    tokens,
)
from bot.llm.claim_units import counted_changed, rate_changed, unit_changed, unit_moved
from bot.llm.claim_views import view_as_fact
from bot.qa.citations import Citation, CitationError, cite_quote
from index.passages import Passage

WINDOW = 10  # words: how near a number's or a name's neighbours must be in the cited text


def _bare(key: str) -> str:
    """A figure without its currency or percent sign: what a claim that drops them says."""
    return key.lstrip("".join(_CURRENCY)).removesuffix("%")


def _near(claim: list[Token], i: int, source: list[Token], matches: list[int]) -> bool:
    """Are the content words next to claim[i] (a number) also within WINDOW words of one of
    `matches`?"""
    sides = neighbours(claim, i)
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
    figure = _figure_astray(said, texts, qualifiers)
    if figure:
        return figure
    unit = unit_moved(claim, texts) or unit_changed(said, texts) or counted_changed(said, texts)
    unit = unit or relation_turned(said, texts) or rate_changed(said, texts)
    unit = unit or opposite_placed(said, texts) or superlative_narrowed(claim, sources)
    if unit:
        return unit
    name = _name_astray(said, texts)
    if name:
        return name
    roles = swapped(claim, said, sources, texts) or (
        (
            turned_round(claim, sources, said, texts)
            or doer_added(claim, sources)
            or roles_moved(claim, sources)
        )
        if order
        else ""
    )
    if roles:
        return roles
    for t in said:
        if t.kind == "word" and t.key not in MODALS and not hedged_alike(said, t, texts):
            return f"drops the modal verb or refusal before {t.key} (will/may/refused to...)"
    return (view_as_fact(said, sources) or None) if order else None


def _figure_astray(said: list[Token], texts: list[list[Token]], qualifiers: bool) -> str:
    """Why a figure of the claim is not where the cited text puts it, or "": with other words
    round it, without its qualifier, or as a share of something else."""
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
    return ""


def _name_astray(said: list[Token], texts: list[list[Token]]) -> str:
    """Why a name of the claim is not one the cited text gives, in that order, or with the
    noun a demonym goes with ("South Korean troops"), or ""."""
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
    return ""


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
    about = functools.partial(subject_of, list(by_id.values()))
    for unit in units:
        sources: dict[str, list[str]] = {}  # passage id -> the cited sentences in it
        citations: dict[str, list[Citation]] = {}
        for pid, quote in unit.citations:
            if pid not in by_id:
                return f"cites {pid}, a passage the model was not given", []
            try:
                citation = cite_quote(by_id[pid], quote)
            except CitationError:
                return f"the quote is not in {pid} word for word", []
            cited.append(citation)
            citations.setdefault(pid, []).append(citation)
            held = sources.setdefault(pid, [])
            held.extend(s for s in support(citation) if s not in held)
        # One passage must support the words on its own: facts joined across passages are not
        # a fact any passage states. A cited sentence is read as it stands and, failing that,
        # with "they"/"it" and short names written out as the passage gives them.
        reasons, helds = [], []
        for pid, held in sources.items():
            why = unsupported(unit.text, held, aliases)
            if why:
                written = list(dict.fromkeys(s for c in citations[pid] for s in support(c, True)))
                if written != held and not unsupported(unit.text, written, aliases):
                    why, held = None, written
            if why and about() is not None:
                written = list(
                    dict.fromkeys(s for c in citations[pid] for s in support(c, True, about()))
                )
                if written != held and not unsupported(unit.text, written, aliases):
                    why, held = None, written
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
