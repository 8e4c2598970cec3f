"""Hybrid retrieval over one article: dense (Chroma, MiniLM) and lexical (BM25) fused, at
passage and sentence level (the LangChain face is `bot.qa.lc_retriever`, imported only by
those who use it: a question does not need LangChain)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from bot.qa.grounding import unknown_names
from bot.qa.lexical import BM25, closest_term, fold, terms, word_matches
from index.embed import Embedder
from index.passages import Passage, Sentence
from index.store import Store, StoredArticle

# Weights of the fused scores (tuned on SQuAD dev, see `briefbot eval squad`).
PASSAGE_DENSE, PASSAGE_LEXICAL = 1.0, 0.2
SENTENCE_DENSE, SENTENCE_LEXICAL, SENTENCE_PASSAGE = 1.0, 0.9, 0.3
SPELLING_CACHE = 4096  # question terms whose article spelling is remembered, per article


@dataclass(frozen=True)
class PassageHit:
    passage: Passage
    dense: float  # cosine similarity to the question
    lexical: float  # BM25, divided by the best BM25 among this article's passages
    score: float


@dataclass(frozen=True)
class SentenceHit:
    passage: Passage
    order: int  # index of the sentence in its passage
    sentence: Sentence
    dense: float
    lexical: float  # share of the question's term weight (IDF) the sentence contains
    passage_score: float
    score: float


@dataclass(frozen=True)
class Retrieval:
    question: str
    question_terms: tuple[str, ...]
    passages: tuple[PassageHit, ...]  # best first
    sentences: tuple[SentenceHit, ...]  # best first
    unknown: float  # share of the question's term weight found nowhere in the article
    term_weights: dict[str, float]  # IDF of each question term in this article
    respelled: dict[str, str] = field(default_factory=dict)  # question term -> article's term
    spelled_question: str = ""  # the question in the article's spelling (typos corrected)
    unknown_names: tuple[str, ...] = ()  # named terms the article never mentions (grounding)


class ArticleIndex:
    """Lexical statistics of one stored article, built once and kept in memory. Safe to share
    between threads: nothing is published before it is complete, and the one cache that
    grows with the questions asked (respellings) is bounded."""

    def __init__(self, stored: StoredArticle) -> None:
        self.stored = stored
        self.passages = stored.passages
        self.flat: list[tuple[int, int]] = [
            (pi, si) for pi, p in enumerate(self.passages) for si in range(len(p.sentences))
        ]
        self.sentence_terms = [
            set(terms(self.passages[pi].sentences[si].text)) for pi, si in self.flat
        ]
        self.passage_terms = [terms(p.text) for p in self.passages]
        self.passage_bm25 = BM25(self.passage_terms)
        self.sentence_bm25 = BM25([sorted(t) for t in self.sentence_terms])
        self.vocabulary = set(self.passage_bm25.idf)
        self.position = {p.id: i for i, p in enumerate(self.passages)}
        self.sentence_position = {
            (self.passages[pi].id, si): k for k, (pi, si) in enumerate(self.flat)
        }
        # least recently used respellings; questions bring new terms forever
        self._closest = functools.lru_cache(maxsize=SPELLING_CACHE)(self._closest_term)
        # the article's words as written (folded) -> their stems; built on first use
        self._words: dict[str, str] | None = None

    def words(self) -> dict[str, str]:
        words = self._words
        if words is None:  # built whole, then published (another thread may read it)
            words = {}
            for p in self.passages:
                for m in word_matches(fold(p.text)):
                    t = terms(m.group(0))
                    if t:
                        words.setdefault(m.group(0), t[0])
            self._words = words
        return words

    def _closest_term(self, term: str) -> str:
        """Terms are stems, and a one-letter typo can be two edits from a stem ("minster" vs
        "minist", the stem of "minister"): when no stem is near, the article's own words are
        tried, and the nearest word's stem is the answer."""
        near = closest_term(term, self.vocabulary)
        if near is None:
            stems = {w.lower(): t for w, t in self.words().items() if w.isalpha()}
            word = closest_term(term, stems.keys())
            near = stems[word] if word else None
        return near or term

    def spelled(self, term: str) -> str:
        """The article's own spelling of a question term that is not in it but is one or two
        letters away from a term that is (a typo in the question); else the term itself."""
        if term in self.vocabulary:
            return term
        return str(self._closest(term))

    def respell(self, question: str, corrections: dict[str, str]) -> str:
        """The question with each misspelt word replaced by the article's own word, so that
        the embedding sees the words the article uses."""
        surface: dict[str, str] = {}  # stem -> the article's first word with that stem
        for word, stem in self.words().items():
            surface.setdefault(stem, word)
        out, at = [], 0
        for m in word_matches(question):
            t = terms(m.group(0))
            fixed = surface.get(corrections.get(t[0], "")) if t else None
            if fixed:
                out += [question[at : m.start()], fixed]
                at = m.end()
        return "".join(out) + question[at:]


class HybridSearch:
    """Scores every passage and sentence of one article for a question."""

    def __init__(self, store: Store, embedder: Embedder, index: ArticleIndex) -> None:
        self.store = store
        self.embedder = embedder
        self.index = index

    def search(self, question: str) -> Retrieval:
        idx = self.index
        name = idx.stored.name
        asked = terms(question)
        respelled = {t: fixed for t in asked if (fixed := idx.spelled(t)) != t}
        qterms = tuple(dict.fromkeys(respelled.get(t, t) for t in asked))
        text = idx.respell(question, respelled) if respelled else question
        vector = self.embedder.embed([text])[0].tolist()
        n_pass, n_sent = len(idx.passages), len(idx.flat)
        p_dense = np.zeros(n_pass)
        for pid, _, sim in self.store.dense_search(name, vector, "passage", n_pass):
            p_dense[idx.position[pid]] = sim
        s_dense = np.full(n_sent, np.nan)
        for pid, order, sim in self.store.dense_search(name, vector, "sentence", n_sent):
            s_dense[idx.sentence_position[(pid, order)]] = sim
        floor = np.nanmin(s_dense) if np.isfinite(s_dense).any() else 0.0
        s_dense = np.where(np.isnan(s_dense), floor, s_dense)

        bm = np.asarray(idx.passage_bm25.scores(qterms))
        p_lex = bm / bm.max() if bm.max() > 0 else bm
        p_score = PASSAGE_DENSE * p_dense + PASSAGE_LEXICAL * p_lex

        weights = {t: idx.sentence_bm25.idf_of(t) for t in qterms}
        total = sum(weights.values()) or 1.0
        unknown = sum(w for t, w in weights.items() if t not in idx.vocabulary) / total
        s_lex = np.array(
            [sum(w for t, w in weights.items() if t in st) / total for st in idx.sentence_terms]
        )
        s_pass = np.array([p_score[pi] for pi, _ in idx.flat])
        s_score = SENTENCE_DENSE * s_dense + SENTENCE_LEXICAL * s_lex + SENTENCE_PASSAGE * s_pass

        passages = sorted(
            (
                PassageHit(p, float(p_dense[i]), float(p_lex[i]), float(p_score[i]))
                for i, p in enumerate(idx.passages)
            ),
            key=lambda h: -h.score,
        )
        sentences = _ranked_sentences(idx, s_dense, s_lex, s_pass, s_score)
        return Retrieval(
            question,
            qterms,
            tuple(passages),
            tuple(sentences),
            unknown,
            weights,
            respelled,
            text,
            unknown_names(question, idx.vocabulary, respelled),
        )


def _ranked_sentences(idx: ArticleIndex, *scores: np.ndarray) -> list[SentenceHit]:
    """Every sentence of the article with its (dense, lexical, passage, fused) scores, best
    first."""
    dense, lexical, passage, fused = scores
    hits = (
        SentenceHit(
            idx.passages[pi],
            si,
            idx.passages[pi].sentences[si],
            float(dense[k]),
            float(lexical[k]),
            float(passage[k]),
            float(fused[k]),
        )
        for k, (pi, si) in enumerate(idx.flat)
    )
    return sorted(hits, key=lambda h: -h.score)
