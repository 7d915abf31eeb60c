"""The text spaCy's tokenizer sees: every whitespace character but the space becomes a space.

spaCy's tokenizer stops caching the rest of a document after its first special case, and a lone
"\\n" (or "\\t", or a no-break space) is one: a text with line breaks was tokenized word by word with
the affix regexes, 10-20x slower than the same text with spaces. Replacing each such character by one
space keeps the length, so every character offset stays valid, and changes no word token (the
tokenizer splits on exactly the characters `str.isspace` accepts, as `\\s` does). Only whitespace
tokens differ; a multi-word match across a replaced character, which the original text would not
give, is dropped by `crosses_break`.
"""
from __future__ import annotations

import re

_OTHER_SPACE = re.compile(r"[^\S ]")  # \s is str.isspace (29 code points); all but " "


def tokenizer_text(text: str) -> str:
    """Same length as `text`, equal at every non-whitespace position, whitespace all " "."""
    return _OTHER_SPACE.sub(" ", text) if _OTHER_SPACE.search(text) else text


def crosses_break(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a whitespace character other than " " (a match the original
    tokenization would not give)."""
    return _OTHER_SPACE.search(text, start, end) is not None
