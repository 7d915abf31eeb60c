"""`scanner train --factors`: train the factor (relevance) candidates on the own sentences, report them beside the cue rules, keep the best."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from scanner.train import evaluate as ev
from scanner.train.data import Example, load_examples, merge_relabels, relabel_examples
from scanner.train.models import TASKS, Candidate, models_dir, save, select, train_candidates

log = logging.getLogger(__name__)


def split(examples: list[Example]) -> tuple[list[Example], list[Example], list[Example]]:
    return ([e for e in examples if e.split == "train"], [e for e in examples if e.split == "dev"],
            [e for e in examples if e.split == "test"])


def rules_report(task: str, test: list[Example], threshold: float) -> dict[str, Any] | None:
    """The cue-rule baseline on the test split (None when the tagger's rules are not available)."""
    if task == "stage":
        stages = ev.rule_stages(test)
        if stages is None:
            return None
        report = ev.stage_report([e.stage for e in test], stages)
        hand = [(e.stage, s) for e, s in zip(test, stages) if e.origin == "hand"]
        report["hand_written"] = ev.stage_report([g for g, _ in hand], [s for _, s in hand])["macro_f1"]
        return report
    scores = ev.rule_relevance(test)
    if scores is None:
        return None
    report = ev.relevance_report(test, scores, threshold)
    report["hand_written"] = ev.hand_written(task, test, scores, threshold)
    return report


def train_all(settings: dict[str, Any], out_dir: Path | None = None, store: Any = None,
              data_dir: Path | None = None, tasks: tuple[str, ...] = TASKS, with_rules: bool = True,
              save_models: bool = True) -> dict[str, Any]:
    """Train every task's candidates, save the dev-best under out_dir; returns the JSON report."""
    out_dir = out_dir or models_dir()
    examples = load_examples(data_dir)
    relabels = relabel_examples(store) if store is not None else []
    train, dev, test = split(merge_relabels(examples, relabels))
    report: dict[str, Any] = {"data": {"train": len(train), "dev": len(dev), "test": len(test),
                                       "relabels": len(relabels)}, "seed": settings["seed"]}
    for task in tasks:
        started = time.perf_counter()
        candidates = train_candidates(task, train, dev, test, settings)
        best = select(task, candidates, tuple(settings["ship_kinds"]))
        section = _section(task, candidates, test, settings, with_rules)
        section["selected"] = best.name
        section["train_s"] = round(time.perf_counter() - started, 1)
        if save_models:
            path = save(task, best, out_dir, train, settings)
            section["path"], section["version"] = str(path), best.nlp.meta["version"]
        report[task] = section
    return report


def _section(task: str, candidates: list[Candidate], test: list[Example], settings: dict[str, Any],
             with_rules: bool) -> dict[str, Any]:
    systems: dict[str, Any] = {}
    if with_rules:
        rules = rules_report(task, test, float(settings["threshold"]))
        if rules is not None:
            systems["rules"] = rules
    for cand in candidates:
        systems[cand.name] = {**cand.test, "dev": _dev_headline(task, cand.dev), "docs_per_s": cand.docs_per_s}
    return {"systems": systems}


def _dev_headline(task: str, dev: dict[str, Any]) -> float:
    return dev["macro_f1"] if task == "stage" else round(ev.relevance_score(dev), 4)
