"""Per-label precision/recall/F1, macro-F1 and accuracy for stage and relevance predictions."""
from __future__ import annotations

import logging
from typing import Any, Sequence

from scanner.train.data import FACTOR_LABELS, MUNICIPAL, STAGES, Example

log = logging.getLogger(__name__)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": tp + fn}


def argmax(scores: dict[str, float]) -> str:
    return max(STAGES, key=lambda label: scores.get(label, 0.0))


def stage_report(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """{"labels": {stage: prf}, "macro_f1", "accuracy", "n"} over the 7 stages."""
    labels = {}
    for label in STAGES:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        labels[label] = prf(tp, fp, fn)
    present = [v["f1"] for v in labels.values() if v["support"]]
    accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0
    return {"labels": labels, "macro_f1": round(sum(present) / len(present), 4) if present else 0.0,
            "accuracy": round(accuracy, 4), "n": len(gold)}


def relevance_report(examples: Sequence[Example], scores: Sequence[dict[str, float]],
                     threshold: float = 0.5) -> dict[str, Any]:
    """Municipal accuracy and P/R/F1, factor:polarity per-label and micro P/R/F1."""
    rows = [(e, s) for e, s in zip(examples, scores) if e.municipal is not None]
    mun_gold = [bool(e.municipal) for e, _ in rows]
    mun_pred = [s.get(MUNICIPAL, 0.0) >= threshold for _, s in rows]
    labels = {MUNICIPAL: prf(sum(g and p for g, p in zip(mun_gold, mun_pred)),
                             sum(p and not g for g, p in zip(mun_gold, mun_pred)),
                             sum(g and not p for g, p in zip(mun_gold, mun_pred)))}
    totals = [0, 0, 0]
    for label in FACTOR_LABELS:
        gold = [label in e.factors for e, _ in rows]
        pred = [s.get(label, 0.0) >= threshold for _, s in rows]
        counts = (sum(g and p for g, p in zip(gold, pred)), sum(p and not g for g, p in zip(gold, pred)),
                  sum(g and not p for g, p in zip(gold, pred)))
        totals = [a + b for a, b in zip(totals, counts)]
        if counts[0] + counts[1] + counts[2]:
            labels[label] = prf(*counts)
    accuracy = sum(g == p for g, p in zip(mun_gold, mun_pred)) / len(rows) if rows else 0.0
    return {"labels": labels, "municipal_accuracy": round(accuracy, 4),
            "factor_micro": prf(*totals), "n": len(rows)}


def relevance_score(report: dict[str, Any]) -> float:
    """One number to pick the better relevance model: mean of municipal accuracy and factor micro-F1."""
    return (report["municipal_accuracy"] + report["factor_micro"]["f1"]) / 2


def hand_written(task: str, examples: Sequence[Example], scores: Sequence[dict[str, float]],
                 threshold: float = 0.5) -> float:
    """Headline on the hand-written sentences only (template sentences are easier): macro-F1 or accuracy."""
    pairs = [(e, s) for e, s in zip(examples, scores) if e.origin == "hand"]
    if task == "stage":
        return stage_report([e.stage for e, _ in pairs], [argmax(s) for _, s in pairs])["macro_f1"]
    return relevance_report([e for e, _ in pairs], [s for _, s in pairs], threshold)["municipal_accuracy"]


def rule_stages(examples: Sequence[Example]) -> list[str] | None:
    """The tagger's cue-phrase stage rules as a baseline; None when the rules cannot be loaded."""
    try:
        from scanner.tag.stage import rule_stage

        return [rule_stage(e.text, e.lang)[0] for e in examples]
    except Exception as exc:  # the rules live in another area; the report says when they are missing
        log.warning("cue-rule baseline unavailable: %s", exc)
        return None


def rule_relevance(examples: Sequence[Example]) -> list[dict[str, float]] | None:
    """The tagger's municipal and factor cues (document-level) as a relevance baseline, when available."""
    try:
        from scanner.tag.tagger import Tagger

        tagger = Tagger(config={"use_stage_model": False})
        out = []
        for result in tagger.tag_many({"id": e.id, "text": e.text} for e in examples):
            scores = {MUNICIPAL: 1.0 if result.get("municipal") else 0.0}
            for factor in result.get("factors") or []:
                scores[f"{factor['factor']}:{factor['polarity']}"] = 1.0
            out.append(scores)
        return out
    except Exception as exc:
        log.warning("cue-rule relevance baseline unavailable: %s", exc)
        return None
