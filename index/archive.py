"""The article archive: each article's parsed text (`articles/NAME.json`, from which any index
can be rebuilt), the manifest (`manifest.json`: what is stored, with which Chroma and which
embedder) and the rules for article names.

Every file is written durably and atomically: a temp file beside it, fsync, rename over the
old one, fsync of the folder, so a crash or a full disk leaves the old file or the new one,
never half of one. A file that cannot be parsed is never overwritten: it is renamed to
`NAME.damaged-TIME` beside where it was, and the caller says so in one line.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from contextlib import suppress
from dataclasses import asdict
from pathlib import Path
from typing import Any

from index.ingest import Article

MANIFEST = "manifest.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}[a-z0-9]$|^[a-z0-9]$")


class StoreError(RuntimeError):
    """A store problem the user can act on; the message says what to do."""


class DamagedFile(StoreError):
    """A file of the store that exists but cannot be parsed; it has been moved aside."""

    def __init__(self, path: Path, aside: Path | None, reason: str) -> None:
        kept = f"kept it as {aside.name}" if aside else "it could not be moved aside"
        super().__init__(f"{path} is damaged ({reason}); {kept}")
        self.path, self.aside, self.reason = path, aside, reason


def slugify(text: str, max_words: int = 6) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:max_words]
    return "-".join(words)[:64].strip("-") or "article"


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise StoreError(
            f"invalid article name {name[:80]!r}: use 1-64 lowercase letters, digits, '.', '_' "
            "or '-', starting and ending with a letter or digit"
        )
    return name


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` durably: the old content stays whole if anything fails."""
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
        fsync_dir(path.parent)
    except OSError as e:
        raise StoreError(f"cannot write {path}: {e.strerror or e}; it was left as it was") from e
    finally:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in `folder` durable (POSIX; a no-op where folders can't be
    opened)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_aside(path: Path, reason: str) -> DamagedFile:
    """Rename a damaged file to `NAME.damaged-TIME` (never deleted, never overwritten)."""
    aside: Path | None = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    assert aside is not None
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
    try:
        os.replace(path, aside)
        fsync_dir(path.parent)
    except OSError:
        aside = None
    return DamagedFile(path, aside, reason)


def _read_json(path: Path, move: bool = True) -> Any | None:
    """The parsed file, None when it does not exist. A file that exists but does not parse is
    moved aside (DamagedFile); one that cannot be read is a StoreError (not damage: a
    permission or I/O problem must not cost the file)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise StoreError(f"cannot read {path}: {e.strerror or e}") from e
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError as e:  # JSONDecodeError and UnicodeDecodeError
        reason = f"{type(e).__name__} at byte {_position(e)}"
        raise (move_aside(path, reason) if move else DamagedFile(path, None, reason)) from e


def _position(e: ValueError) -> int:
    return int(getattr(e, "pos", None) or getattr(e, "start", 0) or 0)


def article_from_json(data: Any) -> Article:
    """An Article from its saved form (TypeError/KeyError/ValueError when it is not one)."""
    if not isinstance(data, dict) or not isinstance(data.get("paragraphs"), list):
        raise ValueError("not a saved article")
    fields = dict(data)
    fields["paragraphs"] = tuple(str(p) for p in fields["paragraphs"])
    fields["notes"] = tuple(fields.get("notes") or ())
    return Article(**fields)


class ArticleArchive:
    """`home/articles/NAME.json` and `home/manifest.json`."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.folder = self.home / "articles"

    def path(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}.json"

    def names(self) -> list[str]:
        """Articles whose text is kept here (indexed or not)."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.json") if _NAME.match(p.stem))

    def read(self, name: str) -> Article | None:
        """The saved article; None when there is none. Raises DamagedFile (after moving the
        file aside) when it exists but is not a whole article."""
        path = self.path(name)
        data = _read_json(path)
        if data is None:
            return None
        try:
            return article_from_json(data)
        except (TypeError, KeyError, ValueError) as e:
            raise move_aside(path, f"not a saved article: {type(e).__name__}") from e

    def save(self, name: str, article: Article) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create {self.folder}: {e.strerror or e}") from e
        atomic_write(self.path(name), json.dumps(asdict(article), ensure_ascii=False, indent=1))

    def delete(self, name: str) -> None:
        path = self.path(name)
        try:
            path.unlink(missing_ok=True)
            if self.folder.is_dir():
                fsync_dir(self.folder)
        except OSError as e:
            raise StoreError(f"cannot delete {path}: {e.strerror or e}") from e

    # ---- the manifest --------------------------------------------------------------------

    @property
    def manifest_path(self) -> Path:
        return self.home / MANIFEST

    def read_manifest(self, move: bool = True) -> dict[str, Any]:
        """The manifest ({} when there is none); DamagedFile when it is not one (moved aside
        unless `move` is false)."""
        data = _read_json(self.manifest_path, move)
        if data is None:
            return {}
        if not isinstance(data, dict) or not isinstance(data.get("articles", {}), dict):
            if not move:
                raise DamagedFile(self.manifest_path, None, "not a manifest")
            raise move_aside(self.manifest_path, "not a manifest")
        return data

    def peek_chroma_version(self) -> str:
        """The Chroma version that last wrote the store, "" when unknown; reads only."""
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        return str(data.get("chromadb_version") or "") if isinstance(data, dict) else ""

    def write_manifest(self, data: dict[str, Any]) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create {self.home}: {e.strerror or e}") from e
        atomic_write(self.manifest_path, json.dumps(data, ensure_ascii=False, indent=1))
