"""The real-text label model: municipal relevance and municipal domains of a document.

A multilabel linear model (scanner/tag/linear.py) with one threshold per label, chosen on
out-of-fold predictions of the training sites (scanner/train/real.py). A domain needs a municipal
task in the text, which is what the annotators labelled; the model learned it from them.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class LabelModel:
    def __init__(self, path: Path, max_chars: int = 5000) -> None:
        from scanner.tag.linear import LinearTextModel

        self.model = LinearTextModel.from_disk(path)
        meta: dict[str, Any] = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        self.thresholds: dict[str, float] = {k: float(v) for k, v in meta["thresholds"].items()}
        self.version = f"{meta.get('name', path.name)}-{meta.get('version', '0')}"
        self.max_chars = max_chars

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        return [self.model.scores(t[: self.max_chars]) for t in texts]

    def apply(self, result: dict[str, Any], scores: dict[str, float]) -> None:
        """Set municipal and domains of one tag result from the model's scores."""
        score = scores.get("municipal", 0.0)
        result["municipal"] = score >= self.thresholds.get("municipal", 0.5)
        result["municipal_score"] = round(score, 4)
        result["domains"] = [label[7:] for label, t in self.thresholds.items()
                             if label.startswith("domain:") and scores.get(label, 0.0) >= t]


def labels_dir() -> Path:
    """$SCANNER_MODEL_DIR/labels, else scanner/models/labels."""
    env = os.environ.get("SCANNER_MODEL_DIR")
    base = Path(env) if env else Path(__file__).resolve().parent.parent / "models"
    return base / "labels"


def load_label_model(path: Path | None = None, max_chars: int = 5000) -> LabelModel | None:
    path = path or labels_dir()
    if not (path / "linear.json").exists():
        return None
    try:
        return LabelModel(path, max_chars)
    except (OSError, ValueError, KeyError) as exc:  # a broken model must not stop tagging
        log.warning("label model at %s not usable (%s); using cue rules", path, exc)
        return None
