"""The tagger's linear classifiers (stage, labels, relevance) scored together, a batch at a time.

The three LinearTextModels share one analyser (scanner/tag/linear.py: lower-cased words, word
bigrams, character n-grams of each word, one municipality-name feature) and differ only in their
vocabularies, weights and how much of the text they read. So a document is analysed once: its words
are counted, each distinct word's features are looked up once in the union of the three vocabularies
(cached across documents), and each model gets a sparse tf-idf matrix for the whole batch by
re-indexing those ids; one sparse product per model gives every document's logits. Scores equal
`LinearTextModel.scores` on the same text (tests/test_tag_throughput.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import is_
from typing import Any, Iterable, Sequence, cast

import numpy as np

from scanner.tag.linear import NAME_FEATURE, TOKEN, LinearTextModel, word_ngrams
from scanner.tag.tokenscan import MAX_CACHED

_EMPTY = np.zeros(0, dtype=np.int64)
_SHIFT = 20  # (feature id << _SHIFT) | count: one integer sort groups a text's features with their counts
_MASK = (1 << _SHIFT) - 1
MAX_TAILS = 10_000  # distinct cue-word strings (stage and label pseudo-words) whose bags are remembered
_WORD_PAIR = re.compile(r"\w\w")  # TOKEN is \w+: a cut between two word characters splits a token


@dataclass
class Bag:
    """Distinct feature ids (union vocabulary, ascending) and their counts for one text."""

    ids: np.ndarray
    counts: np.ndarray


def _add(a: Bag, b: Bag) -> Bag:
    """a + b feature-wise, for positive counts, by a sorted merge (b is small: a binary search per id
    of b, and b's new ids scattered into place, instead of sorting both)."""
    if not len(b.ids):
        return a
    pos = np.searchsorted(a.ids, b.ids)
    size = len(a.ids)
    hit = a.ids[np.minimum(pos, size - 1)] == b.ids if size else np.zeros(len(b.ids), dtype=bool)
    counts = a.counts.copy()
    counts[pos[hit]] += b.counts[hit]  # b's ids are distinct, so are the positions they hit
    new = np.flatnonzero(~hit)
    if not len(new):
        return Bag(a.ids, counts)
    at = pos[new] + np.arange(len(new))  # where b's new ids land in the merged arrays
    kept = np.ones(size + len(new), dtype=bool)
    kept[at] = False
    ids = np.empty(size + len(new), dtype=a.ids.dtype)
    ids[at], ids[kept] = b.ids[new], a.ids
    merged = np.empty(size + len(new), dtype=counts.dtype)
    merged[at], merged[kept] = b.counts[new], counts
    return Bag(ids, merged)


def compatible(models: Sequence[LinearTextModel]) -> bool:
    """Whether the models share the analyser settings, so one analysis serves them all."""
    first = models[0]
    return all((m.char_low, m.char_high, m.names) == (first.char_low, first.char_high, first.names) for m in models)


class SharedScorer:
    """Scores texts with several LinearTextModels from one analysis of each text."""

    def __init__(self, models: dict[str, LinearTextModel], max_words: int = 200_000) -> None:
        if not models or not compatible(list(models.values())):
            raise ValueError("the models do not share one analyser")
        first = next(iter(models.values()))
        self.char_low, self.char_high, self.names = first.char_low, first.char_high, first.names
        self.models = models
        terms = sorted(set().union(*(m.vocab for m in models.values())))
        self.vocab: dict[str, int] = {term: i for i, term in enumerate(terms)}
        self.maps: dict[str, np.ndarray] = {}
        self.coef_t: dict[str, np.ndarray] = {}
        for name, model in models.items():
            table = np.full(len(self.vocab), -1, dtype=np.int64)
            for term, i in model.vocab.items():
                table[self.vocab[term]] = i
            self.maps[name] = table
            self.coef_t[name] = np.ascontiguousarray(model.coef.T)
        self.name_id = self.vocab.get(NAME_FEATURE)
        self.max_words = max_words
        self._reset_words()

    def _reset_words(self) -> None:
        """The word table: word id -> its feature ids (own unigram + character n-grams) as one flat
        array with offsets, and the vocabulary's word bigrams as sorted (word id, word id) keys."""
        self.word_ids: dict[str, int] = {}
        self.raw_ids: dict[str, int] = {}  # tokens as written -> word id (skips lower-casing known forms)
        self.chunk_ids: dict[str, tuple[int, ...]] = {}  # whitespace tokens -> their words' ids
        self.chunk_named: dict[str, int] = {}  # whitespace tokens holding municipality names -> how many
        self.tail_bags: dict[str, tuple[Bag, int | None]] = {}  # `extend`'s texts -> (bag, first word id)
        self._flat = np.empty(1 << 20, dtype=np.int64)
        self._used = 0
        self._start = np.empty(1 << 16, dtype=np.int64)
        self._len = np.empty(1 << 16, dtype=np.int64)
        keys, uids = [], []
        for term, uid in self.vocab.items():
            first, sep, second = term.partition(" ")
            if sep and first and second and " " not in second:  # char n-grams have spaces only at the edges
                keys.append((self._word(first) << 32) | self._word(second))
                uids.append(uid)
        order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
        self.pair_keys = np.asarray(keys, dtype=np.int64)[order]
        self.pair_ids = np.asarray(uids, dtype=np.int64)[order]

    def _word(self, word: str) -> int:
        """The id of a lower-cased word, adding it (and its features) to the table when new."""
        known = self.word_ids.get(word)
        if known is not None:
            return known
        vocab = self.vocab
        feats = np.fromiter((i for g in (word, *word_ngrams(word, self.char_low, self.char_high))
                             if (i := vocab.get(g)) is not None), dtype=np.int64)
        wid = len(self.word_ids)
        if wid >= len(self._start):
            self._start = np.resize(self._start, 2 * len(self._start))
            self._len = np.resize(self._len, 2 * len(self._len))
        while self._used + len(feats) > len(self._flat):
            self._flat = np.resize(self._flat, 2 * len(self._flat))
        self._flat[self._used:self._used + len(feats)] = feats
        self._start[wid], self._len[wid] = self._used, len(feats)
        self._used += len(feats)
        self.word_ids[word] = wid
        return wid

    def word_array(self, raw: list[str]) -> np.ndarray:
        """Word ids of a token list (TOKEN.findall of a text), lower-cased as the analyser does."""
        ids = list(map(self.raw_ids.get, raw))
        if None in ids:
            known = self.raw_ids
            for k, (i, token) in enumerate(zip(ids, raw)):
                if i is None:
                    ids[k] = known[token] = self._word(token.lower())
        return np.asarray(ids, dtype=np.int64)

    def words(self, text: str) -> tuple[np.ndarray, int]:
        """(word_array, named) of TOKEN.findall(text), from its whitespace tokens: a token's word ids
        and municipality names are looked up once (a \\w+ run never holds whitespace, so the runs of
        the text are those of its tokens, in order)."""
        chunks = text.split()
        cache = self.chunk_ids
        ids: list[tuple[int, ...] | None] = list(map(cache.get, chunks))
        long_named = 0
        if None in ids:
            long = self._add_chunks(dict.fromkeys(compress(chunks, map(is_, ids, repeat(None)))))
            if long:  # a huge chunk (a text without spaces) is not kept: its ids and names per occurrence
                ids = [cache[c] if c in cache else long[c][0] for c in chunks]
                long_named = sum(long[c][1] for c in chunks if c in long)
            else:
                ids = list(map(cache.__getitem__, chunks))
        flat = np.fromiter(chain.from_iterable(cast("list[tuple[int, ...]]", ids)), dtype=np.int64)  # all filled
        named = sum(map(self.chunk_named.get, chunks, repeat(0))) if self.chunk_named else 0
        return flat, named + long_named

    def _add_chunks(self, chunks: Iterable[str]) -> dict[str, tuple[tuple[int, ...], int]]:
        """Look up the word ids of new whitespace tokens and remember them (with their municipality
        names); returns the huge ones, which are not kept, as {chunk: (word ids, names)}."""
        long: dict[str, tuple[tuple[int, ...], int]] = {}
        raw_id = self._raw_id
        for chunk in chunks:
            raw = TOKEN.findall(chunk)
            word_ids = tuple(map(raw_id, raw))
            named = self.named(raw)
            if len(chunk) > MAX_CACHED:
                long[chunk] = (word_ids, named)
                continue
            self.chunk_ids[chunk] = word_ids
            if named:
                self.chunk_named[chunk] = named
        return long

    def _raw_id(self, token: str) -> int:
        """The word id of a token as written (lower-cased as the analyser does)."""
        wid = self.raw_ids.get(token)
        if wid is None:
            wid = self.raw_ids[token] = self._word(token.lower())
        return wid

    def named(self, raw: list[str]) -> int:
        """How many tokens are municipality names (case-sensitive, as the analyser counts them)."""
        return sum(map(self.names.__contains__, raw)) if self.names and self.name_id is not None else 0

    def bag(self, words: np.ndarray, named: int = 0, before: int | None = None) -> Bag:
        """Features of a text from its word ids: each word's unigram and n-grams, the bigrams of
        consecutive words the vocabulary knows, and the municipality-name feature; with `before` (the
        id of the word preceding `words`), also the bigram joining it to the first word."""
        if not len(words):
            return Bag(_EMPTY, _EMPTY)
        pairs = words if before is None else np.concatenate([np.asarray([before], dtype=np.int64), words])
        distinct, times = np.unique(words, return_counts=True)  # features once per distinct word
        lens = self._len[distinct]
        ends = np.cumsum(lens)
        offsets = np.repeat(self._start[distinct] - (ends - lens), lens) + np.arange(int(ends[-1]))
        feats, counts = [self._flat[offsets]], [np.repeat(times, lens)]
        if len(pairs) > 1 and len(self.pair_keys):
            keys = (pairs[:-1] << 32) | pairs[1:]
            pos = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
            found = self.pair_ids[pos[self.pair_keys[pos] == keys]]
            feats.append(found)
            counts.append(np.ones(len(found), dtype=np.int64))
        if named:
            feats.append(np.array([self.name_id], dtype=np.int64))
            counts.append(np.array([named], dtype=np.int64))
        packed = np.sort((np.concatenate(feats) << _SHIFT) | np.concatenate(counts))
        if not len(packed):  # words the vocabulary knows nothing of
            return Bag(_EMPTY, _EMPTY)
        ids, tallies = packed >> _SHIFT, packed & _MASK
        starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
        return Bag(ids[starts], np.add.reduceat(tallies, starts))

    def extend(self, bag: Bag, before: int | None, tail: str) -> Bag:
        """The bag of a text followed by `tail` (a model's cue words): `bag` plus the tail's own
        bag and the bigram joining them (`before` is the text's last word id). A tail's own bag is
        remembered: the cue words take few distinct values."""
        own, first = self._tail_bag(tail)
        if first is None:
            return bag
        if before is not None:
            pair = self.pair_id(before, first)
            if pair is not None:
                own = _add(own, Bag(np.array([pair], dtype=np.int64), np.ones(1, dtype=np.int64)))
        return _add(bag, own)

    def _tail_bag(self, tail: str) -> tuple[Bag, int | None]:
        """(bag, first word id) of a text on its own, remembered (up to MAX_TAILS texts)."""
        known = self.tail_bags.get(tail)
        if known is None:
            words, named = self.words(tail)
            known = (self.bag(words, named), int(words[0]) if len(words) else None)
            if len(self.tail_bags) < MAX_TAILS:
                self.tail_bags[tail] = known
        return known

    def pair_id(self, first: int, second: int) -> int | None:
        """The feature id of the bigram of two word ids, None when the vocabulary does not know it."""
        key = (first << 32) | second
        pos = int(np.searchsorted(self.pair_keys, key))
        return int(self.pair_ids[pos]) if pos < len(self.pair_keys) and self.pair_keys[pos] == key else None

    def trim(self) -> None:
        """Forget the words seen when there are too many (between batches: word ids must not change
        while a batch is analysed)."""
        if len(self.word_ids) > self.max_words or len(self.chunk_ids) > self.max_words:
            self._reset_words()

    def text_bag(self, text: str) -> Bag:
        raw = TOKEN.findall(text)
        return self.bag(self.word_array(raw), self.named(raw))

    def scores(self, name: str, bags: Sequence[Bag]) -> np.ndarray:
        """(documents, labels) probabilities of model `name`, as LinearTextModel.scores gives them."""
        from scipy.sparse import csr_matrix

        model = self.models[name]
        n_labels = len(model.labels)
        if not bags:
            return np.zeros((0, n_labels))
        sizes = np.fromiter((len(b.ids) for b in bags), dtype=np.int64, count=len(bags))
        mapped = self.maps[name][np.concatenate([b.ids for b in bags])]
        keep = mapped >= 0
        indices = mapped[keep]
        counts = np.concatenate([b.counts for b in bags])[keep]
        row_of = np.repeat(np.arange(len(bags)), sizes)[keep]
        indptr = np.zeros(len(bags) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=len(bags)), out=indptr[1:])
        values = (1.0 + np.log(counts)) * model.idf[indices]
        norms = np.sqrt(np.bincount(row_of, weights=values * values, minlength=len(bags)))
        norms[norms == 0] = 1.0
        matrix = csr_matrix((values / norms[row_of], indices, indptr), shape=(len(bags), len(model.idf)))
        logits = (matrix @ self.coef_t[name] + model.intercept) / model.temperature
        if model.exclusive:
            exp = np.exp(logits - logits.max(axis=1, keepdims=True))
            return exp / exp.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-logits))


class BatchClassifiers:
    """The tagger's stage, label and relevance predictions for a batch, from one analysis per document.

    Each model reads what its own `predict` would: the stage model `model_input(text)[:stage chars]`,
    the label model `text[:label chars]`, the relevance model `text[:relevance chars]`; a prefix read by
    two models is analysed once, and the stage model's cue pseudo-words are added to the text's bag.
    """

    def __init__(self, scorer: SharedScorer, stage: Any, labels: Any, relevance: Any, stage_rules: Any) -> None:
        self.scorer, self.stage, self.labels, self.relevance = scorer, stage, labels, relevance
        self.stage_rules = stage_rules

    @classmethod
    def build(cls, stage: Any, labels: Any, relevance: Any, stage_rules: Any,
              max_words: int = 200_000) -> "BatchClassifiers | None":
        """None unless every present model is a LinearTextModel sharing one analyser."""
        parts = {"stage": stage, "labels": labels, "relevance": relevance}
        found = {name: getattr(m, "model", None) for name, m in parts.items() if m is not None}
        models = {name: m for name, m in found.items() if isinstance(m, LinearTextModel)}
        if not found or len(models) != len(found):
            return None
        if not compatible(list(models.values())):
            return None
        return cls(SharedScorer(models, max_words), stage, labels, relevance, stage_rules)

    def _bags(self, text: str, lang: str, label_words: str = "") -> dict[str, Bag]:
        from scanner.tag.stage import cue_words

        scorer, out = self.scorer, {}
        full = min(len(text), self.labels.max_chars if self.labels is not None else self.stage.max_chars
                   if self.stage is not None else self.relevance.max_chars)
        cut = min(len(text), self.relevance.max_chars) if self.relevance is not None else full
        if cut < full:  # the relevance model reads a prefix: analyse it once and extend it to the full cut
            head_words, head_named = scorer.words(text[:cut])
            out["relevance"] = scorer.bag(head_words, head_named)
            tail_words, tail_named = scorer.words(text[cut:full])
            if len(head_words) and len(tail_words) and _WORD_PAIR.fullmatch(text, cut - 1, cut + 1):
                # a word runs across the cut: its two halves become one word
                last = TOKEN.findall(text[:cut].rsplit(None, 1)[-1])[-1]
                word = TOKEN.match(text, cut)
                assert word is not None  # _WORD_PAIR matched word characters on both sides of the cut
                first = word.group()
                joined = [last + first]
                head_words = np.concatenate([head_words[:-1], scorer.word_array(joined), tail_words[1:]])
                head_named += scorer.named(joined) - scorer.named([last]) - scorer.named([first])
                tail_words = tail_words[:0]
            words = np.concatenate([head_words, tail_words])
            named = head_named + tail_named
        else:
            words, named = scorer.words(text[:full])
        full_bag = scorer.bag(words, named)
        if self.labels is not None:  # label_input(text[:label chars], its cue words)
            out["labels"] = scorer.extend(full_bag, int(words[-1]) if len(words) else None, label_words
                                          ) if label_words else full_bag
        if self.relevance is not None and "relevance" not in out:
            out["relevance"] = full_bag if cut == full else scorer.text_bag(text[:cut])
        if self.stage is not None:
            chars = self.stage.max_chars
            cues = cue_words(text, lang, self.stage_rules)
            if full == min(len(text), chars) and (not cues or len(text) >= chars):
                out["stage"] = full_bag
            elif full == len(text) and len(text) + 1 + len(cues) <= chars:
                out["stage"] = scorer.extend(full_bag, int(words[-1]) if len(words) else None, cues)
            else:  # another cut: analyse the stage model's own input
                out["stage"] = scorer.text_bag(f"{text}\n{cues}"[:chars] if cues else text[:chars])
        return out

    def predict(self, texts: Sequence[str], langs: Sequence[str],
                label_words: Sequence[str] | None = None) -> dict[str, list[dict[str, float]]]:
        """{model name: one score dict per text}, each as that model's own `predict` gives it (the label
        model's with `label_words`, its cue pseudo-words per text, appended to its cut of the text)."""
        self.scorer.trim()
        words = label_words if label_words is not None else [""] * len(texts)
        bags = [self._bags(text, lang, extra) for text, lang, extra in zip(texts, langs, words)]
        out: dict[str, list[dict[str, float]]] = {}
        for name in ("stage", "labels", "relevance"):
            if getattr(self, name) is None:
                continue
            labels = self.scorer.models[name].labels
            probs = self.scorer.scores(name, [b[name] for b in bags]).tolist()
            if name == "stage":
                out[name] = [{label: round(p, 4) for label, p in zip(labels, row)} for row in probs]
            else:
                out[name] = [dict(zip(labels, row)) for row in probs]
        return out
