"""Stage and label (municipal, domains) classifiers trained on the real-text corpus.

Both are portable TF-IDF + logistic-regression models (scanner/tag/linear.py, fitted by
scanner/train/linear.py) over the document text. Everything that is chosen (regularisation, the temperature that calibrates the stage
probabilities, each label's threshold) is chosen on out-of-fold predictions of the training sites
(GroupKFold by site); the project's own sentences are extra training data, never evaluation data.
"""
from __future__ import annotations

import json
import logging
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np

from scanner.catalogue import DOMAINS
from scanner.tag.termlike import TermModel
from scanner.train.linear import LinearTextModel, fit_exclusive, fit_multilabel
from scanner.train.realtext import STAGES, RealRecord

log = logging.getLogger(__name__)

LABELS = ("municipal", *(f"domain:{d}" for d in DOMAINS))
FORMAT_NOTE = "horizonscan real-text model: linear.json + .npy (scanner/tag/linear.py), meta.json"
TERM_NOTE = "horizonscan term model: termlike.json + coef.npy (scanner/tag/termlike.py), meta.json"


@lru_cache(maxsize=1)
def _langid_chars() -> int:
    from scanner.tag.tagger import tag_config

    return int(tag_config()["langid_chars"])


def stage_text(text: str) -> str:
    """The stage model's input for a text, exactly as the tagger builds it (config read once)."""
    from scanner.tag.language import detect
    from scanner.tag.stage import model_input

    return model_input(text, detect(text, _langid_chars())[1])


def stage_data(records: list[RealRecord], own: list[Any], own_weight: float) -> tuple[list[str], list[str], list[float]]:
    texts = [stage_text(r.full_text) for r in records] + [stage_text(e.text) for e in own]
    labels = [r.stage for r in records] + [e.stage for e in own]
    return texts, labels, [1.0] * len(records) + [own_weight] * len(own)


_LABEL_INPUTS: dict[str, str] = {}


def label_texts(texts: list[str], cues: bool = True) -> list[str]:
    """The label model's input for each text, built by the tagger itself (`Tagger.label_inputs`: the first
    stage_model_chars characters and the cue words of the pipeline's cue hits and process mentions; a
    tagger without models, which finds the same); remembered, since the folds ask for the same texts
    again. Without `cues`, the texts themselves (the input of label models trained before the cue words)."""
    if not cues:
        return list(texts)
    from scanner.tag.tagger import Tagger

    missing = list(dict.fromkeys(t for t in texts if t not in _LABEL_INPUTS))
    if missing:
        tagger = Tagger(config={"use_stage_model": False, "use_label_model": False, "use_relevance_model": False,
                                "use_term_model": False})
        chars = int(tagger.config["stage_model_chars"])  # what the tagger gives the label model
        inputs = tagger.label_inputs([{"id": i, "text": t} for i, t in enumerate(missing)], chars)
        _LABEL_INPUTS.update((text, found if found is not None else text) for text, found in zip(missing, inputs))
    return [_LABEL_INPUTS[t] for t in texts]


def label_data(records: list[RealRecord], own: list[Any], own_weight: float,
               cues: bool = True) -> tuple[list[str], dict[str, list[int]], list[float]]:
    """Municipal and domain targets; own sentences count for municipal and their one domain."""
    own = [e for e in own if e.municipal is not None]
    texts = label_texts([r.full_text for r in records] + [e.text for e in own], cues)
    targets = {"municipal": [int(r.municipal) for r in records] + [int(bool(e.municipal)) for e in own]}
    for d in DOMAINS:
        targets[f"domain:{d}"] = [int(d in r.domains) for r in records] + [int(e.domain == d) for e in own]
    return texts, targets, [1.0] * len(records) + [own_weight] * len(own)


def fit_stage(records: list[RealRecord], own: list[Any], settings: dict[str, Any]) -> LinearTextModel:
    texts, labels, weights = stage_data(records, own, settings["own_weight"])
    return fit_exclusive(texts, labels, STAGES, settings | {"balanced": True, "C": stage_strength(settings)},
                         int(settings["seed"]), weights)


def stage_strength(settings: dict[str, Any]) -> float:
    """The stage model's inverse L2 strength: its own `stage_C`, else the shared `C`."""
    return float(settings.get("stage_C", settings.get("C", 10.0)))


def fit_labels(records: list[RealRecord], own: list[Any], settings: dict[str, Any],
               cues: bool = True) -> LinearTextModel:
    texts, targets, weights = label_data(records, own, settings["own_weight"], cues)
    return fit_multilabel(texts, targets, settings, int(settings["seed"]), balanced=LABELS, weights=weights)


def out_of_fold(records: list[RealRecord], fit: Callable[[list[RealRecord]], LinearTextModel],
                folds: int, text_of: Callable[[RealRecord], str] = lambda r: r.full_text) -> list[np.ndarray]:
    """Logits of each record from a model that never saw its site."""
    from sklearn.model_selection import GroupKFold

    out: list[np.ndarray] = [np.zeros(0)] * len(records)
    for train_idx, held_idx in GroupKFold(folds).split(records, groups=[r.site for r in records]):
        model = fit([records[i] for i in train_idx])
        for i in held_idx:
            out[i] = model.logits(text_of(records[i]))
    return out


def fit_temperature(logits: list[np.ndarray], gold: list[int]) -> float:
    """The softmax temperature that minimises the log loss of out-of-fold predictions."""
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax

    matrix = np.vstack(logits)

    def loss(t: float) -> float:
        return -float(np.mean(log_softmax(matrix / t, axis=1)[np.arange(len(gold)), gold]))

    return round(float(minimize_scalar(loss, bounds=(0.05, 20.0), method="bounded").x), 4)


def best_threshold(scores: np.ndarray, gold: np.ndarray, accuracy: bool = False) -> float:
    """Threshold maximising F1 (or accuracy) on out-of-fold scores."""
    best, best_value = 0.5, -1.0
    for t in np.arange(0.05, 0.96, 0.025):
        pred = scores >= t
        if accuracy:
            value = float(np.mean(pred == gold))
        else:
            tp, fp, fn = np.sum(pred & gold), np.sum(pred & ~gold), np.sum(~pred & gold)
            value = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if value > best_value + 1e-9:
            best, best_value = float(t), value
    return round(best, 3)


def fit_stage_calibrated(records: list[RealRecord], own: list[Any], settings: dict[str, Any]) -> LinearTextModel:
    """The stage model on `records` (+ own sentences), its temperature from out-of-fold predictions."""
    stage_oof = out_of_fold(records, lambda rs: fit_stage(rs, own, settings), int(settings["folds"]),
                            lambda r: stage_text(r.full_text))
    stage = fit_stage(records, own, settings)
    stage.temperature = fit_temperature(stage_oof, [STAGES.index(r.stage) for r in records])
    return stage


def train(records: list[RealRecord], own: list[Any], settings: dict[str, Any]) -> dict[str, Any]:
    """Fit both models on `records` (+ own sentences); temperature and thresholds from out-of-fold predictions."""
    stage = fit_stage_calibrated(records, own, settings)
    labels, thresholds = fit_labels_calibrated(records, own, settings)
    return {"stage": stage, "labels": labels, "thresholds": thresholds, "temperature": stage.temperature}


def fit_labels_calibrated(records: list[RealRecord], own: list[Any], settings: dict[str, Any],
                          cues: bool = True) -> tuple[LinearTextModel, dict[str, float]]:
    """The label model on `records` (+ own sentences) and each label's threshold from out-of-fold
    predictions (accuracy for municipal, F1 for the domains)."""
    inputs = dict(zip((r.full_text for r in records), label_texts([r.full_text for r in records], cues)))
    logits = out_of_fold(records, lambda rs: fit_labels(rs, own, settings, cues), int(settings["folds"]),
                         lambda r: inputs[r.full_text])
    label_oof = np.vstack([1 / (1 + np.exp(-x)) for x in logits])
    thresholds = {}
    for k, label in enumerate(LABELS):
        gold = np.array([r.municipal if label == "municipal" else label[7:] in r.domains for r in records])
        thresholds[label] = best_threshold(label_oof[:, k], gold, accuracy=label == "municipal")
    return fit_labels(records, own, settings, cues), thresholds


def label_scores(model: LinearTextModel, thresholds: dict[str, float], records: list[RealRecord],
                 cues: bool = True) -> dict[str, float]:
    """Municipal accuracy and domain F1 (micro, over the six domains) of a label model on `records`."""
    from scanner.train.evaluate import prf

    tp = fp = fn = right = 0
    for rec, text in zip(records, label_texts([r.full_text for r in records], cues)):
        scores = model.scores(text)
        right += (scores["municipal"] >= thresholds["municipal"]) == rec.municipal
        found, gold = {label[7:] for label in LABELS[1:] if scores[label] >= thresholds[label]}, set(rec.domains)
        tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
    return {"municipal_accuracy": round(right / max(1, len(records)), 4), "domain_f1": prf(tp, fp, fn)["f1"]}


def tagger_with_stage(model: LinearTextModel, version: str) -> Any:
    """The shipped tagger with a candidate stage model, read back from disk the way a shipped one is (so what
    is scored is what would ship); the other models are the installed ones."""
    import tempfile

    from scanner.tag.stage import load_stage_model
    from scanner.tag.tagger import Tagger

    with tempfile.TemporaryDirectory() as tmp:  # the model is read into memory: the folder may go
        path = save(model, Path(tmp) / "stage", {"name": "horizonscan_stage", "version": version})
        return Tagger(stage_model=load_stage_model(path))


def save(model: LinearTextModel | TermModel, path: Path, meta: dict[str, Any]) -> Path:
    tmp = path.parent / f".{path.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.to_disk(tmp)
    note = TERM_NOTE if isinstance(model, TermModel) else FORMAT_NOTE
    (tmp / "meta.json").write_text(json.dumps({"note": note, **meta}, indent=1, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)
    return path
