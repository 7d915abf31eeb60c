"""Matches of a regex that never crosses whitespace, found once per distinct whitespace token.

Documents repeat their words, and documents repeat each other's: scanning each distinct token once, and
remembering the tokens that hold no match, replaces a regex scan of the whole text by `str.split`, one
set difference and a few look-ups. Valid for a regex whose matches hold no whitespace and whose
look-arounds treat whitespace like the start or end of the string (such as `(?<![\\w-])` and
`(?![\\w-])`): then the matches inside a token are exactly the matches of the token on its own, and the
whole-text scan finds the same matches in the same order (tests/test_tag_throughput.py).
"""
from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")
MAX_CACHED = 100  # longer tokens are scanned every time, never remembered


class TokenScan(Generic[T]):
    """`scan(text)` equals `inner(text)`, where `inner` finds a text's hits as (start, end, payload) in
    text order, for an `inner` whose hits lie inside whitespace tokens as described above."""

    def __init__(self, inner: Callable[[str], list[tuple[int, int, T]]], cache_size: int = 100_000) -> None:
        self.inner = inner
        self.clean: set[str] = set()  # tokens known to hold no hit
        self.hits: dict[str, list[tuple[int, int, T]]] = {}  # tokens known to hold hits
        self.cache_size = cache_size  # bound of each

    def found(self, text: str, tokens: set[str] | None = None) -> dict[str, list[tuple[int, int, T]]]:
        """The document's distinct tokens that hold hits, with their hits; `tokens`: set(text.split()) when
        the caller has it (left unchanged)."""
        if tokens is None:
            tokens = set(text.split())
            tokens.difference_update(self.clean)
        else:
            tokens = tokens - self.clean
        found: dict[str, list[tuple[int, int, T]]] = {}
        known = self.hits
        for token in tokens:
            hits = known.get(token)
            if hits is None:
                hits = self.inner(token)
                cache = len(token) <= MAX_CACHED  # a huge "token" (a text without spaces) is not kept
                if not hits:
                    if cache and len(self.clean) < self.cache_size:
                        self.clean.add(token)
                    continue
                if cache and len(known) < self.cache_size:
                    known[token] = hits
            found[token] = hits
        return found

    def scan(self, text: str, tokens: set[str] | None = None) -> list[tuple[int, int, T]]:
        """Hits of the whole text, in text order: each token holding hits is found with str.find and
        kept where whitespace (or the text's edge) surrounds it. `tokens`: set(text.split()), when known."""
        found = self.found(text, tokens)
        if not found:
            return []
        out: list[tuple[int, int, T]] = []
        end = len(text)
        for token, hits in found.items():
            size = len(token)
            at = text.find(token)
            while at >= 0:
                after = at + size
                if (not at or text[at - 1].isspace()) and (after == end or text[after].isspace()):
                    out.extend((at + a, at + b, x) for a, b, x in hits)
                    at = text.find(token, after)
                else:
                    at = text.find(token, at + 1)
        out.sort(key=_start)
        return out


def _start(hit: tuple[int, int, Any]) -> int:
    return hit[0]
