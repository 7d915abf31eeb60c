"""Dutch compounds ending in a catalogue head, and catalogue terms inside hyphenated/slashed words.

Both run as one compiled regex over the document text (no loop over tokens); the Python work is
per hit, and hits are rare.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from scanner.tag.rules import Target, TagRules
from scanner.tag.tokenscan import TokenScan

_JOINER = re.compile(r"[-/](?=[^\W_])")  # the letter before is checked in Python (fast literal scan)
_PART_BACK = re.compile(r"[\w'.:@/-]+$")
_PART_FWD = re.compile(r"[\w'.:@/-]+")
_PART = re.compile(r"[^\W_]+(?:'s)?")
_WORDS_BEFORE = re.compile(r"(?:[^\W_]+ ){1,3}$")  # up to three words, each followed by one space


MAX_WORD = 80  # a hyphenated "word" longer than this is split no further
BEFORE_REACH = 80  # how far back `words_before` looks


def words_before(text: str, start: int) -> re.Match[str] | None:
    """`_WORDS_BEFORE.search(text, start - BEFORE_REACH, start)`, searched from as late as it can match.

    The match ends in a space at `start` ($), or just before a line break there ($ before a final
    newline); it holds at most three spaces, so it starts after the fourth space back from its end, and
    a search from there finds the same leftmost match without trying each of up to 80 earlier starts."""
    low = max(0, start - BEFORE_REACH)
    end = start - 1 if start > low and text[start - 1] == "\n" else start
    if end <= low or text[end - 1] != " ":
        return None
    cut = end - 1
    for _ in range(3):
        cut = text.rfind(" ", low, cut)
        if cut < 0:
            cut = low - 1
            break
    return _WORDS_BEFORE.search(text, cut + 1, start)


class Hit(NamedTuple):
    """One raw dictionary hit (a NamedTuple: built ~100 times per document, so it must be cheap)."""

    target: Target
    start: int
    end: int
    source: str  # term | abbreviation | compound | part


class CompoundFinder:
    """Finds `parkeersensoren` (head `sensoren`) and `5G` in `5G-netwerk` by character offsets."""

    def __init__(self, rules: TagRules, min_prefix: int = 3, stoplist: frozenset[str] = frozenset(),
                 cache_size: int = 100_000) -> None:
        self.rules = rules
        self.min_prefix = min_prefix
        self.stoplist = stoplist
        heads = sorted((h for h in rules.heads if len(h) >= 3), key=len, reverse=True)
        self.by_tail: dict[str, list[str]] = {}  # last 3 letters -> heads ending so, longest first
        for head in heads:
            self.by_tail.setdefault(head[-3:], []).append(head)
        # the same, as (length, heads of that length) longest first: of the heads of one length at most one
        # ends a word, so a slice and a set look-up per length replace an endswith per head
        self.by_tail_len: dict[str, list[tuple[int, frozenset[str]]]] = {
            tail: [(n, frozenset(h for h in group if len(h) == n))
                   for n in sorted({len(h) for h in group}, reverse=True)]
            for tail, group in self.by_tail.items()}
        shortest = min((len(h) for h in heads), default=3)
        self.word_re = re.compile(rf"[^\W\d_]{{{shortest + min_prefix},}}(?:'s)?")
        self._tokens = TokenScan(self._scan_heads, cache_size)
        self._cased_tokens = TokenScan(self._scan_cased, cache_size)  # tokens as written, each lower-cased

    def compounds_scan(self, text: str, low: str) -> list[Hit]:
        """Words longer than a head that end in it; `low` is safe_lower(text) (same offsets).

        One regex pass yields the long words; a dict on their last three letters rejects almost all
        of them at once, so only real candidates reach the suffix test. The reference for `compounds`.
        """
        hits: list[Hit] = []
        for match in self.word_re.finditer(low):
            head = self._head(match.group())
            if head is not None:
                start = match.start()
                hits.extend(Hit(t, start, match.end(), "compound") for t in self.rules.heads[head])
        return hits

    def _head(self, word: str) -> str | None:
        """The catalogue head `word` (a word_re match) ends in, or None."""
        lengths = self.by_tail_len.get(word[-3:])
        if not lengths or word in self.rules.phrases or word in self.stoplist:
            return None
        for size, heads in lengths:
            head = word[-size:]
            if head in heads and len(word) - size >= self.min_prefix:
                return head
        return None

    def compounds(self, text: str, low: str, tokens: set[str] | None = None) -> list[Hit]:
        """The same hits as `compounds_scan`, from the document's distinct whitespace tokens
        (scanner/tag/tokenscan.py: a word_re match is letters plus 's, never whitespace).

        `tokens`: set(text.split()), shared with the acronym scan. Where `low` is text.lower() (no
        character grows when lower-cased), the tokens are scanned as written, each lower-cased on its own:
        str.lower() looks across no whitespace (the final-sigma rule stops at it), so a token's own
        lower-casing is its stretch of `low`."""
        heads = self.rules.heads
        if tokens is not None and len(text.lower()) == len(text):
            found = self._cased_tokens.scan(text, tokens)
        else:
            found = self._tokens.scan(low)
        return [Hit(t, start, end, "compound") for start, end, head in found for t in heads[head]]

    def _scan_heads(self, low: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), head) for m in self.word_re.finditer(low)
                if (head := self._head(m.group())) is not None]

    def _scan_cased(self, token: str) -> list[tuple[int, int, str]]:
        return self._scan_heads(token.lower())

    def parts(self, text: str) -> list[Hit]:
        """Terms, heads and abbreviations that are whole parts of `AI-chatbot`, `DigiD/eHerkenning`."""
        hits: list[Hit] = []
        seen: set[int] = set()
        done = 0  # joints before this offset belong to a word already handled
        for joint in _JOINER.finditer(text):
            if joint.start() < done or not joint.start() or not text[joint.start() - 1].isalnum():
                continue
            back = _PART_BACK.search(text, max(0, joint.start() - 60), joint.start())
            word_start = back.start() if back else joint.start()
            if word_start in seen:
                continue
            seen.add(word_start)
            fwd = _PART_FWD.match(text, word_start, min(len(text), joint.end() + 60))
            word_end = fwd.end() if fwd else joint.end()
            done = word_end
            word = text[word_start:word_end].rstrip(".:'")
            if "." in word or "@" in word or ":" in word or len(word) > MAX_WORD:
                continue  # URLs, e-mail addresses and endless runs are not mentions
            hits.extend(self._word_parts(text, word_start, word_end))
        return hits

    def _word_parts(self, text: str, start: int, end: int) -> list[Hit]:
        hits = []
        for part in _PART.finditer(text[start:end]):
            s, e = start + part.start(), start + part.end()
            surface = part.group()
            targets = self.rules.abbreviations.get(surface) or self.rules.phrases.get(surface.lower()) \
                or self.rules.heads.get(surface.lower())
            for target in targets or []:
                hits.append(Hit(target, s, e, "part"))
            if s == start:
                hits.extend(self._phrase_before(text, start, e))
        return hits

    def _phrase_before(self, text: str, start: int, end: int) -> list[Hit]:
        """A term of several words whose last word opens a hyphenated word: `smart city-toepassingen`,
        `Office 365-omgeving` (spaCy keeps Dutch hyphenated words whole, so the matcher never sees it)."""
        before = words_before(text, start)
        if before is None:
            return []
        words = [(m.start(), m.group()) for m in _PART.finditer(before.group())]
        last = text[start:end].lower()
        for k in range(len(words), 0, -1):
            phrase = " ".join(w.lower() for _, w in words[-k:]) + " " + last
            targets = self.rules.phrases.get(phrase)
            if targets:
                return [Hit(t, before.start() + words[-k][0], end, "part") for t in targets]
        return []
