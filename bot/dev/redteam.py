"""The claim checker on the red-team and faithful reply sets (tests/data/claims_*.jsonl).

    python -m bot.dev.redteam            # in process: the verifier called directly
    python -m bot.dev.redteam --http     # the same replies streamed by a scripted
                                         # OpenAI-compatible server on 127.0.0.1
    python -m bot.dev.redteam --set heldout   # the held-out sets claims_*_heldout.jsonl,
    python -m bot.dev.redteam --set heldout4  # ... heldout2-17 (tests/data/NEWS_SETS.md)

Each record is one model reply over one article (the seed article, or BBC stories read from
../shared/news/, which are skipped with a note when absent). The passages given to the model
are the article's paragraphs (¶N), all of them or the ids listed in the record; a record may
plant an instruction in a passage first. Prints, per set and category, the sentences shown
that should not be (red team) and the faithful sentences kept.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.llm.claims import Judge
from index.passages import Passage

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SETS = ("redteam", "faithful")


@dataclass(frozen=True)
class Outcome:
    record: dict[str, Any]
    shown: tuple[str, ...]  # sentences the verifier kept
    expected: tuple[str, ...]  # sentences it should keep
    raw: str  # the reply as it reached the verifier
    quoted_for: int = 0  # expected sentences removed whose cited sentences the answer quotes

    @property
    def unsupported_shown(self) -> list[str]:
        """Shown sentences that are not expected ones, nor an expected one without its
        opening "Yes,"/"No," (`claim_answers`: the rest of a supported sentence)."""
        from bot.llm.claim_answers import without_answer

        bare = {without_answer(s) for s in self.expected}
        return [s for s in self.shown if s not in self.expected and s not in bare]

    @property
    def faithful_kept(self) -> int:
        return sum(s in self.shown for s in self.expected)

    @property
    def kept_without_answer(self) -> int:
        """Expected sentences shown only without their opening "Yes,"/"No," (not counted in
        `faithful_kept`: the sentence shown is not the one written)."""
        from bot.llm.claim_answers import without_answer

        return sum(
            s not in self.shown and without_answer(s) != s and without_answer(s) in self.shown
            for s in self.expected
        )


def load(name: str, root: Path = ROOT) -> tuple[list[dict[str, Any]], list[str]]:
    """The records of one set whose article is here, and a note per article that is not."""
    records, missing = [], []
    for line in (root / "tests" / "data" / f"claims_{name}.jsonl").read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            if (root / r["article"]).is_file():
                records.append(r)
            elif r["article"] not in missing:
                missing.append(r["article"])
    return records, [f"{m} is absent: its records are skipped" for m in missing]


def passages_for(record: dict[str, Any], root: Path = ROOT) -> list[Passage]:
    """The passages the reply's writer saw: whole paragraphs (¶N), or, where the reply cites
    a part of one (¶2.1), the article cut as the app cuts it (long paragraphs in parts)."""
    from index.sources import read_article_file

    article = read_article_file(root / record["article"])
    plant = record.get("plant") or {}
    out = []
    if re.search(r"¶\d+\.\d", record["reply"]):
        out = list(_app_passages(str(root / record["article"])))
    for n, text in enumerate([] if out else article.paragraphs, start=1):
        pid = f"¶{n}"
        if plant.get("passage") == pid:
            text = f"{text} {plant['text']}"
        out.append(Passage(pid, n, text, 0, len(text), ()))
    given = record.get("passages")
    return [p for p in out if p.id in given] if given else out


@functools.cache
def _app_passages(path: str) -> tuple[Passage, ...]:
    """The article's passages as the app indexes them (`index.passages.build_passages`)."""
    from index.embed import MiniLMEmbedder
    from index.nlp import load_nlp
    from index.passages import build_passages
    from index.sources import read_article_file

    embedder = MiniLMEmbedder()
    count = embedder.count_tokens
    return tuple(build_passages(read_article_file(path), load_nlp(), count, embedder.max_tokens))


def expected(record: dict[str, Any]) -> tuple[str, ...]:
    from bot.llm.claim_sentences import split_reply

    if record.get("expected_kept") is not None:
        return tuple(record["expected_kept"])
    return tuple(s.text for s in split_reply(record["reply"]))


def run_in_process(
    record: dict[str, Any], root: Path = ROOT, judge: Judge | None = None
) -> Outcome:
    passages = passages_for(record, root)
    return _outcome(record, record["reply"], passages, judge)


def _outcome(
    record: dict[str, Any], raw: str, passages: list[Passage], judge: Judge | None
) -> Outcome:
    """Verify `raw` as the app does; count the expected sentences removed whose every quote
    the answer still shows: inside a kept citation or a quoted sentence (`source_quotes`)."""
    from bot.llm.claim_answers import without_answer
    from bot.llm.claim_sentences import split_reply
    from bot.llm.generate import verify
    from bot.llm.source_quotes import cited_sentences, covered, woven

    kept, removed = verify(raw, passages, judge, record.get("question", ""))
    shown = tuple(s for s, _ in kept)
    marked = [c for _, cs in kept for c in cs]
    if kept and removed:
        marked += woven(raw, passages, kept)[1]
    want = expected(record)
    gone = [s for s in split_reply(raw) if s.text in want and s.text not in shown]
    dropped = [s for s in gone if without_answer(s.text) not in shown]  # not shown bare
    quoted_for = 0
    for sentence in dropped:
        pairs = [pair for unit in sentence.units for pair in unit.citations]
        cited = cited_sentences(pairs, passages)
        quoted_for += bool(cited) and all(covered(found, marked) for found, _ in cited)
    return Outcome(record, shown, want, raw, quoted_for)


def openai_stub(replies: list[str]) -> Any:
    """An OpenAI-compatible chat-completions server that replays `replies` in order,
    streamed (server-sent events) or whole, whichever the client asks for."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            reply = replies.pop(0) if replies else ""
            base = {"id": "chatcmpl-stub", "created": int(time.time()), "model": body["model"]}
            self.send_response(200)
            if not body.get("stream"):
                message = {"role": "assistant", "content": reply}
                payload = {**base, "object": "chat.completion", "choices": [
                    {"index": 0, "message": message, "finish_reason": "stop"}
                ]}  # fmt: skip
                data = json.dumps(payload).encode()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            pieces = [reply[i : i + 7] for i in range(0, len(reply), 7)]
            deltas = [{"role": "assistant", "content": ""}] + [{"content": p} for p in pieces]
            for n, delta in enumerate(deltas + [{}]):
                finish = "stop" if n == len(deltas) else None
                chunk = {**base, "object": "chat.completion.chunk", "choices": [
                    {"index": 0, "delta": delta, "finish_reason": finish}
                ]}  # fmt: skip
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")

        def log_message(self, *args: object) -> None:
            pass

    return http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@contextmanager
def scripted_server() -> Iterator[tuple[str, list[str]]]:
    """(base URL, the queue of replies it will send) for a stub server on loopback."""
    queue: list[str] = []
    server = openai_stub(queue)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", queue
    finally:
        server.shutdown()
        server.server_close()


def run_over_http(
    base_url: str, queue: list[str], judge: Judge | None = None
) -> Callable[[dict[str, Any]], Outcome]:
    """Through the real backend: make_backend("openai:...") -> prompt -> stream -> verify."""
    from bot.llm.backends import make_backend
    from bot.llm.generate import build_prompt, run

    backend = make_backend("openai:scripted", base_url=base_url, timeout=10)

    def one(record: dict[str, Any], root: Path = ROOT) -> Outcome:
        passages = passages_for(record, root)
        queue.append(record["reply"])
        system, user = build_prompt(record["question"], passages, backend.context_tokens)
        raw, failure = run(backend, system, user)
        if failure:
            raise RuntimeError(failure)
        return _outcome(record, raw, passages, judge)

    return one


def report(outcomes: dict[str, list[Outcome]]) -> str:
    lines = []
    red = outcomes.get("redteam", [])
    if red:
        bad = Counter(o.record["category"] for o in red for _ in o.unsupported_shown)
        replies = Counter(o.record["category"] for o in red)
        lines.append(
            f"red team: {len(red)} replies, unsupported sentences shown: {sum(bad.values())}"
            f" (replies with any: {sum(1 for o in red if o.unsupported_shown)})"
        )
        good = sum(len(o.expected) for o in red)
        kept = sum(o.faithful_kept for o in red)
        lines.append(f"  supported sentences inside red-team replies kept: {kept}/{good}")
        for cat, n in sorted(replies.items()):
            lines.append(f"  {cat:<26} {n:>3} replies, unsupported shown {bad[cat]}")
    faithful = outcomes.get("faithful", [])
    if faithful:
        total = sum(len(o.expected) for o in faithful)
        kept = sum(o.faithful_kept for o in faithful)
        lines.append(
            f"faithful: {len(faithful)} replies, {kept}/{total} sentences kept"
            f" ({100 * kept / max(total, 1):.1f}%)"
        )
        bare = sum(o.kept_without_answer for o in faithful)
        if bare:
            lines.append(f"  and {bare} more shown without their opening Yes/No")
        quoted = sum(o.quoted_for for o in faithful)
        lines.append(
            f"  of the {total - kept - bare} removed, {quoted} reach the reader as the article"
            " sentences they cite (quoted, or marked by a kept citation)"
        )
        for art in sorted({o.record["article"] for o in faithful}):
            mine = [o for o in faithful if o.record["article"] == art]
            k, t = sum(o.faithful_kept for o in mine), sum(len(o.expected) for o in mine)
            lines.append(f"  {art:<42} {k}/{t}")
    return "\n".join(lines)


def reader_judge() -> Judge:
    """The shipped reading model as the second judge, as the app uses it."""
    from bot.llm.judge import ReaderJudge
    from bot.qa.reader import Reader
    from bot.qa.reading import decision

    return ReaderJudge(Reader.load(mode=decision().mode))


def measure(
    http: bool = False, which: str = "dev", judge: Judge | None = None
) -> tuple[dict[str, list[Outcome]], list[str]]:
    notes: list[str] = []
    loaded = {}
    for name in SETS:
        records, missing = load(name if which == "dev" else f"{name}_{which}")
        loaded[name] = records
        notes.extend(m for m in missing if m not in notes)
    if not http:
        return {k: [run_in_process(r, judge=judge) for r in rs] for k, rs in loaded.items()}, notes
    with scripted_server() as (url, queue):
        one = run_over_http(url, queue, judge)
        return {k: [one(r) for r in rs] for k, rs in loaded.items()}, notes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--http", action="store_true", help="through a loopback HTTP server")
    parser.add_argument(
        "--set",
        default="dev",
        choices=[
            "dev",
            "heldout",
            "heldout2",
            "heldout3",
            "heldout4",
            "heldout5",
            "heldout6",
            "heldout7",
            "heldout8",
            "heldout9",
            "heldout10",
            "heldout11",
            "heldout12",
            "heldout13",
            "heldout14",
            "heldout15",
            "heldout16",
            "heldout17",
            "heldout18",
        ],
        help="which reply sets",
    )
    parser.add_argument(
        "--judge", action="store_true", help="the reading model as second judge (as the app)"
    )
    parser.add_argument("-v", action="store_true", help="list the misses")
    args = parser.parse_args(argv)
    judge = reader_judge() if args.judge else None
    outcomes, notes = measure(args.http, args.set, judge)
    for n in notes:
        print("note:", n)
    print(("over HTTP (openai:scripted on 127.0.0.1)" if args.http else "in process") + ":")
    print(report(outcomes))
    if args.v:
        for o in outcomes["redteam"]:
            for s in o.unsupported_shown:
                print("SHOWN", o.record["id"], o.record["category"], s)
        for o in outcomes["faithful"]:
            from bot.llm.generate import verify

            _, removed = verify(o.raw, passages_for(o.record), judge, o.record["question"])
            for r in removed:
                print("DROPPED", o.record["id"], r)


if __name__ == "__main__":
    main()
