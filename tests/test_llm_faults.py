"""LLM backends that fail (issue 15): real OpenAI-compatible endpoints on 127.0.0.1, scripted
at the socket level to hang, reset the connection, stream garbage or die mid-stream. The
engine, the CLI and the web app's chat must each give the extractive answer with a clear note:
never a traceback, never a hang."""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_briefbot

from bot.app.cli import main
from bot.app.commands import format_answer
from bot.llm.backends import make_backend

Q = "How many containers did North Korea ship?"
READ_TIMEOUT = 2.0  # seconds the backend waits for any one read; a whole reply gets 5x
HANG_GUARD = 120.0  # a call still running after this is a hang (a bound, not a speed target)

SSE_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
    b"Cache-Control: no-cache\r\n\r\n"
)


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def _event(text: str) -> bytes:
    delta = {"index": 0, "delta": {"content": text}, "finish_reason": None}
    body = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "m",
            "choices": [delta]}  # fmt: skip
    return _chunk(f"data: {json.dumps(body)}\n\n".encode())


# Each behaviour gets the connection after the whole request has been read, and an event set
# when the test is over.
def _hang(conn: socket.socket, over: threading.Event) -> None:
    over.wait()


def _silent_after_headers(conn: socket.socket, over: threading.Event) -> None:
    conn.sendall(SSE_HEAD)
    over.wait()


def _trickle(conn: socket.socket, over: threading.Event) -> None:
    conn.sendall(SSE_HEAD)
    while not over.wait(0.3):  # SSE comments: bytes keep coming, no reply ever does
        conn.sendall(_chunk(b": keep-alive\n\n"))


def _reset(conn: socket.socket, over: threading.Event) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()  # RST, not FIN


def _not_http(conn: socket.socket, over: threading.Event) -> None:
    conn.sendall(bytes(range(256)) * 4)
    conn.close()


def _broken_json(conn: socket.socket, over: threading.Event) -> None:
    conn.sendall(SSE_HEAD + _chunk(b'data: {"choices": [{"delta": {"content": "North\n\n'))
    conn.sendall(_chunk(b"data: \xff\xfe not json \x00\n\n") + _chunk(b"data: [DONE]\n\n"))
    conn.sendall(_chunk(b""))


def _gibberish(conn: socket.socket, over: threading.Event) -> None:
    conn.sendall(SSE_HEAD)
    for text in ("Blorp zxq 77 wibble [¶3 ", '"no such words"]. ', "Flim flam [¶99]."):
        conn.sendall(_event(text))
    conn.sendall(_chunk(b"data: [DONE]\n\n") + _chunk(b""))


def _dies_mid_stream(conn: socket.socket, over: threading.Event) -> None:
    conn.sendall(SSE_HEAD + _event("North Korea shipped ") + _event("1,000 containers"))
    conn.sendall(b"2000\r\ndata: {")  # a chunk promised, a few bytes of it sent, then gone
    conn.close()


FAULTS: dict[str, tuple[Callable[[socket.socket, threading.Event], None], str]] = {
    # name: (behaviour, what the note must say)
    "hangs": (_hang, "TimeoutError: Request timed out"),
    "hangs after the headers": (_silent_after_headers, "TimeoutError: Request timed out"),
    "trickles keep-alives": (_trickle, "no complete reply within 10 s"),
    "resets the connection": (_reset, "ConnectionError: Connection error"),
    "answers with bytes, not HTTP": (_not_http, "ConnectionError: Connection error"),
    "streams broken JSON": (_broken_json, "failed ("),
    "streams gibberish": (_gibberish, "nothing the model said could be verified"),
    "dies mid-stream": (_dies_mid_stream, "ConnectionError: Connection error"),
}


class ScriptedServer:
    """A TCP server on 127.0.0.1: reads each HTTP request whole, then runs `behaviour`."""

    def __init__(self, behaviour: Callable[[socket.socket, threading.Event], None]) -> None:
        self.behaviour = behaviour
        self.over = threading.Event()
        self.requests = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/v1"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.over.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(
                (int(line.split(b":")[1]) for line in head.split(b"\r\n")
                 if line.lower().startswith(b"content-length:")), 0,
            )  # fmt: skip
            while len(body) < length:
                body += conn.recv(65536)
            self.requests += 1
            with contextlib.suppress(OSError):  # the client gave up first
                self.behaviour(conn, self.over)

    def close(self) -> None:
        self.over.set()
        self.listener.close()


@pytest.fixture(params=list(FAULTS), ids=list(FAULTS))
def fault(request: pytest.FixtureRequest) -> Iterator[tuple[ScriptedServer, str]]:
    behaviour, note = FAULTS[request.param]
    server = ScriptedServer(behaviour)
    yield server, note
    server.close()


def finishes(call: Callable[[], Any]) -> Any:
    """`call()`, failing the test if it is still running after HANG_GUARD seconds."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = call()
        except BaseException as e:
            box["error"] = e

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), f"still running after {HANG_GUARD:.0f} s: a hang"
    if "error" in box:
        raise box["error"]
    return box["value"]


def test_the_engine_falls_back_with_a_note(bot, fault: tuple[ScriptedServer, str]) -> None:  # noqa: ANN001
    server, note = fault
    backend = make_backend("openai:scripted", base_url=server.url, timeout=READ_TIMEOUT)
    result = finishes(lambda: bot.ask_llm(Q, backend))
    assert server.requests == 1
    assert result.fell_back and note in (result.note or "")
    assert result.note.endswith("showing the extractive answer")
    assert result.answer == bot.ask(Q)


def test_the_web_app_chat_falls_back_with_a_note(bot, fault: tuple[ScriptedServer, str]) -> None:  # noqa: ANN001
    from bot.app.render import answer_html
    from bot.app.tabs.chat import _responder

    server, note = fault
    backend = make_backend("openai:scripted", base_url=server.url, timeout=READ_TIMEOUT)
    respond = _responder(bot, backend)
    updates = finishes(lambda: list(respond(Q, [], bot.default_article(), [], None, None)))
    chat, _, page, turns, _, _ = updates[-1]
    final = chat[-1]["content"]
    assert answer_html(bot.ask(Q)) in final  # the extractive answer, as the app renders it
    assert note.replace('"', "&quot;") in final and 'class="bb-note"' in final
    assert "Traceback" not in final and len(turns) == 1 and "bb-p12" in page


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("llm-faults") / "home"
    assert main(["--home", str(folder), "list"]) == 0  # the default article, indexed once
    return folder


def test_the_cli_falls_back_with_a_note(
    bot,  # noqa: ANN001
    home: Path,
    fault: tuple[ScriptedServer, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, note = fault
    monkeypatch.setenv("BRIEFBOT_LLM_TIMEOUT", str(READ_TIMEOUT))
    argv = ["--home", str(home), "ask", Q, "--llm", "openai:scripted", "--llm-base-url"]
    capsys.readouterr()
    code = finishes(lambda: main([*argv, server.url]))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() == format_answer(bot.ask(Q))  # the extractive answer, as printed
    assert "Traceback" not in err
    notes = [line for line in err.splitlines() if note in line]
    assert len(notes) == 1 and notes[0].endswith("showing the extractive answer"), err


def test_a_briefbot_process_with_a_hung_backend_answers_and_exits(bot, tmp_path: Path) -> None:  # noqa: ANN001
    """The whole program, not just the engine: a real `briefbot ask` process whose backend
    trickles keep-alives forever still prints the extractive answer and exits 0."""
    server = ScriptedServer(_trickle)
    try:
        started = time.monotonic()
        done = run_briefbot(
            "ask", Q, "--llm", "openai:scripted", "--llm-base-url", server.url,
            home=tmp_path / "home", timeout=HANG_GUARD * 3, BRIEFBOT_LLM_TIMEOUT="2",
        )  # fmt: skip
        print(f"briefbot ask with a trickling backend: {time.monotonic() - started:.1f} s")
    finally:
        server.close()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == format_answer(bot.ask(Q))
    assert "no complete reply within 10 s" in done.stderr and "Traceback" not in done.stderr
