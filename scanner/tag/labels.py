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
from typing import Any, Iterable

log = logging.getLogger(__name__)


CUE_INPUT = "text+cues"  # meta.json `input` of a label model that reads label_input()
CUE_KINDS = ("municipal", "domain")  # the cue categories that become label pseudo-words


def label_cue_words(cues: Iterable[Any], process_domains: Iterable[str] = (), cap: int = 5) -> str:
    """The catalogue's municipal and domain cue hits (`Cue`s the pipeline's matcher found) and the process
    mentions' domains as pseudo-words (`hsmunicue`, `hsdom<domain>`, `hsproc<domain>`): one per unit of cue
    weight or per process mention, at most `cap` each, so the label model can weigh the catalogue's
    knowledge against everything else (as the stage model does with its stage cues). Training
    (scanner/train/real.py) and tagging take them from the same pipeline (`Tagger.label_inputs`).

    >>> from scanner.tag.rules import Cue
    >>> label_cue_words([Cue("municipal", "", 1.0), Cue("domain", "sociaal-domein", 2.5), Cue("stage", "pilot", 1)],
    ...                 ["sociaal-domein"])
    'hsdomsociaaldomein hsdomsociaaldomein hsmunicue hsprocsociaaldomein'
    """
    weights: dict[str, float] = {}
    for cue in cues:
        if cue.category in CUE_KINDS:
            word = _word(cue.category, cue.key)
            weights[word] = weights.get(word, 0.0) + cue.weight
    for domain in process_domains:
        if domain:
            word = _word("process", domain)
            weights[word] = weights.get(word, 0.0) + 1.0
    return " ".join(word for word, w in sorted(weights.items()) for _ in range(int(min(w, cap))))



def _word(category: str, key: str) -> str:
    suffix = key.replace("-", "")
    return {"municipal": "hsmunicue", "domain": f"hsdom{suffix}"}.get(category, f"hsproc{suffix}")


def label_input(text: str, cue_words: str) -> str:
    """What the label model reads: its cut of the text, then the text's cue pseudo-words."""
    return f"{text}\n{cue_words}" if cue_words else text


class LabelModel:
    def __init__(self, path: Path, max_chars: int = 5000) -> None:
        from scanner.tag.linear import LinearTextModel

        self.model = LinearTextModel.from_disk(path)
        meta: dict[str, Any] = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        self.thresholds: dict[str, float] = {k: float(v) for k, v in meta["thresholds"].items()}
        self.version = f"{meta.get('name', path.name)}-{meta.get('version', '0')}"
        self.max_chars = max_chars
        self.reads_cues = meta.get("input") == CUE_INPUT  # models trained before the cue words read text only

    def predict(self, texts: list[str], cue_words: list[str] | None = None) -> list[dict[str, float]]:
        """Scores of each text's first max_chars characters (plus its cue words, for a model that reads them)."""
        words = cue_words if cue_words is not None and self.reads_cues else [""] * len(texts)
        return [self.model.scores(label_input(t[: self.max_chars], w)) for t, w in zip(texts, words)]

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
