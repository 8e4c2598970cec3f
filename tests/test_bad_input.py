"""Bad input and untrusted routes (issue 15): each case gets one clear line of error (CLI:
status 2, or 70 for an internal invariant) and leaves the stored index exactly as it was.

"Exactly as it was" is checked without briefbot: the vectors' documents are read straight from
Chroma's SQLite file and the saved files (manifest, articles) are hashed."""

from __future__ import annotations

import dataclasses
import hashlib
import html.parser
import http.server
import ipaddress
import json
import os
import socket
import sqlite3
import subprocess
import threading
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import briefbot_cmd, briefbot_env, free_port, http_status, wait_for_server
from test_library import PAGE

from bot.app.cli import main
from bot.app.engine import Briefbot
from bot.app.settings import Settings
from index.fetch import FetchError, fetch

Q = "How many containers did North Korea ship?"


def store_snapshot(home: Path) -> dict[str, Any]:
    """What is stored, read without briefbot: every vector's collection, id and document from
    Chroma's SQLite file (read-only), and a hash of each saved file."""
    database = next(home.rglob("chroma.sqlite3"))
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        vectors = db.execute(
            "SELECT c.name, e.embedding_id, m.string_value FROM embeddings e "
            "JOIN segments s ON s.id = e.segment_id JOIN collections c ON c.id = s.collection "
            "JOIN embedding_metadata m ON m.id = e.id AND m.key = 'chroma:document' "
            "ORDER BY 1, 2"
        ).fetchall()
    saved = [home / "manifest.json", *sorted((home / "articles").glob("*.json"))]
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in saved}
    return {"vectors": vectors, "files": files}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the default article and one added page."""
    folder = tmp_path_factory.mktemp("bad-input")
    page = folder / "council.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["--home", str(folder / "home"), "list"]) == 0  # indexes the default article
    assert main(["--home", str(folder / "home"), "add", str(page)]) == 0
    snapshot = store_snapshot(folder / "home")
    assert len(snapshot["files"]) == 3 and len(snapshot["vectors"]) > 40
    return folder / "home"


def cli(capsys: pytest.CaptureFixture[str], home: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--home", str(home), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def refused(
    capsys: pytest.CaptureFixture[str], home: Path, argv: list[str], message: str, code: int = 2
) -> str:
    """Run `briefbot ARGV`; it must fail with `code`, print nothing on stdout and one error line
    on stderr holding `message`, no traceback, and leave the store as it was."""
    before = store_snapshot(home)
    got, out, err = cli(capsys, home, *argv)
    assert (got, out) == (code, ""), err
    errors = [line for line in err.splitlines() if "error" in line]  # progress lines aside
    assert len(errors) == 1 and message in errors[0], err
    assert "Traceback" not in err
    assert store_snapshot(home) == before
    return err


# ---- files ------------------------------------------------------------------------------------

TEXT = "The city council approved the budget on Monday after a long debate, officials said.\n"
BAD_FILES = [
    ("empty.txt", b"", "is empty"),
    ("blank.md", b" \n\t\n\n ", "is empty"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "looks like a binary file"),
    ("escapes.txt", b"\x1b[2J\x07\x08" * 200, "looks like a binary file"),
    ("tokyo.txt", ("東京都議会は月曜日に予算を承認した。" * 40).encode("shift_jis"), "not UTF-8"),
    ("moscow.txt", ("Городской совет утвердил бюджет. " * 40).encode("koi8-r"), "not UTF-8"),
    ("mainframe.txt", (TEXT * 20).encode("cp500"), "not UTF-8"),
    (
        "nav.html",
        b"<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body>",
        "no article text",
    ),  # fmt: skip
    ("chrome.txt", b"Home\nWorld\nSports\nSubscribe to our newsletter.\n", "no article text"),
    ("report.pdf", b"%PDF-1.4\n" + TEXT.encode(), "only .txt, .md and .html"),
]


@pytest.mark.parametrize(
    ("filename", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_bad_files_are_refused_with_one_line(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path, filename: str,
    content: bytes, message: str,
) -> None:  # fmt: skip
    path = tmp_path / filename
    path.write_bytes(content)
    refused(capsys, home, ["add", str(path)], message)


def test_a_50_mb_file_is_refused_unread(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.write(TEXT.encode())
        f.truncate(50_000_000)
    refused(capsys, home, ["add", str(path)], "is 50 MB; articles up to 5 MB are accepted")


def test_utf16_without_a_bom_and_utf8_declared_as_latin1_read_correctly(tmp_path: Path) -> None:
    from index.sources import read_article_file

    text = TEXT.replace("Monday", "Monday in Zoë's ward") * 3
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16-le"))
    assert "Zoë's ward" in read_article_file(tmp_path / "utf16.txt").body
    page = PAGE.replace("utf-8", "iso-8859-1").replace("Ann Lee", "Zoë Lee")
    (tmp_path / "page.html").write_bytes(page.encode("utf-8"))  # says latin-1, is UTF-8
    body = read_article_file(tmp_path / "page.html").body
    assert "Zoë Lee" in body and "Ã" not in body


def test_control_characters_in_an_article_are_removed(tmp_path: Path) -> None:
    from index.sources import read_article_file

    raw = (
        "Mayor Ann\x1b[31m Lee\x07 said the\x08 vote\u202e was close.\x0cShe thanked the council.\n"
    )
    article = read_article_file(_write(tmp_path / "ctl.txt", raw + TEXT * 10))
    assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in article.body)
    assert "Mayor Ann[31m Lee said the vote was close." in article.paragraphs


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- URLs: private addresses, also behind a redirect and a rebinding DNS answer ----------------

PUBLIC = "93.184.216.34"  # what the fake DNS says news.example.com is: a public address


class _Site(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []
    redirects = {
        "/to-private": "http://10.0.0.1/article",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/to-loopback": "http://127.0.0.1/article",
        "/to-router": "http://router.example.com/admin",
        "/to-ula": "http://[fd00::1]/article",
        "/to-file": "file:///etc/passwd",
    }

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(f"{self.headers['Host']}{self.path}")
        if self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.end_headers()
            return
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def network(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A stand-in for the internet: DNS says news.example.com is PUBLIC the first time it is
    asked and 127.0.0.1 after that (a rebinding attack), router.example.com is 192.168.1.1;
    connections to PUBLIC:80 are routed to a real HTTP server on loopback. Records every
    lookup and every address connected to."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log: dict[str, Any] = {"lookups": [], "connects": []}
    real_lookup, real_connect = socket.getaddrinfo, socket.create_connection

    def lookup(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_ip(host):
            log["lookups"].append(host)
        answers = {"router.example.com": "192.168.1.1"}
        if host == "news.example.com":
            address = PUBLIC if log["lookups"].count(host) == 1 else "127.0.0.1"
        elif host in answers:
            address = answers[host]
        else:
            return real_lookup(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        log["connects"].append(address)
        if address == (PUBLIC, 80):
            address = ("127.0.0.1", server.server_address[1])
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(socket, "create_connection", connect)
    monkeypatch.delenv("BRIEFBOT_ALLOW_LOOPBACK", raising=False)
    _Site.hits = []
    yield log
    server.shutdown()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def test_a_public_page_is_fetched_from_the_address_that_was_checked(
    network: dict[str, Any],
) -> None:
    page = fetch("http://news.example.com/article")
    assert b"Tom Hale" in page.data
    # One lookup, one connection, to the checked address; the rebinding answer never used.
    assert network["lookups"] == ["news.example.com"]
    assert network["connects"] == [(PUBLIC, 80)]
    assert _Site.hits == ["news.example.com/article"]


def test_dns_rebinding_cannot_reach_loopback(network: dict[str, Any]) -> None:
    fetch("http://news.example.com/article")  # first answer: public
    with pytest.raises(FetchError, match="127.0.0.1, a loopback address: refused"):
        fetch("http://news.example.com/article")  # now the name says 127.0.0.1
    assert network["connects"] == [(PUBLIC, 80)]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/to-private", "10.0.0.1, a private address: refused"),
        ("/to-metadata", "169.254.169.254, a link-local address: refused"),
        ("/to-loopback", "127.0.0.1, a loopback address: refused"),
        ("/to-router", "192.168.1.1, a private address: refused"),
        ("/to-ula", "fd00::1, a private address: refused"),
        ("/to-file", "only http and https"),
    ],
)
def test_a_redirect_from_a_public_page_to_a_private_address_is_refused(
    capsys: pytest.CaptureFixture[str], home: Path, network: dict[str, Any], path: str,
    message: str,
) -> None:  # fmt: skip
    refused(capsys, home, ["add", f"http://news.example.com{path}"], message)
    assert network["connects"] == [(PUBLIC, 80)]  # nothing else was ever connected to


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://10.0.0.1/news", "private address: refused"),
        ("http://169.254.169.254/latest/meta-data/", "link-local address: refused"),
        ("http://[::1]:8000/", "loopback address: refused"),
        ("http://[::ffff:127.0.0.1]/", "loopback address: refused"),
        ("http://2130706433/", "127.0.0.1, a loopback address: refused"),
        ("http://0.0.0.0:7860/", "refused"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://example.com/", "only http and https"),
    ],
)
def test_private_and_odd_urls_are_refused(
    capsys: pytest.CaptureFixture[str], home: Path, monkeypatch: pytest.MonkeyPatch, url: str,
    message: str,
) -> None:  # fmt: skip
    monkeypatch.delenv("BRIEFBOT_ALLOW_LOOPBACK", raising=False)
    refused(capsys, home, ["add", url], message)


# ---- questions and quizzes ----------------------------------------------------------------------


def test_a_100_kb_question_is_refused(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    question = "word " * 20_480
    refused(capsys, home, ["ask", question], "is 102,399 characters long; the limit is 1,000")
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"q": question}) + "\n" + json.dumps({"q": Q}) + "\n")
    before = store_snapshot(home)
    code, out, err = cli(capsys, home, "ask", "--batch", str(batch), "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and "limit is 1,000" in lines[0]["error"] and lines[1]["short_answer"]
    assert store_snapshot(home) == before


def test_control_characters_in_a_question_are_removed(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    code, clean, _ = cli(capsys, home, "ask", Q)
    assert code == 0 and "1,000" in clean
    code, dirty, err = cli(capsys, home, "ask", f"\x1b[2J\x07{Q}\x00\u202e", "--json")
    assert code == 0 and not any(ord(c) < 32 for c in dirty.strip()), err
    answer = json.loads(dirty)
    assert answer["question"] == f"[2J{Q}" and answer["short_answer"] == "1,000"
    refused(capsys, home, ["ask", "\x1b\x07\x00\x08"], "the question is empty")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--n", "0"], "between 1 and 100"),
        (["--n", "10000"], "between 1 and 100"),
        (["--n", "-3"], "between 1 and 100"),
        (["--types", "essay"], "unknown question type 'essay'"),
        (["--types", "mcq,<script>"], "unknown question type '<script>'"),
    ],
)
def test_impossible_quizzes_are_refused(
    capsys: pytest.CaptureFixture[str], home: Path, flags: list[str], message: str
) -> None:
    refused(capsys, home, ["quiz", *flags], message)


# ---- CitationError: an internal invariant, not the user's fault --------------------------------


def _break_citations(monkeypatch: pytest.MonkeyPatch) -> None:
    """An off-by-one bug in citing: every citation's offsets are shifted, so the verbatim check
    every citation passes through (the real one) fails."""
    from bot.qa import citations

    real = citations.verified
    monkeypatch.setattr(
        citations, "verified", lambda c: real(dataclasses.replace(c, start=c.start + 1))
    )


def test_a_citation_error_exits_70_asking_for_a_bug_report(
    capsys: pytest.CaptureFixture[str], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRIEFBOT_DEBUG", raising=False)
    cli(capsys, home, "ask", Q)  # models and article in memory before the bug is injected
    _break_citations(monkeypatch)
    err = refused(capsys, home, ["ask", Q], "internal error: quote is not verbatim", code=70)
    assert "bug" in err and "report" in err and "error: " in err


# ---- the web app: what it renders and what its routes accept ------------------------------------


class _Tags(html.parser.HTMLParser):
    """Every element and attribute in a piece of HTML, and its text, as a browser parses it."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text = ""
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.text += data


ACTIVE = {"script", "img", "iframe", "object", "embed", "svg", "style", "link", "form", "b"}
HOSTILE = (
    "Mayor Ann Lee said <script>alert('x')</script> the harbour bridge would open in May, "
    'according to <img src="http://127.0.0.1/track.png" onerror="alert(1)"> city officials.'
)


@pytest.fixture(scope="module")
def hostile_bot(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Briefbot:
    """A real engine whose data directory holds the default article and one with HTML/JS in
    its text."""
    folder = tmp_path_factory.mktemp("hostile")
    bot = Briefbot(Settings(home=folder / "home"), embedder=embedder)
    bot.default_article()
    text = f"Harbour bridge to open in May after delays\n\n{HOSTILE}\n\nWork began in 2021."
    assert bot.add(str(_write(folder / "harbour.txt", text)), "harbour").added
    return bot


def test_html_and_js_in_questions_and_articles_render_inert(hostile_bot: Briefbot) -> None:
    from bot.app.render import answer_html, article_html, brief_html, reading_html
    from bot.app.tabs.chat import _responder

    question = "When will the bridge open? <b onmouseover=alert(1)>now</b><script>x()</script>"
    answer = hostile_bot.ask(question, "harbour")
    assert not answer.abstained and "<script>" in answer.citations[0].quote
    stored = hostile_bot.stored("harbour")
    brief = hostile_bot.brief("harbour")[0]
    *_, (chat, *_) = _responder(hostile_bot, None)(question, [], "harbour", [], None, None)
    rendered = [
        answer_html(answer),
        reading_html(dataclasses.replace(answer, read_as=question)),
        article_html(stored, answer.citations),
        brief_html(brief),
        *[message["content"] for message in chat],
    ]
    for markup in rendered:
        parsed = _Tags(markup)
        assert not ACTIVE & set(parsed.tags), markup
        assert not [a for a in parsed.attributes if a.startswith("on") or a == "src"], markup
    assert "<script>alert('x')</script>" in _Tags(rendered[2]).text  # shown as text
    assert "<b onmouseover=alert(1)>" in _Tags(rendered[-2]).text  # the question, as typed


@pytest.fixture(scope="module")
def app_handlers(hostile_bot: Briefbot) -> dict[str, Callable[..., Any]]:
    """The web app's event handlers and API functions, by name, from the real app."""
    from bot.app.ui import build_app

    app = build_app(hostile_bot)
    return {f.api_name if f.api_name in ("ask", "quiz", "brief") else f.name: f.fn
            for f in app.fns.values() if f.fn is not None}  # fmt: skip


def test_the_url_box_and_the_upload_never_read_server_files(
    hostile_bot: Briefbot, app_handlers: dict[str, Callable[..., Any]], tmp_path: Path
) -> None:
    from gradio.utils import get_upload_folder

    secret = _write(tmp_path / "secret.txt", "The vault code is 4711 and it opens on Friday.\n" * 3)
    uploads = Path(get_upload_folder())
    uploads.mkdir(parents=True, exist_ok=True)
    link = uploads / f"briefbot-test-{os.getpid()}.txt"
    link.unlink(missing_ok=True)
    link.symlink_to(secret)  # an "upload" that points out of the upload folder
    home = hostile_bot.settings.home
    before, names = store_snapshot(home), hostile_bot.store.names()
    add = app_handlers["add_article"]
    try:
        for upload, url, message in [
            (None, str(secret), "is not a web address"),
            (None, f"file://{secret}", "is not a web address"),
            (None, f"  {secret.parent}/../{secret.parent.name}/secret.txt", "not a web address"),
            (str(secret), "", "only files uploaded through the page"),
            (str(link), "", "only files uploaded through the page"),
            (None, "http://169.254.169.254/latest/meta-data/", "link-local address: refused"),
        ]:
            status, _ = add(upload, url)
            assert message in status and "4711" not in status, (upload, url, status)
    finally:
        link.unlink()
    assert store_snapshot(home) == before and hostile_bot.store.names() == names


def test_api_routes_take_article_names_not_paths(
    hostile_bot: Briefbot, app_handlers: dict[str, Callable[..., Any]], tmp_path: Path
) -> None:
    from index.store import StoreError

    secret = _write(tmp_path / "secret.txt", "The vault code is 4711.\n")
    before = store_snapshot(hostile_bot.settings.home)
    for name in (str(secret), "../../etc/passwd", f"file://{secret}", "harbour/../../x"):
        for reply in (
            app_handlers["ask"](Q, name),
            app_handlers["quiz"](4, 1, "", "mixed", name),
            app_handlers["brief"](name),
        ):
            assert "invalid article name" in reply["error"] and "4711" not in str(reply)
        with pytest.raises(StoreError, match="invalid article name"):
            app_handlers["switch"](name, None)
    big = app_handlers["ask"]("word " * 20_480, "")
    assert "limit is 1,000" in big["error"]
    assert store_snapshot(hostile_bot.settings.home) == before


def test_a_citation_error_in_the_app_says_internal_error(
    hostile_bot: Briefbot,
    app_handlers: dict[str, Callable[..., Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.app.tabs.chat import _responder

    hostile_bot.ask(Q)  # warm, then break
    _break_citations(monkeypatch)
    for reply in (
        app_handlers["ask"](Q, ""),
        app_handlers["brief"](""),
        app_handlers["quiz"](4, 1, "", "mixed", ""),
    ):
        assert reply["error"].startswith("internal error") and "bug" in reply["error"]
    name = hostile_bot.default_article()
    *_, (chat, *_) = _responder(hostile_bot, None)(Q, [], name, [], None, None)
    assert chat[-1]["content"].startswith("⚠ internal error")


# ---- the same routes over HTTP, on a real `briefbot serve` --------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A `briefbot serve` process on a free loopback port, and its data directory."""
    home = tmp_path_factory.mktemp("served") / "home"
    url = f"http://127.0.0.1:{free_port()}/"
    log = home.parent / "serve.log"
    argv = briefbot_cmd("serve", "--port", url.rsplit(":", 1)[1].strip("/"))
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, env=briefbot_env(home), stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_server(url, proc, 300, lambda: log.read_text(errors="replace"))
        yield url, home
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def call_event(base: str, button: str, data: list[Any]) -> dict[str, Any]:
    """Trigger the click event of the button with elem_id `button` the way a browser does
    (POST /gradio_api/queue/join, then read the event stream) with `data` as its inputs:
    what anyone who can reach the app can send, whatever the page's widgets allow."""
    with urllib.request.urlopen(f"{base}config", timeout=30) as r:
        config = json.load(r)
    target = next(c["id"] for c in config["components"] if c["props"].get("elem_id") == button)
    event = next(d for d in config["dependencies"] if [target, "click"] in d["targets"])
    session = uuid.uuid4().hex
    body = {"data": data, "fn_index": event["id"], "trigger_id": target,
            "session_hash": session, "event_data": None}  # fmt: skip
    join = urllib.request.Request(
        f"{base}gradio_api/queue/join", json.dumps(body).encode(),
        {"Content-Type": "application/json"},
    )  # fmt: skip
    urllib.request.urlopen(join, timeout=30).close()
    with urllib.request.urlopen(f"{base}gradio_api/queue/data?session_hash={session}") as r:
        for line in r:
            message = json.loads(line[5:]) if line.startswith(b"data:") else {}
            if message.get("msg") == "process_completed":
                return dict(message)
    raise AssertionError("the event stream ended without a result")


def test_no_route_of_the_running_app_reads_a_server_file(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    from gradio_client import Client

    url, home = served
    secret = _write(tmp_path / "secret.txt", "The vault code is 4711 and it opens on Friday.\n" * 3)
    file_data = {
        "path": str(secret),
        "orig_name": "secret.txt",
        "meta": {"_type": "gradio.FileData"},
    }
    before = store_snapshot(home)
    typed = call_event(url, "bb-add", [None, str(secret)])  # the URL box, a server path
    assert typed["success"] and "is not a web address" in typed["output"]["data"][0]
    for sent in (call_event(url, "bb-add", [file_data, ""]), typed):  # a forged "upload"
        assert "4711" not in json.dumps(sent) and "Added" not in json.dumps(sent)
    client = Client(url, verbose=False)
    for reply in (
        client.predict(Q, str(secret), api_name="/ask"),
        client.predict(4, 1, "", "mixed", str(secret), api_name="/quiz"),
        client.predict(str(secret), api_name="/brief"),
    ):
        assert "invalid article name" in reply["error"] and "4711" not in json.dumps(reply)
    assert http_status(f"{url}gradio_api/file={secret}") in (403, 404)
    assert store_snapshot(home) == before


def test_chat_with_a_removed_article_among_the_others_still_answers(
    hostile_bot: Briefbot,
) -> None:
    """An article chosen under "Also search these articles" may be removed meanwhile (another
    tab): the question is answered from what is still there, not with an error."""
    from bot.app.tabs.chat import _responder

    respond = _responder(hostile_bot, None)
    *_, (chat, *_) = respond("When will the bridge open?", [], "harbour", [], None, None, ["gone"])
    reply = chat[-1]["content"]
    assert "May" in reply and "bb-cite" in reply
    assert "harbour" in hostile_bot.store.names()  # nothing removed or added by the question
