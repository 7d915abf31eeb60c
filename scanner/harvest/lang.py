"""Document language for harvested text (scanner.tag.language, loaded once for all harvest threads)."""
from __future__ import annotations

import threading
from typing import Callable

_detector: Callable[[str], str] | None = None
_lock = threading.Lock()
MAX_CHARS = 2000  # identification needs little text; long texts only cost time


def _get() -> Callable[[str], str]:
    global _detector
    if _detector is not None:
        return _detector
    with _lock:
        if _detector is None:
            from scanner.tag.language import detect_language

            def found(text: str) -> str:
                return detect_language(text)

            found("warm-up: load the model once, not in every harvest thread at the same time")
            _detector = found  # published only once loaded, so the lock-free path never races the load
        return _detector


def warm_up() -> None:
    """Load the language model now (harvest threads would otherwise all wait for the first load)."""
    _get()


def language_of(text: str, default: str | None = None) -> str:
    """'nl', 'en' or 'other'; very short texts take the source's language when it is fixed."""
    text = " ".join(text.split())[:MAX_CHARS]
    if len(text) < 25 and default in ("nl", "en"):
        return default
    if not text:
        return default if default in ("nl", "en") else "other"
    return _get()(text)
