"""`briefbot bench --load N` and `--soak Q`: the web app under concurrent users, and resident
memory over many questions.

Load: a running app (`briefbot serve` on loopback, started here) is driven by N gradio_client
users at once, each asking, quizzing and briefing for a bounded time. Every reply is compared
with the single-user reply to the same request (measured first, one user alone), and the p95
latency under load is given as a ratio to the single-user p50.

Soak: Q questions through one engine, by the CLI batch path (`briefbot ask --batch`) and by the
app (`/ask`), each in its own process; the resident memory of that process is read from
/proc after a warm-up and at the end (Linux)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.dev.bench import QUESTIONS

Job = tuple[str, tuple[Any, ...]]  # (api name, arguments)

_OTHERS: list[Job] = [
    ("quiz", (5, 1, "", "mixed", "")),
    ("brief", ("",)),
    ("ask", ("Who is he?", "", ["Who is South Korea's defense minister?"])),
    ("quiz", (10, 2, "mcq,tf,number", "hard", "")),
]
# the bench questions with a quiz, a briefing or a follow-up after every second one
JOBS: list[Job] = [
    job
    for i, q in enumerate(QUESTIONS)
    for job in [("ask", (q, "")), *([_OTHERS[i // 2]] if i % 2 else [])]
]
WARMUP_SHARE = 0.1  # of the soak's questions, before the first memory reading


def _code_env(home: Path) -> dict[str, str]:
    """The environment of a child briefbot: this checkout's code, the given data directory."""
    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))
    return dict(os.environ, BRIEFBOT_HOME=str(home), PYTHONPATH=path)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


@contextmanager
def served(home: Path, timeout: float = 600) -> Iterator[tuple[str, int]]:
    """`briefbot serve` on a free loopback port with `home` as its data directory; yields
    (its URL, its process id) once it answers, and stops it afterwards."""
    port = _free_port()
    cmd = [sys.executable, "-m", "bot.app.cli", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, env=_code_env(home), stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(proc, url, log, timeout)
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log: Any, timeout: float) -> None:
    started = time.monotonic()
    while not _answers(url):
        if proc.poll() is not None or time.monotonic() - started > timeout:
            log.seek(0)
            tail = log.read()[-2000:].decode("utf-8", "replace")
            raise RuntimeError(f"briefbot serve did not start:\n{tail}")
        time.sleep(0.3)


def _client(url: str) -> Any:
    from gradio_client import Client

    return Client(url, verbose=False)


def _call(client: Any, job: Job) -> Any:
    api, args = job
    return client.predict(*args, api_name=f"/{api}")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))] if ordered else 0.0


def run_load(url: str, users: int, seconds: float) -> dict[str, Any]:
    """N users at once for `seconds` (each finishes the request it is in), after one user
    alone has made every request once (twice, for its latency)."""
    expected, single = _alone(url)

    clients = [_client(url) for _ in range(users)]
    lock = threading.Lock()
    latencies: list[tuple[str, float]] = []
    errors: list[str] = []
    mismatches: list[str] = []
    deadline = time.monotonic() + seconds

    def user(k: int) -> None:
        n = k * len(JOBS) // users  # users start spread out: every route is busy at once
        while time.monotonic() < deadline:
            i = n % len(JOBS)
            n += 1
            t = time.perf_counter()
            try:
                got = _call(clients[k], JOBS[i])
            except Exception as e:  # a full queue comes back as QueueError
                with lock:
                    errors.append(f"{JOBS[i][0]}: {type(e).__name__}: {str(e)[:200]}")
                continue
            took = time.perf_counter() - t
            with lock:
                latencies.append((JOBS[i][0], took))
                if isinstance(got, dict) and "error" in got:
                    errors.append(f"{JOBS[i][0]}: {got['error']}")
                elif got != expected[i]:
                    mismatches.append(f"{JOBS[i]}: differs from the single-user reply")

    threads = [threading.Thread(target=user, args=(k,)) for k in range(users)]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - started
    times = [s for _, s in latencies]
    p50_single = statistics.median(single)
    return {
        "users": users,
        "seconds": round(wall, 1),
        "requests": len(latencies),
        "throughput_per_s": len(latencies) / wall,
        "errors": errors,
        "mismatches": mismatches,
        "single_p50_ms": 1000 * p50_single,
        "p50_ms": 1000 * _pct(times, 0.5),
        "p95_ms": 1000 * _pct(times, 0.95),
        "p95_ratio": _pct(times, 0.95) / p50_single,
        "by_kind": _by_kind(latencies, single),
    }


def _alone(url: str) -> tuple[dict[int, Any], list[float]]:
    """One user alone: every job's reply (which also warms every route), then each job's
    latency on asking again (the same reply, or RuntimeError)."""
    alone = _client(url)
    expected = {i: _call(alone, job) for i, job in enumerate(JOBS)}  # also warms every route
    single: list[float] = []
    for i, job in enumerate(JOBS):
        t = time.perf_counter()
        again = _call(alone, job)
        single.append(time.perf_counter() - t)
        if again != expected[i]:
            raise RuntimeError(f"one user alone got two different replies to {job}")
    return expected, single


def _by_kind(
    latencies: list[tuple[str, float]], single: list[float]
) -> dict[str, dict[str, float]]:
    """Per kind of request: how many, their p95 under load and the single user's p50."""
    by_kind: dict[str, dict[str, float]] = {}
    for kind in sorted({k for k, _ in latencies}):
        mine = [s for k, s in latencies if k == kind]
        alone_kind = [s for (k, _), s in zip(JOBS, single, strict=True) if k == kind]
        by_kind[kind] = {
            "requests": len(mine),
            "p95_ms": 1000 * _pct(mine, 0.95),
            "single_p50_ms": 1000 * statistics.median(alone_kind),
        }
    return by_kind


def format_load(r: dict[str, Any]) -> str:
    lines = [
        f"{r['users']} users for {r['seconds']} s: {r['requests']} requests "
        f"({r['throughput_per_s']:.1f}/s), {len(r['errors'])} errors, "
        f"{len(r['mismatches'])} replies different from the single-user reply",
        f"latency: single-user p50 {r['single_p50_ms']:.0f} ms; under load p50 "
        f"{r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms = {r['p95_ratio']:.1f}x the "
        "single-user p50",
        "",
        "| route | requests | p95 under load | single-user p50 | ratio |",
        "|---|---|---|---|---|",
    ]
    for kind, k in r["by_kind"].items():
        lines.append(
            f"| /{kind} | {k['requests']} | {k['p95_ms']:.0f} ms | {k['single_p50_ms']:.0f} ms "
            f"| {k['p95_ms'] / k['single_p50_ms']:.1f}x |"
        )
    lines += [f"error: {e}" for e in r["errors"][:5]]
    lines += [f"mismatch: {m}" for m in r["mismatches"][:5]]
    return "\n".join(lines)


# ---- soak ---------------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def soak_questions(n: int) -> list[str]:
    """`n` questions: the bench questions in turn, every third with a word never seen before
    (a misspelling the respelling cache remembers), as a long-running app meets them."""
    out = []
    for i in range(n):
        q = QUESTIONS[i % len(QUESTIONS)]
        out.append(q if i % 3 else f"{q.rstrip('?')} zorblat{i}?")
    return out


def _growth(warm: float, end: float) -> dict[str, float]:
    return {"warm_mb": warm, "end_mb": end, "growth": (end - warm) / warm}


def soak_batch(home: Path, n: int, progress: Callable[[str], None]) -> dict[str, float]:
    """`briefbot ask --batch` over `n` questions in one process; its memory after the warm-up
    answers and before the last one."""
    warm_at, warm = max(1, int(WARMUP_SHARE * n)), 0.0
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "soak.jsonl"
        batch.write_text("".join(json.dumps({"q": q}) + "\n" for q in soak_questions(n)))
        cmd = [sys.executable, "-m", "bot.app.cli", "ask", "--batch", str(batch), "--json"]
        proc = subprocess.Popen(
            cmd, env=_code_env(home), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert proc.stdout is not None
        end, done = 0.0, 0
        for _line in proc.stdout:
            done += 1
            if done == warm_at:
                warm = rss_mb(proc.pid)
            if done == n - 1:
                end = rss_mb(proc.pid)
            if done % 250 == 0:
                progress(f"batch: {done}/{n} answers, {rss_mb(proc.pid):.0f} MB resident")
        if proc.wait() != 0 or done != n:
            raise RuntimeError(f"briefbot ask --batch ended with {proc.returncode}, {done}/{n}")
    return _growth(warm, end)


def soak_app(home: Path, n: int, progress: Callable[[str], None]) -> dict[str, float]:
    """`n` questions to the app's /ask, one user; the server's memory after the warm-up and
    at the end."""
    questions = soak_questions(n)
    warm_at, warm = max(1, int(WARMUP_SHARE * n)), 0.0
    with served(home) as (url, pid):
        client = _client(url)
        for i, q in enumerate(questions, start=1):
            got = client.predict(q, "", api_name="/ask")
            if "error" in got:
                raise RuntimeError(f"/ask {q!r}: {got['error']}")
            if i == warm_at:
                warm = rss_mb(pid)
            if i % 250 == 0:
                progress(f"app: {i}/{n} answers, server {rss_mb(pid):.0f} MB resident")
        end = rss_mb(pid)
    return _growth(warm, end)


def run_soak(n: int, progress: Callable[[str], None]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        batch = soak_batch(Path(tmp) / "batch", n, progress)
        app = soak_app(Path(tmp) / "app", n, progress)
    return {"questions": n, "warmup": int(WARMUP_SHARE * n), "batch": batch, "app": app}


def format_soak(r: dict[str, Any]) -> str:
    lines = [
        f"{r['questions']} questions, memory read after the first {r['warmup']} and at the end",
        "| path | resident after warm-up | at the end | growth |",
        "|---|---|---|---|",
    ]
    for path, label in (("batch", "CLI `ask --batch`"), ("app", "web app `/ask`")):
        g = r[path]
        growth = f"{100 * g['growth']:+.1f}%"
        lines.append(f"| {label} | {g['warm_mb']:.0f} MB | {g['end_mb']:.0f} MB | {growth} |")
    return "\n".join(lines)
