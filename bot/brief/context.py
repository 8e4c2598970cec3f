"""Whether a sentence can stand on its own in a briefing: no pronoun, connective or "the
move" that points back to a sentence not shown, not the middle of a quotation, and no
quotation shown without the speaker the sentence gives it."""

from __future__ import annotations

import re

from bot.brief.facts import QUOTE, ArticleSentence
from bot.brief.numbers import prose
from bot.brief.quotes import speaker_phrase
from index.ingest import dateline_end
from index.people_words import SPEECH_PATTERN

_OPENER = re.compile(r"(?:He|She|It|They|This|That|These|Those|But|And|Or|So|Yet|However)\b")
# nouns that name something said or done in an earlier sentence: "The move is in answer to"
_SHELL = (
    r"move|decision|step|announcement|changes?|plans?|proposals?|deal|measures?|idea|news|"
    r"claims?|comments|remarks|findings|ruling|action|incident|problem|issue|situation|"
    r"development|initiative|warning|scheme|policy|report|study|research|project|offer|bid|"
    r"official|spokesman|spokeswoman|spokesperson|source"  # "The official did not say": who?
)

# a sentence that leans on the one before: "he said" about someone named earlier, a
# "however" or "in contrast" with nothing before it, "the second project", "the move",
# "The software will also", "little risk of this happening"
_NEEDS_CONTEXT = re.compile(
    r",\s+(?:he|she|they)\s+(?:said|says|say|added|told|explained|acknowledged|insisted)\b"
    r"[^.]*\.?$|^[^,]{1,40},\s+(?:he|she|they)\s+\w+,|"
    r"^[^,]{1,80},\s+however,|^(?:The|A)\s+(?:second|third|fourth|latter|former|same|other)\b|"
    r"^(?:In contrast|By contrast|Instead|Still|As a result|Even so|Also|Meanwhile)\b|"
    rf"^The\s+(?:[a-z][\w-]*\s+)?(?:{_SHELL})\s+(?!of\b|by\b|from\b)|"
    r"^(?:The|Its|Their|His|Her)\s+(?:[a-z][\w-]*\s+){1,2}?(?:\w+\s+)?also\b|"
    r"\b(?:of|to|for|on|about|with|from|by|against|after|before|despite|like)\s+"
    r"(?:this|that|these|those)(?=\s*[,.;:!?]|\s*$|\s+(?:\w+ing|is|was|are|were|will|would|"
    r"could|has|had|may|might)\b)|"
    r"\b(?:and|but|as|because|so|if)\s+(?:this|these)\s+(?:is|was|are|were|will|would|could|"
    r"has|had|means?|meant)\b|"
    r"\b[Tt]he\s+(?:resulting|ensuing|subsequent)\b|^(?:Back\s+)?[Aa]t\s+the\s+other\s+end\b"
)  # "From the resulting free kick", "Back at the other end": after what?


def points_back(text: str) -> bool:
    """The sentence leans on one before it ("The move is ...", "little risk of this
    happening", "Seoul, however, ...", "..., he said"): shown alone it is not understood."""
    return bool(_NEEDS_CONTEXT.search(text))


def _text(s: ArticleSentence) -> str:
    text = s.sentence.text
    return text[dateline_end(text) :]


def stands_alone(s: ArticleSentence) -> bool:
    """A sentence a reader can take on its own: no opening pronoun or "But", not the middle
    of a quotation, at least six words."""
    text = _text(s)
    if len(text.split()) < 6 or _OPENER.match(text) or not prose(text):
        return False
    if not (text[:1].isupper() or text[:1].isdigit()):
        return False  # a bullet, a bracket, a quotation mark, a lower-case continuation
    if not re.search(r"[.!?\"”’')]$", text):
        return False  # a sentence cut short
    if points_back(text):
        return False  # "..., he said", "Seoul, however, ...", "The second project"
    return whole_quotes(text)


def whole_quotes(text: str) -> bool:
    straight = [m.start() for m in re.finditer('"', text)]
    if len(straight) % 2 and not text[straight[0] - 1 : straight[0]].isspace():
        return False  # the end of a quotation that began in an earlier sentence
    return text.count("”") <= text.count("“")


def with_context(sents: list[ArticleSentence], s: ArticleSentence) -> ArticleSentence | None:
    """The sentence before one that needs it (an opening pronoun or connective, "he said",
    "however", "the second"): in the same passage, standing alone itself; else None."""
    text = _text(s)
    if len(text.split()) < 6 or not prose(text) or not whole_quotes(text) or s.index == 0:
        return None
    if not (_OPENER.match(text) or points_back(text)):
        return None
    prev = sents[s.index - 1]
    return prev if prev.passage.id == s.passage.id and stands_alone(prev) else None


def _inside_quotation(s: ArticleSentence) -> bool:
    """A sentence within a quotation that opened in an earlier sentence and has not closed (a
    mark after a space opens one, even one already open, as a quotation carried on into a new
    paragraph reopens without closing; any other mark closes it)."""
    text = s.passage.text[: s.sentence.start].rstrip()
    inside = False
    for m in re.finditer(r'["“”]', text):
        before = text[m.start() - 1 : m.start()] or " "
        after = text[m.end() : m.end() + 1] or " "
        opens = m.group() == "“" or (
            m.group() == '"' and (before.isspace() or before in "([:-") and not after.isspace()
        )
        inside = opens
    return inside


def _quotations(s: ArticleSentence) -> list[str]:
    """Its direct quotations of three words or more (not a word or two in quotation marks)."""
    return [m.group(1) for m in QUOTE.finditer(s.sentence.text) if len(m.group(1).split()) >= 3]


def holds_quotation(s: ArticleSentence) -> bool:
    """A sentence that is, or holds, someone's direct words."""
    return _inside_quotation(s) or bool(_quotations(s))


def unattributed(s: ArticleSentence) -> bool:
    """Someone's direct words without a speaker named in the sentence itself ("..., said
    Hannah Ward of the Refugee Council", "Sir Alan found a "chain of events""): a "he said",
    or no one named with a verb that reports them."""
    if _inside_quotation(s):
        return True
    if not _quotations(s):
        return False
    phrase = speaker_phrase(s.sentence.text)
    if phrase is not None:
        return phrase.lower() in _PRONOUNS
    outside = QUOTE.sub(" ", s.sentence.text)
    named = any(
        s.span(m) in outside for m in s.mentions("PERSON", "ORG", "NORP", "GPE")
    )  # a name outside the quotation marks
    return not (named and _REPORTS.search(outside))


_PRONOUNS = frozenset("he she they it we i".split())
_REPORTS = re.compile(
    rf"\b(?:{SPEECH_PATTERN}|accus\w+|found|finds|called|calls|described|describes|branded|"
    r"dubbed|labelled|according to|believes?|believed)\b"
)
