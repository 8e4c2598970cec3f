"""Store faults: kill -9 at named points of add / reindex / remove, a full disk, a read-only data
directory, a Chroma server that goes down or restarts, a truncated manifest or saved article,
a busy database, two processes on one store. Each case checks that no article is lost or
changed, by reading the JSON files and Chroma itself (never through the store code), and that
the message is one clear line."""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, briefbot_env, free_port

from bot.app.engine import Briefbot
from bot.app.settings import Settings
from index.archive import StoreError
from index.ingest import Article
from index.vectors import OPEN_TRIES, sqlite_trouble

KEEP = Article.from_paragraphs(
    "Harbour reopens",
    [
        "The harbour reopened on Monday after a storm closed it for three days.",
        "Port director Ana Silva said 40 ships were waiting outside.",
        "Fishermen returned to the docks by noon.",
    ],
)
TARGET = Article.from_paragraphs(
    "School roof fixed",
    [
        "Workers finished repairing the roof of Hill Street School on Friday.",
        "The repairs cost 2 million dollars, the council said.",
        "Classes resume next week.",
    ],
)
EXTRA_TEXT = (
    "Library extends hours\n\n"
    "The city library will stay open until 9 pm from March.\n\n"
    "Librarian Tom Reed said students had asked for longer evenings.\n"
)


# ---- reading the store by independent means: the JSON files and Chroma itself ---------------


def chroma_records(home: Path, name: str) -> dict[str, Any]:
    """Both collections of `name`, straight from Chroma: ids, texts, metadata, fingerprint."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from chromadb.errors import NotFoundError

    client = chromadb.PersistentClient(
        path=str(home / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    out: dict[str, Any] = {}
    for prefix in ("bb-", "bbs-"):
        try:
            col = client.get_collection(prefix + name)
        except NotFoundError:
            out[prefix] = None
            continue
        got = col.get(include=["documents", "metadatas"])
        rows = zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        out[prefix] = sorted((i, d, json.dumps(m, sort_keys=True)) for i, d, m in rows)
        out[prefix + "fingerprint"] = (col.metadata or {}).get("fingerprint")
    return out


def saved_bytes(home: Path, name: str) -> bytes | None:
    path = home / "articles" / f"{name}.json"
    return path.read_bytes() if path.exists() else None


def manifest_names(home: Path) -> set[str]:
    return set(json.loads((home / "manifest.json").read_text(encoding="utf-8"))["articles"])


def close_chroma() -> None:
    """Drop this process's cached Chroma clients (before another process uses a copied home)."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


@pytest.fixture(autouse=True)
def _closed_chroma() -> Iterator[None]:
    yield
    close_chroma()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, embedder) -> dict[str, Any]:  # noqa: ANN001
    """A store with KEEP and TARGET, and a reference store that also has EXTRA; snapshots of
    every article's saved text and records, taken from the files and from Chroma."""
    root = tmp_path_factory.mktemp("faults")
    extra = root / "extra.txt"
    extra.write_text(EXTRA_TEXT, encoding="utf-8")
    home, ref = root / "base", root / "reference"
    for h in (home, ref):
        bot = Briefbot(Settings(home=h), embedder=embedder)
        bot.index_article(KEEP, "keep")
        bot.index_article(TARGET, "target")
    Briefbot(Settings(home=ref), embedder=embedder).index_file(extra, "extra")
    snap = {
        n: (saved_bytes(h, n), chroma_records(h, n))
        for h, names in ((home, ("keep", "target")), (ref, ("extra",)))
        for n in names
    }
    close_chroma()
    return {"home": home, "extra": extra, "snap": snap}


@pytest.fixture()
def home(base: dict[str, Any], tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(base["home"], copy, ignore=shutil.ignore_patterns("briefbot.lock"))
    return copy


def shim(
    *args: str, home: Path, fault: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`briefbot ARGS` in a subprocess with BRIEFBOT_FAULT set (see tests/faultshim.py)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "tests" / "faultshim.py"), *args],
        capture_output=True,
        text=True,
        env=briefbot_env(home, BRIEFBOT_FAULT=fault),
        timeout=timeout,
    )


def error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The one error line of a failed command (fails the test if there is more)."""
    lines = [ln for ln in done.stderr.splitlines() if "error" in ln]
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    return lines[0]


def assert_unchanged(home: Path, snap: dict[str, Any], name: str) -> None:
    text, records = snap[name]
    assert saved_bytes(home, name) == text, f"{name}: saved text changed"
    assert chroma_records(home, name) == records, f"{name}: records changed"


def whole_or_absent(home: Path, snap: dict[str, Any], name: str) -> bool:
    """True when `name` is whole (saved text and records as in the snapshot), False when it is
    entirely gone; fails when it is anything in between."""
    text, records = snap[name]
    now = chroma_records(home, name)
    if saved_bytes(home, name) is None and now["bb-"] is None and now["bbs-"] is None:
        return False
    assert saved_bytes(home, name) == text and now == records, f"{name}: half there"
    return True


def recover(home: Path, embedder: Any, name: str) -> list[str]:  # noqa: ANN401
    """What the next run does with `name`: rebuild it from its saved text when incomplete."""
    said: list[str] = []
    bot = Briefbot(Settings(home=home), embedder=embedder, progress=said.append)
    if name in bot.store.saved_names():
        bot.resolve(name)
        assert bot.stored(name).passages
    return said


# ---- kill -9 -----------------------------------------------------------------------------------

KILLS = [
    # (command, point: nth call) -- what has happened when the process dies
    ("add", "save:1"),  # nothing yet
    ("add", "upsert:2"),  # saved text and passages in, sentences not
    ("add", "manifest:1"),  # everything but the manifest entry
    ("reindex", "upsert:1"),  # vectors dropped, nothing embedded again yet
    ("reindex", "drop:2"),  # passages dropped, sentences still there
    ("remove", "drop:2"),  # passages dropped, sentences and saved text still there
    ("remove", "unlink:1"),  # vectors gone, saved text still there
    ("remove", "manifest:1"),  # all gone but the manifest entry
]


@pytest.mark.parametrize(("command", "point"), KILLS, ids=[f"{c}-{p}" for c, p in KILLS])
def test_kill_9_loses_nothing(
    command: str,
    point: str,
    base: dict[str, Any],
    home: Path,
    embedder,  # noqa: ANN001
) -> None:
    snap = base["snap"]
    args = {
        "add": ("add", str(base["extra"]), "--name", "extra"),
        "reindex": ("reindex", "target"),
        "remove": ("remove", "target"),
    }[command]
    done = shim(*args, home=home, fault=f"kill:{point}")
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]  # it died at the point
    assert_unchanged(home, snap, "keep")
    said = recover(home, embedder, "extra" if command == "add" else "target")
    assert all("\n" not in m for m in said)
    assert_unchanged(home, snap, "keep")
    if command == "add":
        whole_or_absent(home, {"extra": snap["extra"]}, "extra")
    elif command == "reindex":
        assert whole_or_absent(home, snap, "target")  # reindex never loses the article
    else:
        whole_or_absent(home, snap, "target")  # remove cut short: all there, or all gone
    assert "keep" in manifest_names(home)


# ---- a full disk, a read-only directory --------------------------------------------------------


def test_disk_full_while_saving_changes_nothing(base: dict[str, Any], home: Path) -> None:
    done = shim("add", str(base["extra"]), "--name", "extra", home=home, fault="enospc:fsync")
    line = error_line(done)
    assert "No space left on device" in line and "extra.json" in line
    for name in ("keep", "target"):
        assert_unchanged(home, base["snap"], name)
    assert not list((home / "articles").glob("*.tmp"))  # no temp file left behind
    assert chroma_records(home, "extra") == {"bb-": None, "bbs-": None}


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root): the ENOSPC shim test covers it")
    try:
        yield path
    finally:
        close_chroma()
        subprocess.run(["umount", "-l", str(path)], check=False)


def _fill(folder: Path) -> None:
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as f:
        while True:
            f.write(b"\0" * 65536)
            f.flush()


def test_a_really_full_disk_loses_nothing(base: dict[str, Any], tmp_path: Path) -> None:
    with tmpfs(tmp_path / "mnt", "8m") as mnt:
        home = mnt / "home"
        shutil.copytree(base["home"], home, ignore=shutil.ignore_patterns("briefbot.lock"))
        _fill(mnt)
        done = shim("add", str(base["extra"]), "--name", "extra", home=home, fault="")
        error_line(done)
        (mnt / "filler").unlink()
        for name in ("keep", "target"):
            assert_unchanged(home, base["snap"], name)
        assert manifest_names(home) == {"keep", "target"}
        again = shim("add", str(base["extra"]), "--name", "extra", home=home, fault="")
        assert again.returncode == 0, again.stderr[-2000:]
        assert whole_or_absent(home, base["snap"], "extra")


def test_a_read_only_data_directory_is_one_clear_line(base: dict[str, Any], tmp_path: Path) -> None:
    with tmpfs(tmp_path / "mnt", "16m") as mnt:
        home = mnt / "home"
        shutil.copytree(base["home"], home, ignore=shutil.ignore_patterns("briefbot.lock"))
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        done = shim("add", str(base["extra"]), "--name", "extra", home=home, fault="")
        assert "Read-only file system" in error_line(done)
        subprocess.run(["mount", "-o", "remount,rw", str(mnt)], check=True)  # to read it back
        for name in ("keep", "target"):
            assert_unchanged(home, base["snap"], name)


# ---- damaged files -------------------------------------------------------------------------------


def test_a_truncated_manifest_is_kept_and_rebuilt(home: Path, embedder) -> None:  # noqa: ANN001
    manifest = home / "manifest.json"
    damaged = manifest.read_bytes()[: manifest.stat().st_size // 2]
    manifest.write_bytes(damaged)
    said: list[str] = []
    bot = Briefbot(Settings(home=home), embedder=embedder, progress=said.append)
    bot.index_article(Article.from_paragraphs("Extra", ["A third article."]), "extra")
    kept = list(home.glob("manifest.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged  # the damaged copy, as it was
    notes = [m for m in said if "manifest.json" in m]
    assert len(notes) == 1 and "\n" not in notes[0] and kept[0].name in notes[0]
    assert manifest_names(home) == {"keep", "target", "extra"}  # nothing dropped


def test_a_truncated_saved_article_is_kept_and_rebuilt_from_the_index(
    base: dict[str, Any],
    home: Path,
    embedder,  # noqa: ANN001
) -> None:
    path = home / "articles" / "keep.json"
    damaged = path.read_bytes()[:100]
    path.write_bytes(damaged)
    said: list[str] = []
    bot = Briefbot(Settings(home=home), embedder=embedder, progress=said.append)
    assert bot.ask("How many ships were waiting?", "keep").short_answer == "40"
    kept = list(path.parent.glob("keep.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    notes = [m for m in said if "keep.json" in m]
    assert len(notes) == 1 and "\n" not in notes[0]
    assert notes[0].startswith(f"{path} is damaged (JSONDecodeError at byte ")
    assert notes[0].endswith(f"kept it as {kept[0].name}; rebuilt it from the index")
    assert_unchanged(home, base["snap"], "keep")  # rebuilt byte for byte
    assert_unchanged(home, base["snap"], "target")


def test_a_truncated_article_without_an_index_is_kept_not_rewritten(home: Path, embedder) -> None:  # noqa: ANN001
    path = home / "articles" / "target.json"
    damaged = path.read_bytes()[:80]
    path.write_bytes(damaged)
    said: list[str] = []
    bot = Briefbot(Settings(home=home), embedder=embedder, progress=said.append)
    bot.store.drop_vectors("target")
    assert bot.store.saved_article("target") is None
    kept = list(path.parent.glob("target.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged and not path.exists()
    assert len(said) == 1 and said[0].endswith("no whole copy of it: add the article again")


# ---- a busy database: retried, never moved aside ----------------------------------------------


@contextlib.contextmanager
def sqlite_held(db: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding an exclusive SQLite lock on `db` for `seconds`."""
    code = (
        "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute('BEGIN EXCLUSIVE'); print('held', flush=True); time.sleep(float(sys.argv[2]))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(seconds)],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_sqlite_trouble_tells_damage_from_busy(home: Path, tmp_path: Path) -> None:
    db = home / "chroma" / "chroma.sqlite3"
    assert sqlite_trouble(db)[0] == "ok"
    with sqlite_held(db, 60):
        assert sqlite_trouble(db)[0] == "busy"
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    assert sqlite_trouble(garbage)[0] == "damaged"
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    assert sqlite_trouble(cut)[0] == "damaged"


def _chroma_fails_first(monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    """Chroma's own open fails `times` times (what it raises on a locked database)."""
    import chromadb
    from chromadb.errors import InternalError

    real = chromadb.PersistentClient
    left = [times]

    def flaky(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        if left[0] > 0:
            left[0] -= 1
            raise InternalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(chromadb, "PersistentClient", flaky)


@pytest.mark.parametrize(
    ("fails", "held_s", "busy"),
    [(1, 1.5, False), (OPEN_TRIES, 60, True)],  # every try fails in the second
    ids=["briefly-busy-is-retried", "busy-for-long-is-reported"],
)
def test_a_busy_database_is_never_moved_aside(  # noqa: PLR0913
    base: dict[str, Any],
    home: Path,
    embedder,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
    fails: int,
    held_s: float,
    busy: bool,  # noqa: FBT001
) -> None:
    _chroma_fails_first(monkeypatch, times=fails)
    with sqlite_held(home / "chroma" / "chroma.sqlite3", held_s):
        bot = Briefbot(Settings(home=home), embedder=embedder)
        if busy:
            with pytest.raises(StoreError, match="is busy") as e:
                bot.store.names()
            assert "\n" not in str(e.value)
        else:
            assert bot.store.names() == ["keep", "target"]
    assert not list(home.glob("chroma.broken-*"))
    close_chroma()
    assert_unchanged(home, base["snap"], "keep")


# ---- two processes ------------------------------------------------------------------------------


def test_a_second_writer_on_an_embedded_store_is_refused_and_nothing_lost(
    base: dict[str, Any],
    home: Path,
    embedder,  # noqa: ANN001
) -> None:
    owner = Briefbot(Settings(home=home), embedder=embedder)  # this process owns the store
    assert owner.store.names() == ["keep", "target"]
    done = shim("remove", "keep", home=home, fault="")
    assert "another briefbot process" in error_line(done)
    assert_unchanged(home, base["snap"], "keep")
    assert manifest_names(home) == {"keep", "target"}


# ---- a Chroma server ----------------------------------------------------------------------------


def chroma_server(data: Path, port: int) -> contextlib.AbstractContextManager[str]:
    """`chroma run` on `port` with `data` (kept: a restart finds what was stored)."""
    from bot.dev.bench_scale import running_chroma

    return running_chroma(lambda _msg: None, data, port)


def server_records(url: str, name: str) -> list[tuple[str, str]]:
    import chromadb

    host, port = url.removeprefix("http://").split(":")
    col = chromadb.HttpClient(host=host, port=int(port)).get_collection(f"bb-{name}")
    got = col.get(include=["documents"])
    return sorted(zip(got["ids"], got["documents"] or [], strict=True))


def test_chroma_server_down_then_restarted(tmp_path: Path, embedder) -> None:  # noqa: ANN001
    data, port = tmp_path / "chroma-data", free_port()
    said: list[str] = []
    with chroma_server(data, port) as url:
        bot = Briefbot(Settings(home=tmp_path / "home", chroma_url=url), embedder=embedder,
                       progress=said.append)  # fmt: skip
        bot.index_article(KEEP, "keep")
        before = server_records(url, "keep")
    with pytest.raises(StoreError) as down:  # the server went away mid-run
        bot.index_article(TARGET, "target")
    assert f"the Chroma server at {url} failed" in str(down.value) and "\n" not in str(down.value)
    with pytest.raises(StoreError, match="Chroma server"):
        bot.ask("How many ships were waiting?", "keep")
    with chroma_server(data, port):  # restarted on the same data: the same process carries on
        assert server_records(url, "keep") == before
        assert bot.ask("How many ships were waiting?", "keep").short_answer == "40"
        bot.index_article(TARGET, "target")
        assert bot.ask("How much did the repairs cost?", "target").citations[0].passage == "¶2"
        assert manifest_names(tmp_path / "home") == {"keep", "target"}


def test_concurrent_writers_through_a_server_keep_every_manifest_entry(
    tmp_path: Path, base: dict[str, Any]
) -> None:
    home, meet = tmp_path / "home", tmp_path / "meet"
    meet.mkdir()
    second = tmp_path / "second.txt"
    second.write_text(EXTRA_TEXT.replace("Library extends hours", "Pool opens"), encoding="utf-8")
    with chroma_server(tmp_path / "chroma-data", free_port()) as url:
        env = briefbot_env(home, BRIEFBOT_FAULT=f"meet:{meet}", BRIEFBOT_CHROMA_URL=url)
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "tests" / "faultshim.py"),
                    "add",
                    str(path),
                    "--name",
                    name,
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for path, name in ((base["extra"], "extra"), (second, "pool"))
        ]
        for p in procs:
            out, err = p.communicate(timeout=600)
            assert p.returncode == 0, err[-2000:]
        assert len(list(meet.glob("arrived-*"))) == 2  # both writers reached the manifest
        assert manifest_names(home) == {"extra", "pool"}
        assert server_records(url, "extra") and server_records(url, "pool")
