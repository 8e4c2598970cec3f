"""What a cited sentence leaves to the passage round it (`claim_sentences.support` asks): a
passage that opens with its topic ("Arsenal was the first club ...", "Spectre (2015) is the
twenty-fourth Bond film") goes on with "they", "it" for it, and a person named in full once
("Herbert Chapman") goes on as "Chapman". A claim may name them in full ("Arsenal moved into
the Emirates Stadium" for "In July 2006, they moved into the Emirates Stadium"), so the cited
sentence is read with those words written out. Only the passage's own names are used, and only
where they are the one reading: a part two full names share is left as it is."""

from __future__ import annotations

import functools
import re

from bot.llm.claim_tokens import FUNCTION_WORDS, NAME_PATTERN, NEGATIONS

# the passage's topic: the name its first sentence opens with, before a verb, comma or bracket
_TOPIC = re.compile(rf"^({NAME_PATTERN})(?=\s*\(|,|\s+[a-z])")
# "they"/"it" as a subject: before a word in lower case (a verb, an adverb)
_SUBJECT = re.compile(r"(?<![\w'’])([Tt]hey|[Ii]t)(?=\s+[a-z])")
# a person's full name: two or three capitalised words ("Herbert Chapman", "Yuji Yagi")
_FULL = re.compile(r"(?<![\w'’-])[A-Z][a-z-]+(?:\s+[A-Z][a-z-]+){1,2}(?![\w'’-])")
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


def topic(first_sentence: str) -> str:
    """The name `first_sentence` opens with as its subject ("" if none)."""
    m = _TOPIC.match(first_sentence.strip())
    if not m or m.group(1).split()[0].lower() in FUNCTION_WORDS | NEGATIONS:
        return ""
    if re.fullmatch(r"\w+(?:ese|ian|ish)", m.group(1)):  # "Japanese seismologist ...": a demonym
        return ""
    return m.group(1)


def _antecedent(sentence: str, m: re.Match[str], subject: str) -> str:
    """`subject` for the pronoun `m`, unless it is quoted or a name comes before it in the
    sentence ("Liverpool were living dangerously and they needed": they are Liverpool)."""
    before = sentence[: m.start()]
    quoted = len(re.findall(r"[\"“”]", before)) % 2 == 1
    return m.group(0) if quoted or named_before(before) else subject


def named_before(text: str, people: bool = False) -> bool:
    """Does `text` (a sentence up to a pronoun) name somebody or something past its first
    word, a month or a function word aside? Then that is the pronoun's nearest antecedent.
    With `people` ("he", "she"), names spaCy reads as places, dates or nationalities aside
    ("Born and raised in Houston, Texas, she performed": she is not Texas)."""
    words = re.findall(r"(?<=\s)[A-Z][\w'’-]*", text)
    words = [w for w in words if w.lower() not in _MONTHS and w.lower() not in FUNCTION_WORDS]
    if people and words:
        places = _places(text)
        words = [w for w in words if w not in places]
    return bool(words)


@functools.lru_cache(maxsize=512)
def _places(text: str) -> frozenset[str]:
    """The words of `text` inside what spaCy reads as a place, date or nationality."""
    from index.nlp import parse

    kinds = {"GPE", "LOC", "FAC", "DATE", "TIME", "NORP", "EVENT"}
    return frozenset(w.text for e in parse(text).ents if e.label_ in kinds for w in e)


def written_out(sentence: str, passage: str, subject: str) -> str:
    """`sentence` (not the passage's first) with "they"/"it" as a subject written as the
    passage's topic `subject`, and a lone part of a name the passage gives in full once
    written in full ("Chapman" -> "Herbert Chapman")."""
    if subject and not re.search(rf"\b{re.escape(subject)}\b", sentence):
        sentence = _SUBJECT.sub(lambda m: _antecedent(sentence, m, subject), sentence)
    owners: dict[str, set[str]] = {}  # a full name's last word -> the full names it ends
    for m in _FULL.finditer(passage):
        words = m.group(0).split()
        if not {w.lower() for w in words} & (FUNCTION_WORDS | _MONTHS):
            owners.setdefault(words[-1], set()).add(m.group(0))
    held = {w for m in _FULL.finditer(sentence) for w in m.group(0).split()}
    for part in sorted(set(re.findall(r"[A-Z][a-z-]+", sentence)) - held):
        names = owners.get(part, set())
        if len(names) == 1:
            full = next(iter(names))
            sentence = re.sub(rf"(?<![\w'’-]){re.escape(part)}(?![\w-])", full, sentence)
    return sentence
