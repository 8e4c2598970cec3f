"""Shared fixtures. Every test gets its own data directory; the real models are loaded once
per session and shared (they are read-only)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app.engine import Briefbot
from bot.app.settings import Settings
from index.embed import MiniLMEmbedder


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "briefbot-home"
    monkeypatch.setenv("BRIEFBOT_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    return home


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Briefbot:
    """A real engine (MiniLM, spaCy, Chroma) with the default article indexed."""
    b = Briefbot(Settings(home=tmp_path_factory.mktemp("shared-home")), embedder=embedder)
    b.default_article()
    return b


ROOT = Path(__file__).resolve().parent.parent


# ---- helpers shared by the test files ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def briefbot_cmd(*args: str) -> list[str]:
    """`briefbot ARGS` run from this checkout (see `briefbot_env`), not an installed copy."""
    return [sys.executable, "-m", "bot.app.cli", *args]


def briefbot_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, PYTHONPATH=path, **extra)
    if home is not None:
        env["BRIEFBOT_HOME"] = str(home)
    return env


def run_briefbot(
    *args: str, home: Path, timeout: float = 600, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        briefbot_cmd(*args),
        capture_output=True,
        text=True,
        env=briefbot_env(home, **extra),
        timeout=timeout,
    )


def http_status(url: str, timeout: float = 5) -> int:
    """The status of a GET (0 when nothing answers)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except OSError:
        return 0


def wait_for_server(
    url: str, proc: subprocess.Popen[Any], timeout: float, log: Callable[[], str]
) -> float:
    """Wait until `url` answers 200; fail with the end of the log if `proc` exits or the time
    runs out. Returns the seconds it took."""
    started = time.perf_counter()
    while http_status(url, timeout=2) != 200:
        if proc.poll() is not None or time.perf_counter() - started > timeout:
            pytest.fail(f"server did not start:\n{log()[-2000:]}")
        time.sleep(0.3)
    return time.perf_counter() - started


@contextlib.contextmanager
def serving(home: Path, env: dict[str, str]) -> Iterator[tuple[str, float]]:
    """`briefbot serve` on a free loopback port with data in `home`: (its URL, seconds it took
    to answer); stopped on exit. Its output goes to home/serve.log."""
    url = f"http://127.0.0.1:{free_port()}/"
    log_path = home / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            briefbot_cmd("serve", "--port", url.rsplit(":", 1)[1].strip("/")),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield url, wait_for_server(url, proc, 180, lambda: log_path.read_text(errors="replace"))
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (no browser download: this runs offline)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium when run as root"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
