"""Extractive, grounded answers: the sentence that answers, the exact phrase where the question
type allows, verbatim citations, and a plain "The article doesn't say" when evidence is weak.

No language model: the answer is always text of the article, so it cannot invent anything and
text inside the question (or the article) can never act as an instruction.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bot.qa import weights as fitted
from bot.qa.citations import Citation, cite
from bot.qa.lexical import NEGATION, STOP_WORDS, named_terms, reverses, terms, words
from bot.qa.retrieve import Retrieval, SentenceHit
from bot.qa.span import scored_spans
from bot.record import HIDDEN, OPTIONAL, Record
from index.ingest import dateline_end, normalise_text

DECLINE = "The article doesn't say."
DECLINE_MANY = "None of the articles says."
MAX_QUESTION_CHARS = 1000
MAX_ANSWER_WORDS = 40

# The decline model (bot/qa/weights/decline.json): logistic regression over evidence features
# (see `_evidence_features`), fitted on SQuAD 2.0 dev with `briefbot eval squad FILE --fit`.
# Its threshold keeps wrongly declined answerable questions near 10% on that data.
TYPE_BONUS = 0.12  # a sentence holding the kind of phrase asked for ranks a little higher
RERANK_DEPTH = 8
SUPPORT_MARGIN = 0.05  # a second passage is cited only when it is almost as good


class QuestionError(ValueError):
    """A question that cannot be asked; the message is for the user."""


@dataclass(frozen=True)
class Answer(Record):
    question: str
    answer: str
    short_answer: str | None
    abstained: bool
    citations: tuple[Citation, ...] = ()
    confidence: float = field(default=0.0, metadata=HIDDEN)
    features: dict[str, float] = field(
        default_factory=dict, compare=False, repr=False, metadata=HIDDEN
    )
    read_as: str | None = field(default=None, metadata=OPTIONAL)  # a follow-up, as read


def check_question(question: str) -> str:
    """The question with its whitespace collapsed and control characters (terminal escapes,
    NULs, bidi overrides) removed; `QuestionError` when it is empty, too long or has no words."""
    q = " ".join(normalise_text(question).split())
    if not q:
        raise QuestionError("the question is empty")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(q):,} characters long; the limit is {MAX_QUESTION_CHARS:,}"
        )
    if not words(q):
        raise QuestionError("the question has no words to look for")
    return q


# ---- question types -------------------------------------------------------------------------

_TYPES: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"\bhow many\b"), ("CARDINAL", "QUANTITY")),
    (re.compile(r"\bhow much\b"), ("MONEY", "QUANTITY", "PERCENT", "CARDINAL")),
    (re.compile(r"\b(?:what|which) (?:percentage|percent|proportion|share)\b"), ("PERCENT",)),
    (re.compile(r"\bhow (?:long|often)\b"), ("DATE", "TIME", "QUANTITY", "CARDINAL")),
    (re.compile(r"\bhow old\b"), ("DATE", "CARDINAL")),
    (re.compile(r"\bhow (?:big|large|small)\b"), ("QUANTITY", "MONEY", "CARDINAL", "PERCENT")),
    (
        re.compile(r"\bhow (?:far|high|tall|deep|wide|heavy|fast|hot|cold)\b"),
        ("QUANTITY", "CARDINAL"),
    ),
    (
        re.compile(
            r"\bwhen\b|\b(?:what|which) (?:\w+ )?(?:year|years|date|day|month|time|century|"
            r"decade|era|period|season)\b"
        ),
        ("DATE", "TIME"),
    ),
    (
        re.compile(
            r"\bwhere\b|\b(?:what|which) (?:\w+ )?(?:country|countries|city|cities|state|"
            r"region|place|location|town|continent|province|area|nation)\b"
        ),
        ("GPE", "LOC", "FAC"),
    ),
    (
        re.compile(
            r"\b(?:what|which) (?:\w+ )?(?:company|companies|organi[sz]ation|group|agency|"
            r"party|team|university|institution|newspaper|ministry|body)\b"
        ),
        ("ORG",),
    ),
    (
        re.compile(r"\b(?:what|which) (?:language|nationality|religion|ethnic)"),
        ("NORP", "LANGUAGE"),
    ),
    # The noun after "what/which" names the kind of answer (a question-classification lexicon).
    (
        re.compile(
            r"\b(?:what|which) (?:\w+ )?(?:king|queen|emperor|empress|leader|ruler|president|"
            r"person|man|woman|author|writer|poet|scientist|physicist|chemist|philosopher|"
            r"painter|artist|composer|architect|explorer|commander|pope|bishop|"
            r"politician|player|actor|singer|founder|inventor|engineer|professor)s?\b"
        ),
        ("PERSON",),
    ),
    (
        re.compile(
            r"\b(?:what|which) (?:is |was |are |were )?(?:the )?(?:(?!of\b)\w+ ){0,3}?"
            r"(?:temperature|distance|length|height|depth|weight|mass|speed|size|area|population|number|"
            r"amount|cost|price|value|rate)\b"
        ),
        ("QUANTITY", "CARDINAL", "MONEY", "PERCENT"),
    ),
    (
        re.compile(r"^(?i:who|what) (?i:is|was|are|were) (?:[A-Z][\w.’'-]*[\s,]*){1,6}\??$"),
        ("ROLE",),
    ),
    (re.compile(r"\bwho(?:m|se)?\b"), ("PERSON", "ORG", "NORP", "GPE")),
    (re.compile(r"\bwhy\b|\bfor what reason\b"), ("REASON",)),
    (re.compile(r"\b(?:what|which|how)\b"), ()),  # any other what/which/how: a noun phrase
]
# "Is ...?", "Did ...?": the sentence answers; no single phrase does.
_YES_NO = re.compile(
    r"^(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|may|might|must)"
    r"\b(?!.*\b(?:or|what|which|who|whom|whose|when|where|why|how)\b)",
    re.I,
)


def is_yes_no(question: str) -> bool:
    return bool(_YES_NO.match(question))


def expected_types(question: str) -> tuple[str, ...]:
    """Kinds of phrase that answer the question: spaCy entity labels, or "ROLE" ("Who is
    Lloyd Austin?": the title or description next to the name) or "REASON" (why-questions)."""
    lead = _LEADING_CLAUSE.match(question)
    if lead:  # "When Iqbal promoted unity, what did he ...?" asks what, not when
        question = question[lead.end() :]
    found = []
    for order, (pattern, labels) in enumerate(_TYPES):
        m = pattern.search(question if "ROLE" in labels else question.lower())
        if m:  # the first wh-phrase of the question decides ("Who ... when ...?" asks who;
            found.append((m.start(), order, labels))  # "What ... when ...?" asks what)
    return min(found)[2] if found else ()


_LEADING_CLAUSE = re.compile(
    r"^(?:when|while|if|after|before|although|though|since|as|once|because)\b[^,?]*,\s*"
    r"(?=(?:what|which|who|whom|whose|where|when|why|how)\b)",
    re.I,
)


_REASON = re.compile(
    r"\b(?:because(?: of)?|due to|owing to|in order to|so that|as a result of|in response to|"
    r"in exchange for|to avoid|to prevent)\b",
    re.I,
)
_NON_SPACE = re.compile(r"\S+")
_CAPITALISED_RUN = re.compile(r"(?:\b[A-Z][\w.’'-]*\s+){1,4}$")


# ---- answering ------------------------------------------------------------------------------


def answer_question(question: str, found: Retrieval) -> Answer:
    """Pick the best-supported sentence, mark the answer phrase, cite it or decline."""
    types = expected_types(question)
    qterms = set(found.question_terms)
    if not found.sentences:
        return Answer(question, DECLINE, None, True)

    # Rerank the leading sentences with one extra piece of evidence: does the sentence hold
    # a phrase of the kind the question asks for (a number for "how many", a date for "when")?
    head = list(found.sentences[:RERANK_DEPTH])
    if types == ("REASON",):  # the "because" sentence rarely repeats the question's words
        head += [h for h in found.sentences[RERANK_DEPTH:] if _REASON.search(h.sentence.text)]
    yes_no = bool(_YES_NO.match(question))
    if yes_no:
        phrase = None
    elif types:
        phrases = {id(h): _short_answer(h, types, qterms, question) for h in head}
        head.sort(key=lambda h: -(h.score + (TYPE_BONUS if phrases[id(h)] else 0.0)))
        phrase = phrases[id(head[0])]
    else:
        phrase = _short_answer(head[0], types, qterms, question)
    best = head[0]
    type_missing = bool(types) and phrase is None and not yes_no
    if type_missing:
        phrase = _short_answer(best, types, qterms, question, loose=True)

    features = _evidence_features(question, found, best, type_missing)
    confidence = _decline_probability(features)
    if confidence < float(fitted.load("decline").threshold or 0.0):
        return Answer(question, DECLINE, None, True, (), confidence, features)

    start, end = answer_window(best, phrase, qterms)
    main = cite(best.passage, start, end)
    support = [
        cite(h.passage, h.sentence.start, h.sentence.end)
        for h in head[1:]
        if h.passage.id != best.passage.id and h.score >= best.score - SUPPORT_MARGIN
    ][:1]
    short = best.passage.text[phrase[0] : phrase[1]] if phrase else None
    return Answer(question, main.quote, short, False, (main, *support), confidence, features)


def _evidence_features(
    question: str, found: Retrieval, best: SentenceHit, type_missing: bool
) -> dict[str, float]:
    """How well the chosen sentence and its passage cover what the question asks about."""
    weights = found.term_weights
    total = sum(weights.values()) or 1.0
    passage_terms = set(terms(best.passage.text))
    sentence_terms = terms(best.sentence.text)
    missing = [w for t, w in weights.items() if t not in passage_terms]
    named = {found.respelled.get(t, t) for t in named_terms(question)}
    around = set(sentence_terms)  # the sentence and two on either side
    for i in (best.order - 2, best.order - 1, best.order + 1, best.order + 2):
        if 0 <= i < len(best.passage.sentences):
            around.update(terms(best.passage.sentences[i].text))
    # Words of names ("North Korea", "South Africa") are not directions that can be reversed.
    plain_words = " ".join(w for i, w in enumerate(words(question)) if i == 0 or w.islower())
    all_question_terms = set(terms(plain_words, keep_stop_words=True))
    sentence_all = set(terms(best.sentence.text, keep_stop_words=True))
    novel = [t for t in sentence_terms if t not in weights]
    return {
        "dense": best.dense,
        "lexical": best.lexical,
        "passage_dense": next(
            (p.dense for p in found.passages if p.passage.id == best.passage.id), 0.0
        ),
        "unknown": found.unknown,
        "type_missing": 1.0 if type_missing else 0.0,
        "missing_in_passage": sum(missing) / total,
        "max_missing": max(missing, default=0.0) / (max(weights.values(), default=1.0) or 1.0),
        "novelty": len(novel) / max(len(sentence_terms), 1),
        "question_terms": len(weights) / 10,
        "named_missing": min(len([t for t in named if t not in passage_terms]), 2) / 2,
        "named_missing_nearby": min(len([t for t in named if t not in around]), 2) / 2,
        "negation_mismatch": float(
            bool(NEGATION.search(question)) and not NEGATION.search(best.sentence.text)
        ),
        "reversed": float(reverses(all_question_terms, sentence_all)),
    }


def _decline_probability(features: dict[str, float]) -> float:
    z = fitted.load("decline").score(features)
    return 1.0 / (1.0 + math.exp(-z))


def _short_answer(
    hit: SentenceHit,
    types: tuple[str, ...],
    qterms: set[str],
    question: str = "",
    loose: bool = False,
) -> tuple[int, int] | None:
    """(start, end) in the passage of the phrase that answers, or None. `loose`: for "where" and
    "who", a noun phrase will do when no name is there ("the Presiding Officer")."""
    s = hit.sentence
    anchors = _term_positions(s.text, qterms)

    if types == ("REASON",):
        m = _REASON.search(s.text)
        if not m:
            return None
        end = re.search(r"[,;:.!?”\"]|$", s.text[m.end() :])
        stop = m.end() + (end.start() if end else 0)
        return (s.start + m.start(), s.start + stop) if stop > m.end() else None
    if types == ("ROLE",):
        return _role(hit, question)
    ranked = [(a, b, f) for _, (a, b, _), f in scored_spans(question, hit, types, qterms)]
    if types:  # only a phrase of the asked-for kind answers "when", "who", "how many"
        typed = [x for x in ranked if x[2]["type_match"]]
        # ... but a place or a person is often a plain noun phrase ("the Senate chamber",
        # "the Presiding Officer")
        ranked = typed or (ranked if loose and ("LOC" in types or "PERSON" in types) else [])
    if not types and not anchors:
        return None
    return (ranked[0][0], ranked[0][1]) if ranked else None


def _role(hit: SentenceHit, question: str) -> tuple[int, int] | None:
    """The title in front of a name ("Defense Secretary Lloyd Austin") or the appositive
    after it ("Lloyd Austin, the defense secretary,"), for "Who is NAME?" questions."""
    name = re.sub(r"^(?:who|what) (?:is|was|are|were)\s+", "", question, flags=re.I).rstrip("?. ")
    s = hit.sentence
    parts = [w for w in name.split() if w[:1].isupper()]
    for length in range(len(parts), 0, -1):  # the full name first, then its last words
        needle = " ".join(parts[-length:])
        at = s.text.find(needle)
        if at < 0:
            continue
        before = re.sub(r"[()]", " ", s.text[:at])
        run = _CAPITALISED_RUN.search(before)
        if run:
            title = run.group(0).split()
            while title and title[-1] in parts:  # "President Vladimir" before "Putin"
                title.pop()
            if [w for w in title if w.lower() not in STOP_WORDS]:
                a = s.start + run.start()
                return a, a + len(" ".join(title))
        after = re.match(r",\s+((?:the|a|an)\s[^,]{3,80}),", s.text[at + len(needle) :])
        if after:
            a = s.start + at + len(needle) + after.start(1)
            return a, a + len(after.group(1))
    return None


def _term_positions(sentence: str, qterms: set[str]) -> list[re.Match[str]]:
    return [
        m
        for m in re.finditer(r"[^\W_]+", sentence)
        if terms(m.group(0)) and terms(m.group(0))[0] in qterms
    ]


def answer_window(
    hit: SentenceHit, phrase: tuple[int, int] | None, qterms: set[str]
) -> tuple[int, int]:
    """The sentence, or a window of at most MAX_ANSWER_WORDS words of it around the phrase."""
    s = hit.sentence
    lead = dateline_end(s.text)  # "WASHINGTON (AP) — " is not part of the answer
    spans = [(m.start() + s.start, m.end() + s.start) for m in _NON_SPACE.finditer(s.text, lead)]
    if len(spans) <= MAX_ANSWER_WORDS:
        return s.start + lead, s.end
    if phrase:
        centre = next((i for i, (_, b) in enumerate(spans) if b > phrase[0]), 0)
    else:  # centre on the words the question asks about
        hits = [i for i, (a, b) in enumerate(spans) if set(terms(hit.passage.text[a:b])) & qterms]
        centre = hits[len(hits) // 2] if hits else len(spans) // 2
    lo = max(0, min(centre - MAX_ANSWER_WORDS // 2, len(spans) - MAX_ANSWER_WORDS))
    hi = lo + MAX_ANSWER_WORDS
    return spans[lo][0], spans[hi - 1][1]
