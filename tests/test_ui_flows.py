"""The web app's conversation flows in real Chromium (Playwright) against a `briefbot serve`
process with two articles: a follow-up and an overview in the chat, a quiz in the chat that
survives a reload, citation clicks in every tab, switching the article, a phone viewport, and
an accessibility pass with axe-core. Screenshots go to tests/artifacts/; with
BRIEFBOT_DOCS_SCREENSHOTS=1 also to docs/ (the ones README shows)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import briefbot_cmd, briefbot_env, serving

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
NEWS = ROOT.parent / "shared" / "news"
OTHER = "tech-102.txt"  # a TUNE-split BBC story ("Blogger grounded by her airline")
OTHER_NAME = "blogger-grounded"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _shot(page: Any, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("BRIEFBOT_DOCS_SCREENSHOTS") == "1":
        shutil.copy(path, ROOT / "docs" / f"screenshot-{name}.png")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (NEWS / OTHER).exists():
        pytest.skip(f"{NEWS / OTHER} is missing (the project's shared data)")
    home = tmp_path_factory.mktemp("ui-flows-home")
    env = briefbot_env(home)
    subprocess.run(briefbot_cmd("list"), env=env, check=True, capture_output=True, timeout=300)
    subprocess.run(
        briefbot_cmd("add", str(NEWS / OTHER), "--name", OTHER_NAME),
        env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    with serving(home, env) as (address, _):
        yield address


def _open(browser: Any, url: str, viewport: dict[str, int] = DESKTOP) -> tuple[Any, Any]:
    """A fresh browser context (its own localStorage) and a page with the app loaded."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#bb-question textarea", timeout=60_000)
    page.wait_for_selector("#bb-evidence .bb-passage", timeout=30_000)
    return context, page


def _bot_messages(page: Any) -> Any:
    return page.locator("#bb-chat .bot")


def _say(page: Any, text: str, until: str) -> str:
    """Type a message, send it, wait until the newest bot message contains `until` and the
    event is over; returns that message's text."""
    before = _bot_messages(page).count()
    page.fill("#bb-question textarea", text)
    page.click("#bb-ask")
    page.wait_for_function(
        """([n, until]) => {
            const m = document.querySelectorAll('#bb-chat .bot');
            return m.length > n && m[m.length - 1].innerText.includes(until);
        }""",
        arg=[before, until],
        timeout=30_000,
    )
    page.wait_for_function("!document.querySelector('#bb-chat .pending, #bb-chat .generating')")
    page.wait_for_timeout(300)
    return str(_bot_messages(page).last.inner_text())


def _wait_text(page: Any, selector: str, text: str, timeout: float = 30_000) -> None:
    page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); return !!e && e.innerText.includes(t); }",
        arg=[selector, text],
        timeout=timeout,
    )


def _article_text(page: Any, panel: str) -> str:
    return " ".join(page.inner_text(f"{panel} .bb-article").split())


def _click_cite_and_check(page: Any, cite: Any, panel: str, prefix: str) -> None:
    """Clicking a marker outlines its passage in this tab's article panel, which holds the
    marker's quote (its title), highlighted."""
    number = cite.get_attribute("href").removeprefix("#bb-p")
    quote = " ".join(cite.get_attribute("title").split())
    cite.click()
    focused = page.locator(f"{panel} .bb-focus")
    focused.wait_for(timeout=5_000)
    assert focused.get_attribute("id") == f"{prefix}-p{number}"
    assert quote in " ".join(focused.inner_text().split())
    box, view = focused.bounding_box(), page.locator(f"{panel} .bb-article").bounding_box()
    assert box["y"] < view["y"] + view["height"] and box["y"] + box["height"] > view["y"]


def test_follow_up_and_overview_in_the_chat(url: str, browser: Any) -> None:
    context, page = _open(browser, url)
    _say(page, "What did Austin say about combat?", "[¶")
    reply = _say(page, "Who is he?", "Reading this as")
    assert (
        "Lloyd Austin" in reply and "Defense Secretary" in reply
    )  # ¶1: "Defense Secretary Lloyd Austin"
    overview = _say(page, "What is this article about?", "[¶")
    cites = _bot_messages(page).last.locator("a.bb-cite")
    assert cites.count() >= 2 and "doesn't say" not in overview
    article = _article_text(page, "#bb-evidence")
    for i in range(cites.count()):
        assert " ".join(cites.nth(i).get_attribute("title").split()) in article
    typed = "**What did China say?** _really_"
    _say(page, typed, "doesn't say")
    assert typed in page.inner_text("#bb-chat")  # Markdown shown as typed, not rendered
    _say(page, "Who is he?", "Reading this as")
    _click_cite_and_check(
        page, _bot_messages(page).last.locator("a.bb-cite").first, "#bb-evidence", "bb"
    )
    _shot(page, "chat")
    context.close()


def test_quiz_in_the_chat_survives_a_reload(url: str, browser: Any) -> None:
    context, page = _open(browser, url)
    first = _say(page, "Quiz me", "Question 1 of 3")
    assert "Question 2" not in first
    graded = _say(page, "b", "Question 2 of 3")
    assert ("✓ Right" in graded) != ("Not quite" in graded)
    last = _bot_messages(page).last
    quote = " ".join(last.locator("blockquote").first.inner_text().split())
    cite = last.locator("blockquote a.bb-cite").first
    assert quote.endswith(cite.inner_text())
    _click_cite_and_check(page, cite, "#bb-evidence", "bb")
    _shot(page, "chat-quiz")

    page.reload()
    _wait_text(page, "#bb-chat", "Question 2 of 3")
    assert "Quiz me" in page.inner_text("#bb-chat")
    after = _say(page, "skip", "Question 3 of 3")  # still the same quiz, one further
    assert "Not quite" in after
    context.close()

    other, fresh = _open(browser, url)  # another browser: its own, empty conversation
    fresh.wait_for_timeout(1_000)
    assert "Quiz me" not in fresh.inner_text("#bb-chat")
    other.close()


def test_citation_clicks_open_the_passage_in_each_tab(url: str, browser: Any) -> None:
    context, page = _open(browser, url)
    page.get_by_role("tab", name="Briefing").click()
    page.wait_for_selector("#bb-brief a.bb-cite", timeout=15_000)
    cites = page.locator("#bb-brief a.bb-cite")
    _click_cite_and_check(page, cites.nth(cites.count() // 2), "#bb-brief-article", "bb-br")
    _shot(page, "briefing")

    page.get_by_role("tab", name="Quiz").click()
    names = ["multiple choice", "true/false", "who said it", "numbers", "fill in the blank"]
    assert page.locator("#bb-types label").all_inner_texts() == names  # plain language
    assert "seed" not in page.locator("body").inner_text().lower()  # not on the first screen
    for name in names:
        page.get_by_label(name, exact=True).uncheck()
    page.click("#bb-make-quiz")
    _wait_text(page, "#bb-result", "choose at least one question type")
    assert not page.locator("#bb-submit").is_visible()
    for name in names:
        page.get_by_label(name, exact=True).check()
    page.click("#bb-make-quiz")
    page.wait_for_selector("#bb-submit", state="visible", timeout=15_000)
    page.click("#bb-submit")  # nothing answered: every question is a miss, with its quote
    page.wait_for_selector("#bb-result a.bb-cite", timeout=15_000)
    cite = page.locator("#bb-result a.bb-cite").last
    _click_cite_and_check(page, cite, "#bb-quiz-article", "bb-qz")
    marked = page.locator("#bb-quiz-article .bb-focus mark").all_inner_texts()
    assert " ".join(cite.get_attribute("title").split()) in [" ".join(m.split()) for m in marked]
    _shot(page, "quiz")
    asked = page.locator("#bb-result .bb-asked").all_inner_texts()
    body = page.inner_text("body")
    assert len(asked) == 5 and all(body.count(q) >= 2 for q in asked)  # repeated with its result
    assert page.inner_text("#bb-result").count("✗ wrong") == 5
    page.click("#bb-again")  # try again: the same questions, answers and results cleared
    page.wait_for_function("!document.querySelector('#bb-result .bb-asked')", timeout=15_000)
    assert not page.locator("#bb-again").is_visible() and page.locator("#bb-submit").is_visible()
    assert all(q in page.inner_text("body") for q in asked)
    context.close()


def _choose(page: Any, name: str) -> None:
    page.get_by_role("tab", name="Sources").click()
    page.locator("#bb-chooser input").click()
    page.get_by_role("option", name=name).click()


def test_switching_the_article_refreshes_every_tab(url: str, browser: Any) -> None:
    context, page = _open(browser, url)
    _say(page, "How many containers did North Korea ship?", "1,000")
    korea_suggested = page.locator(".bb-suggest").all_inner_texts()
    _choose(page, OTHER_NAME)
    _wait_text(page, "#bb-header", "Blogger grounded")
    story = " ".join((NEWS / OTHER).read_text(encoding="utf-8").split())
    page.get_by_role("tab", name="Chat").click()
    page.wait_for_selector("#bb-evidence .bb-passage", timeout=15_000)
    assert _bot_messages(page).count() == 0  # a new conversation for this article
    assert "airline" in _article_text(page, "#bb-evidence")
    suggested = [t for t in page.locator(".bb-suggest").all_inner_texts() if t]
    assert suggested and not set(suggested) & set(korea_suggested)
    before = _bot_messages(page).count()
    page.locator(".bb-suggest").first.click()  # a suggested question is asked when clicked
    page.wait_for_function(
        "n => document.querySelectorAll('#bb-chat .bot').length > n", arg=before, timeout=30_000
    )
    page.wait_for_selector("#bb-chat .bot a.bb-cite", timeout=30_000)
    quote = page.locator("#bb-chat .bot a.bb-cite").first.get_attribute("title")
    assert " ".join(quote.split()) in story
    assert suggested[0] in page.inner_text("#bb-chat")
    _shot(page, "switch")

    page.get_by_role("tab", name="Briefing").click()
    page.wait_for_selector("#bb-brief h2", timeout=15_000)
    assert "Lloyd Austin" not in page.inner_text("#bb-brief")
    assert "airline" in _article_text(page, "#bb-brief-article")
    page.get_by_role("tab", name="Quiz").click()
    assert "airline" in _article_text(page, "#bb-quiz-article")

    _choose(page, "north-korean-troops-in-russian-uniforms")
    _wait_text(page, "#bb-header", "North Korean")
    page.get_by_role("tab", name="Chat").click()
    _wait_text(page, "#bb-chat", "containers")  # the conversation with this article comes back
    context.close()


def test_a_phone_viewport(url: str, browser: Any) -> None:
    context, page = _open(browser, url, PHONE)
    _say(page, "How many North Korean troops does the U.S. think are in Russia?", "10,000")
    cite = _bot_messages(page).last.locator("a.bb-cite").first
    cite.scroll_into_view_if_needed()
    y = page.evaluate("window.scrollY")
    _click_cite_and_check(page, cite, "#bb-evidence", "bb")
    assert page.evaluate("window.scrollY") != y  # the passage, below the chat, comes into view
    box = page.locator("#bb-evidence .bb-focus").bounding_box()
    assert 0 <= box["y"] < PHONE["height"]
    _shot(page, "phone")
    page.click("#bb-back")  # and the way back to the answer
    page.wait_for_timeout(500)
    mark = cite.bounding_box()
    assert 0 <= mark["y"] < PHONE["height"] and not page.locator("#bb-back").is_visible()
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll('button, a.bb-cite, [role=tab]'))
            .filter(e => e.offsetParent !== null)
            .map(e => [e.getBoundingClientRect(), (e.innerText || e.getAttribute('aria-label')
                       || e.className).trim().slice(0, 40)])
            .filter(([r]) => r.width < 44 || r.height < 44).map(([r, name]) =>
                `${name}: ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )
    assert small == [], small  # touch targets of at least 44 x 44 px
    context.close()


def _axe(page: Any, where: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_timeout(500)
    result = Axe().run(page)
    print(where, result.generate_report() if result.violations_count else "no violations")
    return [f"{where}: {v['id']} ({len(v['nodes'])})" for v in result.response["violations"]]


def test_accessibility_pass_with_axe_core(url: str, browser: Any) -> None:
    context, page = _open(browser, url)
    found = []
    _say(page, "How many North Korean troops does the U.S. think are in Russia?", "10,000")
    _say(page, "Quiz me", "Question 1 of 3")
    found += _axe(page, "chat")
    page.get_by_role("tab", name="Quiz").click()
    page.click("#bb-make-quiz")
    page.wait_for_selector("#bb-submit", state="visible", timeout=15_000)
    page.click("#bb-submit")
    page.wait_for_selector("#bb-score", timeout=15_000)
    found += _axe(page, "quiz")
    for tab in ("Briefing", "Sources"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_selector(f"#{'bb-brief' if tab == 'Briefing' else 'bb-source'} .bb-cite, "
                               "#bb-source .bb-passage", timeout=15_000)  # fmt: skip
        found += _axe(page, tab.lower())
    page.set_viewport_size(PHONE)
    page.get_by_role("tab", name="Chat").click()
    page.wait_for_selector("#bb-chat a.bb-cite", timeout=15_000)
    found += _axe(page, "chat on a phone")
    assert found == [], found
    context.close()


def test_markers_have_an_accessible_name_and_look_like_links(url: str, browser: Any) -> None:
    context, page = _open(browser, url)
    _say(page, "How many containers did North Korea ship?", "1,000")
    cite = _bot_messages(page).last.locator("a.bb-cite").first
    style = cite.evaluate(
        "e => [getComputedStyle(e).textDecorationLine, getComputedStyle(e).cursor]"
    )
    assert style == ["underline", "pointer"]
    snapshot = page.locator("#bb-chat").aria_snapshot()
    assert re.search(r'link "\[¶12\]"', snapshot), snapshot
    context.close()


def test_sources_show_titles_can_be_removed_and_the_chat_can_search_several(
    url: str, browser: Any
) -> None:
    context, page = _open(browser, url)
    page.get_by_role("tab", name="Sources").click()
    page.locator("#bb-chooser input").click()
    options = page.get_by_role("option").all_inner_texts()
    assert any("Blogger grounded by her airline" in o for o in options)  # the headline
    assert any("North Korean troops in Russian uniforms" in o for o in options)
    page.keyboard.press("Escape")

    # several articles at once: the seed story is active, the blogger story searched too
    page.get_by_role("tab", name="Chat").click()
    page.locator("#bb-also input").click()
    page.get_by_role("option", name=OTHER_NAME).click()
    page.keyboard.press("Escape")
    reply = _say(page, "Which airline suspended the attendant?", "Delta")
    quote = page.locator("#bb-chat .bot a.bb-cite").last.get_attribute("title")
    story = " ".join((NEWS / OTHER).read_text(encoding="utf-8").split())
    assert " ".join(quote.split()) in story and "Delta" in reply
    assert "suspended" in _article_text(page, "#bb-evidence")  # the answering story beside it

    # an added article is removed in two clicks; the packaged one becomes active again
    page.get_by_role("tab", name="Sources").click()
    page.click("#bb-add-box button")
    page.locator("#bb-upload input[type=file]").set_input_files(str(NEWS / "sport-101.txt"))
    page.wait_for_timeout(500)
    page.click("#bb-add")
    _wait_text(page, "#bb-add-status", "Added", timeout=60_000)
    _wait_text(page, "#bb-header", "Man City")
    page.click("#bb-remove")
    _wait_text(page, "#bb-add-status", "Click again")
    assert "Man City" in page.inner_text("#bb-header")  # nothing removed yet
    page.click("#bb-remove")
    _wait_text(page, "#bb-add-status", "Removed")
    _wait_text(page, "#bb-header", "North Korean")
    page.locator("#bb-chooser input").click()
    options = page.get_by_role("option").all_inner_texts()
    assert options and not any("Man City" in o for o in options)
    context.close()
