"""A portable TF-IDF + logistic-regression text model: shipped as JSON + .npy, fitted by scanner/train/linear.py.

Features are lower-cased word uni/bigrams plus character n-grams of each word (padded with spaces),
which carry Dutch compounds and inflections ("proefsgewijs", "stopgezet"). Prediction needs only
numpy and caches each word's n-gram ids, so scoring a 600-word document costs well under a millisecond.
No pickle: the files load on any numpy/scikit-learn version.
"""
from __future__ import annotations

import json
import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

TOKEN = re.compile(r"\w+")
FORMAT = "horizonscan-linear-1"
NAME_FEATURE = "__municipality__"  # one feature for every Dutch municipality name, so unseen towns count too


def read_format(path: Path, fmt: str) -> dict:
    """The JSON head of a portable model file, refused (ValueError) unless it declares `fmt`."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("format") != fmt:
        raise ValueError(f"{path.parent}: not a {fmt} model")
    return doc


def word_ngrams(word: str, low: int, high: int) -> list[str]:
    """Character n-grams of ' word ' (a word shorter than n yields itself once)."""
    padded = f" {word} "
    out: list[str] = []
    for n in range(low, high + 1):
        out += [padded[i:i + n] for i in range(max(1, len(padded) - n + 1))]
    return out


def analyse(text: str, char_low: int = 3, char_high: int = 5, names: frozenset[str] = frozenset()) -> list[str]:
    """Every feature string of a text (the scikit-learn analyzer used at training time)."""
    raw = TOKEN.findall(text)
    tokens = [t.lower() for t in raw]
    out = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
    out += [NAME_FEATURE for t in raw if t in names]
    for token in tokens:
        out += word_ngrams(token, char_low, char_high)
    return out


@dataclass
class LinearTextModel:
    """Label scores = softmax (exclusive) or sigmoid (multilabel) of W . tfidf(text) + b."""

    labels: list[str]
    exclusive: bool
    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (n_labels, n_features)
    intercept: np.ndarray  # (n_labels,)
    char_low: int = 3
    char_high: int = 5
    names: frozenset[str] = frozenset()
    temperature: float = 1.0  # logits are divided by it (fitted on out-of-fold predictions: calibration)
    cache_size: int = 50_000
    _cache: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _coef_t: np.ndarray | None = field(default=None, repr=False)

    def _word_ids(self, word: str) -> np.ndarray:
        """Feature ids of a word's own unigram and its character n-grams (LRU-cached)."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        ids = np.fromiter((i for g in (word, *word_ngrams(word, self.char_low, self.char_high))
                           if (i := self.vocab.get(g)) is not None), dtype=np.int64)
        self._cache[word] = ids
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return ids

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature ids, l2-normalised sublinear tf-idf values) of one text."""
        raw = TOKEN.findall(text)
        tokens = [t.lower() for t in raw]
        vocab = self.vocab
        parts = [self._word_ids(t) for t in tokens]
        parts.append(np.fromiter((i for a, b in zip(tokens, tokens[1:]) if (i := vocab.get(f"{a} {b}")) is not None),
                                 dtype=np.int64))
        name_id = vocab.get(NAME_FEATURE)
        if name_id is not None and self.names:
            parts.append(np.full(sum(t in self.names for t in raw), name_id, dtype=np.int64))
        counts = np.bincount(np.concatenate(parts), minlength=len(self.idf))
        ids = np.flatnonzero(counts)
        values = (1.0 + np.log(counts[ids])) * self.idf[ids]
        norm = math.sqrt(float(np.sum(values * values))) or 1.0
        return ids, values / norm

    def logits(self, text: str) -> np.ndarray:
        ids, values = self.vector(text)
        if self._coef_t is None:
            self._coef_t = np.ascontiguousarray(self.coef.T)  # row per feature: gathers are contiguous
        return values @ self._coef_t[ids] + self.intercept

    def scores(self, text: str) -> dict[str, float]:
        logits = self.logits(text) / self.temperature
        if self.exclusive:
            exp = np.exp(logits - logits.max())
            probs = exp / exp.sum()
        else:
            probs = 1.0 / (1.0 + np.exp(-logits))
        return {label: float(p) for label, p in zip(self.labels, probs)}

    def predict(self, texts: Iterable[str]) -> list[dict[str, float]]:
        return [self.scores(t) for t in texts]

    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        meta = {"format": FORMAT, "labels": self.labels, "exclusive": self.exclusive,
                "char_low": self.char_low, "char_high": self.char_high, "names": sorted(self.names),
                "temperature": self.temperature, "terms": terms}
        (path / "linear.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.save(path / "idf.npy", self.idf.astype(np.float32))
        np.save(path / "coef.npy", self.coef.astype(np.float32))
        np.save(path / "intercept.npy", self.intercept.astype(np.float32))

    @classmethod
    def from_disk(cls, path: Path) -> "LinearTextModel":
        meta = read_format(path / "linear.json", FORMAT)
        return cls(labels=meta["labels"], exclusive=meta["exclusive"],
                   vocab={t: i for i, t in enumerate(meta["terms"])},
                   idf=np.load(path / "idf.npy").astype(np.float64),
                   coef=np.load(path / "coef.npy").astype(np.float64),
                   intercept=np.load(path / "intercept.npy").astype(np.float64),
                   char_low=meta["char_low"], char_high=meta["char_high"], names=frozenset(meta.get("names", ())),
                   temperature=float(meta.get("temperature", 1.0)))
