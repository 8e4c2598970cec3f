"""The store lock (`filelock`, so it works on every platform).

- `lock_home`: one process owns an embedded store. A second one gets a clear error at once
  instead of the hangs and inconsistent reads of two Chroma clients on one directory. The lock
  is held until the process exits (the OS releases it even after kill -9).
- `manifest_lock`: a short lock around each read-change-write of the manifest, so processes
  sharing one data directory with a Chroma server never lose each other's entries.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from index.archive import StoreError

LOCK_FILE = "briefbot.lock"
MANIFEST_LOCK = ".manifest.lock"
_HELD: dict[str, Any] = {}  # store locks this process holds, by path
_MANIFEST_THREADS = threading.Lock()


def _write_pid(fd: int) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, str(os.getpid()).encode())


def lock_home(home: Path) -> None:
    """Own the store in `home` for the life of this process (StoreError when another has it)."""
    from filelock import FileLock, Timeout

    path = (Path(home) / LOCK_FILE).resolve()
    if str(path) in _HELD:
        return
    lock = FileLock(path, thread_local=False, on_acquired=_write_pid)
    try:
        lock.acquire(blocking=False)
    except Timeout as e:
        try:
            owner = path.read_text(encoding="utf-8").strip()[:20]
        except OSError:
            owner = ""
        who = f" (pid {owner})" if owner else ""
        raise StoreError(
            f"another briefbot process{who} is using the data directory {home}; stop it, use "
            "another --home, or share one store through a Chroma server (--chroma-url)"
        ) from e
    except OSError as e:
        raise StoreError(
            f"cannot lock the data directory {home}: {e.strerror or e}; it must be writable"
        ) from e
    _HELD[str(path)] = lock


@contextmanager
def manifest_lock(home: Path, timeout: float = 60.0) -> Iterator[None]:
    """Held around one read-change-write of the manifest (threads and processes)."""
    from filelock import FileLock, Timeout

    with _MANIFEST_THREADS:
        lock = FileLock(Path(home) / MANIFEST_LOCK, timeout=timeout, thread_local=False)
        try:
            lock.acquire()
        except Timeout as e:
            raise StoreError(
                f"the manifest in {home} stayed locked for {timeout:.0f} s; try again"
            ) from e
        except OSError as e:
            raise StoreError(f"cannot lock {home / MANIFEST_LOCK}: {e.strerror or e}") from e
        try:
            yield
        finally:
            lock.release()
