"""The defect classes a teacher's review found (docs/review/REVIEW.md), counted per item by
rules of their own: like `quiz_defects`, nothing here comes from the quiz generator; an item
is judged by its text, its options, its key, the article's text and title, and the people
of the one resolver (`index/people.py`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.quiz.model import BLANK, QuizItem
from index.people import Person, who_is

REVIEW_DEFECTS = (
    "key_punctuation",  # a key or option with a stray comma or stop at either end ("250,000,")
    "slot_grammar",  # "_____' brands", "a _____" or "an _____" only some options fit
    "topic_key",  # the key is what the article is about (its title, its most-named person)
    "first_person",  # "we"/"I" outside quotation marks: an opinion, not a claim to judge
    "connective",  # an item that opens with "However,", "But", "In contrast," ...
    "shared_role",  # "Who is the DJ?" when the article calls two people a DJ
    "short_quote",  # "Who said “the likelihood is pretty high”?": too short to mean anything
    "not_organisation",  # "which organisation" with a person, a figure or an idea as option
    # the second review (docs/review-heldout/REVIEW.md)
    "points_back",  # "The move is ...", "risk of this happening", "X, however, ...": not alone
    "option_in_stem",  # a wrong option the shown sentence itself names ("_____ and Kim ...")
    "pronoun_gender",  # "Ms X" offered for "_____ removed his jacket", or swapped in there
    "quote_as_fact",  # words from inside someone's quotation, shown as the article's own
)
_SHELL_NOUN = re.compile(
    r"^(?:The|This|That|These|Those)\s+(?:[a-z]+\s+)?(?:move|moves|decision|plan|plans|deal|step|"
    r"steps|report|study|project|scheme|proposal|proposals|idea|changes|measure|measures|"
    r"announcement|findings|research|system|offer|bid|policy|programme|initiative|"
    r"second|third|other|latter|former|same)\b"
)
_BACK = re.compile(
    r"\b(?:of|about|to|for|with|against)\s+(?:this|that|these|those)\s+(?:happening|"
    r"being)\b|\b(?:of|about|to|for|with|against)\s+(?:this|that|these|those)[.,;]|"
    r"^[^,]{1,60},\s+however,|^(?:Also|Meanwhile|Instead|Even so|As a result)\b"
)
_MALE = frozenset({"he", "his", "him", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_CONNECTIVES = re.compile(
    r"^(?:However|But|And|Yet|In contrast|By contrast|Nevertheless|Nonetheless|Meanwhile|"
    r"Moreover|Furthermore|In addition|Instead|Still|Also)\b"
)
_WE = re.compile(r"\b(?:I|we|We|us|our|Our|my|My|me)\b")
_IDEA = re.compile(r"(?:ism|phobia|ness|ity)$")


def review_defects(
    item: QuizItem, stem: str, body: str, title: str | None, people: Sequence[Person]
) -> list[str]:
    """The review's defect classes one item has (`stem`: the article text it shows)."""
    out = []
    options = list(item.options or ()) if item.type != "tf" else []
    keys = options or ([item.answer_text] if item.type == "fill" else [])
    if any(re.search(r"^[,.;:!?]|[,;:!?]$|[^A-Z]\.$", k.strip()) for k in keys):
        out.append("key_punctuation")
    if BLANK in stem and _misfit(stem, options):
        out.append("slot_grammar")
    if item.type != "tf" and _about(item.answer_text, body, title, people):
        out.append("topic_key")
    outside = re.sub(r"“[^”]*”?|\"[^\"]*\"?", " ", stem)  # an open quotation runs on
    if item.type == "tf" and _WE.search(outside):
        out.append("first_person")
    if _CONNECTIVES.match(stem.strip()):
        out.append("connective")
    role = re.match(r"According to the article, who is (?:the |a |an )?(.+)\?$", item.question)
    if role and _shared(role.group(1), body, people):
        out.append("shared_role")
    said = re.match(r"Who said “(.*)”\?$", item.question)
    if said and len(said.group(1).split()) <= 5:
        out.append("short_quote")
    if item.question.startswith("Which organisation") and any(
        re.search(r"\d", o) or who_is(people, o) or (" " not in o and _IDEA.search(o))
        for o in options
    ):
        out.append("not_organisation")
    if _SHELL_NOUN.match(stem.strip()) or _BACK.search(stem.strip()):
        out.append("points_back")
    if BLANK in stem and _in_stem(stem, options, item.answer_text):
        out.append("option_in_stem")
    if _gender_clash(item, stem, body, people):
        out.append("pronoun_gender")
    if item.type in ("tf", "fill", "mcq", "number") and _inside_quote(item, body):
        out.append("quote_as_fact")
    return out


def _capitals(text: str) -> set[str]:
    words = re.findall(r"\b[A-Z][\w'’-]+", text)
    return {w.lower().removesuffix("'s").removesuffix("’s") for w in words} - {
        "the", "a", "an", "mr", "ms", "mrs", "dr", "sir"
    }  # fmt: skip


def _in_stem(stem: str, options: list[str], key: str) -> bool:
    shown = _capitals(stem.replace(BLANK, " "))
    return any(_capitals(o) & shown for o in options if o != key)


def _title_sex(name: str, body: str) -> str | None:
    """From the article's own titles only: "Mr Howard" -> "m", "Ms Diemont" -> "f"."""
    last = name.split()[-1] if name.split() else ""
    titles = set(
        re.findall(rf"\b(Mr|Mrs|Ms|Miss|Sir|Lady)\.?\s+(?:\w+\s+)?{re.escape(last)}\b", body)
    )
    sexes = {"m" if t in ("Mr", "Sir") else "f" for t in titles}
    return sexes.pop() if len(sexes) == 1 else None


def _gender_clash(item: QuizItem, stem: str, body: str, people: Sequence[Person]) -> bool:
    """A person slot the rest of the sentence calls "he" (or "she") given someone the
    article titles the other way: among the options, or swapped into a false statement."""
    if item.type == "tf":
        if item.answer_text != "False":
            return False
        quote = item.citations[0].quote
        slots = [(p.name, stem.split(p.name, 1)[1]) for p in people if p.name in stem]
        slots = [(n, after) for n, after in slots if n not in quote]
    elif BLANK in stem:
        after = stem.split(BLANK, 1)[1]
        slots = [(o, after) for o in item.options or () if who_is(people, o)]
    else:
        return False
    for name, after in slots:
        words = set(re.findall(r"[a-z]+", after.lower()))
        wanted = "m" if words & _MALE and not words & _FEMALE else None
        wanted = "f" if words & _FEMALE and not words & _MALE else wanted
        if wanted and (sex := _title_sex(name, body)) and sex != wanted:
            return True
    return False


def _inside_quote(item: QuizItem, body: str) -> bool:
    """The shown sentence has no quotation mark of its own but sits inside a quotation that
    an earlier sentence of its paragraph opened and none closed (news style carries a
    quotation over several sentences and reopens it at each paragraph)."""
    if not item.citations:
        return False
    quote = item.citations[0].quote
    at = body.find(quote[:60])
    if at < 0 or re.search(r"[\"“”]", quote):
        return False
    para = body[body.rfind("\n", 0, at) + 1 : at]
    inside = False
    for sentence in re.split(r"(?<=[.!?])\s+|(?<=[.!?][\"”])\s+", para):
        marks = list(re.finditer(r"[\"“”]", sentence))
        if marks:
            last = marks[-1]
            opening = last.group() == "“" or (
                last.group() == '"' and (last.start() == 0 or sentence[last.start() - 1].isspace())
            )
            inside = opening
    return inside


def _misfit(stem: str, options: list[str]) -> bool:
    before, _, after = stem.partition(BLANK)
    if re.match(r"['’](?!s\b)", after):
        return True  # a bare possessive apostrophe: only a name ending in s fits
    if not options:
        return False
    art = re.search(r"\b(a|an)\s$", before, re.I)
    if art:
        sounds = {bool(re.match(r"[aeioAEIO8]|11|18", o.strip())) for o in options}
        if len(sounds) > 1:
            return True
    det = re.search(r"\b(?:a|an|the|its|their)\s$", before, re.I)
    return bool(det) and any(re.match(r"(?:the|a|an)\s", o, re.I) for o in options)


def _about(key: str, body: str, title: str | None, people: Sequence[Person]) -> bool:
    """A key among the title's names, or the person the article names most (by far)."""
    words = set(re.findall(r"\w+", key.lower()))
    named = {w.lower() for w in re.findall(r"\b[A-Z][a-z]\w+", title or "")}
    if words & named:
        return True
    counts = sorted(((len(p.mentions), p.name) for p in people), reverse=True)
    if counts and counts[0][0] >= 4 and (len(counts) == 1 or counts[0][0] >= 2 * counts[1][0]):
        top = who_is(people, counts[0][1])
        return top is not None and who_is(people, key) == top
    return False


def _shared(role: str, body: str, people: Sequence[Person]) -> bool:
    """Whether the role's last word stands right before or after two people's names."""
    head = role.split()[-1]
    near = set()
    for m in re.finditer(rf"\b{re.escape(head)}\b", body, re.I):
        window = body[max(m.start() - 25, 0) : m.end() + 25]
        near |= {p.name for p in people for n in (p.name, *p.aliases) if n in window}
    return len(near) >= 2
