"""The Chroma store: content-hash ids, idempotent upserts, stale records removed, the embedding
model recorded and never mixed, and Chroma's own (downloading) embedding function never used."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from bot.app.engine import Briefbot
from bot.app.library import default_name, seed_article
from bot.app.settings import Settings
from index.ingest import Article, IngestError


class HashEmbedder:
    """A deterministic toy embedder for the model-change seam (not for answer quality)."""

    name = "test/hash-embedder"
    dim = 16
    max_tokens = 256

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = []
        for t in texts:
            digest = hashlib.sha256(t.encode()).digest()
            v = np.frombuffer(digest[: self.dim], dtype=np.uint8).astype(np.float32) + 1.0
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dim)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def _count(bot: Briefbot, name: str) -> int:
    return bot.store._collection(name).count()  # type: ignore[union-attr]


@pytest.fixture()
def fresh(tmp_path: Path, embedder) -> Briefbot:  # noqa: ANN001
    return Briefbot(Settings(home=tmp_path / "home"), embedder=embedder)


def test_indexing_twice_changes_nothing(fresh: Briefbot) -> None:
    article = seed_article()
    name = default_name(article)
    first = fresh.index_article(article, name)
    assert first.added == 15 + sum(len(p.sentences) for p in fresh.stored(name).passages)
    records = _count(fresh, name)
    again = fresh.index_article(article, name)
    assert again.unchanged and again.added == 0  # nothing embedded or written again
    assert _count(fresh, name) == records


def test_changed_text_replaces_stale_passages(fresh: Briefbot) -> None:
    paragraphs = ["The mayor opened the new bridge on Monday.", "Traffic was light at first."]
    fresh.index_article(Article.from_paragraphs("Bridge opens", paragraphs), "bridge")
    before = {p.id: p.text for p in fresh.stored("bridge").passages}
    changed = [paragraphs[0], "Traffic jams formed within an hour.", "Police closed one lane."]
    report = fresh.index_article(Article.from_paragraphs("Bridge opens", changed), "bridge")
    assert report.removed >= 2 and report.added >= 4  # old passage + sentence out, new in
    after = {p.id: p.text for p in fresh.stored("bridge").passages}
    assert after == {"¶1": before["¶1"], "¶2": changed[1], "¶3": changed[2]}
    answer = fresh.ask("What did police close?", "bridge")
    assert answer.citations and answer.citations[0].passage == "¶3"
    assert "light" not in " ".join(d for d in fresh.store._collection("bridge").get()["documents"])  # type: ignore[union-attr]


def test_model_change_rebuilds_instead_of_mixing(tmp_path: Path, embedder) -> None:  # noqa: ANN001
    home = tmp_path / "home"
    article = Article.from_paragraphs("Harbour", ["Ships arrived at dawn.", "The port reopened."])
    toy = Briefbot(Settings(home=home), embedder=HashEmbedder())
    toy.index_article(article, "harbour")
    messages: list[str] = []
    real = Briefbot(Settings(home=home), embedder=embedder, progress=messages.append)
    report = real.index_article(article, "harbour")
    assert report.rebuilt
    assert any("rebuilding" in m and "hash-embedder" in m for m in messages)
    meta = real.store._collection("harbour").metadata  # type: ignore[union-attr]
    assert meta["embed_model"] == embedder.name and meta["embed_dim"] == 384
    assert real.ask("When did the ships arrive?", "harbour").citations[0].passage == "¶1"


def test_chroma_default_embedding_function_is_never_called(
    fresh: Briefbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chromadb.utils import embedding_functions

    def refuse(self: object, input: object) -> None:  # noqa: A002 (Chroma's signature)
        raise AssertionError("Chroma's default embedding function was used")

    monkeypatch.setattr(embedding_functions.DefaultEmbeddingFunction, "__call__", refuse)
    name = fresh.default_article()
    assert fresh.ask("How many containers did North Korea ship?", name).citations


def test_bad_input_leaves_the_index_intact(fresh: Briefbot, tmp_path: Path) -> None:
    name = fresh.default_article()
    records = _count(fresh, name)
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(1000))
    with pytest.raises(IngestError):
        fresh.index_file(bad)
    empty = tmp_path / "empty.md"
    empty.write_text("  \n")
    with pytest.raises(IngestError):
        fresh.index_file(empty)
    assert fresh.store.names() == [name]
    assert _count(fresh, name) == records
    assert fresh.ask("How many containers did North Korea ship?").citations[0].passage == "¶12"


def test_identical_paragraphs_get_distinct_ids(fresh: Briefbot) -> None:
    article = Article.from_paragraphs(
        "Chorus", ["The crowd sang.", "It rained.", "The crowd sang."]
    )
    report = fresh.index_article(article, "chorus")
    assert report.added == 6  # three passages, three sentences
    assert [p.id for p in fresh.stored("chorus").passages] == ["¶1", "¶2", "¶3"]


def test_saved_text_is_rebuilt_from_the_index_even_across_split_passages(
    fresh: Briefbot,
) -> None:
    long = " ".join(
        f"Sentence number {i} of the long report says the river rose." for i in range(60)
    )
    article = Article.from_paragraphs("Flood", ["The river flooded.", long, "It rained again."])
    fresh.index_article(article, "flood")
    assert len(fresh.stored("flood").passages) > 3  # the long paragraph was split
    path = fresh.settings.home / "articles" / "flood.json"
    original = path.read_bytes()
    path.write_bytes(original[:-40])
    assert fresh.store.saved_article("flood") == article
    assert path.read_bytes() == original


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from index.archive import StoreError, atomic_write

    path = tmp_path / "manifest.json"
    atomic_write(path, '{"articles": {"a": 1}}')

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="No space left on device; it was left as it was"):
        atomic_write(path, '{"articles": {}}')
    assert path.read_text() == '{"articles": {"a": 1}}'
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]  # no temp file left
