"""Fitting the portable linear text model (scanner/tag/linear.py) with scikit-learn."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from scanner.tag.linear import LinearTextModel, analyse

__all__ = ["LinearTextModel", "fit_exclusive", "fit_multilabel"]


def _vectorizer(settings: dict[str, Any]) -> Any:
    from functools import partial

    from sklearn.feature_extraction.text import TfidfVectorizer

    low, high = settings.get("char_ngrams", [3, 5])
    names = frozenset(settings.get("names", ()))
    return TfidfVectorizer(analyzer=partial(analyse, char_low=low, char_high=high, names=names), sublinear_tf=True,
                           min_df=settings.get("min_df", 1))


def _export(vectorizer: Any, labels: list[str], exclusive: bool, coef: np.ndarray, intercept: np.ndarray,
            settings: dict[str, Any]) -> LinearTextModel:
    low, high = settings.get("char_ngrams", [3, 5])
    vocab = {str(t): int(i) for t, i in vectorizer.vocabulary_.items()}
    return LinearTextModel(labels=labels, exclusive=exclusive, vocab=vocab, idf=np.asarray(vectorizer.idf_),
                           coef=np.asarray(coef), intercept=np.asarray(intercept), char_low=low, char_high=high,
                           names=frozenset(settings.get("names", ())))


def fit_exclusive(texts: list[str], labels: list[str], label_set: Iterable[str], settings: dict[str, Any],
                  seed: int = 42, weights: list[float] | None = None) -> LinearTextModel:
    """Multinomial logistic regression over all of `label_set` (labels absent from training never win);
    settings["balanced"] weighs classes inversely to their frequency."""
    from sklearn.linear_model import LogisticRegression

    vectorizer = _vectorizer(settings)
    matrix = vectorizer.fit_transform(texts)
    lr = LogisticRegression(C=settings.get("C", 10.0), max_iter=3000, random_state=seed,
                            class_weight="balanced" if settings.get("balanced") else None)
    lr.fit(matrix, labels, sample_weight=weights)
    classes = [str(c) for c in lr.classes_]
    wanted = list(label_set)
    coef = np.zeros((len(wanted), matrix.shape[1]))
    intercept = np.full(len(wanted), -30.0)
    rows = lr.coef_ if len(classes) > 2 else np.vstack([-lr.coef_[0] / 2, lr.coef_[0] / 2])
    bias = lr.intercept_ if len(classes) > 2 else np.array([-lr.intercept_[0] / 2, lr.intercept_[0] / 2])
    for k, label in enumerate(classes):
        coef[wanted.index(label)], intercept[wanted.index(label)] = rows[k], bias[k]
    return _export(vectorizer, wanted, True, coef, intercept, settings)


def fit_multilabel(texts: list[str], targets: dict[str, list[int]], settings: dict[str, Any],
                   seed: int = 42, balanced: Iterable[str] = (), weights: list[float] | None = None) -> LinearTextModel:
    """One binary logistic regression per label; a label without both classes scores ~0."""
    from sklearn.linear_model import LogisticRegression

    vectorizer = _vectorizer(settings)
    matrix = vectorizer.fit_transform(texts)
    labels = list(targets)
    coef = np.zeros((len(labels), matrix.shape[1]))
    intercept = np.full(len(labels), -30.0)
    for k, label in enumerate(labels):
        gold = targets[label]
        if 0 < sum(gold) < len(gold):
            lr = LogisticRegression(C=settings.get("C", 10.0), max_iter=3000, random_state=seed,
                                    class_weight="balanced" if label in set(balanced) else None)
            lr.fit(matrix, gold, sample_weight=weights)
            coef[k], intercept[k] = lr.coef_[0], lr.intercept_[0]
    return _export(vectorizer, labels, False, coef, intercept, settings)
