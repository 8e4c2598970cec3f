"""Answers read by the trained reader (`bot/qa/reader.py`).

The top K sentences of hybrid retrieval, each with its neighbours in the same passage, go
through the reader in one forward pass. The window whose best span most beats its own
no-answer score is chosen: that span is the short answer, the sentence it starts in is the
cited quote, and the answer is declined when even there `null - span` is above the threshold. A
question naming something the article never mentions is declined before any reading
(`bot.qa.grounding`).
K and the threshold live in `bot/qa/weights/reader.json`, written by
`briefbot eval squad FILE --reader minilm --write-weights` (threshold chosen on SQuAD dev)."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Protocol

from bot.qa.answer import (
    DECLINE,
    Answer,
    answer_window,
    is_yes_no,
)
from bot.qa.citations import cite
from bot.qa.grounding import unfilled_template
from bot.qa.retrieve import Retrieval, SentenceHit
from index.ingest import dateline_end

if TYPE_CHECKING:
    from bot.qa.reader import ReadResult
    from bot.qa.reader_inputs import Window


UNGROUNDED = "ungrounded"  # feature of a decline by `bot.qa.grounding`, before any reading


class SpanReader(Protocol):
    """What the answerer needs of a reader: the best span and no-answer score per window."""

    def read(self, question: str, windows: Sequence[Window]) -> list[ReadResult]: ...


@dataclass(frozen=True)
class ReaderDecision:
    k: int  # candidate sentences read per question
    threshold: float  # decline when the best window's null - span is above this
    mode: str = "fp32"  # how the reader runs: fp32, bf16 or int8 (chosen by measurement)
    fitted_on: str = ""
    fitted: str = ""
    format: int = 1
    model: str = "reader"


@functools.cache
def decision() -> ReaderDecision:
    text = resources.files("bot.qa").joinpath("weights", "reader.json").read_text("utf-8")
    return ReaderDecision(**json.loads(text))


def write_decision(threshold: float, fitted_on: str, mode: str | None = None) -> str:
    """Write the decline threshold where `decision` reads it (the package's own folder)."""
    import datetime as dt
    from dataclasses import asdict
    from pathlib import Path

    chosen = replace(
        decision(),
        threshold=threshold,
        fitted_on=fitted_on,
        fitted=dt.date.today().isoformat(),
        mode=mode or decision().mode,
    )
    path = Path(__file__).with_name("weights") / "reader.json"
    path.write_text(json.dumps(asdict(chosen), indent=2) + "\n", encoding="utf-8")
    decision.cache_clear()
    return str(path)


def window_of(hit: SentenceHit) -> Window:
    """The candidate sentence with the sentence before and after it in its passage."""
    from bot.qa.reader_inputs import Window

    sents = hit.passage.sentences
    k = hit.order
    lo, hi = max(0, k - 1), min(len(sents), k + 2)
    a, b = sents[lo].start, sents[hi - 1].end
    inner = tuple((s.start - a, s.end - a) for s in sents[lo:hi])
    return Window(hit.passage.text[a:b], sents[k].start - a, sents[k].end - a, inner)


def read_answer(
    question: str, found: Retrieval, reader: SpanReader, rule: ReaderDecision | None = None
) -> Answer:
    """The reader's answer to `question` over the retrieved sentences, or a decline."""
    rule = rule or decision()
    hits = list(found.sentences[: rule.k])
    if not hits:
        return Answer(question, DECLINE, None, True)
    if found.unknown_names or unfilled_template(question):  # asks about something else
        return Answer(question, DECLINE, None, True, (), 0.0, {UNGROUNDED: 1.0})
    windows = [window_of(h) for h in hits]
    results = reader.read(found.spelled_question or question, windows)  # typos corrected
    usable = [(r, h) for r, h in zip(results, hits, strict=True) if _in_body(r, h)]
    if not usable:
        return Answer(question, DECLINE, None, True, (), 0.0)
    # each window's span against its own no-answer score: the scores of two windows are not
    # on one scale, their differences are (SQuAD dev: F1 +2.5, gold passage +4.5 points)
    best, hit = min(usable, key=lambda rh: rh[0].margin)
    null, margin = best.null_score, best.margin
    confidence = 1.0 / (1.0 + math.exp(max(-50.0, min(50.0, margin - rule.threshold))))
    features = {"reader_margin": margin, "reader_null": null, "reader_span": best.span_score}
    if margin > rule.threshold:
        return Answer(question, DECLINE, None, True, (), confidence, features)

    offset = _window_start(hit)
    start, end = offset + best.start, offset + best.end
    where = _sentence_hit(hit, start)
    a, b = answer_window(where, (start, end), set(found.question_terms))
    main = cite(hit.passage, a, b)
    short = None if is_yes_no(question) else hit.passage.text[start:end].strip(" ,;:")
    return Answer(question, main.quote, short or None, False, (main,), confidence, features)


def _window_start(hit: SentenceHit) -> int:
    return hit.passage.sentences[max(0, hit.order - 1)].start


def _sentence_hit(hit: SentenceHit, start: int) -> SentenceHit:
    """The hit for the sentence of the passage that `start` falls in (the window's candidate
    or one of its neighbours)."""
    for order, s in enumerate(hit.passage.sentences):
        if s.start <= start < s.end:
            return hit if order == hit.order else replace(hit, order=order, sentence=s)
    return hit


def _in_body(result: ReadResult, hit: SentenceHit) -> bool:
    """A span is usable when it is text of the story: not empty, not inside a dateline."""
    if not result.text.strip() or result.span_score == float("-inf"):
        return False
    start = _window_start(hit) + result.start
    s = _sentence_hit(hit, start).sentence
    return start >= s.start + dateline_end(s.text)
