"""`python -m bot.dev.bench_ui`: how soon an answer starts to show in a real browser.

Starts `briefbot serve` on a free loopback port (a scratch data folder, the packaged article),
drives Debian's Chromium through Playwright (a test dependency), asks the warm app a set of
questions about the seed article and times, from the click on "Ask":
- first words: the first text of the reply in the chat;
- cited: the reply's citation marker.
The floor, measured in the same run: a chat event that runs no model (the "Clear the
conversation" button, click to cleared chat) plus the same question answered in this process
(`Briefbot.chat`, warm), i.e. what the browser round trip and the answering cost on their own.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
QUESTIONS = (
    "How many North Korean troops does the U.S. think are in Russia?",
    "Who is Lloyd Austin?",
    "Where are the troops heading?",
    "What did Kim Yong-hyun say?",
    "How many containers did North Korea ship?",
    "What uniforms are the troops wearing?",
)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 300) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit("bench_ui: the server stopped before it answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 (loopback only)
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"bench_ui: no answer from {url} after {timeout:.0f} s")


def _ms(values: list[float]) -> float:
    return 1000 * statistics.median(values)


def _time_question(page: Any, question: str) -> tuple[float, float]:
    """(first words, cited) in seconds for one question asked in the browser."""
    before = page.locator("#bb-chat .bot").count()
    page.fill("#bb-question textarea", question)
    started = time.perf_counter()
    page.click("#bb-ask")
    page.wait_for_function(
        "n => { const m = document.querySelectorAll('#bb-chat .bot');"
        " return m.length > n && m[m.length - 1].innerText.trim().length > 0; }",
        arg=before,
        timeout=60_000,
    )
    first = time.perf_counter() - started
    page.wait_for_function(
        "!document.querySelector('#bb-chat .pending, #bb-chat .generating')", timeout=60_000
    )
    page.wait_for_function(
        "n => document.querySelectorAll('#bb-chat .bot').length > n", arg=before, timeout=60_000
    )
    return first, time.perf_counter() - started


def _time_clear(page: Any) -> float:
    started = time.perf_counter()
    page.click("#bb-clear")
    page.wait_for_function("document.querySelectorAll('#bb-chat .bot').length === 0")
    return time.perf_counter() - started


def run(rounds: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from bot.app.engine import Briefbot
    from bot.app.settings import Settings

    home = Path(tempfile.mkdtemp(prefix="briefbot-bench-ui-"))
    url = f"http://127.0.0.1:{_port()}/"
    env = {**os.environ, "BRIEFBOT_HOME": str(home)}
    cmd = [sys.executable, "-m", "bot.app.cli", "serve", "--port", url.rsplit(":", 1)[1][:-1]]
    with (home / "serve.log").open("wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(url, proc)
        firsts, cited, clears = [], [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            page.wait_for_selector("#bb-question textarea", timeout=120_000)
            _time_question(page, QUESTIONS[0])  # warm: the reader and caches load here
            _time_clear(page)
            for _ in range(rounds):
                for q in QUESTIONS:
                    first, done = _time_question(page, q)
                    firsts.append(first)
                    cited.append(done)
                    clears.append(_time_clear(page))
            browser.close()
        bot = Briefbot(Settings(home=home / "in-process"))
        bot.chat(QUESTIONS[0])  # warm
        answering = []
        for _ in range(rounds):
            for q in QUESTIONS:
                t = time.perf_counter()
                bot.chat(q)
                answering.append(time.perf_counter() - t)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    floor = _ms(clears) + _ms(answering)
    return {
        "questions": len(firsts),
        "first_words_p50_ms": _ms(firsts),
        "first_words_max_ms": 1000 * max(firsts),
        "cited_p50_ms": _ms(cited),
        "no_model_event_p50_ms": _ms(clears),
        "answer_in_process_p50_ms": _ms(answering),
        "floor_ms": floor,
        "first_words_ratio": _ms(firsts) / floor,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dev.bench_ui", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"bench_ui: {CHROMIUM} is missing (Debian's chromium package)", file=sys.stderr)
        return 2
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("bench_ui: needs Playwright (pip install -e '.[test]')", file=sys.stderr)
        return 2
    m = run(args.rounds)
    print(f"{m['questions']} questions in Chromium, warm")
    print(
        f"first words p50 {m['first_words_p50_ms']:.0f} ms (max {m['first_words_max_ms']:.0f} ms)"
        f" = {m['first_words_ratio']:.2f}x floor {m['floor_ms']:.0f} ms"
        f" (no-model event {m['no_model_event_p50_ms']:.0f} ms"
        f" + answer in process {m['answer_in_process_p50_ms']:.0f} ms)"
    )
    print(f"cited reply p50 {m['cited_p50_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
