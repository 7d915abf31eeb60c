"""The real-text label model: municipal relevance and municipal domains of a document.

A multilabel linear model (scanner/tag/linear.py) with one threshold per label, chosen on
out-of-fold predictions of the training sites (scanner/train/real.py). A domain needs a municipal
task in the text, which is what the annotators labelled; the model learned it from them.
"""
from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any, Iterable

from scanner.tag.trie import trie_pattern
from scanner.tag.variants import normalise

log = logging.getLogger(__name__)


CUE_INPUT = "text+cues"  # meta.json `input` of a label model that reads label_input()


class LabelCues:
    """The catalogue's municipal and domain cue phrases, and the process mentions' domains, as pseudo-words
    (`hsmunicue`, `hsdom<domain>`, `hsproc<domain>`): one per unit of cue weight or per process mention, at
    most `cap` each, so the label model can weigh the catalogue's knowledge against everything else (as the
    stage model does with its stage cues). Training (scanner/train/real.py) and tagging build them alike.

    >>> from scanner.tag.rules import default_rules
    >>> LabelCues(default_rules()).words("De gemeenteraad besprak de bijstand.", "nl", ["sociaal-domein"])
    'hsdombestuurparticipatie hsmunicue hsprocsociaaldomein'
    """

    def __init__(self, rules: Any, cap: int = 5) -> None:
        self.cap = cap
        self.cues: dict[str, dict[str, list[tuple[str, float]]]] = {}
        self.regex: dict[str, re.Pattern[str]] = {}
        for lang, table in rules.cues.items():
            keyed = {phrase: [(_word(c.category, c.key), c.weight) for c in cues if c.category in CUE_KINDS]
                     for phrase, cues in table.items()}
            self.cues[lang] = {phrase: items for phrase, items in keyed.items() if items}
            if self.cues[lang]:
                pattern = trie_pattern(sorted(self.cues[lang]))
                self.regex[lang] = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)

    def words(self, text: str, lang: str, process_domains: Iterable[str] = ()) -> str:
        """The pseudo-words of a text (already cut to what the model reads) and its processes' domains."""
        weights: dict[str, float] = {}
        lang = lang if lang in self.regex else "nl"
        if lang in self.regex:
            table = self.cues[lang]
            for match in self.regex[lang].finditer(text):
                for word, weight in table.get(normalise(match.group()), ()):
                    weights[word] = weights.get(word, 0.0) + weight
        for domain in process_domains:
            if domain:
                word = _word("process", domain)
                weights[word] = weights.get(word, 0.0) + 1.0
        return " ".join(word for word, w in sorted(weights.items()) for _ in range(int(min(w, self.cap))))


CUE_KINDS = ("municipal", "domain")


def _word(category: str, key: str) -> str:
    suffix = key.replace("-", "")
    return {"municipal": "hsmunicue", "domain": f"hsdom{suffix}"}.get(category, f"hsproc{suffix}")


def label_input(text: str, cue_words: str) -> str:
    """What the label model reads: its cut of the text, then the cue pseudo-words of that cut."""
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
