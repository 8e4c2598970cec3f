"""Who said each direct quotation, for the briefing's key quotes.

A quote is credited only to a speaker the text gives for it: a speech verb with its subject in
the same sentence, outside the quotation marks ("..., Cook said", "said research fellow Diane
Carr", "Schrempp said: ..."), or "he/she said" resolved to the one the previous sentences are
about. A subject that is a description ("the prime minister's official spokesman") is given
as that description, never swapped for a name; a name inside the quotation marks (the
addressee in "I said to Zoe, '...'") is never the speaker. When unsure, no speaker.
"""

from __future__ import annotations

import re

from bot.brief.facts import QUOTE, SPEECH, ArticleSentence, Person, canonical_name
from index.people_words import ROLE_NOUNS, SPEECH_PATTERN

_VERBS = SPEECH_PATTERN
_Q = "\x00"  # a quotation, in the text outside the quotation marks
# "<Q>, Cook said" / "<Q> he recalled" / "<Q>, the spokesman added"
_AFTER_SUBJ = re.compile(rf"{_Q}[,.]?\s+((?:[\w'’.,-]+\s+){{0,9}}?[\w'’.,-]+)\s+(?:{_VERBS})\b")
# "<Q>, said research fellow Diane Carr" / "<Q>, admitted Kiely"
_AFTER_VERB = re.compile(rf"{_Q}[,.]?\s+(?:{_VERBS})\s+([^,.;{_Q}]{{2,80}})")
# "Schrempp said: <Q>" / "Austin said <Q>" / "the committee announcing that <Q>"
_BEFORE = re.compile(
    rf"((?:[\w'’.-]+\s+){{0,7}}?[\w'’.-]+)\s+(?:has\s+|had\s+|have\s+)?(?:{_VERBS})"
    rf"(?:\s+that|\s+it\s+\w+)?[:,]?\s+(?:[^{_Q}]{{0,60}}\s)?{_Q}"
)
# reported speech: "..., the spokesman said." / "..., said Mr Smith."
_TAIL = re.compile(
    rf",\s+((?:[\w'’.-]+\s+){{0,7}}?[\w'’.-]+)\s+(?:{_VERBS})\.?$|,\s+(?:{_VERBS})\s+([^,]{{2,80}}?)\.?$"
)
_PRONOUN = re.compile(r"^(?:he|she)$", re.I)
_LEAD = re.compile(
    r"^(?:(?:and|but|so|yet|later|then|also|however|meanwhile|in particular|with|as|while|"
    r"after|before|when)\b,?\s*)+",
    re.I,
)
_DESCRIPTION = re.compile(r"^(?:the|a|an|one|another)\s+(?:[\w'’-]+\s+){0,6}[a-z][\w-]*$", re.I)
_AND_NAME = re.compile(r"\s+and\s+(?:[A-Z][a-z]{1,3}\.?\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")
# what may stand before a subject's name: "IHRC chairman", "Plaid Cymru's local government
# spokesman", "Dr"
_SUBJECT_PREFIX = re.compile(r"(?:[\w'’.-]+\s+){0,6}")
_NOT_SUBJECT = re.compile(
    r"\b(?:by|was|were|is|are|has|had|have|to|with|from|for|at|on|in|into|said|says|told|and|"
    r"but|that|when|after|as|than|about|against)\b"
)
_TOPIC_KEEP = 2  # sentences without a person that a "he said" may still reach across


def _outside(text: str) -> str:
    """The sentence with each quotation replaced by one marker."""
    return QUOTE.sub(_Q, text)


def speaker_phrase(text: str) -> str | None:
    """The subject of the speech verb that reports a quotation in `text`, outside its marks
    ("Hannah Ward of the Refugee Council", "the spokesman", "he"); None when none."""
    outside = _outside(text)
    return _subject_phrase(outside) if _Q in outside else None


def _subject_phrase(outside: str) -> str | None:
    """The subject of the speech verb that reports the quotation, outside its marks."""
    for pattern in (_AFTER_VERB, _AFTER_SUBJ, _BEFORE):
        m = pattern.search(outside)
        if m:
            phrase = _LEAD.sub("", m.group(1).strip(" ,"))
            if phrase and not re.search(r"\b(?:that|which|who)\b", phrase, re.I):
                return phrase
    return None


class _Topic:
    """Who the sentences so far are about: a person's name or a description."""

    def __init__(self, people: list[Person]) -> None:
        self.people = people
        self.who: str | None = None
        self.idle = 0
        self.descriptions: list[str] = []
        self.passage = ""  # the passage of the sentence being read
        self.said: tuple[str, str] | None = None  # (passage, who) of its last speaker

    def resolve(self, phrase: str) -> str | None:
        """A subject phrase as a speaker: a pronoun is the topic, a name one of the
        article's people, a description itself (the fullest earlier form of it)."""
        if _PRONOUN.match(phrase):  # the topic, else the last speaker in the same passage
            said = self.said[1] if self.said and self.said[0] == self.passage else None
            return self.who or said
        name = _name_in(phrase, self.people)
        if name:
            return name
        if _DESCRIPTION.match(phrase):
            return self._description(phrase)
        return None

    def _description(self, phrase: str) -> str:
        head = phrase.split()[-1].lower()
        role_of = self._person_with_role(head)
        if role_of and phrase.split()[0].lower() == "the":
            return role_of  # "The DJ admitted", just after the DJ was named
        longer = [d for d in self.descriptions if d.split()[-1].lower() == head]
        if phrase.split()[0].lower() == "the" and longer:
            return max(longer, key=len)
        text = phrase[:1].lower() + phrase[1:]
        self.descriptions.append(text)
        return text

    def _person_with_role(self, head: str) -> str | None:
        for p in self.people:
            if p.name == self.who and p.role and head in p.role.lower().split():
                return p.name
        return None

    def update(self, s: ArticleSentence, speaker: str | None, outside: str) -> None:
        start = _LEAD.sub("", outside.lstrip(f"{_Q} ,"))
        first = start.split(" ", 1)[0] if start else ""
        if speaker:
            self.who, self.idle = speaker, 0
            self.said = (s.passage.id, speaker)
        elif _PRONOUN.match(first) or not start.strip(" .,"):
            self.idle = 0  # "He promised...", a quotation alone: about the same one
        else:
            described = _described(start)
            name = None if described else _first_name(s, self.people, outside)
            if described:  # "Later, the prime minister's official spokesman urged..."
                self.who, self.idle = self.resolve(described), 0
            elif name is not None:
                self.who, self.idle = name or None, 0
                if name and SPEECH.search(outside):  # "Sue Essex said the deal was fair."
                    self.said = (s.passage.id, name)
            else:
                self.idle += 1
                if self.idle > _TOPIC_KEEP:
                    self.who = None


def _described(start: str) -> str | None:
    """A subject that is a description ending in a role noun: "the prime minister's official
    spokesman", "a Home Office minister"."""
    words = start.split()
    if not words or words[0].lower() not in ("the", "a", "an"):
        return None
    for i, w in enumerate(words[1:7], 1):
        if _role(w):
            while i + 1 < len(words) and _role(words[i + 1]):
                i += 1  # "the prime minister's official spokesman"
            return " ".join(words[: i + 1]).rstrip(",")
        if w.endswith(",") or w[:1] == _Q:
            return None
    return None


def _role(word: str) -> bool:
    return word in (word.lower(),) and re.sub(r"[^a-z-]", "", word) in ROLE_NOUNS


def _name_in(phrase: str, people: list[Person]) -> str | None:
    """The one article person a phrase names ("research fellow Diane Carr", "Cook")."""
    runs = re.findall(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*", phrase)
    found = {n for r in runs for n in [_canonical(r, people)] if n}
    return found.pop() if len(found) == 1 else None


def _canonical(run: str, people: list[Person]) -> str | None:
    words = run.split()
    for i in range(len(words)):  # "IHRC chairman Massoud Shadjareh": the name at the end
        name = canonical_name(" ".join(words[i:]), people)
        if name:
            return name
    return None


def _first_name(s: ArticleSentence, people: list[Person], outside: str) -> str | None:
    """The article person named as the sentence's subject (at most a title or a role before
    the name); "" when a person is named elsewhere in it, or two together."""
    for m in sorted(s.mentions("PERSON")):
        name = _canonical(s.span(m), people) if s.span(m) in outside else None
        if name is None:
            continue
        before = _LEAD.sub("", s.passage.text[s.sentence.start : m[0]])
        if not _SUBJECT_PREFIX.fullmatch(before) or _NOT_SUBJECT.search(before):
            return ""  # "...announced by Chancellor Gordon Brown": named, but not the subject
        other = _AND_NAME.match(s.passage.text, m[1])
        if other and _canonical(other.group(1), people) != name:
            return ""  # "Mr Baker and Ms Lane met...": a later "he said" is either of them
        return name
    return None


def attribute(
    sents: list[ArticleSentence], people: list[Person]
) -> list[tuple[ArticleSentence, tuple[int, int], str | None]]:
    """Direct quotations of three words or more with a speech verb outside the quotation
    marks: (sentence, span in the passage, speaker or None)."""
    topic = _Topic(people)
    out = []
    for s in sents:
        topic.passage = s.passage.id
        outside = _outside(s.sentence.text)
        phrase = _subject_phrase(outside) if _Q in outside else None
        speaker = topic.resolve(phrase) if phrase else None
        tail = _TAIL.search(outside) if not phrase else None
        if tail:  # "The minister had been saying ..., the spokesman said."
            speaker = topic.resolve(_LEAD.sub("", (tail.group(1) or tail.group(2)).strip()))
        for m in QUOTE.finditer(s.sentence.text):
            if phrase and len(m.group(1).split()) >= 3:
                span = (s.sentence.start + m.start(), s.sentence.start + m.end())
                out.append((s, span, speaker))
        topic.update(s, speaker, outside)
    return out
