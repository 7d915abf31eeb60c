"""The tagger's linear classifiers (stage, labels, relevance) scored together, a batch at a time.

The three LinearTextModels share one analyser (scanner/train/linear.py: lower-cased words, word
bigrams, character n-grams of each word, one municipality-name feature) and differ only in their
vocabularies, weights and how much of the text they read. So a document is analysed once: its words
are counted, each distinct word's features are looked up once in the union of the three vocabularies
(cached across documents), and each model gets a sparse tf-idf matrix for the whole batch by
re-indexing those ids; one sparse product per model gives every document's logits. Scores equal
`LinearTextModel.scores` on the same text (tests/test_tag_throughput.py).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from scanner.train.linear import NAME_FEATURE, TOKEN, LinearTextModel, word_ngrams

_EMPTY = np.zeros(0, dtype=np.int64)


_SHIFT = 20  # a key is (feature id << _SHIFT) | count: one integer sort sums duplicate features


@dataclass
class Bag:
    """Distinct feature ids (union vocabulary, ascending) and their counts for one text."""

    ids: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, ids: np.ndarray, counts: np.ndarray) -> "Bag":
        """Duplicates summed: one sort of packed keys instead of a sort per model and batch."""
        if not len(ids):
            return cls(_EMPTY, _EMPTY)
        keys = np.sort((ids << _SHIFT) | counts)
        ids, counts = keys >> _SHIFT, keys & ((1 << _SHIFT) - 1)
        starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
        return cls(ids[starts], np.add.reduceat(counts, starts))

    def __add__(self, other: "Bag") -> "Bag":
        return Bag.of(np.concatenate([self.ids, other.ids]), np.concatenate([self.counts, other.counts]))


def compatible(models: Sequence[LinearTextModel]) -> bool:
    """Whether the models share the analyser settings, so one analysis serves them all."""
    first = models[0]
    return all((m.char_low, m.char_high, m.names) == (first.char_low, first.char_high, first.names) for m in models)


class SharedScorer:
    """Scores texts with several LinearTextModels from one analysis of each text."""

    def __init__(self, models: dict[str, LinearTextModel], cache_size: int = 200_000) -> None:
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
        self.cache: dict[str, np.ndarray] = {}
        self.cache_size = cache_size

    def _word(self, word: str) -> np.ndarray:
        """Union ids of a lower-cased word's own unigram and its character n-grams."""
        vocab = self.vocab
        ids = np.fromiter((i for g in (word, *word_ngrams(word, self.char_low, self.char_high))
                           if (i := vocab.get(g)) is not None), dtype=np.int64)
        if len(self.cache) >= self.cache_size:
            self.cache.clear()
        self.cache[word] = ids
        return ids

    def bag(self, raw: list[str], before: str | None = None) -> Bag:
        """Features of a token list (TOKEN.findall of a text); `before` is the lower-cased token that
        precedes it (its bigram with the first token counts), for a text analysed in two parts."""
        low = list(map(str.lower, raw))
        words = Counter(low)
        get, word = self.cache.get, self._word
        arrays = [a if (a := get(w)) is not None else word(w) for w in words]
        sizes = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
        ids = np.concatenate(arrays) if arrays else _EMPTY
        counts = np.repeat(np.fromiter(words.values(), dtype=np.int64, count=len(words)), sizes)
        pairs = Counter(map(" ".join, zip([before, *low] if before is not None else low,
                                          low if before is not None else low[1:])))
        vocab = self.vocab
        found = [(i, c) for b, c in pairs.items() if (i := vocab.get(b)) is not None]
        extra_ids = [i for i, _ in found]
        extra_counts = [c for _, c in found]
        if self.name_id is not None and self.names:
            named = sum(map(self.names.__contains__, raw))
            if named:
                extra_ids.append(self.name_id)
                extra_counts.append(named)
        if extra_ids:
            ids = np.concatenate([ids, np.asarray(extra_ids, dtype=np.int64)])
            counts = np.concatenate([counts, np.asarray(extra_counts, dtype=np.int64)])
        return Bag.of(ids, counts)

    def text_bag(self, text: str) -> Bag:
        return self.bag(TOKEN.findall(text))

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
    def build(cls, stage: Any, labels: Any, relevance: Any, stage_rules: Any) -> "BatchClassifiers | None":
        """None unless every present model is a LinearTextModel sharing one analyser."""
        parts = {"stage": stage, "labels": labels, "relevance": relevance}
        models = {name: getattr(m, "model", None) for name, m in parts.items() if m is not None}
        if not models or not all(isinstance(m, LinearTextModel) for m in models.values()):
            return None
        if not compatible(list(models.values())):
            return None
        return cls(SharedScorer(models), stage, labels, relevance, stage_rules)

    def _bags(self, text: str, lang: str) -> dict[str, Bag]:
        from scanner.tag.stage import cue_words

        scorer, cache, out = self.scorer, {}, {}

        def prefix(chars: int) -> tuple[list[str], Bag]:
            key = min(len(text), chars)
            if key not in cache:
                raw = TOKEN.findall(text[:key])
                cache[key] = (raw, scorer.bag(raw))
            return cache[key]

        if self.labels is not None:
            out["labels"] = prefix(self.labels.max_chars)[1]
        if self.relevance is not None:
            out["relevance"] = prefix(self.relevance.max_chars)[1]
        if self.stage is not None:
            chars = self.stage.max_chars
            cues = cue_words(text, lang, self.stage_rules)
            if not cues or len(text) >= chars:
                out["stage"] = prefix(chars)[1]
            elif len(text) + 1 + len(cues) <= chars:
                raw, bag = prefix(chars)
                before = raw[-1].lower() if raw else None
                out["stage"] = bag + scorer.bag(TOKEN.findall(cues), before)
            else:  # the cut falls inside the cue words
                out["stage"] = scorer.text_bag(f"{text}\n{cues}"[:chars])
        return out

    def predict(self, texts: Sequence[str], langs: Sequence[str]) -> dict[str, list[dict[str, float]]]:
        """{model name: one score dict per text}, each as that model's own `predict` gives it."""
        bags = [self._bags(text, lang) for text, lang in zip(texts, langs)]
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
