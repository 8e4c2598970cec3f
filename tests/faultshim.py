"""`python tests/faultshim.py ARGS`: `briefbot ARGS` with a fault injected (for test_faults.py).

BRIEFBOT_FAULT picks the fault:
- `kill:POINT:N`  SIGKILL this process on the Nth call of POINT, before the call runs;
- `enospc:fsync`  every fsync fails with ENOSPC (a full disk as the store's own files see it);
- `meet:DIR`      the manifest is written only once two processes have reached it (markers in
  DIR), so two writers surely overlap; a store without a manifest lock then loses one entry.

POINTs: `save` (a saved article is written), `upsert` (records go into a collection), `modify`
(the fingerprint is written), `manifest` (the manifest is written), `drop` (a collection is
deleted), `unlink` (a saved article is deleted).
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _kill_on(owner: Any, attr: str, nth: int) -> None:
    original = getattr(owner, attr)
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == nth:
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)

    setattr(owner, attr, wrapper)


def _points() -> dict[str, tuple[Any, str]]:
    from chromadb.api.client import Client
    from chromadb.api.models.Collection import Collection

    import index.archive

    return {
        "save": (index.archive.ArticleArchive, "save"),
        "upsert": (Collection, "upsert"),
        "modify": (Collection, "modify"),
        "manifest": (index.archive.ArticleArchive, "write_manifest"),
        "drop": (Client, "delete_collection"),
        "unlink": (index.archive.ArticleArchive, "delete"),
    }


def _enospc(*_args: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _meet(folder: Path) -> None:
    import index.archive
    import index.store

    record: Callable[..., None] = index.store.Store._record
    write: Callable[..., None] = index.archive.ArticleArchive.write_manifest

    def arrive(self: Any, *args: Any, **kwargs: Any) -> None:
        (folder / f"arrived-{os.getpid()}").touch()
        record(self, *args, **kwargs)

    def wait_then_write(self: Any, data: Any) -> None:
        deadline = time.monotonic() + 120
        while len(list(folder.glob("arrived-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # the other writer, if not locked out, reads the manifest meanwhile
        write(self, data)

    index.store.Store._record = arrive  # type: ignore[method-assign]
    index.archive.ArticleArchive.write_manifest = wait_then_write  # type: ignore[method-assign]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    fault = os.environ.get("BRIEFBOT_FAULT", "")
    kind, _, rest = fault.partition(":")
    if kind == "kill":
        point, _, nth = rest.partition(":")
        owner, attr = _points()[point]
        _kill_on(owner, attr, int(nth or 1))
    elif kind == "enospc":
        os.fsync = _enospc
    elif kind == "meet":
        _meet(Path(rest))
    from bot.app.cli import main as briefbot

    return briefbot(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
