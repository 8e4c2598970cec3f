"""`briefbot bench`: speed on the default article, each figure next to its floor measured in
the same run (these machines are noisy, so ratios are what compare across runs)."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.app.engine import Briefbot
from bot.app.library import default_name, seed_article
from bot.app.settings import Settings
from index.store import IndexReport

QUESTIONS = [
    "How many North Korean troops does the U.S. think are in Russia?",
    "Where are the North Korean troops heading?",
    "Who is South Korea's defense minister?",
    "What did the White House release images of?",
    "How far from the Ukrainian border are the troops stationed?",
    "What did China say about the deployment?",
    "Why is Russia using North Korean troops?",
    "When will Austin and Kim meet Blinken?",
]


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def _reader_floor(bot: Briefbot, name: str, rounds: int) -> float:
    """Median time of one reader forward pass over the K windows of each bench question
    (0 with --reader none)."""
    reader = bot.reader()
    if reader is None:
        return 0.0
    from bot.qa.reading import decision, window_of

    search = bot.search(name)
    batches = [
        [window_of(h) for h in search.search(q).sentences[: decision().k]] for q in QUESTIONS
    ]
    times = []
    for _ in range(rounds):
        for q, windows in zip(QUESTIONS, batches, strict=True):
            t = time.perf_counter()
            reader.read(q, windows)
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_bench(bot: Briefbot, rounds: int = 5) -> dict[str, Any]:
    name = bot.default_article()
    bot.ask(QUESTIONS[0], name)  # warm: model loaded, article index in memory

    embed_times = []
    for _ in range(20 * rounds):
        t = time.perf_counter()
        bot.embedder.embed([QUESTIONS[0]])
        embed_times.append(time.perf_counter() - t)
    ask_times = []
    for _ in range(rounds):
        for q in QUESTIONS:
            t = time.perf_counter()
            bot.ask(q, name)
            ask_times.append(time.perf_counter() - t)
    embed = statistics.median(embed_times)
    p50 = statistics.median(ask_times)
    read = _reader_floor(bot, name, rounds)
    question_floor = embed + read  # what a question cannot do without: embed it, read K windows

    from bot.brief.briefing import build_brief
    from bot.quiz.items import generate_quiz
    from bot.quiz.model import QuizRequest

    stored = bot.stored(name)
    brief_times, quiz_times = [], []
    for seed in range(1, rounds + 1):
        t = time.perf_counter()
        build_brief(stored, lambda q: bot.ask(q, name))
        brief_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        generate_quiz(stored, QuizRequest(n=20, seed=seed))
        quiz_times.append(time.perf_counter() - t)
    brief_s, quiz_s = statistics.median(brief_times), statistics.median(quiz_times)
    p95 = sorted(ask_times)[int(0.95 * (len(ask_times) - 1))]

    report, index_s, reindex_s = _index_times(bot)
    floor, cold = _cold_start(bot, rounds)
    return {
        "embed_ms": 1000 * embed,
        "ask_p50_ms": 1000 * p50,
        "ask_p95_ms": 1000 * p95,
        "reader_ms": 1000 * read,
        "floor_ms": 1000 * question_floor,
        "ask_p50_ratio": p50 / question_floor,
        "ask_p95_ratio": p95 / question_floor,
        "brief_ms": 1000 * brief_s,
        "brief_ratio": brief_s / embed,
        "quiz20_ms": 1000 * quiz_s,
        "quiz20_ratio": quiz_s / embed,
        "import_floor_s": floor,
        "cold_ask_s": cold,
        "cold_ratio": cold / floor,
        "index_records": report.added,
        "index_s": index_s,
        "index_records_per_s": report.added / index_s,
        "reindex_unchanged_ms": 1000 * reindex_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _index_times(bot: Briefbot) -> tuple[IndexReport, float, float]:
    """Indexing from scratch, in a throwaway store with the already loaded models: the report,
    seconds to index, seconds to add the unchanged article again."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Briefbot(Settings(home=Path(tmp) / "home"), embedder=bot.embedder)
        article = seed_article()
        t = time.perf_counter()
        report = fresh.index_article(article, default_name(article))
        index_s = time.perf_counter() - t
        t = time.perf_counter()
        fresh.index_article(article, default_name(article))
        reindex_s = time.perf_counter() - t
    return report, index_s, reindex_s


def _cold_start(bot: Briefbot, rounds: int) -> tuple[float, float]:
    """Cold start: a new process asking one question, against importing the embedding stack
    (median seconds of each). It gets a copy of the data directory: this process owns (locks)
    the original."""
    floor_runs, cold_runs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "home"
        shutil.copytree(bot.settings.home, copy, ignore=shutil.ignore_patterns("briefbot.lock"))
        # the same `bot` package as this process (a checkout or an installed copy)
        code_root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(filter(None, (code_root, os.environ.get("PYTHONPATH"))))
        env = dict(os.environ, BRIEFBOT_HOME=str(copy), PYTHONPATH=path)
        for _ in range(max(2, rounds // 2)):
            floor_runs.append(_wall([sys.executable, "-c", "import sentence_transformers"], env))
            cold_runs.append(_wall([sys.executable, "-m", "bot.app.cli", "ask", QUESTIONS[0]], env))
    return statistics.median(floor_runs), statistics.median(cold_runs)


def format_bench(r: dict[str, Any]) -> str:
    return "\n".join(
        [
            "| measure | value | floor (same run) | ratio |",
            "|---|---|---|---|",
            f"| warm question p50 | {r['ask_p50_ms']:.1f} ms | query embedding "
            f"{r['embed_ms']:.1f} ms + reader pass {r['reader_ms']:.1f} ms | "
            f"{r['ask_p50_ratio']:.2f}x |",
            f"| warm question p95 | {r['ask_p95_ms']:.1f} ms | the same {r['floor_ms']:.1f} ms | "
            f"{r['ask_p95_ratio']:.2f}x |",
            f"| warm briefing (incl. checking suggested questions) | {r['brief_ms']:.0f} ms | "
            f"one query embedding {r['embed_ms']:.1f} ms | {r['brief_ratio']:.1f}x |",
            f"| warm 20-question quiz | {r['quiz20_ms']:.0f} ms | one query embedding "
            f"{r['embed_ms']:.1f} ms | {r['quiz20_ratio']:.1f}x |",
            f"| cold `briefbot ask` | {r['cold_ask_s']:.2f} s | import sentence_transformers "
            f"{r['import_floor_s']:.2f} s | {r['cold_ratio']:.2f}x |",
            f"| index the seed article (spaCy + embed + store) | {r['index_s']:.2f} s "
            f"({r['index_records']} records, {r['index_records_per_s']:.0f}/s) | | |",
            f"| re-index unchanged article | {r['reindex_unchanged_ms']:.1f} ms | | |",
            f"| peak memory (bench process) | {r['peak_rss_mb']:.0f} MB | | |",
        ]
    )
