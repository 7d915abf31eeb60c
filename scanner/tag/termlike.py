"""Term-likeness: how much a word looks like part of a technology term, the recall layer of new-term discovery.

A logistic model over each token's character n-grams, its shape (capitals, digits, hyphens, length), its
frequency in general Dutch and English (wordfreq: novelty against a background, so a word the language
hardly knows stands out) and its two neighbours. It is trained on the real corpus's `emerging_terms`
(`scanner train`, scanner/train/termlike.py), never on a list of expected terms. Runs of tokens scoring
above the model's threshold become candidate terms; `scanner emerging` ranks them over the corpus by
novelty, growth and spread.

The score is additive, so each distinct word's three parts are computed once and cached:
logit(i) = b + own(word i) + as_left(word i-1) + as_right(word i+1).

>>> model = TermModel({"s:inner_cap": 0}, np.array([3.0]), -2.0, threshold=0.5, extend=0.5)
>>> model.spans("Met ChatGPT werken", [0, 4, 12], [3, 11, 18])
[(4, 11)]
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import is_
from pathlib import Path
from typing import Sequence, cast

import numpy as np

from scanner.tag.linear import read_format, word_ngrams

log = logging.getLogger(__name__)
FORMAT = "horizonscan-termlike-1"
_LINE_BREAK = re.compile(r"[^\S ]")  # any whitespace but the space, as the shape rules (normalise.crosses_break)
# Words that end a run (articles, prepositions, conjunctions, pronouns): `copilot en chatgpt` is two terms.
EDGE_WORDS = frozenset("""de het een en of van in op te voor met is zijn dat die aan als bij door om naar niet uit
over tot er nog dan ook wel the a an and of in on to for with is are was be by as at or from this that it its
our their your my his her we they""".split())
LEFT_EDGE, RIGHT_EDGE = "<s>", "</s>"
BACKGROUND_LANGS = ("nl", "en")
ORTH_MERGE = 1024  # hashes added before they are sorted into the searched arrays (or an eighth of those)


@lru_cache(maxsize=200_000)
def background_zipf(word: str) -> float:
    """Zipf frequency (0 = unknown .. 8) of a lower-cased word in general Dutch or English, whichever is higher."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word, lang) for lang in BACKGROUND_LANGS)


def shape(word: str) -> list[str]:
    """Shape features: capitals, digits, hyphen, length; `punct` for a token without a letter or digit."""
    if not any(ch.isalnum() for ch in word):
        return ["s:punct"]
    out = [f"s:len{min(len(word) // 3, 5)}"]
    if word.isupper() and len(word) > 1:
        out.append("s:upper")
    elif word[0].isupper():
        out.append("s:title")
    if any(ch.isupper() for ch in word[1:]) and not word.isupper():
        out.append("s:inner_cap")
    if any(ch.isdigit() for ch in word):
        out.append("s:digit")
    if "-" in word:
        out.append("s:hyphen")
    return out


def own_features(word: str) -> list[str]:
    """The word itself, its character 3-5-grams, shape and background frequency bucket."""
    low = word.lower()
    zipf = background_zipf(low) if any(ch.isalpha() for ch in low) else 8.0
    return [f"w:{low}"] + [f"c:{g}" for g in word_ngrams(low, 3, 5)] + shape(word) + [f"z:{min(int(zipf), 6)}"]


def left_features(word: str) -> list[str]:
    """Features the word gives the token to its right."""
    return [f"p:{word.lower()}", "ps:" + "_".join(shape(word)) if word != LEFT_EDGE else "ps:edge"]


def right_features(word: str) -> list[str]:
    """Features the word gives the token to its left."""
    return [f"n:{word.lower()}"]


def token_features(words: Sequence[str], i: int) -> list[str]:
    """Every feature of token i (training; prediction sums the cached parts instead)."""
    left = words[i - 1] if i else LEFT_EDGE
    right = words[i + 1] if i + 1 < len(words) else RIGHT_EDGE
    return own_features(words[i]) + left_features(left) + right_features(right)


@dataclass
class TermModel:
    """A linear term-likeness model: vocab (feature -> column), coef, intercept, and the probabilities a
    run of tokens needs to become a candidate (chosen out of fold for a recall target)."""

    vocab: dict[str, int]
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5  # a run needs one token this likely ...
    extend: float = 0.5     # ... and every token at least this likely
    max_words: int = 4
    meta: dict = field(default_factory=dict)
    cache_size: int = 200_000
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    _table: np.ndarray = field(default_factory=lambda: np.zeros((0, 5)), repr=False)
    # spaCy ORTH hash -> row (`orth_rows`): sorted arrays searched for a whole document at once, and the
    # hashes added since they were last sorted
    _orth_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64), repr=False)
    _orth_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    _by_orth: dict[int, int] = field(default_factory=dict, repr=False)
    _generation: int = field(default=0, repr=False)  # how often the table started over
    # one model serves every thread of a process (Prefect's task runners): the table grows under a lock
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # columns of the word table: own weight, weight as left neighbour, as right neighbour, may be in a
    # run (has a letter or digit and is no EDGE_WORDS word), is blank (skipped as if absent)
    OWN, LEFT, RIGHT, OK, BLANK = range(5)

    def __post_init__(self) -> None:
        # feature -> its weight as a Python float: a numpy scalar read per feature cost half of a new word's row
        self._weights = dict(zip(self.vocab, self.coef[list(self.vocab.values())].tolist()))
        # the text's edges as neighbours: the same two weights for every document
        self._edges = (self._weight(left_features(LEFT_EDGE)), self._weight(right_features(RIGHT_EDGE)))
        if hasattr(os, "register_at_fork"):  # classify --workers forks the warm tagger
            os.register_at_fork(after_in_child=self._after_fork)

    def _weight(self, features: list[str]) -> float:
        """The features' summed weights, added one by one in order (as sum() over coef[i] did: the same float)."""
        get, total = self._weights.get, 0.0
        for feature in features:
            weight = get(feature)
            if weight is not None:
                total += weight
        return total

    def _row(self, word: str) -> list[float]:
        return [self._weight(own_features(word)), self._weight(left_features(word)),
                self._weight(right_features(word)), float(word_ok(word)), float(not word.strip())]

    def rows(self, words: Sequence[str]) -> np.ndarray:
        """The word-table rows of the words (thread-safe)."""
        with self._lock:
            ids = self.word_ids(words)  # may grow the table: index it afterwards
            return self._table[ids]

    def word_ids(self, words: Sequence[str]) -> np.ndarray:
        """Row of each word in the word table, adding the words not seen before; a table that would pass
        cache_size starts over with this call's words. Callers hold the lock and index the table (`rows`)."""
        get = self._index.get
        ids = [get(w) for w in words]
        if None in ids:
            missing = list(dict.fromkeys(w for w, i in zip(words, ids) if i is None))
            if len(self._index) + len(missing) > self.cache_size:
                self._index, self._table, self._by_orth = {}, np.zeros((0, 5)), {}
                self._orth_keys, self._orth_ids = self._orth_keys[:0], self._orth_ids[:0]
                self._generation += 1
                missing = list(dict.fromkeys(words))
            start = len(self._index)
            if start + len(missing) > len(self._table):  # grow by doubling: no copy per new word
                grown = np.zeros((max(2 * len(self._table), start + len(missing), 1024), 5))
                grown[:start] = self._table[:start]
                self._table = grown
            self._table[start:start + len(missing)] = np.array([self._row(w) for w in missing]).reshape(-1, 5)
            self._index.update((w, start + k) for k, w in enumerate(missing))
            ids = [self._index[w] for w in words]
        return np.asarray(ids, dtype=np.int64)

    def orth_rows(self, text: str, orths: np.ndarray, starts: Sequence[int], ends: Sequence[int]) -> np.ndarray:
        """`rows` of the tokens text[start:end], found by their spaCy ORTH hashes (uint64, the hash of the
        token's text): one binary search for the whole document, no slice of the text (thread-safe)."""
        with self._lock:
            ids = self._sorted_ids(orths)
            missing = np.flatnonzero(ids < 0)
            if len(missing):
                generation = self._generation
                rows = self._recent_rows(text, orths, missing.tolist(), starts, ends)
                if generation != self._generation:  # the table started over: the rows found before are gone
                    ids = self.word_ids([text[a:b] for a, b in zip(starts, ends)])  # may grow the table: index it afterwards
                    return self._table[ids]
                ids[missing] = rows
                if len(self._by_orth) > max(ORTH_MERGE, len(self._orth_keys) // 8):
                    self._merge_orths()
            return self._table[ids]

    def _sorted_ids(self, orths: np.ndarray) -> np.ndarray:
        """Row of each hash in the sorted arrays, -1 where they lack it."""
        keys = self._orth_keys
        if not len(keys):
            return np.full(len(orths), -1, dtype=np.int64)
        pos = np.searchsorted(keys, orths)
        np.minimum(pos, len(keys) - 1, out=pos)
        return np.where(keys[pos] == orths, self._orth_ids[pos], -1)

    def _recent_rows(self, text: str, orths: np.ndarray, missing: list[int], starts: Sequence[int],
                     ends: Sequence[int]) -> list[int]:
        """Rows of the tokens at `missing` from the hashes added since the last sort, adding the words not
        seen before to the table (`word_ids`)."""
        hashes = orths[missing].tolist()
        rows = list(map(self._by_orth.get, hashes))
        if None in rows:
            unknown = list(compress(range(len(rows)), map(is_, rows, repeat(None))))
            found = self.word_ids([text[starts[missing[k]]:ends[missing[k]]] for k in unknown]).tolist()
            recent = self._by_orth  # read after word_ids, which may have started the table over
            for k, row in zip(unknown, found):
                rows[k] = recent[hashes[k]] = row
        return cast("list[int]", rows)

    def _merge_orths(self) -> None:
        """Sort the recently added hashes into the searched arrays."""
        added = self._by_orth
        keys = np.concatenate([self._orth_keys, np.fromiter(added, dtype=np.uint64, count=len(added))])
        ids = np.concatenate([self._orth_ids, np.fromiter(added.values(), dtype=np.int64, count=len(added))])
        order = np.argsort(keys, kind="stable")
        self._orth_keys, self._orth_ids, self._by_orth = keys[order], ids[order], {}

    def _after_fork(self) -> None:
        self._lock = threading.Lock()  # a lock held by another thread at fork time would never be released

    def _logits(self, rows: np.ndarray) -> np.ndarray:
        edge_left, edge_right = self._edges
        left = np.concatenate([[edge_left], rows[:-1, self.LEFT]])
        right = np.concatenate([rows[1:, self.RIGHT], [edge_right]])
        return self.intercept + rows[:, self.OWN] + left + right

    def probabilities(self, words: Sequence[str]) -> np.ndarray:
        """Probability that each (non-blank) word is part of a technology term."""
        if not words:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-self._logits(self.rows(words))))

    def term_likeness(self, term: str) -> float:
        """The probability of a term's least term-like word, the term read on its own: `klaar zodat` is
        low where `generatieve ai` is high (ranks `scanner emerging`)."""
        words = term.split()
        return float(self.probabilities(words).min()) if words else 0.0

    def spans(self, text: str, starts: Sequence[int], ends: Sequence[int],
              arrays: tuple[np.ndarray, np.ndarray] | None = None,
              orths: np.ndarray | None = None) -> list[tuple[int, int]]:
        """(start, end) character spans of the term-like runs (see `runs`) among a tokenised text's tokens;
        blank tokens are skipped, so the text with or without its line breaks gives the same spans.
        `arrays`: the same offsets as integer arrays, when the caller has them (saves converting the lists);
        `orths`: the tokens' spaCy ORTH hashes, to read the word table by (`orth_rows`). A token of the
        line-break-normalised text has the hash of a space where `text` has a line break: both are blank."""
        if not len(starts):
            return []
        if orths is not None:
            rows = self.orth_rows(text, orths, starts, ends)
        else:
            rows = self.rows([text[a:b] for a, b in zip(starts, ends)])
        kept = rows[:, self.BLANK] == 0
        rows = rows[kept]
        if not len(rows):
            return []
        probs = 1.0 / (1.0 + np.exp(-self._logits(rows)))
        first, last = arrays if arrays is not None else (np.asarray(starts), np.asarray(ends))
        return runs(probs, rows[:, self.OK] > 0, first[kept], last[kept], text, self.threshold, self.extend,
                    self.max_words)

    @property
    def version(self) -> str:
        return f"{self.meta.get('name', 'horizonscan_termlike')}-{self.meta.get('version', '0')}"

    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        doc = {"format": FORMAT, "intercept": self.intercept, "threshold": self.threshold, "extend": self.extend,
               "max_words": self.max_words, "terms": terms}
        (path / "termlike.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        np.save(path / "coef.npy", self.coef.astype(np.float32))

    @classmethod
    def from_disk(cls, path: Path) -> "TermModel":
        doc = read_format(path / "termlike.json", FORMAT)
        meta_path = path / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        return cls(vocab={t: i for i, t in enumerate(doc["terms"])}, coef=np.load(path / "coef.npy").astype(float),
                   intercept=float(doc["intercept"]), threshold=float(doc["threshold"]),
                   extend=float(doc["extend"]), max_words=int(doc["max_words"]), meta=meta)


def tokens(text: str, starts: Sequence[int], ends: Sequence[int]) -> tuple[list[str], list[int], list[int]]:
    """The non-blank tokens of a tokenised text as (words, starts, ends): the model never sees whitespace
    tokens, so the text with or without its line breaks tokenised gives the same scores."""
    kept = [(s, e, w) for s, e in zip(starts, ends) if (w := text[s:e]).strip()]
    return [w for _, _, w in kept], [s for s, _, _ in kept], [e for _, e, _ in kept]


def word_ok(word: str) -> bool:
    """A word may be part of a run: it has a letter or digit and is no EDGE_WORDS function word."""
    return any(ch.isalnum() for ch in word) and word.lower() not in EDGE_WORDS


def runs(probs: np.ndarray, ok: np.ndarray, starts: Sequence[int], ends: Sequence[int], text: str = "",
         seed: float = 0.5, extend: float = 0.5, max_words: int = 4) -> list[tuple[int, int]]:
    """(start, end) character spans of the maximal runs of `ok` tokens scoring at least `extend` that hold
    a token scoring at least `seed` (hysteresis: one clearly term-like word carries its neighbours), at
    most max_words long. A line break in `text` between two tokens ends a run.

    >>> words = ["Microsoft", "Copilot", "en", "Gemini", "gebruiken"]
    >>> runs(np.array([0.9, 0.2, 0.9, 0.9, 0.2]), np.array([word_ok(w) for w in words]),
    ...      [0, 10, 18, 21, 28], [9, 17, 20, 27, 37], seed=0.5, extend=0.1)
    [(0, 17), (21, 37)]
    """
    idx = np.flatnonzero((probs >= extend) & ok)
    if not len(idx):
        return []
    first, last = np.asarray(starts)[idx], np.asarray(ends)[idx]
    joined = np.diff(idx) == 1
    breaks = [m.start() for m in _LINE_BREAK.finditer(text)]
    if breaks and len(idx) > 1:
        joined &= np.searchsorted(breaks, last[:-1]) == np.searchsorted(breaks, first[1:])
    heads = np.flatnonzero(np.concatenate([[True], ~joined]))
    tails = np.concatenate([heads[1:], [len(idx)]])
    good = (tails - heads <= max_words) & (np.maximum.reduceat(probs[idx], heads) >= seed)
    return [(int(first[h]), int(last[t - 1])) for h, t in zip(heads[good], tails[good])]


def default_path() -> Path:
    """$SCANNER_MODEL_DIR/termlike, else scanner/models/termlike."""
    env = os.environ.get("SCANNER_MODEL_DIR")
    return (Path(env) if env else Path(__file__).resolve().parent.parent / "models") / "termlike"


_LOADED: dict[str, TermModel | None] = {}


def load_term_model(path: str | Path | None = None) -> TermModel | None:
    """The trained model (loaded once per process and path), or None when there is none or it is broken:
    candidates then come from the shape rules alone."""
    key = str(path or default_path())
    if key not in _LOADED:
        model = None
        if (Path(key) / "termlike.json").exists():
            try:
                model = TermModel.from_disk(Path(key))
            except (OSError, ValueError, KeyError) as exc:  # a broken model must not stop tagging
                log.warning("term model at %s not usable (%s); candidates from the shape rules", key, exc)
        _LOADED[key] = model
    return _LOADED[key]
