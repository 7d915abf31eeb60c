"""scikit-learn baseline: TF-IDF over word and character n-grams + logistic regression."""
from __future__ import annotations

from typing import Any

from scanner.train.data import FACTOR_LABELS, MUNICIPAL, STAGES, Example


def _features(settings: dict[str, Any]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    words = TfidfVectorizer(analyzer="word", ngram_range=(1, settings.get("word_ngrams", 2)), lowercase=True,
                            sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, settings.get("char_ngrams", 5)), lowercase=True,
                            sublinear_tf=True, min_df=2)
    return FeatureUnion([("words", words), ("chars", chars)])


def train_sklearn_stage(train: list[Example], settings: dict[str, Any], seed: int = 42) -> Any:
    """A fitted Pipeline predicting the stage of a sentence."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    model = Pipeline([("tfidf", _features(settings)),
                      ("lr", LogisticRegression(C=settings.get("C", 10.0), max_iter=3000, random_state=seed))])
    model.fit([e.text for e in train], [e.stage for e in train])
    return model


def predict_sklearn_stage(model: Any, texts: list[str]) -> list[dict[str, float]]:
    probs = model.predict_proba(texts)
    classes = list(model.classes_)
    return [{label: (float(row[classes.index(label)]) if label in classes else 0.0) for label in STAGES}
            for row in probs]


def train_sklearn_relevance(train: list[Example], settings: dict[str, Any], seed: int = 42) -> dict[str, Any]:
    """One binary logistic regression per relevance label that has both classes in the data."""
    from sklearn.linear_model import LogisticRegression

    rows = [e for e in train if e.municipal is not None]
    features = _features(settings).fit([e.text for e in rows])
    matrix = features.transform([e.text for e in rows])
    heads: dict[str, Any] = {}
    for label in (MUNICIPAL, *FACTOR_LABELS):
        gold = [int(e.municipal) if label == MUNICIPAL else int(label in e.factors) for e in rows]
        if 0 < sum(gold) < len(gold):
            heads[label] = LogisticRegression(C=settings.get("C", 10.0), max_iter=3000, random_state=seed,
                                              class_weight="balanced" if label != MUNICIPAL else None
                                              ).fit(matrix, gold)
    return {"features": features, "heads": heads}


def predict_sklearn_relevance(model: dict[str, Any], texts: list[str]) -> list[dict[str, float]]:
    matrix = model["features"].transform(texts)
    out: list[dict[str, float]] = [{label: 0.0 for label in (MUNICIPAL, *FACTOR_LABELS)} for _ in texts]
    for label, head in model["heads"].items():
        for row, p in zip(out, head.predict_proba(matrix)[:, 1]):
            row[label] = float(p)
    return out
