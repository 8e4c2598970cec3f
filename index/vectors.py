"""The vector index: one Chroma collection of passages per article (its metadata carries the
article's fingerprint, written last) and one of sentences, in a `PersistentClient` under
`home/chroma` or on a Chroma server.

Opening tells damage from trouble that passes: when Chroma cannot open the embedded database,
SQLite itself is asked (read-only) what is wrong. Only a database SQLite calls corrupt or not a
database (or one written by a newer Chroma) is moved aside and rebuilt from the saved texts; a
busy database is retried and then reported, never moved.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.archive import StoreError
from index.embed import Embedder
from index.ingest import Article
from index.records import Record, article_meta

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

PASSAGES = "bb-"  # passages, and the article's metadata (fingerprint last)
SENTENCES = "bbs-"  # sentences: a collection of their own, so no query needs a filter
SCHEMA = 2  # bump when the record layout changes: older collections are rebuilt
OPEN_TRIES = 3  # a busy embedded database is tried this many times, a second apart

Say = Callable[[str], None]


def sqlite_trouble(db: Path) -> tuple[str, str]:
    """("ok" | "busy" | "damaged" | "unreadable", detail) for an SQLite file, asked read-only
    through SQLite's own error codes (never by matching message text)."""
    if not db.exists():
        return "ok", "no database yet"
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        code = getattr(e, "sqlite_errorcode", None)
        name = getattr(e, "sqlite_errorname", type(e).__name__)
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return "busy", str(name)
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return "damaged", str(name)
        return "unreadable", str(name)
    if not row or row[0] != "ok":
        return "damaged", f"quick_check: {str(row[0] if row else None)[:80]}"
    return "ok", "quick_check ok"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text[:160]}" if text else type(e).__name__


def _quiet(_msg: str) -> None:
    pass


def _unknown() -> str:
    return ""


def _nothing() -> None:
    pass


@dataclass
class VectorIndex:
    """The Chroma side of the store; `opened` is a client to use instead of opening one."""

    home: Path
    embedder: Embedder
    chroma_url: str | None = None
    say: Say = _quiet
    written_by: Callable[[], str] = _unknown  # the Chroma version that last wrote the store
    before_open: Callable[[], None] = _nothing  # takes the store lock
    opened: ClientAPI | None = None
    moved_aside: Path | None = None

    @property
    def client(self) -> ClientAPI:
        if self.opened is None:
            self.opened = self._server() if self.chroma_url else self._embedded()
        return self.opened

    # ---- opening -------------------------------------------------------------------------

    def _server(self) -> ClientAPI:
        from urllib.parse import urlsplit

        import chromadb
        from chromadb.config import Settings

        url = urlsplit(str(self.chroma_url))
        if url.scheme not in ("http", "https") or not url.hostname:
            raise StoreError(f"--chroma-url {self.chroma_url!r}: use http://HOST:PORT")
        try:
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=Settings(anonymized_telemetry=False),
            )
            client.heartbeat()
        except Exception as e:
            raise StoreError(
                f"cannot reach the Chroma server at {self.chroma_url} ({type(e).__name__}); "
                "is `chroma run` started?"
            ) from e
        return client

    def _embedded(self) -> ClientAPI:
        import chromadb
        from chromadb.api.client import SharedSystemClient
        from chromadb.config import Settings

        path = self.home / "chroma"
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create the data directory {path}: {e.strerror}") from e
        self.before_open()
        settings = Settings(anonymized_telemetry=False)
        written_by = self.written_by()
        if written_by and _version(written_by) > _version(chromadb.__version__):
            # Chroma's on-disk upgrades are one-way: an older Chroma must not open it.
            reason = (
                f"written by Chroma {written_by}, newer than the installed {chromadb.__version__}"
            )
        else:
            for attempt in range(1, OPEN_TRIES + 1):
                try:
                    client = chromadb.PersistentClient(path=str(path), settings=settings)
                    client.list_collections()
                    return client
                except Exception as e:
                    SharedSystemClient.clear_system_cache()
                    state, detail = sqlite_trouble(path / "chroma.sqlite3")
                    if state == "damaged":
                        reason = f"{detail}; Chroma said {_one_line(e)}"
                        break
                    if state == "busy" and attempt < OPEN_TRIES:
                        time.sleep(1.0)
                        continue
                    what = "is busy (locked by another program)" if state == "busy" else (
                        f"cannot be opened ({_one_line(e)}; SQLite: {detail})"
                    )  # fmt: skip
                    raise StoreError(
                        f"the index in {path} {what}; it was left as it is: try again once "
                        "that is fixed"
                    ) from e
        return self._move_aside_and_start(path, reason, settings)

    def _move_aside_and_start(self, path: Path, reason: str, settings: Any) -> ClientAPI:
        import chromadb
        from chromadb.api.client import SharedSystemClient

        aside = path.with_name(f"chroma.broken-{int(time.time())}")
        SharedSystemClient.clear_system_cache()
        try:
            path.rename(aside)
        except OSError as e:
            raise StoreError(
                f"the index in {path} cannot be opened ({reason}) and cannot be moved aside: "
                f"{e.strerror}; delete it, then run `briefbot reindex`"
            ) from e
        self.moved_aside = aside
        self.say(
            f"the index in {path} could not be opened ({reason}); moved it to {aside.name} and "
            "starting a new one: articles are rebuilt from their saved text as they are used"
        )
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=settings)

    # ---- errors while running ------------------------------------------------------------

    @contextmanager
    def guard(self, doing: str) -> Iterator[None]:
        """Chroma failures after opening (a server gone, a full disk) as one clear line. What
        was written before stays; the article's fingerprint is written last, so a write cut
        short is redone from the saved text next time."""
        from chromadb.errors import ChromaError

        try:
            yield
        except StoreError:
            raise
        except (ChromaError, OSError, ConnectionError) as e:
            raise StoreError(self._failure(doing, e)) from e
        except Exception as e:
            if not self._is_transport(e):
                raise
            raise StoreError(self._failure(doing, e)) from e

    def _failure(self, doing: str, e: BaseException) -> str:
        where = f"the Chroma server at {self.chroma_url}" if self.chroma_url else "the index"
        return (
            f"{doing}: {where} failed ({_one_line(e)}); nothing already stored was lost: run "
            "the command again once it is fixed"
        )

    @staticmethod
    def _is_transport(e: BaseException) -> bool:
        import httpx

        return isinstance(e, httpx.TransportError | httpx.HTTPStatusError)

    # ---- collections ---------------------------------------------------------------------

    def collection(self, name: str, prefix: str = PASSAGES) -> Collection | None:
        from chromadb.errors import NotFoundError

        try:
            return self.client.get_collection(prefix + name, embedding_function=None)
        except NotFoundError:
            return None

    def create(self, name: str, prefix: str) -> Collection:
        return self.client.create_collection(
            prefix + name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"briefbot": name, "fingerprint": "", **self.model_meta()},
            embedding_function=None,
        )

    def names(self) -> list[str]:
        """Fully indexed articles (a write cut short has no fingerprint yet)."""
        with self.guard("listing the articles"):
            cols = self.client.list_collections()
        return sorted(
            c.name[len(PASSAGES) :]
            for c in cols
            if c.name.startswith(PASSAGES) and (c.metadata or {}).get("fingerprint")
        )

    def fingerprint(self, name: str) -> str:
        """The fingerprint of the indexed article ("" when not fully indexed)."""
        with self.guard(f"reading {name}"):
            col = self.collection(name)
        return str(meta(col).get("fingerprint") or "") if col is not None else ""

    def model_meta(self) -> dict[str, Any]:
        return {"embed_model": self.embedder.name, "embed_dim": self.embedder.dim, "schema": SCHEMA}

    def compatible(self, col: Collection) -> bool:
        m = meta(col)
        return all(m.get(k) == v for k, v in self.model_meta().items())

    def drop(self, name: str) -> None:
        """Delete both collections of `name`. The passages (with the fingerprint) go first: a
        drop cut short never leaves an article that looks whole without its sentences."""
        from chromadb.errors import NotFoundError

        with self.guard(f"removing the vectors of {name}"):
            for prefix in (PASSAGES, SENTENCES):
                with suppress(NotFoundError):
                    self.client.delete_collection(prefix + name)

    def records(self, name: str) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
        """(passage collection metadata, documents, record metadata) of both collections."""
        with self.guard(f"reading {name}"):
            col = self.collection(name)
            if col is None:
                raise StoreError(
                    f"no article named {name!r}; `briefbot list` shows the indexed ones"
                )
            got = col.get(include=["documents", "metadatas"])
            docs = list(got["documents"] or [])
            metas = [dict(m) for m in got["metadatas"] or []]
            sent_col = self.collection(name, SENTENCES)
            if sent_col is not None:
                more = sent_col.get(include=["documents", "metadatas"])
                docs += list(more["documents"] or [])
                metas += [dict(m) for m in more["metadatas"] or []]
        return meta(col), docs, metas

    def query(self, name: str, vector: list[float], kind: str, k: int) -> list[dict[str, Any]]:
        with self.guard(f"searching {name}"):
            col = self.collection(name, SENTENCES if kind == "sentence" else PASSAGES)
            if col is None:
                raise StoreError(f"no article named {name!r}")
            res = col.query(  # Chroma (pinned) returns fewer than k, or none, without complaint
                query_embeddings=[vector],  # type: ignore[arg-type]
                n_results=k,
                include=["metadatas", "distances"],
            )
        metas = (res["metadatas"] or [[]])[0]
        dists = (res["distances"] or [[]])[0]
        return [{**m, "similarity": 1.0 - float(d)} for m, d in zip(metas, dists, strict=True)]

    # ---- writing -------------------------------------------------------------------------

    def write(
        self, name: str, article: Article, records: list[Record], say: Say
    ) -> tuple[int, int, int, bool]:
        """Make the collections of `name` hold exactly `records`: embed only new ones.
        Returns (added, updated, removed, rebuilt)."""
        with self.guard(f"indexing {name}"):
            rebuilt = False
            col = self.collection(name)
            if col is not None and not self.compatible(col):
                old = meta(col)
                say(
                    f"{name}: index was built with {old.get('embed_model')} "
                    f"({old.get('embed_dim')} dims, schema {old.get('schema')}); rebuilding with "
                    f"{self.embedder.name} ({self.embedder.dim} dims)"
                )
                self.drop(name)
                col, rebuilt = None, True
            col = col or self.create(name, PASSAGES)
            sent_col = self.collection(name, SENTENCES) or self.create(name, SENTENCES)
            plan = [
                (c, _plan(c, [r for r in records if r[2]["kind"] == kind]))
                for c, kind in ((col, "passage"), (sent_col, "sentence"))
            ]
            new_total = sum(len(new) for _, (new, _, _) in plan)
            if new_total:
                say(f"{name}: embedding {new_total} passages and sentences")
            for c, (new, moved, stale) in plan:
                if new:
                    vectors = self.embedder.embed([r[1] for r in new])
                    for i in range(0, len(new), 1000):
                        batch = new[i : i + 1000]
                        c.upsert(
                            ids=[r[0] for r in batch],
                            documents=[r[1] for r in batch],
                            metadatas=[r[2] for r in batch],
                            embeddings=vectors[i : i + 1000],
                        )
                if moved:
                    c.update(ids=[r[0] for r in moved], metadatas=[r[2] for r in moved])
                if stale:
                    c.delete(ids=stale)
            # The fingerprint goes last: a write cut short leaves a mismatch, so it is redone.
            col.modify(
                metadata={
                    **article_meta(article),
                    "briefbot": name,
                    "fingerprint": article.fingerprint,
                    **self.model_meta(),
                }
            )
        moved_total = sum(len(m) for _, (_, m, _) in plan)
        stale_total = sum(len(st) for _, (_, _, st) in plan)
        return new_total, moved_total, stale_total, rebuilt


def _plan(col: Collection, records: list[Record]) -> tuple[list[Record], list[Record], list[str]]:
    """(records to embed, records whose metadata changed, stale ids) for one collection."""
    existing = col.get(include=["metadatas"])
    have = dict(zip(existing["ids"], existing["metadatas"] or [], strict=True))
    new = [r for r in records if r[0] not in have]
    moved = [r for r in records if r[0] in have and dict(have[r[0]]) != r[2]]
    stale = sorted(set(have) - {r[0] for r in records})
    return new, moved, stale


def meta(col: Collection) -> dict[str, Any]:
    return dict(col.metadata or {})
