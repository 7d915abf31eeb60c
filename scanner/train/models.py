"""Train the stage and relevance candidates (spaCy textcat, scikit-learn, ensemble), pick, save, load."""
from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from scanner.train import evaluate as ev
from scanner.train.data import FACTOR_LABELS, MUNICIPAL, STAGES, Example

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

TASKS = ("stage", "relevance")
MODEL_NAMES = {"stage": "horizonscan_stage", "relevance": "horizonscan_relevance"}
PREFERENCE = ("sklearn", "spacy", "ensemble")  # tie-break: the simpler, faster model first


def models_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "models"


def train_settings(config: dict[str, Any] | None = None) -> dict[str, Any]:
    """The [train] section of the run's config (loaded when not given), over scanner/defaults.toml's."""
    from scanner.config import complete, load_config
    from scanner.train.data import municipality_names

    config = config if config is not None else load_config()
    return {**complete("train", config.get("train")), "names": municipality_names()}


@dataclass
class Candidate:
    name: str
    nlp: "Language"
    dev: dict[str, Any] = field(default_factory=dict)
    test: dict[str, Any] = field(default_factory=dict)
    docs_per_s: float = 0.0  # reported, never saved (it depends on machine load)


def load_model(path: Path) -> "Language":
    """spacy.load for a shipped model directory (registers the horizonscan components first)."""
    import spacy

    import scanner.tag.components  # noqa: F401  (registers horizonscan_linear_cats)

    return spacy.load(path)


def predict(nlp: "Language", texts: list[str]) -> list[dict[str, float]]:
    return [dict(doc.cats) for doc in nlp.pipe(texts, batch_size=256)]


def _linear_pipeline(model: Any, mix: float = 1.0, base: "Language | None" = None) -> "Language":
    import spacy

    from scanner.tag.components import FACTORY, TOKENIZER

    nlp = base if base is not None else spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    component: Any = nlp.add_pipe(FACTORY, config={"mix": mix})
    component.model = model
    return nlp


def _score(task: str, examples: list[Example], scores: list[dict[str, float]], threshold: float) -> dict[str, Any]:
    if task == "stage":
        return ev.stage_report([e.stage for e in examples], [ev.argmax(s) for s in scores])
    return ev.relevance_report(examples, scores, threshold)


def _evaluate(task: str, cand: Candidate, dev: list[Example], test: list[Example], threshold: float) -> None:
    cand.dev = _score(task, dev, predict(cand.nlp, [e.text for e in dev]), threshold)
    scores = predict(cand.nlp, [e.text for e in test])
    cand.test = _score(task, test, scores, threshold)
    cand.test["hand_written"] = ev.hand_written(task, test, scores, threshold)


def _headline(task: str, report: dict[str, Any]) -> float:
    return report["macro_f1"] if task == "stage" else ev.relevance_score(report)


def _fit_linear(task: str, train: list[Example], settings: dict[str, Any]) -> Any:
    from scanner.train.linear import fit_exclusive, fit_multilabel

    seed = int(settings["seed"])
    if task == "stage":
        return fit_exclusive([e.text for e in train], [e.stage for e in train], STAGES, settings, seed)
    rows = [e for e in train if e.municipal is not None]
    targets = {MUNICIPAL: [int(bool(e.municipal)) for e in rows]}
    targets.update({label: [int(label in e.factors) for e in rows] for label in FACTOR_LABELS})
    return fit_multilabel([e.text for e in rows], targets, settings, seed, balanced=(MUNICIPAL, *FACTOR_LABELS))


def train_candidates(task: str, train: list[Example], dev: list[Example], test: list[Example],
                     settings: dict[str, Any]) -> list[Candidate]:
    """sklearn (TF-IDF + LR), spaCy textcat from the committed config, and their average; scored on dev+test."""
    from scanner.train.spacy_models import train_spacy

    threshold = float(settings["threshold"])
    linear = _fit_linear(task, train, settings)
    spacy_nlp = train_spacy(task, train, dev, seed=int(settings["seed"]),
                            overrides={"training.max_epochs": int(settings["spacy_max_epochs"])})
    candidates = [Candidate("sklearn", _linear_pipeline(linear)), Candidate("spacy", spacy_nlp)]
    docs = bench_docs(train, int(settings["seed"]))
    for cand in candidates:
        _evaluate(task, cand, dev, test, threshold)
        cand.docs_per_s = throughput(cand.nlp, docs)
    ensemble = Candidate("ensemble", _linear_pipeline(linear, float(settings["ensemble_mix"]), base=spacy_nlp))
    _evaluate(task, ensemble, dev, test, threshold)
    ensemble.docs_per_s = throughput(ensemble.nlp, docs)
    candidates[1].nlp = None  # type: ignore[assignment]  # its pipeline now belongs to the ensemble
    return candidates + [ensemble]


def bench_docs(examples: list[Example], seed: int, n: int = 100, words: int = 600) -> list[str]:
    """n pseudo-documents of `words` words stitched from annotated sentences (seeded)."""
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        tokens: list[str] = []
        while len(tokens) < words:
            tokens += rng.choice(examples).text.split()
        out.append(" ".join(tokens[:words]))
    return out


def throughput(nlp: "Language", docs: list[str]) -> float:
    """Documents per second through the whole pipeline (informational: machine load makes it noisy)."""
    import time

    predict(nlp, docs[:5])
    started = time.perf_counter()
    predict(nlp, docs)
    return round(len(docs) / (time.perf_counter() - started), 1)


def select(task: str, candidates: list[Candidate], kinds: tuple[str, ...] = PREFERENCE) -> Candidate:
    """Best on the dev split (never the test split) among the shippable kinds; ties go to the simpler."""
    usable = [c for c in candidates if c.name in kinds] or candidates
    best = max(usable, key=lambda c: (_headline(task, c.dev), -PREFERENCE.index(c.name)))
    if best.nlp is None:  # spaCy alone won: rebuild it from the ensemble by removing the linear pipe
        ensemble = next(c for c in candidates if c.name == "ensemble")
        from scanner.tag.components import FACTORY

        ensemble.nlp.remove_pipe(FACTORY)
        best.nlp, ensemble.nlp = ensemble.nlp, None
    return best


def data_hash(task: str, train: list[Example], settings: dict[str, Any], kind: str) -> str:
    """Hash of what determines a model: training examples, labels, settings, configs and kind."""
    from scanner.train.spacy_models import CONFIGS

    digest = hashlib.sha256()
    for e in sorted(train, key=lambda e: e.id):
        digest.update(json.dumps([e.id, e.text, e.stage, e.municipal, sorted(e.factors)]).encode())
    digest.update(json.dumps({"task": task, "kind": kind, "settings": settings}, sort_keys=True).encode())
    digest.update(CONFIGS[task].read_bytes())
    return digest.hexdigest()[:10]


def save(task: str, cand: Candidate, out_dir: Path, train: list[Example], settings: dict[str, Any]) -> Path:
    """Write the pipeline to out_dir/<task> with a version in meta.json; returns the directory."""
    version = f"1.0.0+{data_hash(task, train, settings, cand.name)}"
    meta = dict(cand.nlp.meta)
    meta.update({"name": MODEL_NAMES[task], "version": version, "lang": "xx",
                 "description": f"horizonscan {task} classifier ({cand.name}); see data/annotations/README.md",
                 "license": "EUPL-1.2", "horizonscan": {
                     "task": task, "kind": cand.name, "train_examples": len(train), "dev": cand.dev,
                     "test": cand.test, "settings": {k: v for k, v in settings.items() if k != "names"}}})
    cand.nlp.meta.update(meta)
    target = out_dir / task
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / f".{task}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    cand.nlp.to_disk(tmp)
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target


def shipped_predictor(task: str, model_dir: Path) -> Callable[[list[str]], list[dict[str, float]]]:
    nlp = load_model(model_dir / task)
    return lambda texts: predict(nlp, texts)
