"""Settings, built once from CLI flags with environment variables as the fallback."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path  # data directory: the Chroma store and the parsed articles
    chroma_url: str | None = None  # a Chroma server instead of the embedded store

    @classmethod
    def load(cls, home: str | Path | None = None, chroma_url: str | None = None) -> Settings:
        url = chroma_url or os.environ.get("BRIEFBOT_CHROMA_URL") or None
        chosen = home or os.environ.get("BRIEFBOT_HOME")
        if not chosen:
            import platformdirs

            chosen = platformdirs.user_data_dir("briefbot", appauthor=False)
        return cls(home=Path(chosen).expanduser(), chroma_url=url)
