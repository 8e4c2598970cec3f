"""The articles the engine answers from (`ArticleLibrary`, which `bot.app.engine.Briefbot`
extends): indexing, names, the seed article, what is cached in memory per article and the
locks that keep all of it whole.

Concurrency (the web app calls it from several threads at once):
- Questions, quizzes and briefings are readers: any number run at once. Each article has a
  readers-writer lock; a reader holds its article's read lock only while it loads the article's
  index or queries its vectors (the reader model and the answer's checks run outside it).
- Indexing, re-indexing and removing are writers: one at a time (`_write_lock`; the store keeps
  one manifest), each holding the write lock of its own article only, so questions about other
  articles go on. The spaCy parse runs before any lock is taken; the embedding and the store
  write run under the article's write lock, so an article being rewritten, or dropped and
  rebuilt, is never seen half-done (its readers wait and then see the new version whole).
- `_lock` guards the in-memory caches (dicts) only and is never held through I/O, spaCy or a
  model: a cache entry is built outside it and published whole.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.app.settings import Settings
from bot.qa.retrieve import ArticleIndex
from index.embed import Embedder, MiniLMEmbedder
from index.ingest import Article, parse_article
from index.passages import Passage, build_passages
from index.people import Person
from index.sources import load_source, read_article_file, source_stem
from index.store import IndexReport, Store, StoredArticle, check_name, slugify

if TYPE_CHECKING:
    from bot.brief.briefing import Brief

SEED_FILE = "000_719e86ebed10627c.txt"

Progress = Callable[[str], None]


def seed_article() -> Article:
    """The AP story briefbot ships with, parsed from the package data."""
    text = resources.files("index").joinpath("articles", SEED_FILE).read_text(encoding="utf-8")
    return parse_article(text, source=SEED_FILE)


def default_name(article: Article, fallback: str = "article") -> str:
    return slugify(article.title or fallback)


@dataclass(frozen=True)
class ArticleSummary:
    name: str
    title: str | None
    passages: int
    default: bool


class ArticleLibrary:
    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None,
        store: Store | None,
        progress: Progress | None,
    ) -> None:
        """Set up by `Briefbot`, which passes its own arguments on (None: the defaults)."""
        self.settings = settings
        self.embedder = embedder or MiniLMEmbedder()
        self.progress = progress or (lambda _msg: None)
        self.store = store or Store(
            settings.home, self.embedder, chroma_url=settings.chroma_url, progress=self.progress
        )
        self._indexes: dict[str, ArticleIndex] = {}
        self._people: dict[str, tuple[StoredArticle, tuple[Person, ...]]] = {}
        self._briefs: dict[str, tuple[StoredArticle, Brief]] = {}
        self._lock = threading.Lock()  # the dicts of this object only (see the module doc)
        self._write_lock = threading.Lock()  # one store writer at a time
        self._article_locks: dict[str, Any] = {}  # name -> readers-writer lock
        self._default: str | None = None

    # ---- locks ---------------------------------------------------------------------------

    def _rwlock(self, name: str) -> Any:
        with self._lock:
            if name not in self._article_locks:
                from readerwriterlock.rwlock import RWLockRead

                # readers first: a reader never waits for a writer that is only waiting, so a
                # question that reads one article twice cannot deadlock with a writer
                self._article_locks[name] = RWLockRead()
            return self._article_locks[name]

    @contextmanager
    def _reading(self, name: str) -> Iterator[None]:
        with self._rwlock(name).gen_rlock():
            yield

    @contextmanager
    def _writing(self, name: str) -> Iterator[None]:
        with self._write_lock, self._rwlock(name).gen_wlock():
            yield

    def _forget(self, name: str) -> None:
        """Drop what is cached about `name` (called with its write lock held)."""
        with self._lock:
            self._indexes.pop(name, None)
            self._people.pop(name, None)
            self._briefs.pop(name, None)

    # ---- articles ------------------------------------------------------------------------

    def _passages(self, name: str, article: Article) -> list[Passage]:
        """The article cut into passages and sentences (spaCy): no lock is held here."""
        from index.nlp import load_nlp

        self.progress(f"{name}: reading {len(article.paragraphs)} paragraphs")
        return build_passages(
            article, load_nlp(), self.embedder.count_tokens, self.embedder.max_tokens
        )

    def index_article(self, article: Article, name: str) -> IndexReport:
        check_name(name)
        if self.store.is_current(name, article):
            return IndexReport(name, 0, 0, 0, unchanged=True)
        passages = self._passages(name, article)
        with self._writing(name):
            if self.store.is_current(name, article):  # written meanwhile by another thread
                return IndexReport(name, 0, 0, 0, unchanged=True)
            report = self.store.write(name, article, passages, self.progress)
            self._forget(name)
            return report

    def index_file(self, path: str | Path, name: str | None = None) -> IndexReport:
        article = read_article_file(path)
        return self.index_article(article, self._name_for(article, name, Path(path).stem))

    def _name_for(self, article: Article, name: str | None, fallback: str) -> str:
        """The name to store `article` under. An explicit name is used as given (re-adding
        under it replaces that article). A name taken from the title never replaces a
        different article that happens to share it: the new one gets `-2`, `-3`, ..."""
        if name:
            return slugify(name, max_words=12)
        base = default_name(article, fallback)
        chosen, n = base, 1
        while True:
            saved = self.store.saved_article(chosen)
            if saved is None or saved.fingerprint == article.fingerprint:
                break
            n += 1
            chosen = f"{base[:60]}-{n}"
        if chosen != base:
            self.progress(
                f"{base}: another article already has this name; adding this one as {chosen} "
                f"(use --name {base} to replace it)"
            )
        return chosen

    def add(self, source: str, name: str | None = None) -> IndexReport:
        """Index a file (.txt, .md, .html) or a news page by URL (fetched safely)."""
        article = load_source(source, self.progress)
        return self.index_article(article, self._name_for(article, name, source_stem(source)))

    def remove(self, name: str) -> None:
        check_name(name)
        with self._writing(name):
            self.store.remove(name)
            self._forget(name)
            if name == self._default:
                self._default = None

    def reindex(self, name: str | None = None) -> list[IndexReport]:
        """Rebuild the vectors of one article (or all) from the text kept beside them."""
        names = (
            [check_name(name)]
            if name
            else sorted(set(self.store.names()) | set(self.store.saved_names()))
        )
        reports = []
        for n in names:
            article = self.store.saved_article(n)
            if article is None:
                from index.store import StoreError

                raise StoreError(f"no saved text for {n!r}: add it again with `briefbot add`")
            passages = self._passages(n, article)
            # dropped and rebuilt under one write lock: a question in between waits for the
            # rebuilt vectors instead of finding no article
            with self._writing(n):
                self.store.drop_vectors(n)
                reports.append(self.store.write(n, article, passages, self.progress))
                self._forget(n)
        return reports

    def default_article(self) -> str:
        """Name of the packaged seed article, indexed on first use (and after any change)."""
        if self._default is None:
            article = seed_article()
            name = default_name(article)
            self.index_article(article, name)
            self._default = name
        return self._default

    def resolve(self, name: str | None) -> str:
        if not name:
            return self.default_article()
        check_name(name)
        with self._lock:
            if name in self._indexes:  # checked when it was loaded; this process owns the store
                return name
        # no lock: the saved text outlives a re-index, and a lock per unknown name would grow
        # with every name a client makes up
        if not self.store.has(name) and self.store.saved_article(name) is None:
            from index.store import StoreError

            raise StoreError(f"no article named {name!r}; `briefbot list` shows the indexed ones")
        self._rebuild_if_stale(name)  # a rebuild takes the write lock
        return name

    def _rebuild_if_stale(self, name: str) -> None:
        saved = self.store.saved_article(name)
        if saved is not None and not self.store.is_current(name, saved):
            self.progress(f"{name}: the index is incomplete or outdated; rebuilding it")
            self.index_article(saved, name)

    def articles(self) -> list[ArticleSummary]:
        default = self.default_article()
        out = []
        # Saved text without a complete index (a write cut short, an index rebuilt after
        # damage) is indexed again here, so what is listed is always whole.
        for name in sorted(set(self.store.names()) | set(self.store.saved_names())):
            stored = self.stored(name)
            out.append(
                ArticleSummary(name, stored.article.title, len(stored.passages), name == default)
            )
        return out

    def stored(self, name: str | None = None) -> StoredArticle:
        resolved = self.resolve(name)
        with self._reading(resolved):
            return self._index(resolved).stored

    def _index(self, name: str) -> ArticleIndex:
        """The article's in-memory index (call with its read lock held): loaded outside
        `_lock`, published whole."""
        with self._lock:
            cached = self._indexes.get(name)
        if cached is not None:
            return cached
        built = ArticleIndex(self.store.load(name))
        with self._lock:
            return self._indexes.setdefault(name, built)
