"""Shared fixtures. Every test gets its own data directory; the real models are loaded once
per session and shared (they are read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Briefbot
from bot.settings import Settings
from index.embed import MiniLMEmbedder


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "briefbot-home"
    monkeypatch.setenv("BRIEFBOT_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    return home


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Briefbot:
    """A real engine (MiniLM, spaCy, Chroma) with the default article indexed."""
    b = Briefbot(Settings(home=tmp_path_factory.mktemp("shared-home")), embedder=embedder)
    b.default_article()
    return b
