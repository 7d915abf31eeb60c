"""Language identification: nl / en / other, plus which of the two pipelines suits a text best."""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

CANDIDATES = ("nl", "en", "de", "fr", "es", "it", "pt", "da", "sv", "no", "af", "fy", "pl", "tr", "ar", "he", "ru")
PIPELINES = ("nl", "en")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The py3langid model restricted to languages plausible in the corpus (loaded once)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = set(ident.nb_classes)
    ident.set_languages([code for code in CANDIDATES if code in known])
    return ident


def _sample(text: str, chars: int) -> str:
    """Head of the text; long texts add a slice from the middle so a foreign title cannot decide alone."""
    if len(text) <= chars:
        return text
    half = chars // 2
    mid = len(text) // 2
    return text[:half] + " " + text[mid : mid + half]


def rank_languages(text: str, chars: int = 600) -> list[tuple[str, float]]:
    """(language, probability) best first; empty for text without letters."""
    sample = _sample(text, chars)
    if not _LETTERS.search(sample):
        return []
    return _identifier().rank(sample)


def detect(text: str, chars: int = 600) -> tuple[str, str]:
    """(contract language, pipeline language): ('de', ...) becomes ('other', closest of nl/en)."""
    ranked = rank_languages(text, chars)
    if not ranked:
        return "other", "nl"
    best = ranked[0][0]
    if best in PIPELINES:
        return best, best
    scores = dict(ranked)
    return "other", "nl" if scores.get("nl", 0.0) >= scores.get("en", 0.0) else "en"


def detect_language(text: str, chars: int = 600) -> str:
    """'nl', 'en' or 'other' (empty or symbol-only text is 'other')."""
    return detect(text, chars)[0]
