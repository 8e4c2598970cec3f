"""The store: what the rest of briefbot uses, one thin facade over three parts.

- `index.archive`: each article's parsed text, the manifest, article names (durable writes;
  a damaged file is kept aside, said so in one line, and rebuilt from what is intact);
- `index.storelock`: the store lock (one process per embedded store) and the manifest lock;
- `index.vectors` (with `index.records`): the Chroma collections and their records.

Record ids are content hashes and every write is an upsert, so indexing the same text twice
changes nothing and re-indexing changed text embeds only what changed and drops what went
stale. Collection metadata records the embedding model and its dimension; an index built
with another model is rebuilt, never mixed. Chroma's own embedding function (which would
download a model) is never used: vectors always come from our `Embedder`.

What a crash can leave, and how it is repaired: the saved text is written before any vector
and the article's fingerprint after the last one, so an article cut short is rebuilt from its
saved text when next used; a removal drops the vectors (fingerprint first) before the saved
text, so one cut short leaves the article whole or rebuilt, never half.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.archive import MANIFEST, ArticleArchive, DamagedFile, StoreError, check_name, slugify
from index.embed import Embedder
from index.ingest import Article
from index.passages import Passage
from index.records import article_from_meta, from_records, paragraphs_from, to_records
from index.storelock import lock_home, manifest_lock
from index.vectors import PASSAGES, SCHEMA, VectorIndex, meta

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

__all__ = [
    "MANIFEST",
    "SCHEMA",
    "IndexReport",
    "Store",
    "StoreError",
    "StoredArticle",
    "check_name",
    "lock_home",
    "slugify",
]

Progress = Callable[[str], None]


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
        self._say = progress or (lambda _msg: None)
        self.archive = ArticleArchive(self.home)
        self.vectors = VectorIndex(
            self.home,
            embedder,
            chroma_url,
            say=self._say,
            written_by=self.archive.peek_chroma_version,
            before_open=lambda: lock_home(self.home),
            opened=client,
        )
        self._manifest_checked = False

    @property
    def client(self) -> ClientAPI:
        return self._open()

    def _open(self) -> ClientAPI:
        """The Chroma client, opened (and the store locked) on first use."""
        client = self.vectors.client
        if not self._manifest_checked:
            self._manifest_checked = True
            self.manifest()  # a damaged manifest is said and repaired at once
        return client

    # ---- reading -------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Fully indexed articles. A write cut short (its fingerprint is written last) is not
        listed; it is rebuilt from its saved text when used or re-added."""
        self._open()
        return self.vectors.names()

    def has(self, name: str) -> bool:
        """Fully indexed (one lookup, whatever the number of articles stored)."""
        check_name(name)
        self._open()
        return bool(self.vectors.fingerprint(name))

    def is_current(self, name: str, article: Article) -> bool:
        """True when `name` already holds exactly this article, built with this embedder."""
        col = self._collection(name)
        return (
            col is not None
            and self.vectors.compatible(col)
            and meta(col).get("fingerprint") == article.fingerprint
        )

    def load(self, name: str) -> StoredArticle:
        check_name(name)
        self._open()
        col_meta, docs, metas = self.vectors.records(name)
        article = self.saved_article(name) or article_from_meta(col_meta)
        return StoredArticle(name, article, tuple(from_records(docs, metas)))

    def dense_search(
        self, name: str, vector: list[float], kind: str, k: int
    ) -> list[tuple[str, int, float]]:
        """Nearest `kind` records ("passage" or "sentence"): (passage id, sentence order or -1,
        cosine similarity), best first."""
        check_name(name)
        self._open()
        return [
            (str(m["pid"]), int(m["order"]) if kind == "sentence" else -1, m["similarity"])
            for m in self.vectors.query(name, vector, kind, k)
        ]

    def saved_names(self) -> list[str]:
        """Articles whose text is kept here (indexed or not)."""
        return self.archive.names()

    def saved_article(self, name: str) -> Article | None:
        """The parsed article kept beside the index (used to rebuild it). A damaged copy is
        kept aside and, when the index holds the whole article (its fingerprint checks), the
        saved text is rebuilt from it."""
        try:
            return self.archive.read(name)
        except DamagedFile as e:
            recovered = self._article_from_index(name)
            if recovered is None:
                self._say(f"{e}; the index holds no whole copy of it: add the article again")
                return None
            self.archive.save(name, recovered)
            self._say(f"{e}; rebuilt it from the index")
            return recovered

    def _article_from_index(self, name: str) -> Article | None:
        col = self._collection(name)
        fingerprint = meta(col).get("fingerprint") if col is not None else None
        if not fingerprint:
            return None
        col_meta, docs, metas = self.vectors.records(name)
        article = article_from_meta(col_meta, paragraphs_from(from_records(docs, metas)))
        return article if article.fingerprint == fingerprint else None

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
        self._open()
        self.archive.save(name, article)  # first: everything else can be rebuilt from it
        added, updated, removed, rebuilt = self.vectors.write(
            name, article, to_records(passages), say
        )
        self._record(name, article, len(passages))
        return IndexReport(name, added, updated, removed, False, rebuilt)

    def remove(self, name: str) -> None:
        """Remove the article's records (all of them: the whole collection) and saved text."""
        if self._collection(name) is None and not self.archive.path(name).exists():
            raise StoreError(f"no article named {name!r}; `briefbot list` shows the indexed ones")
        self.vectors.drop(name)
        self.archive.delete(name)
        self._record(name, None)

    def drop_vectors(self, name: str) -> None:
        """Delete the collections only (the saved text stays), so they can be rebuilt."""
        check_name(name)
        self._open()
        self.vectors.drop(name)

    # ---- the manifest: what is stored, with which Chroma and which embedder ----------------

    def manifest(self) -> dict[str, Any]:
        """The manifest; a damaged one is kept aside and rebuilt from what is intact."""
        try:
            return self.archive.read_manifest(move=False)
        except DamagedFile:
            with manifest_lock(self.home):
                return self._locked_manifest()

    def _locked_manifest(self) -> dict[str, Any]:
        """The manifest, read under the manifest lock (a damaged one repaired)."""
        try:
            return self.archive.read_manifest()
        except DamagedFile as e:
            self._say(f"{e}; rebuilt it from the saved articles and the index")
            data = self._rebuilt_manifest()
            self.archive.write_manifest(data)
            return data

    def _record(self, name: str, article: Article | None, n_passages: int = 0) -> None:
        with manifest_lock(self.home):  # read-change-write: no other writer's entry is lost
            data = self._locked_manifest()
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
            data.update(self._versions())
            data["articles"] = articles
            self.archive.write_manifest(data)

    def _rebuilt_manifest(self) -> dict[str, Any]:
        """A manifest from the saved articles and the index (for one that was damaged)."""
        articles: dict[str, Any] = {}
        for name in self.archive.names():
            article = self.saved_article(name)
            if article is None:
                continue
            col = self._collection(name)
            current = col is not None and meta(col).get("fingerprint") == article.fingerprint
            articles[name] = {
                "title": article.title,
                "fingerprint": article.fingerprint,
                "passages": col.count() if current and col is not None else None,
                "indexed_at": None,  # not known any more
            }
        return {**self._versions(), "articles": articles}

    def _versions(self) -> dict[str, Any]:
        import chromadb

        return {"chromadb_version": chromadb.__version__, **self.vectors.model_meta()}

    # ---- helpers -------------------------------------------------------------------------

    def _collection(self, name: str, prefix: str = PASSAGES) -> Collection | None:
        check_name(name)
        self._open()
        with self.vectors.guard(f"reading {name}"):
            return self.vectors.collection(name, prefix)
