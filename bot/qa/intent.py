"""What kind of chat message this is: an overview request, a quiz request, a "who is X"
question, chitchat, or an ordinary question about the article.

Rules, in order (deterministic, no model):
1. empty, or only greetings/thanks/acknowledgements ("hi", "thanks!", "ok great") -> "chitchat";
2. a request to be quizzed ("quiz me", "test me on the numbers", "ask me some questions")
   -> "quiz"; `quiz_focus` names the quiz type asked for (bot.quiz.model.TYPES), if any;
3. a request about the whole article ("what is this article about?", "summarize the
   article", "the gist", "tl;dr", "what's the story?") -> "overview", unless it narrows to a
   topic ("the article's main claim about taxes", "summary of the fines") -> "question";
4. "who is X?" where X is a name or a pronoun -> "who"; `who_target` gives X ("Who is
   he?" -> "he": the caller resolves it with bot.qa.followup first). "Who is the finance
   minister?" asks for a name, so it stays a "question";
5. anything else -> "question".
"""

from __future__ import annotations

import re

KINDS = ("overview", "quiz", "who", "question", "chitchat")

_CHAT_WORDS = (
    r"thanks?(?: you)?(?: (?:so|very) much)?|thx|ty|cheers|many thanks|thank u|"
    r"hi|hello|hey|hiya|howdy|yo|good (?:morning|afternoon|evening)|"
    r"ok(?:ay)?|k|cool|great|nice|awesome|perfect|fine|good|sure|yes|yeah|yep|no|nope|"
    r"got it|i see|understood|makes sense|interesting|wow|lol|haha|"
    r"bye|goodbye|see you|see ya|that'?s all|never ?mind|"
    r"how are you(?: doing)?|what'?s up|sup|"
    r"(?:that'?s |very )?(?:helpful|useful)|well done|good job|brilliant|"
    r"please|alright|all right"
)
_CHITCHAT = re.compile(
    rf"^(?:(?:{_CHAT_WORDS})(?:\s+(?:bot|briefbot|a lot|again|there|then|now|so much))?"
    r"[\s,.!?:;)(-]*)+$",
    re.I,
)

_QUIZ = re.compile(
    r"\bquiz(?:zes)?\b|\btest (?:me|my|us|our)\b|\bask me (?:a |some |a few |\w+ )?"
    r"(?:questions?|things)\b|\bcheck (?:my|our) (?:understanding|knowledge)\b|"
    r"\bgive me (?:a |some )?(?:questions|test)\b|\bexamine me\b|\bdrill me\b",
    re.I,
)
# words naming a quiz type (bot.quiz.model.TYPES)
_FOCUS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\bnumbers?\b|\bfigures?\b|\bstatistics?\b|\bstats\b|\bamounts?\b|"
            r"\bdigits\b|\bnumeric",
            re.I,
        ),
        "number",
    ),
    (
        re.compile(
            r"\bquotes?\b|\bquotations?\b|\bwho said\b|\bsaid what\b|\bspeakers?\b|"
            r"\bpeople\b|\bnames\b|\bwho'?s who\b|\bpersons?\b",
            re.I,
        ),
        "who_said",
    ),
    (re.compile(r"\btrue[ /-]*(?:or|/)?[ /-]*false\b|\bt/f\b", re.I), "tf"),
    (re.compile(r"\bmultiple[ -]choice\b|\bmcqs?\b", re.I), "mcq"),
    (
        re.compile(r"\bfill[ -]in(?: the)?[ -]blanks?\b|\bgaps?\b|\bblanks?\b|\bcloze\b", re.I),
        "fill",
    ),
)

_DOC = r"(?:article|story|piece|text|news|report|page|item|document|source|this|it)"
_OVERVIEW = re.compile(
    r"\bsumm?ar(?:y|ies|i[sz]e|i[sz]ing|i[sz]ation)\b|\bsum (?:it |this |that )?up\b|"
    r"\bgist\b|\btl;?\s?dr\b|\boverview\b|\bin a nutshell\b|\brecap\b|\bbrief(?:ing)? me\b|"
    r"\bthe briefing\b|\bbottom line\b|\btakeaways?\b|"
    r"\b(?:main|key) (?:points?|facts?|ideas?|claims?|messages?|themes?|story|takeaways?|"
    r"news|line|issues?)\b|"
    rf"\bwhat(?:'s| is| was)? (?:this|the|that) {_DOC}? ?(?:about|saying|on)\b|"
    rf"\bwhat(?:'s| is| was)? (?:it|this|that) about\b|"
    rf"\bwhat (?:does|did) (?:the|this) {_DOC} (?:say|tell|cover|report)\b(?!\s+about\b)|"
    r"\bwhat(?:'s| is) the (?:story|news|headline|deal|big picture)\b|"
    r"^\s*what(?:'s)? happened\s*\??\s*$|\bwhat is going on\b|\bwhat'?s going on\b|"
    rf"\btell me about (?:the|this) {_DOC}\b|\bexplain (?:the|this) {_DOC}\b|"
    r"\bhighlights\b|\bcliff ?notes\b|\bshort version\b",
    re.I,
)
# "... about taxes", "summary of the fines": a topic, so it is a question about that topic
_TOPIC = re.compile(
    rf"\b(?:about|of|on|regarding|concerning|for|behind|over|in)\s+(?!(?:the|this|that|a) "
    rf"{_DOC}\b|{_DOC}\b|(?:a|one) (?:sentence|paragraph|line|word|minute)s?\b|"
    r"short\b|brief\b|(?:a )?few (?:words|lines|sentences)\b|\d+ (?:words|lines|sentences|"
    r"bullets?|points?)\b|bullet points?\b|points?\b|please\b|plain english\b|simple "
    r"(?:words|terms)\b|you\b|me\b|us\b)"
    r"(?:the |a |an |its |their |his |her )?[\w'’-]{3,}",
    re.I,
)
_WHO = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+|ok(?:ay)?,?\s+)?who(?:'s|’s|\s+(?:is|was|are|were))\s+"
    r"(?:exactly\s+|really\s+)?(?P<x>.+?)"
    r"(?:\s+(?:exactly|again|then|really))?"
    r"(?:,?\s+(?:in|according to|from) (?:the|this) " + _DOC + r")?\s*[?.!]*\s*$",
    re.I,
)
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "it", "that", "this", "these", "those"}
_LEADS = {
    "the",
    "a",
    "an",
    "mr",
    "mr.",
    "ms",
    "ms.",
    "mrs",
    "mrs.",
    "dr",
    "dr.",
    "sir",
    "dame",
    "lord",
    "lady",
    "miss",
    "prof",
    "prof.",
    "professor",
}


def _clean(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def is_chitchat(text: str) -> bool:
    t = _clean(text)
    return not t or bool(_CHITCHAT.match(t))


def is_quiz_request(text: str) -> bool:
    return bool(_QUIZ.search(_clean(text)))


def quiz_focus(text: str) -> str | None:
    """The quiz type (one of bot.quiz.model.TYPES) a quiz request asks for, or None."""
    t = _clean(text)
    for pattern, kind in _FOCUS:
        if pattern.search(t):
            return kind
    return None


def is_overview_request(text: str) -> bool:
    t = _clean(text)
    m = _OVERVIEW.search(t)
    if not m:
        return False
    # a topic after the overview words narrows it to a question about that topic
    return not _TOPIC.search(t, m.start())


def who_target(text: str) -> str | None:
    """X in "who is X?" when X is a name ("Lloyd Austin", "Mr Cherkasky", "the Killers")
    or a pronoun ("he"); None for anything else, including "who is the finance minister?"
    (that asks for a name) and "who said ...?"."""
    t = _clean(text)
    m = _WHO.match(t)
    if not m:
        return None
    x = m.group("x").strip(" ,;:")
    words = x.split()
    if not words or len(words) > 7:
        return None
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return words[0]
    content = [w for w in words if w.lower() not in _LEADS]
    small = {"of", "and", "de", "van", "von", "al", "bin", "der", "la", "le", "da", "&"}
    if not content or not content[0][:1].isupper():
        return None
    if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small for w in content):
        return None
    return x


def message_kind(text: str) -> str:
    """One of KINDS: "overview", "quiz", "who", "question" or "chitchat"."""
    if is_chitchat(text):
        return "chitchat"
    if is_quiz_request(text):
        return "quiz"
    if is_overview_request(text):
        return "overview"
    if who_target(text) is not None:
        return "who"
    return "question"
