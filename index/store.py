"""The vector store: one Chroma collection per article, passages and sentences as records.

Record ids are content hashes and every write is an upsert, so indexing the same text twice
changes nothing and re-indexing changed text embeds only what changed and drops what went
stale. Collection metadata records the embedding model and its dimension; an index built
with another model is rebuilt, never mixed. Chroma's own embedding function (which would
download a model) is never used: vectors always come from our `Embedder`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.embed import Embedder
from index.ingest import Article
from index.passages import Mention, Passage, Sentence

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

_PREFIX = "bb-"  # passages, and the article's metadata (fingerprint last)
_SENTENCES = "bbs-"  # sentences: a collection of their own, so no query needs a filter
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}[a-z0-9]$|^[a-z0-9]$")
MANIFEST = "manifest.json"
SCHEMA = 2  # bump when the record layout changes: older collections are rebuilt

Progress = Callable[[str], None]


class StoreError(RuntimeError):
    """A store problem the user can act on; the message says what to do."""


@dataclass(frozen=True)
class IndexReport:
    name: str
    added: int
    updated: int
    removed: int
    unchanged: bool
    rebuilt: bool = False


@dataclass(frozen=True)
class StoredArticle:
    name: str
    article: Article
    passages: tuple[Passage, ...]

    def passage(self, pid: str) -> Passage:
        for p in self.passages:
            if p.id == pid:
                return p
        raise KeyError(pid)


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


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


_HELD_LOCKS: dict[str, Any] = {}  # lock files this process holds, by path


def lock_home(home: Path) -> None:
    """One process owns an embedded store. A second one gets a clear error at once instead of
    the hangs and inconsistent reads of two Chroma clients on one directory. The lock is held
    until the process exits (the kernel releases it even after kill -9)."""
    path = (home / "briefbot.lock").resolve()
    if str(path) in _HELD_LOCKS:
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (documented in the README)
        return
    f = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        f.seek(0)
        owner = f.read().strip()[:20]
        f.close()
        who = f" (pid {owner})" if owner else ""
        raise StoreError(
            f"another briefbot process{who} is using the data directory {home}; stop it, use "
            "another --home, or share one store through a Chroma server (--chroma-url)"
        ) from e
    f.seek(0)
    f.truncate()
    f.write(str(os.getpid()))
    f.flush()
    _HELD_LOCKS[str(path)] = f


class Store:
    """Articles in a Chroma `PersistentClient` under `home` (or a Chroma server at
    `chroma_url`), plus each article's parsed text (`articles/NAME.json`) so any index can be
    rebuilt from it."""

    def __init__(
        self,
        home: Path,
        embedder: Embedder,
        client: ClientAPI | None = None,
        chroma_url: str | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.home = Path(home)
        self.embedder = embedder
        self.chroma_url = chroma_url
        self._client = client
        self._say = progress or (lambda _msg: None)

    @property
    def client(self) -> ClientAPI:
        if self._client is None:
            self._client = self._server() if self.chroma_url else self._embedded()
        return self._client

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
            raise StoreError(f"cannot create the data directory {path}: {e}") from e
        lock_home(self.home)
        settings = Settings(anonymized_telemetry=False)
        written_by = str(self.manifest().get("chromadb_version") or "")
        if written_by and _version(written_by) > _version(chromadb.__version__):
            # Chroma's on-disk upgrades are one-way: an older Chroma must not open it.
            reason = (
                f"written by Chroma {written_by}, newer than the installed {chromadb.__version__}"
            )
        else:
            try:
                client = chromadb.PersistentClient(path=str(path), settings=settings)
                client.list_collections()
                return client
            except Exception as e:  # damaged, or written by an incompatible Chroma
                reason = f"{type(e).__name__}: {str(e)[:160]}"
        aside = path.with_name(f"chroma.broken-{int(time.time())}")
        SharedSystemClient.clear_system_cache()
        try:
            path.rename(aside)
        except OSError as e:
            raise StoreError(
                f"the index in {path} cannot be opened ({reason}) and cannot be moved aside: "
                f"{e.strerror}; delete it, then run `briefbot reindex`"
            ) from e
        self._say(
            f"the index in {path} could not be opened ({reason}); moved it to {aside.name} and "
            "starting a new one: articles are rebuilt from their saved text as they are used"
        )
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=settings)

    # ---- reading -------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Fully indexed articles. A write cut short (its fingerprint is written last) is not
        listed; it is rebuilt from its saved text when used or re-added."""
        cols = self.client.list_collections()
        return sorted(
            c.name[len(_PREFIX) :]
            for c in cols
            if c.name.startswith(_PREFIX) and (c.metadata or {}).get("fingerprint")
        )

    def has(self, name: str) -> bool:
        """Fully indexed (one lookup, whatever the number of articles stored)."""
        col = self._collection(name)
        return col is not None and bool(_meta(col).get("fingerprint"))

    def is_current(self, name: str, article: Article) -> bool:
        """True when `name` already holds exactly this article, built with this embedder."""
        col = self._collection(name)
        return (
            col is not None
            and self._compatible(col)
            and _meta(col).get("fingerprint") == article.fingerprint
        )

    def load(self, name: str) -> StoredArticle:
        col = self._collection(name)
        if col is None:
            raise StoreError(f"no article named {name!r}; `briefbot list` shows the indexed ones")
        meta = _meta(col)
        article = self._read_article_file(name) or _article_from_meta(meta)
        got = col.get(include=["documents", "metadatas"])
        docs = list(got["documents"] or [])
        metas = list(got["metadatas"] or [])
        sent_col = self._collection(name, _SENTENCES)
        if sent_col is not None:
            more = sent_col.get(include=["documents", "metadatas"])
            docs += list(more["documents"] or [])
            metas += list(more["metadatas"] or [])
        passages: dict[str, dict[str, Any]] = {}
        sentences: dict[str, list[tuple[int, Sentence]]] = {}
        for doc, m in zip(docs, metas, strict=True):
            if m["kind"] == "passage":
                passages[str(m["pid"])] = {"text": doc, **m}
            else:
                sentences.setdefault(str(m["pid"]), []).append(
                    (
                        int(m["order"]),  # type: ignore[arg-type]
                        Sentence(
                            int(m["start"]),  # type: ignore[arg-type]
                            int(m["end"]),  # type: ignore[arg-type]
                            doc,
                            _mentions(m.get("ents")),
                            _mentions(m.get("chunks")),
                        ),
                    )
                )
        out = [
            Passage(
                id=pid,
                paragraph=int(p["paragraph"]),
                text=p["text"],
                start=int(p["start"]),
                end=int(p["end"]),
                sentences=tuple(s for _, s in sorted(sentences.get(pid, []))),
            )
            for pid, p in sorted(passages.items(), key=lambda kv: int(kv[1]["order"]))
        ]
        return StoredArticle(name, article, tuple(out))

    def dense_search(
        self, name: str, vector: list[float], kind: str, k: int
    ) -> list[tuple[str, int, float]]:
        """Nearest `kind` records ("passage" or "sentence"): (passage id, sentence order or -1,
        cosine similarity), best first."""
        col = self._collection(name, _SENTENCES if kind == "sentence" else _PREFIX)
        if col is None:
            raise StoreError(f"no article named {name!r}")
        res = col.query(  # Chroma (pinned) returns fewer than k, or none, without complaint
            query_embeddings=[vector],  # type: ignore[arg-type]
            n_results=k,
            include=["metadatas", "distances"],
        )
        metas = (res["metadatas"] or [[]])[0]
        dists = (res["distances"] or [[]])[0]
        return [
            (str(m["pid"]), int(m["order"]) if kind == "sentence" else -1, 1.0 - float(d))  # type: ignore[arg-type]
            for m, d in zip(metas, dists, strict=True)
        ]

    # ---- writing -------------------------------------------------------------------------

    def write(
        self,
        name: str,
        article: Article,
        passages: list[Passage],
        progress: Progress | None = None,
    ) -> IndexReport:
        """Make the collections of `name` hold exactly `article`: embed only new records."""
        check_name(name)
        say = progress or (lambda _msg: None)
        rebuilt = False
        col = self._collection(name)
        if col is not None and not self._compatible(col):
            old = _meta(col)
            say(
                f"{name}: index was built with {old.get('embed_model')} "
                f"({old.get('embed_dim')} dims, schema {old.get('schema')}); rebuilding with "
                f"{self.embedder.name} ({self.embedder.dim} dims)"
            )
            self.drop_vectors(name)
            col, rebuilt = None, True
        col = col or self._create(name, _PREFIX)
        sent_col = self._collection(name, _SENTENCES) or self._create(name, _SENTENCES)
        self._save_article_file(name, article)

        records = _records(passages)
        plan = [
            (c, self._plan(c, [r for r in records if r[2]["kind"] == kind]))
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
                **_article_meta(article),
                "briefbot": name,
                "fingerprint": article.fingerprint,
                **self._model_meta(),
            }
        )
        self._record(name, article, len(passages))
        moved_total = sum(len(m) for _, (_, m, _) in plan)
        stale_total = sum(len(st) for _, (_, _, st) in plan)
        return IndexReport(name, new_total, moved_total, stale_total, False, rebuilt)

    def _create(self, name: str, prefix: str) -> Collection:
        return self.client.create_collection(
            prefix + name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"briefbot": name, "fingerprint": "", **self._model_meta()},
            embedding_function=None,
        )

    @staticmethod
    def _plan(
        col: Collection, records: list[tuple[str, str, dict[str, Any]]]
    ) -> tuple[
        list[tuple[str, str, dict[str, Any]]], list[tuple[str, str, dict[str, Any]]], list[str]
    ]:
        """(records to embed, records whose metadata changed, stale ids) for one collection."""
        existing = col.get(include=["metadatas"])
        have = dict(zip(existing["ids"], existing["metadatas"] or [], strict=True))
        new = [r for r in records if r[0] not in have]
        moved = [r for r in records if r[0] in have and dict(have[r[0]]) != r[2]]
        stale = sorted(set(have) - {r[0] for r in records})
        return new, moved, stale

    def remove(self, name: str) -> None:
        """Remove the article's records (all of them: the whole collection) and saved text."""
        saved = self.home / "articles" / f"{name}.json"
        if self._collection(name) is None and not saved.exists():
            raise StoreError(f"no article named {name!r}; `briefbot list` shows the indexed ones")
        self.drop_vectors(name)
        saved.unlink(missing_ok=True)
        self._record(name, None)

    def saved_names(self) -> list[str]:
        """Articles whose text is kept here (indexed or not)."""
        folder = self.home / "articles"
        return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []

    def drop_vectors(self, name: str) -> None:
        """Delete the collections only (the saved text stays), so they can be rebuilt."""
        for prefix in (_PREFIX, _SENTENCES):
            if self._collection(name, prefix) is not None:
                self.client.delete_collection(prefix + name)

    def saved_article(self, name: str) -> Article | None:
        """The parsed article kept beside the index (used to rebuild it)."""
        return self._read_article_file(name)

    # ---- helpers -------------------------------------------------------------------------

    def _collection(self, name: str, prefix: str = _PREFIX) -> Collection | None:
        check_name(name)
        try:
            return self.client.get_collection(prefix + name, embedding_function=None)
        except Exception as e:  # Chroma raises NotFoundError / ValueError by version
            if "does not exist" in str(e) or "not found" in str(e).lower():
                return None
            raise

    def _model_meta(self) -> dict[str, Any]:
        return {"embed_model": self.embedder.name, "embed_dim": self.embedder.dim, "schema": SCHEMA}

    def _compatible(self, col: Collection) -> bool:
        meta = _meta(col)
        return all(meta.get(k) == v for k, v in self._model_meta().items())

    def _save_article_file(self, name: str, article: Article) -> None:
        folder = self.home / "articles"
        folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(
            folder / f"{name}.json", json.dumps(asdict(article), ensure_ascii=False, indent=1)
        )

    # ---- manifest: what is stored, with which Chroma and which embedder --------------------

    def manifest(self) -> dict[str, Any]:
        try:
            data = json.loads((self.home / MANIFEST).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _record(self, name: str, article: Article | None, n_passages: int = 0) -> None:
        import chromadb

        data = self.manifest()
        articles = dict(data.get("articles") or {})
        if article is None:
            articles.pop(name, None)
        else:
            articles[name] = {
                "title": article.title,
                "fingerprint": article.fingerprint,
                "passages": n_passages,
                "indexed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
        data.update(chromadb_version=chromadb.__version__, **self._model_meta())
        data["articles"] = articles
        self.home.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.home / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1))

    def _read_article_file(self, name: str) -> Article | None:
        path = self.home / "articles" / f"{name}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data["paragraphs"] = tuple(data["paragraphs"])
            data["notes"] = tuple(data.get("notes") or ())
            return Article(**data)
        except (OSError, ValueError, TypeError, KeyError):
            return None


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def _meta(col: Collection) -> dict[str, Any]:
    return dict(col.metadata or {})


def _article_meta(article: Article) -> dict[str, Any]:
    fields = {
        "title": article.title,
        "byline": article.byline,
        "dateline": article.dateline,
        "date": article.date,
        "caption": article.caption,
    }
    return {k: v for k, v in fields.items() if v}


def _article_from_meta(meta: dict[str, Any]) -> Article:
    return Article(
        title=meta.get("title"),
        paragraphs=(),
        byline=meta.get("byline"),
        dateline=meta.get("dateline"),
        date=meta.get("date"),
        caption=meta.get("caption"),
    )


def _mentions(raw: Any) -> tuple[Mention, ...]:
    if not raw:
        return ()
    return tuple((int(a), int(b), str(label)) for a, b, label in json.loads(raw))


def _records(passages: list[Passage]) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, text, metadata) for every passage and sentence; ids hash the text and its
    occurrence number, so identical paragraphs get distinct, stable ids."""
    seen: Counter[str] = Counter()
    out: list[tuple[str, str, dict[str, Any]]] = []
    for order, p in enumerate(passages):
        seen[p.text] += 1
        pkey = _hash("passage", p.text, str(seen[p.text]))
        out.append(
            (
                pkey,
                p.text,
                {
                    "kind": "passage",
                    "pid": p.id,
                    "paragraph": p.paragraph,
                    "order": order,
                    "start": p.start,
                    "end": p.end,
                },
            )
        )
        for i, s in enumerate(p.sentences):
            out.append(
                (
                    _hash("sentence", pkey, s.text, str(i)),
                    s.text,
                    {
                        "kind": "sentence",
                        "pid": p.id,
                        "order": i,
                        "start": s.start,
                        "end": s.end,
                        "ents": json.dumps(s.entities),
                        "chunks": json.dumps(s.chunks),
                    },
                )
            )
    return out
