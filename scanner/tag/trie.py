"""Compile a word list into one trie-shaped regex: linear-time matching of thousands of literals."""
from __future__ import annotations

import re
from typing import Iterable

_END = ""


def _insert(trie: dict, word: str) -> None:
    node = trie
    for char in word:
        node = node.setdefault(char, {})
    node[_END] = {}


def _char(char: str, space: str) -> str:
    return space if char == " " else re.escape(char)


def _render(node: dict, space: str) -> str:
    optional = _END in node
    alts = [_char(ch, space) + _render(child, space) for ch, child in sorted(node.items()) if ch != _END]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if optional:
        return f"(?:{body})?"
    return body


def trie_pattern(words: Iterable[str], space: str = r"\s+") -> str:
    """Regex source matching any of `words` (longest alternative first at every branch).

    A space in a word matches `space` (any whitespace run by default; pass " " for speed)."""
    trie: dict = {}
    for word in words:
        if word:
            _insert(trie, word)
    return _render(trie, space) if trie else r"(?!x)x"
