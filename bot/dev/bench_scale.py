"""`briefbot bench --scale SQUAD.json`: many articles in one store. Articles are built from
SQuAD paragraphs (three per article, openly licensed Wikipedia text); the store is filled to
each size in turn, indexing throughput is measured for each step, and question latency on the
first article is measured at each size (20 s after the last write, once Chroma's background
compaction is done), next to one query embedding measured in the same run.
Run against the embedded store and against a Chroma server (`chroma run`, started here on a
free loopback port)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bot.app.engine import Briefbot
from bot.app.settings import Settings
from index.embed import Embedder
from index.ingest import Article

PARAGRAPHS_PER_ARTICLE = 3


def squad_articles(path: str | Path, count: int) -> list[tuple[Article, list[str]]]:
    """`count` articles of three SQuAD paragraphs each, with the answerable questions on them."""
    from bot.dev.eval import load_squad

    out: list[tuple[Article, list[str]]] = []
    for item in load_squad(path):
        title = str(item.get("title", "article")).replace("_", " ")
        paras = item["paragraphs"]
        for i in range(0, len(paras) - PARAGRAPHS_PER_ARTICLE + 1, PARAGRAPHS_PER_ARTICLE):
            chunk = paras[i : i + PARAGRAPHS_PER_ARTICLE]
            questions = [
                q["question"] for p in chunk for q in p["qas"] if not q.get("is_impossible")
            ]
            part = i // PARAGRAPHS_PER_ARTICLE + 1
            article = Article.from_paragraphs(
                f"{title} (part {part})", [p["context"] for p in chunk]
            )
            out.append((article, questions))
            if len(out) == count:
                return out
    return out


def run_scale(
    embedder: Embedder,
    articles: list[tuple[Article, list[str]]],
    sizes: tuple[int, ...],
    chroma_url: str | None,
    say: Callable[[str], None],
    questions: int = 20,
    settle_s: float = 20.0,
) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bot = Briefbot(Settings(home=Path(tmp) / "home", chroma_url=chroma_url), embedder=embedder)
        first_questions = articles[0][1][:questions]
        indexed = 0
        for size in sizes:
            t = time.perf_counter()
            records = 0
            for n in range(indexed, size):
                records += bot.index_article(articles[n][0], f"scale-{n:04d}").added
            took = time.perf_counter() - t
            added = size - indexed
            indexed = size
            # Chroma compacts what was just written in the background; questions asked during
            # that are slower for a while (measured: 2.9x one embedding right after indexing
            # 150 articles, 1.9x 20 s later). Latency is measured once the store has settled.
            time.sleep(settle_s)
            bot.ask(first_questions[0], "scale-0000")  # warm
            embeds, asks = [], []
            for _ in range(3):
                for q in first_questions:
                    t = time.perf_counter()
                    embedder.embed([q])
                    embeds.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    bot.ask(q, "scale-0000")
                    asks.append(time.perf_counter() - t)
            row: dict[str, Any] = {
                "store": "server" if chroma_url else "embedded",
                "articles": size,
                "added": added,
                "index_s": took,
                "articles_per_s": added / took if took else 0.0,
                "records_per_s": records / took if took else 0.0,
                "ask_p50_ms": 1000 * statistics.median(asks),
                "embed_p50_ms": 1000 * statistics.median(embeds),
            }
            row["ask_ratio"] = row["ask_p50_ms"] / row["embed_p50_ms"]
            say(
                f"{row['store']}: {size} articles stored, question p50 {row['ask_p50_ms']:.1f} ms "
                f"({row['ask_ratio']:.2f}x one embedding)"
            )
            rows.append(row)
    return rows


@contextlib.contextmanager
def running_chroma(
    say: Callable[[str], None], data: Path | None = None, port: int | None = None
) -> Iterator[str]:
    """`chroma run` on a free loopback port with a throwaway data directory (or on `port`
    with `data`, kept: a restart on them finds what was stored); yields its URL and stops it
    (and deletes throwaway data) on exit."""
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        found = shutil.which("chroma")
        if not found:
            raise RuntimeError("the `chroma` command is missing (it comes with chromadb)")
        exe = Path(found)
    if port is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
    throwaway = data is None
    data = Path(tempfile.mkdtemp(prefix="briefbot-chroma-")) if data is None else data
    say(f"starting `chroma run` on 127.0.0.1:{port}")
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        started = time.perf_counter()
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 60:
                    raise RuntimeError("chroma run did not start") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if throwaway:
            shutil.rmtree(data, ignore_errors=True)


def format_scale(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| store | articles stored | indexing (this step) | question p50 on article 1 | "
        "one query embedding (same run) | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['store']} | {r['articles']} | {r['added']} articles in {r['index_s']:.1f} s "
            f"({r['articles_per_s']:.1f} articles/s, {r['records_per_s']:.0f} records/s) | "
            f"{r['ask_p50_ms']:.1f} ms | {r['embed_p50_ms']:.1f} ms | {r['ask_ratio']:.2f}x |"
        )
    return "\n".join(lines)
