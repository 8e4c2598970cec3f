"""The engine and the web app under concurrent use: many readers at once, writers that never
block readers of other articles or show half-built state, bounded caches, a stream that stops
when its reader goes, and the running app driven by several gradio_client users at once.

No timing asserts: a thread that should finish is joined with a generous deadlock deadline,
and answers are compared with the single-user answers."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bot.app.engine import Briefbot
from bot.app.settings import Settings
from bot.dev.bench import QUESTIONS
from bot.qa.lexical import stem
from bot.qa.retrieve import SPELLING_CACHE, ArticleIndex
from index.embed import MiniLMEmbedder
from index.ingest import Article

DEADLOCK = 300  # seconds: only a thread stuck for good takes this long

OTHER = Article.from_paragraphs(
    "Council approves budget",
    [
        "The city council approved a budget of 12 million dollars on Tuesday.",
        "Mayor Jane Porter said the money would repair three bridges.",
        "Two council members, Ann Lee and Tom Reyes, voted against the plan.",
    ],
)


def _engine(home: Path, embedder: MiniLMEmbedder, **kw: Any) -> Briefbot:
    return Briefbot(Settings(home=home), embedder=embedder, **kw)


def _run(fn: Any) -> threading.Thread:
    t = threading.Thread(target=fn, daemon=True)
    t.start()
    return t


def test_many_readers_get_the_single_user_answers(bot: Briefbot) -> None:
    expected = {q: bot.ask(q).to_dict() for q in QUESTIONS}
    jobs = QUESTIONS * 4
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda q: bot.ask(q).to_dict(), jobs))
    assert got == [expected[q] for q in jobs]


class _Gate:
    """A progress callback that stops the thread writing `name` at its embedding step (inside
    the store write, with the article's write lock held) until released."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.reached = threading.Event()
        self.release = threading.Event()

    def __call__(self, msg: str) -> None:
        if msg.startswith(f"{self.name}: embedding"):
            self.reached.set()
            assert self.release.wait(DEADLOCK)


def test_indexing_one_article_does_not_block_questions_about_another(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    gate = _Gate("council")
    engine = _engine(tmp_path / "home", embedder, progress=gate)
    question = QUESTIONS[0]
    before = engine.ask(question).to_dict()
    writer = _run(lambda: engine.index_article(OTHER, "council"))
    try:
        assert gate.reached.wait(DEADLOCK), "the writer never reached its embedding step"
        answers: list[dict[str, Any]] = []
        asker = _run(lambda: answers.append(engine.ask(question).to_dict()))
        asker.join(DEADLOCK)
        # the writer is still parked inside its write: the question did not wait for it
        assert not asker.is_alive() and writer.is_alive()
        assert answers == [before]
    finally:
        gate.release.set()
        writer.join(DEADLOCK)
    assert engine.ask("Who voted against the plan?", "council").citations[0].passage == "¶3"


def test_a_question_during_reindex_waits_for_the_rebuilt_article(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    gate = _Gate("council")
    engine = _engine(tmp_path / "home", embedder, progress=gate)
    gate.release.set()
    engine.index_article(OTHER, "council")
    question = "How much money did the council approve?"
    before = engine.ask(question, "council").to_dict()
    gate.release.clear()
    gate.reached.clear()
    writer = _run(lambda: engine.reindex("council"))
    answers: list[Any] = []

    def ask() -> None:
        try:
            answers.append(engine.ask(question, "council").to_dict())
        except Exception as e:  # "no article named ..." in the gap before the fix
            answers.append(e)

    try:
        assert gate.reached.wait(DEADLOCK)  # vectors dropped, rebuild parked before embedding
        asker = _run(ask)
        asker.join(1)  # it must still be waiting for the write lock, not answering from a gap
        assert asker.is_alive() and answers == [], answers
    finally:
        gate.release.set()
    writer.join(DEADLOCK)
    asker.join(DEADLOCK)
    assert answers == [before]


def test_reindex_under_concurrent_questions_never_errors(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    engine = _engine(tmp_path / "home", embedder)
    engine.index_article(OTHER, "council")
    questions = ["Who voted against the plan?", "What will the money repair?"]
    expected = {q: engine.ask(q, "council").to_dict() for q in questions}
    stop = threading.Event()

    def rebuild() -> None:
        while not stop.is_set():
            engine.reindex("council")

    writer = _run(rebuild)
    try:
        with ThreadPoolExecutor(3) as pool:
            got = list(pool.map(lambda q: engine.ask(q, "council").to_dict(), questions * 6))
    finally:
        stop.set()
        writer.join(DEADLOCK)
    assert got == [expected[q] for q in questions * 6]


def test_respelling_cache_is_bounded(bot: Briefbot) -> None:
    index = ArticleIndex(bot.stored())
    typos = [f"zq{i}x" for i in range(SPELLING_CACHE + 500)]
    for t in typos:
        index.spelled(t)
    assert index._closest.cache_info().currsize == SPELLING_CACHE
    assert index.spelled(stem("ministr")) == stem("minister")  # still corrects
    assert index.spelled(stem("minster")) == stem("minister")  # one edit from the word


def test_made_up_article_names_leave_nothing_behind(bot: Briefbot) -> None:
    from index.store import StoreError

    bot.ask(QUESTIONS[0])
    locks = len(bot._article_locks)
    for i in range(200):
        with pytest.raises(StoreError, match="no article named"):
            bot.ask(QUESTIONS[0], f"made-up-{i}")
    assert len(bot._article_locks) == locks


class _EndlessBackend:
    """A model that never stops talking (a fake at the stream seam): records whether its
    stream was closed."""

    name = "endless"
    context_tokens = 2048

    def __init__(self) -> None:
        self.closed = threading.Event()
        self.pieces = 0

    def stream(self, system: str, user: str) -> Iterator[str]:
        try:
            while True:
                self.pieces += 1
                yield "word "
        finally:
            self.closed.set()


def test_stream_stops_generating_when_its_reader_goes(bot: Briefbot) -> None:
    backend = _EndlessBackend()
    stream = bot.ask_llm_stream(QUESTIONS[0], backend)
    assert next(stream) == "word "
    stream.close()  # the browser left
    assert backend.closed.wait(DEADLOCK), "the model kept generating for nobody"
    produced = backend.pieces
    assert not any(t.name == "briefbot-llm-stream" and t.is_alive() for t in _settled())
    assert backend.pieces == produced


def _settled() -> list[threading.Thread]:
    for t in threading.enumerate():
        if t.name == "briefbot-llm-stream":
            t.join(DEADLOCK)
    return threading.enumerate()


def test_quiz_exports_reuse_one_bounded_folder(bot: Briefbot) -> None:
    from bot.app.tabs import quiz as tab
    from bot.quiz.model import QuizRequest

    folders = set()
    for seed in range(1, tab.KEPT_EXPORTS + 6):
        quiz, _ = bot.quiz(QuizRequest(n=3, seed=seed))
        files = tab._export_files(quiz)
        assert all(Path(f).is_file() for f in files)
        folders.add(Path(files[0]).parent.parent)
    again = tab._export_files(bot.quiz(QuizRequest(n=3, seed=1))[0])
    assert len(folders) == 1
    root = folders.pop()
    assert len(list(root.iterdir())) <= tab.KEPT_EXPORTS
    assert Path(again[0]).read_text(encoding="utf-8").startswith("{")


def test_quiz_export_folder_goes_when_the_process_ends() -> None:
    """The export folder is the process's own scratch space (Gradio serves its own copy of
    each file), so a server that stops leaves nothing behind in the temporary folder."""
    script = (
        "from bot.app.tabs import quiz as tab\n"
        "from bot.quiz.model import Quiz\n"
        "print(tab._export_files(Quiz(article='a', seed=1, questions=()))[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    written = Path(done.stdout.strip())
    assert written.name == "quiz.json" and written.parent.parent.name.startswith("briefbot-quiz-")
    assert not written.parent.parent.exists()


@pytest.mark.parametrize("users", [4])
def test_app_under_load_answers_like_a_single_user(tmp_path: Path, users: int) -> None:
    from bot.dev.bench_load import format_load, run_load, served

    with served(tmp_path / "home") as (url, _):
        result = run_load(url, users=users, seconds=8)
    print(format_load(result))
    assert result["errors"] == [], result["errors"][:3]
    assert result["requests"] >= users
    assert result["mismatches"] == [], result["mismatches"][:3]
    assert {"ask", "quiz", "brief"} <= set(result["by_kind"])


def test_a_full_queue_says_try_again_instead_of_hanging(bot: Briefbot) -> None:
    from gradio_client import Client
    from gradio_client.utils import QueueError

    from bot.app.tabs.shared import MODEL_WORKERS
    from bot.app.ui import build_app, enable_queue
    from tests.conftest import free_port

    app = build_app(bot)
    enable_queue(app, max_size=1)
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        expected = Client(url, verbose=False).predict("", api_name="/brief")
        users = MODEL_WORKERS + 1 + 6  # more than the workers plus the one waiting place
        clients = [Client(url, verbose=False) for _ in range(users)]
        outcomes: list[Any] = []

        def call(c: Any) -> None:
            try:
                outcomes.append(c.predict("", api_name="/brief"))
            except QueueError as e:
                outcomes.append(str(e))

        with ThreadPoolExecutor(users) as pool:
            done = pool.map(call, clients)
            list(done)
    finally:
        app.close()
    busy = [o for o in outcomes if isinstance(o, str)]
    assert len(outcomes) == users  # every request got an answer: none hung
    assert busy and all("try again" in o for o in busy)
    assert all(o == expected for o in outcomes if not isinstance(o, str))
