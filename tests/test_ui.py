"""The web app, for real: a `briefbot serve` process on a free loopback port, driven through
gradio_client and through Debian's Chromium (Playwright). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import briefbot_cmd, briefbot_env, http_status, serving, timed

ARTIFACTS = Path(__file__).parent / "artifacts"


class Server:
    def __init__(self, url: str, home: Path, ready_s: float, cold_ask_s: float) -> None:
        self.url, self.home, self.ready_s, self.cold_ask_s = url, home, ready_s, cold_ask_s


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("ui-home")
    env = briefbot_env(home)
    # Index first, so the server's start and the cold ask are measured on the same footing.
    subprocess.run(briefbot_cmd("list"), env=env, check=True, capture_output=True, timeout=300)
    cold_ask = timed(
        lambda: subprocess.run(
            briefbot_cmd("ask", "How many containers did North Korea ship?"),
            env=env, check=True, capture_output=True, timeout=300,
        )
    )  # fmt: skip
    with serving(home, env) as (url, ready):
        yield Server(url, home, ready, cold_ask)


def test_server_is_ready_soon_after_a_cold_ask(server: Server) -> None:
    ratio = server.ready_s / server.cold_ask_s
    print(f"ready {server.ready_s:.2f} s, cold ask {server.cold_ask_s:.2f} s, {ratio:.2f}x")
    assert ratio > 0  # timing is judged in BENCHMARKS.md (target 2x), not in a unit test


def test_api_returns_the_cli_json_shapes(server: Server) -> None:
    from gradio_client import Client

    client = Client(server.url, verbose=False)
    answer = client.predict("How many containers did North Korea ship?", "", api_name="/ask")
    assert set(answer) == {"question", "answer", "short_answer", "abstained", "citations"}
    assert answer["short_answer"] == "1,000" and answer["citations"][0]["passage"] == "¶12"
    assert "empty" in client.predict("", "", api_name="/ask")["error"]
    quiz = client.predict(4, 2, "mcq,tf", "mixed", "", api_name="/quiz")
    assert quiz["seed"] == 2 and len(quiz["questions"]) == 4
    assert (
        "unknown question type"
        in client.predict(4, 2, "essay", "mixed", "", api_name="/quiz")["error"]
    )
    brief = client.predict("", api_name="/brief")
    assert brief["whos_who"] and brief["suggested_questions"]


def test_the_data_directory_is_not_served(server: Server) -> None:
    database = next(server.home.rglob("chroma.sqlite3"))
    for path in (database, server.home / "articles", Path("/etc/passwd")):
        assert http_status(f"{server.url}gradio_api/file={path}") in (403, 404)


def test_rendered_article_text_cannot_inject_html() -> None:
    from bot.app.render import answer_html
    from bot.qa.answer import Answer
    from bot.qa.citations import Citation

    text = 'Click <img src="http://127.0.0.1/x.png"> <script>alert(1)</script> now.'
    c = Citation("¶1", text, text, 0, len(text))
    rendered = answer_html(Answer("q", text, None, False, (c,)))
    assert "<img" not in rendered and "<script" not in rendered
    assert "&lt;script&gt;" in rendered


def test_chat_cites_and_highlights_in_a_real_browser(server: Server, browser) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server.url)
    page.wait_for_selector("#bb-question textarea", timeout=60_000)
    page.fill(
        "#bb-question textarea", "How many North Korean troops does the U.S. think are in Russia?"
    )
    started = time.perf_counter()
    page.click("#bb-ask")
    page.wait_for_selector("#bb-chat a[href='#bb-p9']", timeout=15_000)
    took = time.perf_counter() - started
    print(f"answer in the browser after {took:.2f} s")
    # target 1 s warm: judged in BENCHMARKS.md from the printed figure, not here
    assert "about 10,000" in page.inner_text("#bb-chat")
    page.click("#bb-chat a[href='#bb-p9']")
    highlighted = page.locator("#bb-evidence #bb-p9 mark").inner_text()
    assert (
        highlighted
        == "The U.S. has estimated there are about 10,000 North Korean troops now in Russia."
    )
    page.screenshot(path=str(ARTIFACTS / "chat-1280.png"))
    page.fill("#bb-question textarea", "What did China say?")
    page.click("#bb-ask")
    page.wait_for_function("document.querySelector('#bb-chat').innerText.includes(\"doesn't say\")")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "chat-390.png"), full_page=True)
    page.close()


def test_quiz_and_briefing_in_a_real_browser(server: Server, browser) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server.url)
    page.get_by_role("tab", name="Quiz").click()
    page.click("#bb-make-quiz")
    page.wait_for_selector("#bb-submit", state="visible", timeout=15_000)
    for i in range(5):  # choose the first option, or type an answer to a fill-in question
        options = page.locator(f"#bb-q{i} label")
        if options.count() and options.first.is_visible():
            options.first.click()
        else:
            page.fill(f"#bb-t{i} textarea", "Russia")
    page.click("#bb-submit")
    page.wait_for_selector("#bb-score", timeout=15_000)
    score = page.inner_text("#bb-score")
    assert score.startswith("Score: ") and score.endswith("/5")
    page.screenshot(path=str(ARTIFACTS / "quiz-1280.png"), full_page=True)
    page.get_by_role("tab", name="Briefing").click()
    page.wait_for_selector("#bb-brief h2", timeout=15_000)
    assert "Lloyd Austin: Defense Secretary" in page.inner_text("#bb-brief")
    page.screenshot(path=str(ARTIFACTS / "briefing-1280.png"), full_page=True)
    page.get_by_role("tab", name="Sources").click()
    assert "Tara Copp" in page.inner_text("#bb-source")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "sources-390.png"))
    page.close()


def test_add_an_article_from_the_sources_tab(server: Server, browser, tmp_path: Path) -> None:  # noqa: ANN001
    page_file = tmp_path / "harbour.html"
    page_file.write_text(
        "<html><head><title>Harbour bridge opens</title></head><body><nav>Home | World</nav>"
        "<article><h1>Harbour bridge opens after five years</h1>"
        "<p>The new harbour bridge opened on Monday after five years of construction, city "
        "officials said.</p><p>Mayor Ellen Price cut the ribbon and said the crossing would "
        "halve travel times to the port.</p></article><footer>Subscribe</footer></body></html>",
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server.url)
    page.get_by_role("tab", name="Sources").click()
    page.click("#bb-add-box button")  # open the accordion
    page.fill("#bb-url textarea, #bb-url input", "http://10.0.0.1/news")
    page.click("#bb-add")
    page.wait_for_function(
        "document.querySelector('#bb-add-status').innerText.includes('refused')", timeout=30_000
    )
    page.fill("#bb-url textarea, #bb-url input", "")
    page.locator("#bb-upload input[type=file]").set_input_files(str(page_file))
    page.wait_for_timeout(500)
    page.click("#bb-add")
    page.wait_for_function(
        "document.querySelector('#bb-add-status').innerText.includes('Added')", timeout=60_000
    )
    page.wait_for_function(
        "document.querySelector('#bb-source').innerText.includes('Ellen Price')", timeout=30_000
    )
    assert "Subscribe" not in page.inner_text("#bb-source")
    assert "Harbour bridge opens" in page.inner_text("#bb-header")
    page.screenshot(path=str(ARTIFACTS / "sources-add-1280.png"), full_page=True)
    page.close()
