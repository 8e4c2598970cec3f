"""The briefbot engine: one object the CLI and the UI share. It answers questions, makes
briefings and quizzes (over one article or several), and streams a model's answer. The articles
themselves, their in-memory indexes and caches and the locks around them: `ArticleLibrary`
(bot/app/library.py), which `Briefbot` extends; its module doc says how the locks work.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.app.library import ArticleLibrary, Progress
from bot.app.settings import Settings
from bot.qa.answer import DECLINE_MANY, Answer, answer_question, check_question
from bot.qa.followup import Turn, read_in_context, turn_of
from bot.qa.intent import who_target
from bot.qa.reading import SpanReader, decision, read_answer
from bot.qa.retrieve import HybridSearch, Retrieval
from bot.qa.who import who_answer
from index.embed import Embedder
from index.people import Person
from index.store import Store

if TYPE_CHECKING:
    from bot.brief.briefing import Brief
    from bot.llm.backends import ChatBackend
    from bot.llm.claims import Judge
    from bot.llm.generate import Generated
    from bot.llm.quiz import LLMQuizReport
    from bot.qa.lc_retriever import HybridRetriever
    from bot.quiz.model import Quiz, QuizRequest


class StreamClosed(Exception):
    """Raised inside a model's stream when the one reading it has gone: the stream stops."""


class Briefbot(ArticleLibrary):
    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        store: Store | None = None,
        progress: Progress | None = None,
        reader: SpanReader | None = None,
    ) -> None:
        """`reader`: the reading model that answers; by default the shipped one, loaded on
        the first question (settings.reader "none": the older hand-fitted models answer)."""
        super().__init__(settings, embedder, store, progress)
        self._reader = reader

    # ---- questions -----------------------------------------------------------------------

    def search(self, name: str | None = None) -> HybridSearch:
        """The article's search (for tools that search one article many times; `retrieve`
        is the one that is safe while the article is being rewritten)."""
        resolved = self.resolve(name)
        with self._reading(resolved):
            return HybridSearch(self.store, self.embedder, self._index(resolved))

    def retrieve(self, question: str, article: str | None = None) -> Retrieval:
        """What hybrid retrieval finds for `question`: the article's index and its vectors read
        under one read lock, so both are the same version of the article."""
        name = self.resolve(article)
        with self._reading(name):
            return HybridSearch(self.store, self.embedder, self._index(name)).search(question)

    def retriever(
        self, name: str | None = None, level: str = "passage", k: int = 4
    ) -> HybridRetriever:
        from bot.qa.lc_retriever import HybridRetriever

        return HybridRetriever(search=self.search(name), level=level, k=k)  # type: ignore[arg-type]

    def judge(self) -> Judge | None:
        """The reading model as the second judge of an LLM's claims (None without a reader)."""
        reader = self.reader()
        if reader is None:
            return None
        from bot.llm.judge import ReaderJudge

        return ReaderJudge(reader)

    def reader(self) -> SpanReader | None:
        """The reading model, loaded once (None when settings.reader is "none")."""
        if self.settings.reader == "none":
            return None
        if self._reader is None:
            from bot.qa.reader import Reader

            self._reader = Reader.load(mode=decision().mode)
        return self._reader

    def answer(self, question: str, found: Retrieval, decline: bool = True) -> Answer:
        """The answer to a checked question from what retrieval found. `decline=False`: the
        reader's best span even when it would decline (for choosing the threshold)."""
        reader = self.reader()
        if reader is None:
            return answer_question(question, found)
        rule = None if decline else replace(decision(), threshold=math.inf)
        return read_answer(question, found, reader, rule)

    def ask(
        self, question: str, article: str | None = None, history: Sequence[Turn] = ()
    ) -> Answer:
        """A cited answer. With `history` (the conversation so far, oldest first), a follow-up
        ("Who is he?", "What about Seoul's estimate?") is read in its context first; the
        answer then says how it was read (`read_as`)."""
        q = check_question(question)
        asked = read_in_context(q, history).question if history else q
        name = self.resolve(article)
        answer = None
        if who_target(asked) is not None:  # people (a spaCy parse) only when asked who is who
            answer = who_answer(asked, self.stored(name), self.people(name))
        if answer is None:
            answer = self.answer(asked, self.retrieve(asked, name))
        return replace(answer, question=q, read_as=asked) if asked != q else answer

    def chat(
        self, message: str, article: str | None = None, history: Sequence[Turn] = ()
    ) -> tuple[Answer, list[str]]:
        """A chat message: an overview request ("What is this article about?") gets the
        briefing's bottom line and key facts, anything else is asked (in the context of
        `history`). Also returns, when the answer is declined, the questions the article does
        answer (the briefing's suggested questions)."""
        from bot.brief.overview import overview_answer, suggestions
        from bot.qa.intent import message_kind

        q = check_question(message)
        if message_kind(q) == "overview":
            return overview_answer(q, self.cached_brief(article)), []
        answer = self.ask(q, article, history)
        return answer, suggestions(self.cached_brief(article)) if answer.abstained else []

    def cached_brief(self, article: str | None = None) -> Brief:
        """The extractive briefing of an article, built once per indexed version."""
        from bot.brief.briefing import build_brief

        name = self.resolve(article)
        stored = self.stored(name)
        with self._lock:
            cached = self._briefs.get(name)
        if cached is None or cached[0] is not stored:
            cached = (stored, build_brief(stored, lambda q: self.ask(q, name)))
            with self._lock:
                self._briefs[name] = cached
        return cached[1]

    def people(self, article: str | None = None) -> tuple[Person, ...]:
        """Who is who in an article (found once per indexed version)."""
        name = self.resolve(article)
        stored = self.stored(name)
        with self._lock:
            cached = self._people.get(name)
        if cached is None or cached[0] is not stored:
            from index.people import people_in

            cached = (stored, people_in(stored.article.body))  # spaCy: outside the lock
            with self._lock:
                self._people[name] = cached
        return cached[1]

    def ask_in_turn(self, questions: Sequence[str], article: str | None = None) -> list[Answer]:
        """Each question asked in the context of the ones before it (a conversation)."""
        answers: list[Answer] = []
        for question in questions:
            answers.append(self.ask(question, article, [turn_of(a) for a in answers]))
        return answers

    def ask_across(self, question: str, articles: list[str]) -> Answer:
        """Ask several articles; the best supported answer wins, its citations naming the
        article as well as the passage. Declines when none of them supports an answer."""
        from dataclasses import replace

        names = list(dict.fromkeys(self.resolve(a) for a in articles))
        answers = [(self.ask(question, name), name) for name in names]
        supported = [(a, n) for a, n in answers if not a.abstained]
        if not supported:
            return replace(answers[0][0], answer=DECLINE_MANY) if len(names) > 1 else answers[0][0]
        best, name = max(supported, key=lambda an: an[0].confidence)
        return replace(best, citations=tuple(replace(c, article=name) for c in best.citations))

    def ask_llm(
        self,
        question: str,
        backend: ChatBackend,
        article: str | None = None,
        on_text: Callable[[str], None] | None = None,
        history: Sequence[Turn] = (),
    ) -> Generated:
        """A generated answer whose every citation is verified; the extractive answer when
        nothing verified is left or the backend fails. A follow-up is read in the context of
        `history` first, and the model gets the question as read."""
        from bot.llm.generate import generate_answer

        q = check_question(question)
        asked = read_in_context(q, history).question if history else q
        found = self.retrieve(asked, article)
        extractive = self.answer(asked, found)
        result = generate_answer(asked, found, backend, extractive, on_text, self.judge())
        if asked == q:
            return result
        return replace(result, answer=replace(result.answer, question=q, read_as=asked))

    def brief(
        self,
        article: str | None = None,
        backend: ChatBackend | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> tuple[Brief, tuple[str, ...], str | None]:
        """The cited briefing; with a backend, its bottom line is written by the model and
        verified. Also returns what was removed and a note when the model's text was not used."""
        from bot.brief.briefing import build_brief

        name = self.resolve(article)
        stored = self.stored(name)
        brief = build_brief(stored, lambda q: self.ask(q, name))
        if backend is None:
            return brief, (), None
        from bot.llm.generate import generate_bottom_line

        return generate_bottom_line(brief, list(stored.passages), backend, on_text, self.judge())

    def quiz(
        self,
        request: QuizRequest,
        backend: ChatBackend | None = None,
        on_progress: Callable[[str], None] | None = None,
    ) -> tuple[Quiz, LLMQuizReport | None]:
        """A cited quiz; with a backend, each item is rewritten by the model where its reply
        passes every check, and stays extractive where it does not. Over several articles:
        `quiz_across` (extractive)."""
        from bot.quiz.items import generate_quiz

        if len(request.articles) > 1 and backend is None:
            return self.quiz_across(request), None
        stored = self.stored(self.resolve(request.article))
        quiz = generate_quiz(stored, request)
        if backend is None:
            return quiz, None
        from bot.llm.quiz import generate_items

        return generate_items(quiz, list(stored.passages), backend, on_progress)

    def quiz_across(self, request: QuizRequest) -> Quiz:
        """One quiz over several articles: questions shared out between them, every citation
        naming its article."""
        from dataclasses import replace

        from bot.quiz.items import generate_quiz
        from bot.quiz.model import Quiz, QuizError

        names = list(dict.fromkeys(self.resolve(a) for a in request.articles))
        n = request.n
        share = [n // len(names) + (i < n % len(names)) for i in range(len(names))]
        parts = []
        for name, k in zip(names, share, strict=True):
            if k:
                try:
                    one = replace(request, n=k, articles=(name,))
                    parts.append((name, generate_quiz(self.stored(name), one)))
                except QuizError:
                    continue  # too few facts of those types here: the others share the quiz
        if not parts:
            raise QuizError("the articles have too few facts to make a quiz of those types")
        items = []
        for rank in range(max(len(q.questions) for _, q in parts)):
            for name, q in parts:  # interleaved, so the articles alternate
                if rank < len(q.questions):
                    item = q.questions[rank]
                    cites = tuple(replace(c, article=name) for c in item.citations)
                    items.append(replace(item, citations=cites, fact=f"{name}:{item.fact}"))
        numbered = tuple(replace(item, id=f"q{i}") for i, item in enumerate(items, start=1))
        return Quiz("+".join(names), request.seed, numbered)

    def ask_llm_stream(
        self,
        question: str,
        backend: ChatBackend,
        article: str | None = None,
        history: Sequence[Turn] = (),
    ) -> Iterator[str | Generated]:
        """`ask_llm` as a generator for the web app: the model's text as it comes, then the
        verified result last. Question errors are raised before anything is yielded. When this
        generator is closed early (the browser left), the model's stream is stopped at its next
        piece, so no thread keeps generating for nobody."""
        q = check_question(question)
        pieces: queue.Queue[str | None] = queue.Queue()
        box: dict[str, Any] = {}
        gone = threading.Event()

        def on_text(piece: str) -> None:
            if gone.is_set():
                raise StreamClosed("the reader of this answer has gone")
            pieces.put(piece)

        def work() -> None:
            try:
                box["result"] = self.ask_llm(q, backend, article, on_text, history)
            except BaseException as e:  # re-raised in the caller's thread
                box["error"] = e
            finally:
                pieces.put(None)

        threading.Thread(target=work, daemon=True, name="briefbot-llm-stream").start()
        try:
            while (piece := pieces.get()) is not None:
                yield piece
        finally:
            gone.set()
        if "error" in box:
            raise box["error"]
        yield box["result"]
