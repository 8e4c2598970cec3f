"""Words for lexical matching: tokenising, a light stemmer, stop words, and BM25."""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[0-9]+(?:[.,][0-9]+)*|[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing done down during each
    few for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom whose why will with would you your yours yourself
    yourselves s t don't doesn't didn't isn't wasn't aren't weren't many much us""".split()
)


# Common irregular past forms, so "say" matches "said" and "meet" matches "met".
_IRREGULAR = dict(
    pair.split(":")
    for pair in """said:say told:tell made:make took:take gave:give went:go found:find began:begin
    won:win lost:lose led:lead held:hold brought:bring thought:think sent:send left:leave met:meet
    paid:pay sold:sell wrote:write written:write built:build spent:spend chose:choose
    chosen:choose became:become knew:know known:know saw:see seen:see fought:fight taught:teach
    ran:run rose:rise fell:fall grew:grow drew:draw struck:strike stood:stand bought:buy
    caught:catch felt:feel kept:keep meant:mean sought:seek spoke:speak spoken:speak
    taken:take given:give driven:drive drove:drive""".split()
)


_STEMMER: Any = None


def _snowball(word: str) -> str:
    global _STEMMER
    if _STEMMER is None:
        import Stemmer  # PyStemmer: Snowball's English (Porter2) stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Snowball's English stem (troop/troops, deploy/deployed/deploying, "running" -> "run",
    "news" and "evening" kept), after the irregular past forms above, which no suffix rule can
    reach ("said" -> "say")."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = _IRREGULAR.get(w, w)
    return w if w.isdigit() else _snowball(w)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_matches(text: str) -> Iterator[re.Match[str]]:
    """The words of `text` with their offsets (punctuation is not part of a word)."""
    return _WORD.finditer(text)


def fold(text: str) -> str:
    """Accents dropped, so "Céloron" and "Celoron" are one word."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_CONTINENTS = ("africa", "america", "antarctica", "asia", "australasia", "eurasia", "oceania")


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Lowercase names of countries (each word of them: "korea" from "Korea, Republic of"),
    their subdivisions and the continents, from ISO 3166 (pycountry): a word is read as a
    demonym ("Korean" -> "Korea") only when it is one of these plus "n", so "Median" stays
    "median"."""
    import pycountry

    names = set(_CONTINENTS)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            for word in fold(getattr(country, attr, "")).lower().replace(",", " ").split():
                # ISO names some countries by their adjective: "Russian Federation" -> russia
                names.add(word[:-1] if word.endswith("ian") else word)
    names.update(fold(s.name).lower() for s in pycountry.subdivisions)
    return frozenset(names)


def terms(text: str, keep_stop_words: bool = False) -> list[str]:
    """Stemmed lowercase terms; numbers keep their digits only ("11,000" -> "11000")."""
    out = []
    for w in words(fold(text)):
        low = w.lower()
        if "." in w and not w[0].isdigit() or (len(w) >= 2 and w.isupper()):
            out.append(low.replace(".", ""))  # acronyms: "U.S." and "US" are one term
            continue
        if not keep_stop_words and low in STOP_WORDS:
            continue
        if low[0].isdigit():
            out.append(re.sub(r"[.,]", "", low))
        elif low.endswith(("ian", "ean")) and low[:-1] in _place_names():
            out.append(stem(low[:-1]))  # demonyms: "Korean" matches "Korea", "Russian" "Russia"
        else:
            out.append(stem(low))
    return out


def closest_term(term: str, vocabulary: Collection[str]) -> str | None:
    """The one vocabulary term a misspelt question term most likely means ("charecter" ->
    "character", "Celeron" -> "celoron"): one edit (Levenshtein, rapidfuzz) away for words of
    up to 7 letters, two for longer ones, same first letter. None when there is no such term or
    it is a tie."""
    if len(term) < 4 or not term.isalpha() or term in vocabulary:
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    limit = 1 if len(term) <= 7 else 2
    candidates = [v for v in vocabulary if v[:1] == term[:1] and abs(len(v) - len(term)) <= limit]
    best = process.extract(
        term, candidates, scorer=Levenshtein.distance, score_cutoff=limit, limit=2
    )
    if not best or (len(best) > 1 and best[1][1] == best[0][1]):
        return None
    return str(best[0][0])


class BM25:
    """Okapi BM25 over a small fixed collection (the passages or sentences of one article)."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tfs = [Counter(d) for d in docs]
        self.lens = [len(d) for d in docs]
        self.avg = (sum(self.lens) / len(docs)) if docs else 1.0
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.n = n

    def idf_of(self, term: str) -> float:
        """IDF, with unseen terms weighted as if they occurred in half a document."""
        return self.idf.get(term, math.log(1 + (self.n + 0.5) / 0.5))

    def scores(self, query: Sequence[str]) -> list[float]:
        out = []
        for tf, length in zip(self.tfs, self.lens, strict=True):
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * length / (self.avg or 1.0))
            for t in set(query):
                f = tf.get(t)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            out.append(s)
        return out


# ---- grounding checks: words whose absence or reversal means the evidence does not answer ----

NEGATION = re.compile(
    r"\b(?:not|never|no|none|nor|neither|cannot|without|refus\w*|fail\w*|lack\w*)\b|n['’]t\b|\bnon-",
    re.I,
)

_ANTONYM_PAIRS = [
    ("first", "last"), ("highest", "lowest"), ("largest", "smallest"), ("increase", "decrease"),
    ("most", "least"), ("before", "after"), ("earliest", "latest"), ("major", "minor"),
    ("maximum", "minimum"), ("more", "less"), ("better", "worse"), ("best", "worst"),
    ("north", "south"), ("east", "west"), ("rise", "fall"), ("win", "lose"),
    ("success", "failure"), ("early", "late"), ("higher", "lower"), ("larger", "smaller"),
    ("gain", "loss"), ("open", "close"), ("begin", "end"), ("start", "end"), ("strong", "weak"),
    ("accept", "reject"), ("allow", "forbid"), ("same", "different"), ("old", "new"),
    ("upper", "lower"), ("northern", "southern"), ("eastern", "western"),
    ("positive", "negative"), ("long", "short"), ("high", "low"),
]  # fmt: skip
ANTONYMS: dict[str, set[str]] = {}
for _a, _b in _ANTONYM_PAIRS:
    ANTONYMS.setdefault(stem(_a), set()).add(stem(_b))
    ANTONYMS.setdefault(stem(_b), set()).add(stem(_a))


_EDGE = string.punctuation + "“”‘’«»"
# a number alone or with its suffix: "2022", "1,000", "1990s", "1980's", "14th", "5%", "$3"
_NUMBER = re.compile(r"[$£€]?\d[\d,.]*(?:%|s|st|nd|rd|th|m|bn|k|['’]s)?")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}")


def named_terms(question: str) -> set[str]:
    """Terms of the names and numbers a question mentions (capitalised words after the first,
    and numbers): evidence that lacks them is about something else. Read per whitespace-
    separated token, so that junk glued to a word ("[2JHow", what is left of a terminal
    escape) is not taken for a name or number."""
    out: set[str] = set()
    for i, token in enumerate(question.split()):
        token = token.strip(_EDGE) + ("." if _ACRONYM.search(token) else "")  # "U.S."
        if not token.strip("."):
            continue
        parts = re.split(r"[-/–]", token)  # "1,000-strong", "pre-1875", "2004/05"
        for part in parts:
            if _NUMBER.fullmatch(part.rstrip(".")):
                out.update(t for t in terms(part) if t[:1].isdigit())
        if i > 0 and token[0].isupper():
            out.update(terms(token))
    return out


_NEGATING_PREFIXES = ("un", "non", "in", "im", "ir", "il", "dis", "anti", "mis")


def _opposites(term: str) -> set[str]:
    """Listed antonyms, and the same word with or without a negating affix ("connected" /
    "unconnected", "motion" / "motionless")."""
    out = set(ANTONYMS.get(term, set()))
    for prefix in _NEGATING_PREFIXES:
        if term.startswith(prefix) and len(term) - len(prefix) >= 5:
            out.add(term[len(prefix) :])
        if len(term) >= 5:
            out.add(prefix + term)
    if term.endswith("less") and len(term) >= 9:
        out.add(term[:-4])
    elif len(term) >= 5:
        out.add(term + "less")
    return out


def reverses(question_terms: set[str], evidence_terms: set[str]) -> bool:
    """The evidence has the opposite of a question word and not the word itself
    ("lowest court" asked, "highest court" found; "unconnected" asked, "connected" found)."""
    return any(t not in evidence_terms and _opposites(t) & evidence_terms for t in question_terms)
