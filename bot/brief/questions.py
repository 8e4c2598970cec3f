"""The briefing's suggested questions: a mix of kinds (what is still open, why, by how much,
how many with the unit, who, what a quoted person said), each kept only when the answerer
answers it with a citation; five in all, one per passage first."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.brief.facts import ArticleSentence, Person
from bot.brief.qgen import parsed_questions
from bot.qa.answer import Answer
from bot.qa.citations import Citation

_CHANGE = {
    "fell": "fall",
    "rose": "rise",
    "slid": "slide",
    "dropped": "drop",
    "jumped": "jump",
    "increased": "increase",
    "decreased": "decrease",
    "grew": "grow",
    "climbed": "climb",
    "slumped": "slump",
    "soared": "soar",
}
_BY_HOW_MUCH = re.compile(
    r"(?:^|[,;]\s+|\bthat\s+)(?P<subj>(?:[A-Z][\w'’-]*|[a-z][\w'’-]*)(?:\s+[\w'’-]+){0,5}?)\s+"
    r"(?P<verb>" + "|".join(_CHANGE) + r")\s+(?:by\s+)?(?:almost |nearly |about |just )?"
    r"(?:[£$€]?\d[\d.,]*(?:%|bn|m)?)"
)
_WHY_CLAUSE = (
    r"(?P<subj>(?:[\w'’-]+\s+){0,5}?[\w'’-]+)\s+(?P<aux>is|are|was|were|will|would|could|can|"
    r"should|must|has|have|had)\s+(?P<rest>[^,;.\"“”]{4,80}?)\s+because\b"
)
# "X said innocent Muslims would be targeted because ...", then a sentence's own subject
_WHY = (
    re.compile(r"\b(?:said|says|say|found|believe[sd]?)\s+(?:that\s+)?" + _WHY_CLAUSE),
    re.compile(r"^" + _WHY_CLAUSE),
)
_DID = {
    "announced": "announce",
    "found": "find",
    "warned": "warn",
    "welcomed": "welcome",
    "agreed": "agree",
    "decided": "decide",
    "revealed": "reveal",
    "promised": "promise",
}
_WHAT_DID = re.compile(
    r"^(?:[A-Z]\w+,\s+|(?:Last|This|Earlier|On) \w+,? )?"
    r"(?P<subj>(?:The|the) [a-z][\w'’ -]{2,40}?|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)"
    r"{0,3}|[A-Z][a-z]+ from the [A-Z][\w ]{2,40}?)\s+(?:last \w+ |also |had )?"
    r"(?P<verb>" + "|".join(_DID) + r")\b"
)
_PRONOUN_START = re.compile(r"(?i)^(?:it|its|they|their|he|his|she|her|this|that|these|those)\b")
_CURRENCY_WORDS = re.compile(r"(?i)\b(?:euros?|dollars?|pounds?|pence|yen|yuan|cents?)\b")
_KIND_LIMIT = 2  # at most two questions of one kind while other kinds have some to give


def suggest(
    sents: list[ArticleSentence],
    people: list[Person],
    quoted: dict[str, set[str]],
    ask: Callable[[str], Answer],
) -> list[tuple[str, tuple[Citation, ...]]]:
    """Five questions of mixed kinds that the answerer answers with a citation. `quoted`:
    the passages where each person's quotations are (a "What did X say?" is kept only when
    it cites one of them, and with those citations only)."""
    kinds = [
        _open_questions(sents),
        _why(sents),
        _by_how_much(sents),
        _what_did(sents),
        _who_did(sents),
        _how_many(sents),
        [f"Who is {p.name}?" for p in sorted(people, key=lambda p: -p.count) if p.role][:3],
        [f"What did {p.name} say?" for p in people if p.name in quoted],
    ]
    parsed = parsed_questions(sents)  # who did it, when, how much: read off the parse
    kinds += [[q for q, _ in parsed[k]] for k in ("when", "how_much", "who")]
    expected = {q: words for asked in parsed.values() for q, words in asked}
    order = [q for rnd in range(6) for kind in kinds for q in kind[rnd : rnd + 1]]
    out: list[tuple[str, tuple[Citation, ...]]] = []
    spare: list[tuple[str, tuple[Citation, ...]]] = []
    seen: set[str] = set()
    per_kind: dict[int, int] = {}
    kind_of = {q: k for k, kind in enumerate(kinds) for q in kind}
    for q in dict.fromkeys(order):
        if len(out) == 5:
            break
        answer = ask(q)
        cites = _supporting(q, answer, quoted)
        if not cites or (q in expected and not _holds(answer, expected[q])):
            continue  # unanswered, or answered with something else than the sentence's fact
        first = cites[0].passage
        k = kind_of[q]
        if first in seen or per_kind.get(k, 0) >= _KIND_LIMIT:
            spare.append((q, cites))
            continue
        seen.add(first)
        per_kind[k] = per_kind.get(k, 0) + 1
        out.append((q, cites))
    return out + spare[: 5 - len(out)]


def _supporting(q: str, answer: Answer, quoted: dict[str, set[str]]) -> tuple[Citation, ...]:
    """The answer's citations that answer q: for "What did X say?", those of passages that
    hold a quotation credited to X; none when the answerer abstained."""
    if answer.abstained:
        return ()
    said = re.fullmatch(r"What did (.+) say\?", q)
    if said is None:
        return answer.citations
    return tuple(c for c in answer.citations if c.passage in quoted.get(said.group(1), set()))


def _holds(answer: Answer, words: str) -> bool:
    """Whether the reply holds the last content word of the words that answer the question
    ("Riise" of "John Arne Riise", "1981", "week" of "last week")."""
    content = [w for w in re.findall(r"\w+", words.lower()) if w not in _FILLER]
    reply = set(re.findall(r"\w+", f"{answer.short_answer or ''} {answer.answer}".lower()))
    return bool(content) and content[-1] in reply


_FILLER = frozenset({"the", "a", "an", "of", "in", "on", "at", "mr", "ms", "mrs", "dr", "s"})


def _open_questions(sents: list[ArticleSentence]) -> list[str]:
    """ "A key question is what X will get" -> "What will X get?" """
    out = []
    for s in sents:
        m = re.search(
            r"\bquestion (?:is|remains) ((?:what|whether|how|why|who|when)\b[^.;]+)",
            s.sentence.text,
        )
        if m:
            out.append(_as_question(m.group(1)))
    return out


def _as_question(clause: str) -> str:
    clause = clause.strip()
    m = re.match(
        r"(what|how|why|who|when) (.+?) "
        r"(will|would|can|could|may|might|has|have|is|are|was|were|did|does|do) (.+)",
        clause,
    )
    if m:  # "what North Korea will get" -> "What will North Korea get"
        clause = f"{m.group(1)} {m.group(3)} {m.group(2)} {m.group(4)}"
    return clause[:1].upper() + clause[1:].rstrip(" ,") + "?"


def _why(sents: list[ArticleSentence]) -> list[str]:
    """ "X said innocent Muslims would be targeted because of ..." -> "Why would innocent
    Muslims be targeted?" """
    out = []
    for s in sents:
        m = _WHY[0].search(s.sentence.text) or _WHY[1].search(s.sentence.text)
        if m and not _PRONOUN_START.match(m.group("subj")):
            subj = m.group("subj")
            if m.start("subj") == 0 and not re.match(r"[A-Z][a-z]*\s+[A-Z]", subj):
                subj = subj[:1].lower() + subj[1:]  # "The", not a name
            out.append(f"Why {m.group('aux')} {subj} {m.group('rest')}?")
    return out


def _what_did(sents: list[ArticleSentence]) -> list[str]:
    """ "Last month the Brit Awards announced ..." -> "What did the Brit Awards announce?" """
    out = []
    for s in sents:
        m = _WHAT_DID.match(s.sentence.text)
        if m and not _PRONOUN_START.match(m.group("subj")):
            subj = re.sub(r"^The\b", "the", m.group("subj"))
            if " " not in subj and m.start("subj") == 0 and _common(subj.lower(), sents):
                subj = subj.lower()  # "Researchers found" -> "researchers"
            out.append(f"What did {subj} {_DID[m.group('verb')]}?")
    return out


def _by_how_much(sents: list[ArticleSentence]) -> list[str]:
    """ "Sales of Mercedes' brands fell 2%" -> "By how much did sales of Mercedes' brands
    fall?" (not when the subject is a pronoun: "its profits" says nothing on its own)."""
    out = []
    for s in sents:
        for m in _BY_HOW_MUCH.finditer(s.sentence.text):
            subj = m.group("subj")
            if _PRONOUN_START.match(subj) or re.search(r"\d|\b(?:said|says|say)\b", subj):
                continue  # "its profits"; "Unilever said European sales": not one subject
            if m.start("subj") == 0 and not re.match(r"[A-Z][\w'’-]*[A-Z]|[A-Z]\w*['’]", subj):
                subj = subj[:1].lower() + subj[1:]  # "Sales of ...", not "DaimlerChrysler's"
            out.append(f"By how much did {subj} {_CHANGE[m.group('verb')]}?")
    return out


def _how_many(sents: list[ArticleSentence]) -> list[str]:
    """ "about 10,000 North Korean troops now in Russia" -> "How many North Korean troops are
    now in Russia?" (only when the words after the figure read as a place or time, never a
    currency or a year)."""
    out = []
    for s in sents:
        for m in s.mentions("CARDINAL", "QUANTITY"):
            after = s.passage.text[m[1] : s.sentence.end]
            found = re.match(
                r"\s+((?:[A-Za-z][\w-]*\s+){0,3}?[a-z][\w-]*s)"
                r"\s+((?:now |currently )?(?:in|at|on|near) [^,.;()]+)",
                after,
            )
            if (
                found
                and not re.search(r"\d", found.group(2))
                and not _CURRENCY_WORDS.search(found.group(1))
                and not _NOT_A_NOUN.match(found.group(1))
            ):
                out.append(f"How many {found.group(1)} are {found.group(2).strip()}?")
    return out


# "10 or so images", "one of the great icons", "two to four megapixels": the words after
# the figure are not the thing counted
_NOT_A_NOUN = re.compile(
    r"(?i)(?:or|of|to|and|so|than|more|less|per|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|hundred|thousand|million|billion)\b"
)


def _common(word: str, sents: list[ArticleSentence]) -> bool:
    """A word the article also writes in lower case: a common noun, not a name."""
    return any(re.search(rf"\b{re.escape(word)}\b", s.sentence.text) for s in sents)


_DEED = re.compile(
    r"\s+((?:[a-z]+ed|scored|won|lost|made|took|gave|led|left|hit|beat|struck|sent|brought|"
    r"became|ran|set|began|met|wrote|built|sold|bought|held|kept|put|was|had)\b[^,;.:\"“”()]{8,300})"
)
_DANGLING = re.compile(
    r"\b(?:of|to|for|with|a|an|the|in|on|at|by|from|into|than|that|his|her|its|their)\s*$"
)
_NOT_DEEDS = frozenset("said added told asked used based called named".split())


def _who_did(sents: list[ArticleSentence]) -> list[str]:
    """ "John Arne Riise volleyed Liverpool ahead after 45 seconds" -> "Who volleyed Liverpool
    ahead after 45 seconds?" (a person named as the sentence's subject, then what they did)."""
    out = []
    for s in sents:
        start = s.sentence.start
        for m in s.mentions("PERSON"):
            if not re.fullmatch(
                r"(?:[A-Z][\w'’-]*(?:\s+[a-z]+){0,2}\s+)?", s.passage.text[start : m[0]]
            ):
                continue  # the subject: the name, or "Blues boss" + the name
            deed = _DEED.match(s.passage.text, m[1], s.sentence.end)
            cut = deed is not None and re.match(r"[\w'’-]", s.passage.text[deed.end() :])
            if deed and not cut and deed.group(1).split()[0] not in _NOT_DEEDS:
                clause = re.split(r"\s(?:but|and|while|although|whereas|as)\s", deed.group(1))[0]
                if not _DANGLING.search(clause) and len(clause.split()) <= 16:
                    out.append(f"Who {clause.strip()}?")  # not "Who accused Ms Blears of?"
    return out
