"""The reading model as a second judge of a model's claim: who did it, per the cited text?

The word-level check (`bot.llm.claims`) cannot see who did what to whom: "FleetBoston snapped
up rival bank BOA" has every word of "BOA ... snapped up rival bank FleetBoston". So for each
clause of a claim that starts with a name and goes on with a verb, the clause is turned into
a question ("Who snapped up rival bank BOA?") and the reader answers it from the cited
sentences alone. The claim is rejected when the reader's answer is another name of the claim,
not the one the claim gives; any other answer (the same name, a pronoun, a phrase, no answer)
leaves the word-level verdict as it was. The judge only ever removes sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.llm.claim_tokens import FUNCTION_WORDS, NEGATIONS, REPORTING_WORDS
from bot.qa.lexical import fold
from bot.qa.reader_inputs import Window
from bot.qa.reading import SpanReader

_NAME = r"(?:[A-Z][\w'’.-]*\s+)*[A-Z][\w'’.-]*"
# a clause that opens with a name and goes on with a lowercase word (its verb, we hope)
_SUBJECT = re.compile(rf"^(?:(?:The|the)\s+)?({_NAME})\s+(?=[a-z])")
_CLAUSES = re.compile(r",\s*(?:and|but|while|whereas)\s+|;\s*|\s+(?:but|while|whereas)\s+")
_SPEECH = re.compile(r"^(?:has\s+|had\s+)?(?:said|says|told|added|noted|warned|argued)\b")
_TAG = re.compile(r"\s*\([^()]*\bsaid\)$")  # the "(Kim said)" a claims source may carry


def _names(text: str) -> set[str]:
    """The capitalised words of `text` (folded, lowercased), titles and articles left out."""
    words = {w.lower() for w in re.findall(r"[A-Z][\w'’-]*", fold(text))}
    return words - FUNCTION_WORDS - NEGATIONS - {"sir"}  # titles and articles are no names


class ReaderJudge:
    """Callable as the `judge` of `claims.check_reply`: (claim, cited sentences) -> reason or
    None. `reader` is any SpanReader (the shipped MiniLM reader in the app)."""

    def __init__(self, reader: SpanReader) -> None:
        self.reader = reader

    def __call__(self, claim: str, cited: Sequence[str]) -> str | None:
        text = " ".join(_TAG.sub("", s) for s in cited).strip()
        if not text:
            return None
        claim_names = _names(claim)
        for clause in _CLAUSES.split(claim.strip().rstrip(".!?")):
            m = _SUBJECT.match(clause)
            if not m:
                continue
            rest = clause[m.end() :]
            verb = rest.split()[0].lower()
            if verb in FUNCTION_WORDS | REPORTING_WORDS or _SPEECH.match(rest):
                continue  # not a verb ("Banc of America"), or "X said": claims.py checks that
            subject = _names(m.group(1))
            # only the claim's own names: the reader's other answers are too often wrong
            # (measured: "The SEC filed the charges" read as "James Tambone filed")
            others = claim_names - subject
            if not subject or not others or not subject <= _names(text):
                continue  # no other name to confuse it with, or not a name the text gives
            question = f"Who {rest}?"
            found = self.reader.read(question, [Window(text, 0, len(text))])
            if not found or not found[0].text:
                continue
            answer = found[0]
            if answer.margin > 0:  # the reader would rather say "no answer"
                continue
            said = _names(answer.text)
            if said & others and not said & subject:
                return (
                    f"the cited text says {answer.text.strip()} {rest.split()[0]}, "
                    f"not {m.group(1)} (read by the reading model)"
                )
        return None
