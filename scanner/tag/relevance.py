"""The trained relevance model: municipal relevance and Ortt & Dees factors (driver/barrier) per document.

It complements the cue rules rather than replacing them: a document is municipal when the rules say so or
the model is very sure, and the model's confident factors are added to the rule factors (held-out split:
relevance accuracy 0.927 against 0.517 for the cues; factor micro-F1 0.41 -> 0.45 for the union).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class RelevanceModel:
    """A spaCy pipeline directory whose doc.cats hold `municipal` and `factor:polarity` labels."""

    def __init__(self, path: Path, max_chars: int = 2000, batch_size: int = 64) -> None:
        import spacy

        import scanner.tag.components  # noqa: F401  (registers the shipped model's components)

        self.nlp = spacy.load(path)
        self.max_chars, self.batch_size = max_chars, batch_size
        meta: dict[str, Any] = self.nlp.meta or {}
        self.version = f"{meta.get('name', path.name)}-{meta.get('version', '0')}"

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        docs = self.nlp.pipe((t[: self.max_chars] for t in texts), batch_size=self.batch_size)
        return [{k: float(v) for k, v in doc.cats.items()} for doc in docs]


class LinearRelevanceModel:
    """The same model without spaCy: the shipped pipeline is one `horizonscan_linear_cats` component
    (mix 1.0), whose doc.cats are exactly its LinearTextModel's scores, so the tagger reads those directly."""

    def __init__(self, path: Path, max_chars: int = 2000) -> None:
        import json

        from scanner.tag.components import FACTORY
        from scanner.tag.linear import LinearTextModel

        self.model = LinearTextModel.from_disk(path / FACTORY)
        self.max_chars = max_chars
        meta: dict[str, Any] = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        self.version = f"{meta.get('name', path.name)}-{meta.get('version', '0')}"

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        return [self.model.scores(t[: self.max_chars]) for t in texts]


def linear_only(path: Path) -> bool:
    """Whether the pipeline at `path` is a single `horizonscan_linear_cats` component with mix 1.0."""
    from thinc.api import Config

    from scanner.tag.components import FACTORY

    config = Config().from_disk(path / "config.cfg", interpolate=False)
    pipeline = list(config.get("nlp", {}).get("pipeline", []))
    component = config.get("components", {}).get(FACTORY, {})
    return (pipeline == [FACTORY] and component.get("factory") == FACTORY and float(component.get("mix", 1.0)) >= 1.0
            and (path / FACTORY / "linear.json").exists())


def relevance_dir() -> Path:
    """$SCANNER_MODEL_DIR/relevance, else scanner/models/relevance."""
    env = os.environ.get("SCANNER_MODEL_DIR")
    base = Path(env) if env else Path(__file__).resolve().parent.parent / "models"
    return base / "relevance"


def load_relevance_model(path: Path | None = None, max_chars: int = 2000,
                         linear: bool = True) -> RelevanceModel | LinearRelevanceModel | None:
    """The shipped relevance model, or None (the tagger then uses the cue rules alone); `linear` reads a
    single-linear-component pipeline without spaCy (same scores, none of spaCy's per-document cost)."""
    path = path or relevance_dir()
    if not (path / "meta.json").exists():
        return None
    try:
        if linear and (path / "config.cfg").exists() and linear_only(path):
            return LinearRelevanceModel(path, max_chars=max_chars)
        return RelevanceModel(path, max_chars=max_chars)
    except Exception as exc:  # a broken model must not stop tagging
        log.warning("relevance model at %s not usable (%s); using cue rules", path, exc)
        return None


def merge(result: dict[str, Any], cats: dict[str, float], threshold: float, municipal_threshold: float) -> None:
    """Fold one document's model scores into its tag result (municipal: rules or a confident model; factors: union).

    The model was trained on sentences and leans towards "municipal" for any Dutch public-sector text
    (0.9 for a Tweede Kamer debate), so it only overrides the cue rules when it is very sure.
    """
    score = cats.get("municipal", 0.0)
    result["municipal_model"] = round(score, 4)
    if score >= municipal_threshold:
        result["municipal"] = True
        result["municipal_score"] = round(max(float(result.get("municipal_score") or 0.0), score), 4)
    have = {(f["factor"], f["polarity"]) for f in result.get("factors", [])}
    for label, value in sorted(cats.items()):
        factor, _, polarity = label.partition(":")
        if polarity and value >= threshold and (factor, polarity) not in have:
            result.setdefault("factors", []).append({"factor": factor, "polarity": polarity,
                                                     "score": round(value, 4)})
