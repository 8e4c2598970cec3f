"""The short answer: which phrase of the answering sentence answers the question.

Every noun phrase and named entity spaCy found in the sentence (and pairs of them joined by
"of", "and" or a comma) is a candidate. Each is described by general evidence: is it the kind
of thing asked for, does it only repeat the question, how close it stands to the question's
words and on which side, does it follow the noun the question asks about ("what planet" ...
"planet (Vulcan)"). A linear model scores them; its weights (bot/qa/weights/span.json) are
fitted on SQuAD 2.0 dev with `briefbot eval squad FILE --fit`, and checked on held-out articles
(see BENCHMARKS.md).
"""

from __future__ import annotations

import math
import re

from bot.qa import weights as fitted
from bot.qa.lexical import STOP_WORDS, terms, word_matches
from bot.qa.retrieve import SentenceHit
from index.ingest import dateline_end

_JOIN = re.compile(r"\s*(?:of|and|or|in|for|,)?\s*")
_AUX = frozenset(
    "is was are were did does do has have had can could would will should may might".split()
)
_NUMERIC = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL", "DATE", "TIME"})
_WH = re.compile(
    r"\b(?:what|which)\s+(?:(?:kind|type|sort|form|variety)s?\s+of\s+)?"
    r"([a-z][\w-]*)(?:\s+([a-z][\w-]*))?",
    re.I,
)


def wh_nouns(question: str) -> set[str]:
    """Terms of the noun a "what/which" question asks about ("What planet did ..." -> planet,
    "What finite hierarchy ..." -> finite, hierarchy; "What kind of cells ..." -> cells)."""
    m = _WH.search(question)
    if not m:
        return set()
    out: set[str] = set()
    for word in m.groups():
        if not word or word.lower() in _AUX:
            break
        out.update(terms(word))
    return out


def candidates(hit: SentenceHit, types: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Noun phrases and entities of the sentence, and two of them joined by "of", "and", "or",
    "in", "for" or a comma, as (start, end, label); "NP" for a plain noun phrase, "+" joined."""
    s, text = hit.sentence, hit.passage.text
    lead = s.start + dateline_end(s.text)  # where the story was filed answers nothing
    found: dict[tuple[int, int], str] = {(a, b): "NP" for a, b, _ in s.chunks if a >= lead}
    for a, b, label in s.entities:
        if a < lead:
            continue
        if "DATE" in types and label == "CARDINAL" and re.fullmatch(r"[12]?\d{3}", text[a:b]):
            label = "DATE"  # spaCy often tags a bare year ("in 911") as a number
        found[(a, b)] = label
    base = sorted(found)
    for a, b in base:
        for c, d in base:
            if c > b and c - b <= 5 and _JOIN.fullmatch(text[b:c]) and (a, d) not in found:
                found[(a, d)] = "+"
    return [(a, b, label) for (a, b), label in found.items()]


def span_features(
    hit: SentenceHit,
    cand: tuple[int, int, str],
    types: tuple[str, ...],
    qterms: set[str],
    whnoun: set[str],
    tokens: list[tuple[int, int, str]],
) -> dict[str, float]:
    """Evidence that `cand` is the phrase that answers; `tokens` are the sentence's words with
    their passage offsets and stemmed term ("" for none)."""
    a, b, label = cand
    text = hit.passage.text
    phrase_terms = terms(text[a:b])
    inside = [i for i, (x, y, _) in enumerate(tokens) if x >= a and y <= b]
    first = inside[0] if inside else 0
    last = inside[-1] if inside else 0
    anchors = [i for i, (_, _, t) in enumerate(tokens) if t and t in qterms]
    outside = [i for i in anchors if i < first or i > last]
    gaps = [first - i - 1 if i < first else i - last - 1 for i in outside]
    gap = min(gaps, default=10)
    rank = {lab: n for n, lab in enumerate(types)}
    is_entity = label not in ("NP", "+")
    before_words = {t for _, _, t in tokens[max(first - 3, 0) : first] if t}
    n_words = max(len(inside), 1)
    return {
        "adjacent": 1.0 if outside and gap <= 1 else 0.0,
        "after_whnoun": 1.0 if whnoun & before_words else 0.0,
        "anchors_before": (len([i for i in outside if i < first]) / len(outside))
        if outside
        else 0.0,
        "aside": 1.0 if text[a - 1 : a] == "(" and text[b : b + 1] == ")" else 0.0,
        "entity": 1.0 if is_entity and not types else 0.0,
        "follows_anchor": 1.0 if any(first - 3 <= i < first for i in outside) else 0.0,
        "gap": min(gap, 10) / 10,
        "merged": 1.0 if label == "+" else 0.0,
        "no_anchor": 0.0 if outside else 1.0,
        "number": 1.0 if label in _NUMERIC and not types else 0.0,
        "precedes_anchor": 1.0 if any(last < i <= last + 2 for i in outside) else 0.0,
        "qoverlap": len([t for t in phrase_terms if t in qterms]) / max(len(phrase_terms), 1),
        "rel_start": first / max(len(tokens), 1),
        "single": 1.0 if n_words == 1 else 0.0,
        "type_match": 1.0 / (1 + rank[label]) if label in rank else 0.0,
        "type_other_entity": 1.0 if types and is_entity and label not in rank else 0.0,
        "typed_chunk": 1.0 if types and not is_entity else 0.0,
        "whnoun": 1.0 if whnoun & set(phrase_terms) else 0.0,
        "words": math.log(1 + n_words),
    }


def _fresh(phrase: str, qterms: set[str]) -> bool:
    found = set(terms(phrase))
    return bool(found) and not found <= qterms


def _empty(phrase: str) -> bool:
    return phrase.lower() == "one" or all(w.lower() in STOP_WORDS for w in phrase.split())


def _tokens(hit: SentenceHit) -> list[tuple[int, int, str]]:
    s = hit.sentence
    out = []
    for m in word_matches(s.text):
        t = terms(m.group(0))
        out.append((s.start + m.start(), s.start + m.end(), t[0] if t else ""))
    return out


def scored_spans(
    question: str, hit: SentenceHit, types: tuple[str, ...], qterms: set[str]
) -> list[tuple[float, tuple[int, int, str], dict[str, float]]]:
    """The candidates that could answer, with their scores and features, best first. A phrase
    that only repeats the question, or holds only stop words or "one" ("One senior official
    said"), answers nothing and is left out."""
    tokens = _tokens(hit)
    whnoun = wh_nouns(question)
    text = hit.passage.text
    model = fitted.load("span")
    out = []
    for cand in candidates(hit, types):
        phrase = text[cand[0] : cand[1]]
        if not _fresh(phrase, qterms) or _empty(phrase):
            continue
        f = span_features(hit, cand, types, qterms, whnoun, tokens)
        out.append((model.score(f), cand, f))
    out.sort(key=lambda x: -x[0])
    return out
