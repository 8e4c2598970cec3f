"""The fitted weights of the two small linear models (decline, short-answer span), kept as
versioned data files in `bot/qa/weights/` and read on first use. `briefbot eval squad FILE
--fit --write-weights` writes them; nothing copies numbers into code by hand."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

FORMAT = 1  # bump when the file layout changes
FOLDER = Path(__file__).with_name("weights")


@dataclass(frozen=True)
class LinearModel:
    model: str  # "decline" or "span"
    weights: dict[str, float]
    bias: float = 0.0
    threshold: float | None = None  # decline: below this probability of an answer, decline
    fitted_on: str = ""  # what the fit ran on, for the record
    fitted: str = ""  # date of the fit
    format: int = FORMAT

    def score(self, features: dict[str, float]) -> float:
        return self.bias + sum(self.weights[k] * v for k, v in features.items())


@functools.cache
def load(model: str) -> LinearModel:
    text = resources.files("bot.qa").joinpath("weights", f"{model}.json").read_text("utf-8")
    data = json.loads(text)
    if data.get("format") != FORMAT or data.get("model") != model:
        raise RuntimeError(f"bot/qa/weights/{model}.json: not a format {FORMAT} {model} model")
    return LinearModel(**data)


def save(found: LinearModel, folder: Path = FOLDER) -> Path:
    """Write a fitted model where `load` reads it (the package's own folder by default)."""
    dated = LinearModel(**{**asdict(found), "fitted": found.fitted or dt.date.today().isoformat()})
    path = folder / f"{found.model}.json"
    path.write_text(json.dumps(asdict(dated), indent=2) + "\n", encoding="utf-8")
    load.cache_clear()
    return path
