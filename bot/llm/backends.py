"""Optional generative backends. One small protocol; LangChain chat models behind it
(ChatOpenAI for OpenAI and any OpenAI-compatible server, ChatOllama), and llama-cpp-python for a
local GGUF file. Everything is imported lazily: none of it is needed for the default,
extractive mode."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any, Protocol

DEFAULT_TIMEOUT = 60.0
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
    """Any LangChain chat model. Calls are serialised: one model, one request at a time."""

    def __init__(self, model: Any, name: str, context_tokens: int = CONTEXT_TOKENS) -> None:
        self.model = model
        self.name = name
        self.context_tokens = context_tokens
        self._lock = threading.Lock()

    def stream(self, system: str, user: str) -> Iterator[str]:
        from langchain_core.messages import HumanMessage, SystemMessage

        with self._lock:
            yield from _capped(
                _text(chunk.content)
                for chunk in self.model.stream([SystemMessage(system), HumanMessage(user)])
            )


class LlamaCppBackend:
    """A local GGUF model through llama-cpp-python; one lock around the (not thread-safe) model."""

    def __init__(self, path: str, context_tokens: int = CONTEXT_TOKENS) -> None:
        if not os.path.isfile(path):
            raise LLMError(f"no model file at {path}")
        try:
            from llama_cpp import Llama
        except ImportError as e:
            raise LLMError("llama.cpp backend needs: pip install 'briefbot[llamacpp]'") from e
        self.name = f"llamacpp:{os.path.basename(path)}"
        self.context_tokens = context_tokens
        self._llama: Any = Llama(model_path=path, n_ctx=context_tokens, verbose=False)
        self._lock = threading.Lock()

    def stream(self, system: str, user: str) -> Iterator[str]:
        with self._lock:
            messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
            parts = self._llama.create_chat_completion(
                messages=messages, stream=True, max_tokens=REPLY_TOKENS, temperature=0
            )
            yield from _capped(
                str(p["choices"][0].get("delta", {}).get("content") or "") for p in parts
            )


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
        return LangChainBackend(model, spec)
    if kind == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as e:
            raise LLMError("Ollama backend needs: pip install 'briefbot[ollama]'") from e
        model = ChatOllama(model=target, base_url=base_url, num_ctx=CONTEXT_TOKENS, temperature=0)
        return LangChainBackend(model, spec)
    if kind == "llamacpp":
        return LlamaCppBackend(target)
    raise LLMError(f"unknown backend {kind!r}: use openai, ollama or llamacpp")
