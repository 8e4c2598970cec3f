"""Settings, built once from CLI flags with environment variables as the fallback."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

READERS = ("minilm", "none")


@dataclass(frozen=True)
class Settings:
    home: Path  # data directory: the Chroma store and the parsed articles
    chroma_url: str | None = None  # a Chroma server instead of the embedded store
    reader: str = "minilm"  # "minilm": the trained reader answers; "none": the older models

    @classmethod
    def load(
        cls,
        home: str | Path | None = None,
        chroma_url: str | None = None,
        reader: str | None = None,
    ) -> Settings:
        url = chroma_url or os.environ.get("BRIEFBOT_CHROMA_URL") or None
        chosen_reader = reader or os.environ.get("BRIEFBOT_READER") or "minilm"
        if chosen_reader not in READERS:
            raise ValueError(f"unknown reader {chosen_reader!r}: use one of {', '.join(READERS)}")
        chosen = home or os.environ.get("BRIEFBOT_HOME")
        if not chosen:
            import platformdirs

            chosen = platformdirs.user_data_dir("briefbot", appauthor=False)
        return cls(home=Path(chosen).expanduser(), chroma_url=url, reader=chosen_reader)
