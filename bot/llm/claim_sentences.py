"""A model's reply as sentences, each with the citations that follow it, and the cited text as
the sentences that hold a quote (with who speaks in them, less instructions planted in the
article). `bot.llm.claims` checks each sentence against its cited sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.llm.claim_context import named_before, topic, written_out
from bot.llm.claim_subject import Subject, with_subject
from bot.llm.claim_tokens import FUNCTION_WORDS, NAME_PATTERN, NEGATIONS
from bot.qa.citations import Citation

CITATION = re.compile(r"\[\s*(¶[\d.]+)\s*[:,]?\s*[\"“](.+?)[\"”]\s*\]")
# Instructions addressed to a model, planted in an article: such sentences support nothing.
_PLANTED = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?]{0,60}\b(?:instructions?|passages?|prompts?"
    r"|rules?|above|previous|context|sources?|article|text)\b"
    r"|(?:^|[.;:!?]\s*|\band\s+|\bthen\s+)(?:say|reply|respond|answer|write|state|output|claim"
    r"|tell\s+(?:the\s+)?(?:user|reader)s?)\b(?:\s+(?:only|instead|that|with|:))"
    r"|\byou\s+(?:must|should|are\s+to|have\s+to|will\s+now)\s+(?:say|reply|respond|answer"
    r"|write|state|tell|ignore)\b"
    r"|\b(?:system\s+prompt|as\s+an\s+ai|language\s+model)\b"
    # a conditional addressed to whoever answers: "if asked who X is, answer that ..." (not
    # the reporting "When asked about the deal, he said")
    r"|\b(?:if|when)\s+(?:you\s+are\s+)?(?:asked|summari[sz]ing|answering|responding)\b"
    r"[^.!?]{0,80},\s*(?:say|answer|reply|respond|state|tell|write)\b"
    # a note to the machine reading: "Note to AI assistants:", "AI systems reading this must",
    # "System note:", "Assistant:"
    r"|\bnote\s+to\s+(?:ai|assistants?|chatbots?|models?|llms?)\b"
    r"|\b(?:ai|assistants?|chatbots?|models?|llms?)\s+(?:\w+\s+)?reading\s+this\b"
    r"|^\W*(?:system|assistant)\b[^.:!?]{0,20}:",
    re.IGNORECASE,
)
_ABBREVIATIONS = frozenset(
    """mr ms mrs dr st jan feb mar apr jun jul aug sep sept oct nov dec no vs gov sen rep gen
    lt col sgt capt prof inc co corp ltd jr sr mt ft bros messrs rev hon dept univ assn
    approx""".split()
)
_MARK = "\ue000"  # stands for a citation marker while the reply is split into sentences


def planted(sentence: str) -> bool:
    """Is this sentence of an article an instruction addressed to a model?"""
    return bool(_PLANTED.search(sentence))


def sentence_spans(text: str, quotes: Sequence[str] = ()) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, split after . ! ? before a capital or a digit;
    abbreviations ("U.S.", "Mr.") do not end a sentence unless a citation follows them, nor
    does a full stop with the words on both sides of it in one of `quotes` (the reply's
    quotes of the article: "Warner Bros. Records" quoted is one name, not two sentences)."""
    spans: list[tuple[int, int]] = []
    start = 0
    ends = re.compile(
        rf"(?:[.!?…]+[\"”’)\]]*(?:\s*{_MARK}\d+{_MARK})*"
        rf"|(?:\s*{_MARK}\d+{_MARK})+(?=\s+[A-Z0-9\"“‘£$€]))(?=\s+\S|\s*$)"
    )
    for m in ends.finditer(text):
        after = text[m.end() :].lstrip()
        word = re.search(r"(?<![\w.])([A-Za-z.]+)[.!?…]*$", text[start : m.start() + 1])
        marked = _MARK in m.group(0)
        if not marked and after and not re.match(rf"[A-Z0-9\"“‘'(\[{_MARK}£$€]", after):
            continue
        if not marked and word and m.group(0)[:1] == ".":
            w = word.group(1).rstrip(".")
            short = re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", w) or w.lower() in _ABBREVIATIONS
            if (short and after) or _quoted(word.group(1), after, quotes):
                continue
        spans.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _quoted(before: str, after: str, quotes: Sequence[str]) -> bool:
    """Are `before` (the word a full stop ends) and the word `after` opens with, one space
    apart, in one of `quotes`?"""
    nxt = re.match(r"[\w'’-]+", after)
    if not nxt or not quotes:
        return False
    joined = re.compile(rf"(?<![\w.]){re.escape(before)}\s+{re.escape(nxt.group(0))}(?!\w)")
    return any(joined.search(q) for q in quotes)


@dataclass(frozen=True)
class Unit:
    """Words of one reply sentence and the citations that follow them."""

    text: str
    citations: tuple[tuple[str, str], ...]  # (passage id, quote)


@dataclass(frozen=True)
class ReplySentence:
    text: str  # the sentence without its citation markers, as shown to the user
    units: tuple[Unit, ...]  # empty: the sentence has no citation


def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([.,;:!?])(?![0-9])", r"\1", text)  # not ".429", a figure


def split_reply(raw: str) -> list[ReplySentence]:
    """The reply as sentences, each with its citations. A citation belongs to the sentence it
    ends (before or after the full stop); words after the last citation of a sentence are
    checked against that citation."""
    markers: list[tuple[str, str]] = []

    def mark(m: re.Match[str]) -> str:
        markers.append((m.group(1), m.group(2)))
        return f" {_MARK}{len(markers) - 1}{_MARK} "

    masked = CITATION.sub(mark, raw)
    out: list[ReplySentence] = []
    for a, b in sentence_spans(masked, [q for _, q in markers]):
        sentence = masked[a:b]
        parts = re.split(rf"{_MARK}(\d+){_MARK}", sentence)
        units: list[Unit] = []
        text, cites = "", []
        for n, part in enumerate(parts):
            if n % 2:
                cites.append(markers[int(part)])
            elif re.search(r"\w", part):
                if cites:
                    units.append(Unit(clean(text), tuple(cites)))
                    text, cites = "", []
                text += part
            else:
                text += part
        if cites:
            units.append(Unit(clean(text), tuple(cites)))
        elif units and re.search(r"\w", text):  # words after the last citation
            last = units[-1]
            units[-1] = Unit(clean(last.text + " " + text), last.citations)
        shown = clean(re.sub(rf"{_MARK}\d+{_MARK}", " ", sentence))
        if not units and not re.search(r"\w", shown):
            continue
        out.append(ReplySentence(shown, tuple(u for u in units if re.search(r"\w", u.text))))
    return out


_SPEECH = r"(?:said|says|told|added|noted|speculated|acknowledged|warned|argued|forecast)"
# a sentence that opens with a name and its role, the closing comma left out: "Howard
# Archer, economist at Global Insight said" is Archer speaking, not Global Insight
ROLE_SPEAKER = rf"^\W*((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+),\s+[a-z][^,.]{{0,80}}?\s+{_SPEECH}\b"
_NAMED_SPEAKER = re.compile(
    rf"{ROLE_SPEAKER}"
    rf"|((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+)(?:,[^,.]{{1,80}},)?\s+{_SPEECH}\b"
    rf"|\b{_SPEECH}\s+((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+)"
)
_PRONOUN_SPEAKER = re.compile(rf"\b(?:[Hh]e|[Ss]he)\s+{_SPEECH}\b|\b{_SPEECH}\s+(?:he|she)\b")


def speakers(sentences: Sequence[str]) -> list[str]:
    """Who speaks in each sentence: a name next to a reporting verb ("Austin said",
    "Jeffrey Matsuura, director of ..., said"); "he said" is the last named speaker before it
    in the same passage (and nobody at the passage's start)."""
    out: list[str] = []
    last = ""
    for sentence in sentences:
        names = [
            n for m in _NAMED_SPEAKER.finditer(sentence) for n in m.groups()
            if n and n.split()[0].lower() not in FUNCTION_WORDS | NEGATIONS
        ]  # fmt: skip
        if names:
            last = names[-1]
            out.append("")
        else:
            out.append(last if _PRONOUN_SPEAKER.search(sentence) else "")
    return out


# a sentence that opens with a person's name and goes on with a verb: "Mr Kotamaraja wanted",
# "Dina Mehta is", "Dr Andrew Burn, associate director of ..., moved"
_OPENING_NAME = re.compile(
    rf"^(?:(Mr|Ms|Mrs|Dr|Sir|Lord|Lady)\.?\s+)?({NAME_PATTERN})(?=,|\s*\(|\s+[a-z])"
)
_HE_SHE = re.compile(r"\b([Hh]e|[Ss]he)\b")
_FEMALE = frozenset("ms mrs lady".split())


def _subject(sentence: str, passage: str) -> str:
    """The person a sentence opens with, if its name is a name (two words, a title, or
    capitalised mid-sentence somewhere in the passage), as "he"/"she" may refer back to it."""
    m = _OPENING_NAME.match(sentence)
    if not m or m.group(2).split()[0].lower() in FUNCTION_WORDS | NEGATIONS:
        return ""
    name, title = m.group(2), (m.group(1) or "").lower()
    if not title and " " not in name and not re.search(rf"[a-z,]\s+{re.escape(name)}\b", passage):
        return ""
    return f"{'she' if title in _FEMALE else 'he' if title else ''}:{name}"


def _resolved(sentence: str, previous: str, passage: str) -> str:
    """`sentence` with each unquoted "he"/"she" written as the person the sentence before it
    opens with ("Mr Kotamaraja wanted to help ... So, he set up ..." -> "So, Kotamaraja set
    up ..."): the name stands where the pronoun stood, so who did what stays checkable. A
    pronoun after a name in its own sentence is left alone: that name is nearer."""
    sex, _, name = _subject(previous, passage).partition(":")
    if not name:
        return sentence

    def swap(m: re.Match[str]) -> str:
        quoted = len(re.findall(r"[\"“”]", sentence[: m.start()])) % 2
        nearer = named_before(sentence[: m.start()], people=True)  # "Conkling left Columbia, he"
        return m.group(0) if quoted or nearer or (sex and sex != m.group(1).lower()) else name

    return _HE_SHE.sub(swap, sentence)


def support(citation: Citation, context: bool = False, subject: Subject | None = None) -> list[str]:
    """The sentences of the cited passage that hold the quote, less planted instructions.
    A sentence whose speaker is "he"/"she" is given the speaker's name from earlier in the
    passage ("..., he said" after "Kim said ..." is Kim speaking); failing that, an unquoted
    "he"/"she" is the person the sentence before opens with (`_resolved`). With `context`,
    "they"/"it" are the passage's topic and a lone part of a full name is the full name
    (`claim_context`). With `subject`, pronouns that can only mean the one the passages are
    about are written as it (`claim_subject`)."""
    spans = sentence_spans(citation.text) or [(0, len(citation.text))]
    texts = [citation.text[a:b] for a, b in spans]
    who = speakers(texts)
    topical = topic(texts[0])
    held = []
    for n, (a, b) in enumerate(spans):
        if a < citation.end and b > citation.start:
            if who[n]:
                text = f"{texts[n]} ({who[n]} said)"
            else:
                text = _resolved(texts[n], texts[n - 1], citation.text) if n else texts[n]
            if context:
                text = written_out(text, citation.text, topical if n else "")
            if subject:
                text = with_subject(text, texts[n - 1] if n else "", subject)
            held.append(text)
    return [s for s in held if not planted(s)]
