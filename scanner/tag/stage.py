"""Adoption stage of a text: cue-phrase rules, or a trained model that plugs in via `StageModel`."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Protocol, runtime_checkable

from scanner.catalogue import STAGE_LABELS as LABELS
from scanner.catalogue import STAGES
from scanner.tag.rules import Cue, TagRules
from scanner.tag.trie import trie_pattern
from scanner.tag.variants import normalise

log = logging.getLogger(__name__)

NONE_PRIOR = 0.5


@runtime_checkable
class StageModel(Protocol):
    """What the tagger needs from a trained stage classifier (issue 8)."""

    version: str

    def predict(self, texts: list[str], langs: list[str]) -> list[dict[str, float]]:
        """One {stage: probability} per text over the 7 LABELS."""
        ...


def stage_scores(weights: Mapping[str, float], none_prior: float = NONE_PRIOR) -> dict[str, float]:
    """Cue weights per stage -> scores over the six stages + none, summing to 1."""
    total = sum(w for w in weights.values() if w > 0)
    if total <= 0:
        return {label: (1.0 if label == "none" else 0.0) for label in LABELS}
    denom = total + none_prior
    scores = {label: round(max(weights.get(label, 0.0), 0.0) / denom, 4) for label in STAGES}
    scores["none"] = round(1.0 - sum(scores.values()), 4)
    return scores


def best_stage(scores: Mapping[str, float], order: tuple[str, ...] = STAGES) -> str:
    """Highest score; ties go to the earlier stage in `order`; 'none' only when nothing beats it."""
    best, best_score = "none", scores.get("none", 0.0)
    for label in order:
        if scores.get(label, 0.0) > best_score:
            best, best_score = label, scores[label]
    return best


class StageRules:
    """Compiled cue regex per language (word-bounded, weighted), for texts outside the pipeline."""

    def __init__(self, rules: TagRules) -> None:
        self.rules = rules
        self.cues: dict[str, dict[str, list[Cue]]] = {}
        self.regex: dict[str, re.Pattern[str]] = {}
        for lang, table in rules.cues.items():
            stage_cues = {p: [c for c in cs if c.category == "stage"] for p, cs in table.items()}
            self.cues[lang] = {p: cs for p, cs in stage_cues.items() if cs}
            pattern = trie_pattern(sorted(self.cues[lang]))
            self.regex[lang] = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)
        # the same patterns without IGNORECASE, for lower-cased text: 2x faster, and the same matches
        # unless the text holds a character whose case folding re treats specially (see _unsafe)
        self.lower_regex = {lang: re.compile(regex.pattern) for lang, regex in self.regex.items()}

    def weights(self, text: str, lang: str) -> dict[str, float]:
        lang = lang if lang in self.regex else "nl"
        unsafe = _unsafe()
        if unsafe is None or unsafe.search(text):
            matches = self.regex[lang].finditer(text)
        else:
            matches = self.lower_regex[lang].finditer(text.lower())
        out: dict[str, float] = {}
        for match in matches:
            for cue in self.cues[lang].get(normalise(match.group()), ()):
                out[cue.key] = out.get(cue.key, 0.0) + cue.weight
        return out

    def __call__(self, text: str, lang: str, none_prior: float = NONE_PRIOR) -> tuple[str, dict[str, float]]:
        scores = stage_scores(self.weights(text, lang), none_prior)
        return best_stage(scores, self.rules.stage_order), scores


@lru_cache(maxsize=1)
def _unsafe() -> re.Pattern[str] | None:
    """Characters for which an IGNORECASE match is not a match of str.lower(): re compares simple
    lower-case mappings plus extra folds (dotless i, long s, Greek and Cyrillic variants, Kelvin sign),
    str.lower() has the full mappings ('İ' becomes two characters, a final 'Σ' becomes 'ς'). Text
    holding any of them (rare) goes through the IGNORECASE regex."""
    try:
        from re._casefix import _EXTRA_CASES
    except ImportError:  # another Python: always the IGNORECASE regex
        return None
    chars = {"\u0130", "\u03a3", "\u03c2", "\u03c3"}
    for key, values in _EXTRA_CASES.items():
        for char in (chr(key), *map(chr, values)):
            chars |= {char, char.upper(), char.lower(), char.title()}
    chars = {c for c in chars if len(c) == 1 and not c.isascii()} | {"\u212a", "\u212b", "\u0131", "\u017f"}
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


@lru_cache(maxsize=4)
def _default_rules() -> StageRules:
    from scanner.tag.rules import default_rules

    return StageRules(default_rules())


def model_input(text: str, lang: str, rules: StageRules | None = None, cap: int = 5) -> str:
    """What the stage model reads: the text plus one pseudo-word per unit of stage-cue weight (at most
    `cap` per stage), so the model can weigh the catalogue's cue phrases against everything else.
    Training (scanner/train/real.py) and tagging call this same function."""
    cues = cue_words(text, lang, rules, cap)
    return f"{text}\n{cues}" if cues else text


def cue_words(text: str, lang: str, rules: StageRules | None = None, cap: int = 5) -> str:
    """The pseudo-words model_input appends to `text` ('' when it has no stage cue)."""
    weights = (rules or _default_rules()).weights(text, lang)
    return " ".join(f"hscue{stage}" for stage, w in sorted(weights.items()) for _ in range(int(min(w, cap))))


def rule_stage(text: str, lang: str) -> tuple[str, dict[str, float]]:
    """(stage, {stage: score}) from the catalogue's stage cue phrases; ('none', {..none: 1}) without cues."""
    return _default_rules()(text, lang)


def rules_version(rules: TagRules) -> str:
    """'rules-<hash>' of the stage cue tables, so a changed stages.yaml re-tags documents."""
    blob = json.dumps({lang: {p: [(c.key, c.weight) for c in cs if c.category == "stage"]
                              for p, cs in sorted(t.items())} for lang, t in sorted(rules.cues.items())},
                      sort_keys=True)
    return "rules-" + hashlib.sha256(blob.encode()).hexdigest()[:10]


class SpacyStageModel:
    """A spaCy pipeline directory whose textcat emits the 7 stage labels in doc.cats."""

    def __init__(self, path: Path, max_chars: int = 5000, batch_size: int = 64) -> None:
        import spacy

        try:  # the shipped models use horizonscan components that must be registered before spacy.load
            import scanner.tag.components  # noqa: F401
        except ImportError:
            pass
        self.path = path
        self.nlp = spacy.load(path)
        self.max_chars = max_chars
        self.batch_size = batch_size
        meta: dict[str, Any] = self.nlp.meta or {}
        self.version = f"model-{meta.get('name', path.name)}-{meta.get('version', '0')}"

    def predict(self, texts: list[str], langs: list[str]) -> list[dict[str, float]]:
        docs = self.nlp.pipe((t[: self.max_chars] for t in texts), batch_size=self.batch_size)
        out = []
        for doc in docs:
            cats = {label: float(doc.cats.get(label, 0.0)) for label in LABELS}
            total = sum(cats.values()) or 1.0
            out.append({label: round(v / total, 4) for label, v in cats.items()})
        return out


class LinearStageModel:
    """A real-text stage model in the portable linear format (linear.json + .npy, scanner/tag/linear.py)."""

    def __init__(self, path: Path, max_chars: int = 5000) -> None:
        from scanner.tag.linear import LinearTextModel

        self.model = LinearTextModel.from_disk(path)
        self.max_chars = max_chars
        meta: dict[str, Any] = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        self.version = f"model-{meta.get('name', path.name)}-{meta.get('version', '0')}"

    def predict(self, texts: list[str], langs: list[str]) -> list[dict[str, float]]:
        return [{label: round(p, 4) for label, p in self.model.scores(t[: self.max_chars]).items()} for t in texts]


def model_dir() -> Path:
    """$SCANNER_MODEL_DIR/stage (or the dir itself when it holds the pipeline), else scanner/models/stage."""
    env = os.environ.get("SCANNER_MODEL_DIR")
    if env:
        base = Path(env)
        return base if (base / "meta.json").exists() else base / "stage"
    return Path(__file__).resolve().parent.parent / "models" / "stage"


def load_stage_model(path: Path | None = None, max_chars: int = 5000) -> StageModel | None:
    """The trained stage model when one is installed, else None (the tagger then uses the rules)."""
    path = path or model_dir()
    if not (path / "meta.json").exists():
        return None
    if (path / "linear.json").exists():
        return LinearStageModel(path, max_chars=max_chars)
    try:
        model = SpacyStageModel(path, max_chars=max_chars)
    except Exception as exc:  # a broken model must not stop tagging: fall back to the rules
        log.warning("stage model at %s not usable (%s); using cue rules", path, exc)
        return None
    if not set(LABELS) <= set(model.nlp.pipe_labels.get("textcat", LABELS)) | set(
            model.nlp.pipe_labels.get("textcat_multilabel", ())):
        log.warning("stage model at %s lacks some of the labels %s", path, LABELS)
    return model
