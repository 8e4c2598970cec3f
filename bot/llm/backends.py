"""Optional generative backends. One small protocol; LangChain chat models behind it
(ChatOpenAI for OpenAI and any OpenAI-compatible server, ChatOllama), and llama-cpp-python for a
local GGUF file. Everything is imported lazily: none of it is needed for the default,
extractive mode."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any, Protocol

DEFAULT_TIMEOUT = 60.0  # the longest wait for any one read from a server
REPLY_DEADLINE_FACTOR = 5  # a whole reply must be complete within 5 x that (300 s)
CONTEXT_TOKENS = 4096  # set explicitly everywhere: no backend may silently truncate
REPLY_TOKENS = 300
REPLY_CHARS = 2000  # a runaway model is cut off here whatever the server does with max tokens


class LLMError(RuntimeError):
    """A backend that cannot be used or did not answer; the message is for the user."""


class ChatBackend(Protocol):
    """Streams the reply to one system + user message pair."""

    name: str
    context_tokens: int

    def stream(self, system: str, user: str) -> Iterator[str]: ...


class LangChainBackend:
    """Any LangChain chat model. Calls are serialised: one model, one request at a time.
    A reply must be complete within `deadline` seconds, whatever the server sends meanwhile
    (a server that trickles keep-alives never trips a per-read timeout)."""

    def __init__(
        self,
        model: Any,
        name: str,
        context_tokens: int = CONTEXT_TOKENS,
        deadline: float = DEFAULT_TIMEOUT * REPLY_DEADLINE_FACTOR,
    ) -> None:
        self.model = model
        self.name = name
        self.context_tokens = context_tokens
        self.deadline = deadline
        self._lock = threading.Lock()

    def stream(self, system: str, user: str) -> Iterator[str]:
        from langchain_core.messages import HumanMessage, SystemMessage

        def pieces() -> Iterator[str]:
            for chunk in self.model.stream([SystemMessage(system), HumanMessage(user)]):
                yield _text(chunk.content)

        with self._lock:
            yield from _capped(_within(self.deadline, self.name, pieces()))


_DONE = object()


def _within(deadline: float, name: str, pieces: Iterator[str]) -> Iterator[str]:
    """`pieces`, read in a thread of its own, until `deadline` seconds have passed: then
    LLMError. The thread stops at its next piece once the reader has gone; a server that
    sends nothing at all keeps it waiting until the connection ends (its read timeout)."""
    out: queue.Queue[Any] = queue.Queue()
    stop = threading.Event()

    def produce() -> None:
        try:
            for piece in pieces:
                if stop.is_set():
                    break
                out.put(piece)
        except BaseException as e:  # handed to the reader
            out.put(e)
        finally:
            out.put(_DONE)
            close = getattr(pieces, "close", None)
            if close is not None:
                close()

    threading.Thread(target=produce, daemon=True, name=f"{name} reply").start()
    ends = time.monotonic() + deadline
    try:
        while True:
            try:
                item = out.get(timeout=max(ends - time.monotonic(), 0.0))
            except queue.Empty:
                raise LLMError(f"no complete reply within {deadline:.0f} s") from None
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


class LlamaCppBackend:
    """A local GGUF model through llama-cpp-python, run in a child process of its own.

    llama.cpp is native code: a build that uses an instruction this CPU lacks dies with SIGILL,
    and a crash in-process would take the web app (or the test run) down with it. Here only the
    child dies; `stream` raises LLMError naming the signal, the caller shows the extractive
    answer with that note, and the next request starts a fresh child. One request at a time
    (a lock): the model is not thread-safe and one model serves one request."""

    def __init__(
        self,
        path: str,
        context_tokens: int = CONTEXT_TOKENS,
        reply_timeout: float = DEFAULT_TIMEOUT * 5,
    ) -> None:
        if not os.path.isfile(path):
            raise LLMError(f"no model file at {path}")
        if importlib.util.find_spec("llama_cpp") is None:
            raise LLMError("llama.cpp backend needs: pip install 'briefbot[llamacpp]'")
        self.name = f"llamacpp:{os.path.basename(path)}"
        self.path = path
        self.context_tokens = context_tokens
        self.reply_timeout = reply_timeout
        self._lock = threading.Lock()
        self._proc: Any = None
        self._conn: Any = None
        with self._lock:
            self._start()  # a model that cannot load is reported now, not at the first question

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")  # no fork of a threaded parent
        parent, child = ctx.Pipe()
        proc = ctx.Process(
            target=_llama_worker, args=(self.path, self.context_tokens, child), daemon=True
        )
        proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        kind, value = self._receive(self.reply_timeout, "loading the model")
        if kind != "ready":
            self.close()
            raise LLMError(f"{self.name} could not load the model: {value}")

    def _receive(self, timeout: float, doing: str) -> tuple[str, str]:
        """The child's next message; LLMError when it died or went silent."""
        try:
            if self._conn.poll(timeout):
                kind, value = self._conn.recv()
                return str(kind), str(value)
        except (EOFError, OSError):
            pass
        else:
            self.close()
            raise LLMError(f"{self.name} sent nothing for {timeout:.0f} s while {doing}")
        self._proc.join(5)
        why = _death(self._proc.exitcode)
        self.close()
        raise LLMError(f"the llama.cpp process died while {doing} ({why})")

    def close(self) -> None:
        """Stop the child (a fresh one starts at the next request)."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is not None and proc.is_alive():
            proc.kill()
            proc.join(5)

    def stream(self, system: str, user: str) -> Iterator[str]:
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self.close()
                self._start()
            self._conn.send(("chat", system, user))
            ended = [False]
            try:
                yield from _capped(self._pieces(ended))
            finally:
                if not ended[0]:  # the reader stopped early (cap, client gone): stop the child
                    self._stop()

    def _pieces(self, ended: list[bool]) -> Iterator[str]:
        while True:
            kind, value = self._receive(self.reply_timeout, "writing a reply")
            if kind in ("end", "error"):
                ended[0] = True
                if kind == "error":
                    raise LLMError(value)
                return
            yield value

    def _stop(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.send(("stop", "", ""))
            while self._receive(30, "stopping")[0] not in ("end", "error"):
                pass
        except (LLMError, OSError):
            self.close()


def _death(exitcode: int | None) -> str:
    if exitcode is None or exitcode >= 0:
        return f"exit status {exitcode}"
    sig = signal.Signals(-exitcode)
    if sig is signal.SIGILL:
        return (
            "SIGILL: illegal instruction; this llama-cpp-python build uses CPU instructions "
            "this machine cannot run, rebuild it portably with `make setup`"
        )
    return f"{sig.name}: {signal.strsignal(sig) or 'killed'}"


def _llama_worker(path: str, context_tokens: int, conn: Any) -> None:
    """The child process: load the model, then answer ("chat", system, user) requests with
    ("piece", text)... ("end", ""), stopping early on ("stop", ...)."""
    try:
        from llama_cpp import Llama

        llama = Llama(model_path=path, n_ctx=context_tokens, verbose=False)
    except Exception as e:
        conn.send(("error", f"{type(e).__name__}: {str(e)[:200]}"))
        return
    conn.send(("ready", ""))
    while True:
        try:
            kind, system, user = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if kind != "chat":
            continue  # a stop that arrived after the reply had ended: nothing to stop
        try:
            messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
            parts: Any = llama.create_chat_completion(
                messages=messages,  # type: ignore[arg-type]
                stream=True,
                max_tokens=REPLY_TOKENS,
                temperature=0,
            )
            for part in parts:
                text = str(part["choices"][0].get("delta", {}).get("content") or "")
                if text:
                    conn.send(("piece", text))
                if conn.poll() and conn.recv()[0] == "stop":
                    break
            conn.send(("end", ""))
        except (BrokenPipeError, EOFError):
            return
        except Exception as e:
            conn.send(("error", f"{type(e).__name__}: {str(e)[:200]}"))


def _text(content: Any) -> str:
    return content if isinstance(content, str) else "".join(map(str, content))


def _capped(pieces: Iterator[str]) -> Iterator[str]:
    """Pass the pieces through until REPLY_CHARS; closing the stream early ends the request."""
    total = 0
    for piece in pieces:
        if not piece:
            continue
        yield piece[: REPLY_CHARS - total]
        total += len(piece)
        if total >= REPLY_CHARS:
            return


def make_backend(
    spec: str, base_url: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> ChatBackend:
    """`openai:MODEL`, `ollama:MODEL` or `llamacpp:/path/model.gguf`."""
    kind, _, target = spec.partition(":")
    if not target:
        raise LLMError(
            f"--llm {spec!r}: use openai:MODEL, ollama:MODEL or llamacpp:/path/model.gguf"
        )
    if kind == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as e:
            raise LLMError("OpenAI backend needs: pip install 'briefbot[openai]'") from e
        url = base_url or os.environ.get("OPENAI_BASE_URL")
        key = os.environ.get("OPENAI_API_KEY") or ("not-needed" if url else None)
        if key is None:
            raise LLMError(
                "set OPENAI_API_KEY, or --llm-base-url for a local OpenAI-compatible server"
            )
        options: dict[str, Any] = {
            "model": target,
            "base_url": url,
            "api_key": key,
            "timeout": timeout,
            "max_retries": 0,
            "temperature": 0,
            "max_completion_tokens": REPLY_TOKENS,
        }
        if url:  # local OpenAI-compatible servers (llama.cpp, vLLM, ...) read max_tokens
            options["extra_body"] = {"max_tokens": REPLY_TOKENS}
        model = ChatOpenAI(**options)
        return LangChainBackend(model, spec, deadline=timeout * REPLY_DEADLINE_FACTOR)
    if kind == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as e:
            raise LLMError("Ollama backend needs: pip install 'briefbot[ollama]'") from e
        model = ChatOllama(model=target, base_url=base_url, num_ctx=CONTEXT_TOKENS, temperature=0)
        return LangChainBackend(model, spec, deadline=timeout * REPLY_DEADLINE_FACTOR)
    if kind == "llamacpp":
        return LlamaCppBackend(target)
    raise LLMError(f"unknown backend {kind!r}: use openai, ollama or llamacpp")
