"""A reply sentence that opens with an answer word ("Yes, ...", "No, ...") (`bot.llm.claims`
asks): the answer word is no fact of the passage, it says the question's proposition is true
or false. So the rest of the sentence is checked as the claim, and the answer word is shown
only when the cited text settles the question the same way, by the same word-level check:

- "Yes" when the cited text supports the question's proposition ("Did Kiely stop an own
  goal?" -> "Kiely stop an own goal");
- "No" when the cited text has every word of the proposition with the other polarity ("Is
  it police policy?" for "it is not police policy"), or when the rest of the sentence is
  itself a negation the cited text makes, sharing a word with the question ("Did the lawyers
  comment?" - "No, there was no comment from the lawyers"), and the cited text does not
  support the proposition as asked. (A negated rest was accepted with its "No" before this
  module: the "No" read as the rest's own negation.)

Otherwise the answer word is dropped from what is shown and the rest stands on its own: "No,
organisers booked him for his second show" becomes "Organisers booked him for his second
show", true and cited, where a bare "No" could mislead (the question's proposition may well be
true, a true sentence after it does not show that it is not). Without the question (a
briefing's bottom line) no answer word can be settled, so none is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.llm.claim_sentences import support
from bot.llm.claim_tokens import tokens
from bot.qa.answer import is_yes_no
from bot.qa.citations import cite_quote
from index.passages import Passage

# "Yes, ...", "No: ...", "No - ...", not "No-deal talks" nor "No one was hurt"
_PARTICLE = re.compile(r"^\W*(yes|no)(?:\s*[,;:]|\s+[—–-])\s*(?=\w)", re.IGNORECASE)
# the auxiliary or modal a yes/no question (`is_yes_no`) opens with, to take it off
_YES_NO = re.compile(
    r"^\W*(?:(is|are|was|were|do|does|did|has|have|had)|(?:can|could|will|would|should|may"
    r"|might|must|shall))\b(?:n['’]t)?\s+",
    re.IGNORECASE,
)
NEGATION_REASON = "adds or drops a negation"
_CONTENT = ("word", "name", "num")

Check = Callable[[str, Sequence[str]], str | None]  # (claim, cited sentences) -> why not


def split_answer(text: str) -> tuple[str, str]:
    """("yes" / "no" / "", the rest of `text`): "Yes, the vote was unanimous." ->
    ("yes", "the vote was unanimous.")."""
    m = _PARTICLE.match(text)
    if not m:
        return "", text
    return m.group(1).lower(), text[m.end() :]


def without_answer(text: str) -> str:
    """`text` without its opening answer word, its first letter capitalised."""
    word, rest = split_answer(text)
    return rest[:1].upper() + rest[1:] if word else text


def proposition(question: str) -> str:
    """What a yes/no question asks to be true, as a claim: "Did Kiely stop an own goal?" ->
    "Kiely stop an own goal"; a modal stays ("Could prices fall?" -> "Could prices fall").
    "" for a question that is not a yes/no question ("How did it end?")."""
    m = _YES_NO.match(question.strip())
    if not m or not is_yes_no(question.strip()) or re.search(r"n['’]t\s*$", m.group(0).strip()):
        return ""  # "Isn't it ...?": which way "No" answers it is unclear
    body = question.strip()[m.end() :] if m.group(1) else question.strip()
    return body.rstrip(" ?")


def settles(word: str, rest: str, question: str, cited: Sequence[str], check: Check) -> bool:
    """Does the cited text settle `question` the way the answer word `word` does, `rest`
    being the sentence after it (already checked and supported)?"""
    asked = proposition(question)
    if not asked:
        return False
    why = check(asked, cited)
    if word == "yes":
        return why is None
    if why == NEGATION_REASON:  # every word the question has, the other way round
        return True
    # "No, there was no comment from the lawyers" for "Did the lawyers comment?": a negation
    # about something the question asks about
    ours = tokens(rest)
    about = {t.key for t in ours if t.kind in _CONTENT} & {
        t.key for t in tokens(asked) if t.kind in _CONTENT
    }
    return why is not None and bool(about) and any(t.kind == "neg" for t in ours)


def settled(
    word: str,
    rest: str,
    question: str,
    citations: Sequence[tuple[str, str]],
    by_id: dict[str, Passage],
    check: Check,
) -> bool:
    """Does one passage of `citations` ((passage id, quote), already found verbatim) settle
    `question` the way `word` answers it?"""
    sources: dict[str, list[str]] = {}
    for pid, quote in citations:
        held = sources.setdefault(pid, [])
        held.extend(s for s in support(cite_quote(by_id[pid], quote)) if s not in held)
    return any(settles(word, rest, question, held, check) for held in sources.values())
