"""Document-level labels from cue hits: stage (per document and per sentence), municipal, domains."""
from __future__ import annotations

import math
from typing import Iterable, Sequence

from scanner.tag.compounds import Hit
from scanner.tag.resolve import sentence_of
from scanner.tag.rules import Cue, TagRules
from scanner.tag.stage import best_stage, stage_scores


def stage_labels(stage_hits: Sequence[tuple[int, Cue]], sent_starts: Sequence[int], title_end: int,
                 none_prior: float, title_weight: float, order: tuple[str, ...]) -> tuple[str, dict, dict]:
    """(doc stage, doc scores, {sentence index: cue weights}) from (char offset, cue) hits."""
    doc_w: dict[str, float] = {}
    per_sent: dict[int, dict[str, float]] = {}
    for start, cue in stage_hits:
        weight = cue.weight * (title_weight if start < title_end else 1.0)
        doc_w[cue.key] = doc_w.get(cue.key, 0.0) + weight
        sent_w = per_sent.setdefault(sentence_of(sent_starts, start), {})
        sent_w[cue.key] = sent_w.get(cue.key, 0.0) + cue.weight
    scores = stage_scores(doc_w, none_prior)
    return best_stage(scores, order), scores, per_sent


def sentence_stage(weights: dict[str, float], none_prior: float, order: tuple[str, ...]) -> tuple[str, float]:
    """(stage, score) of one sentence from its cue weights."""
    scores = stage_scores(weights, none_prior)
    label = best_stage(scores, order)
    return label, scores[label]


def municipal_score(cues: Iterable[Cue], names: set[str], name_weight: float) -> float:
    """1 - exp(-evidence): one clear cue ('gemeente') gives 0.63, one place name alone 1 - exp(-w)."""
    evidence = sum(c.weight for c in cues) + name_weight * len(names)
    return round(1.0 - math.exp(-evidence), 3)


def domains_of(processes: Sequence[Hit], domain_cues: Iterable[Cue], rules: TagRules,
               process_weight: float, min_cue_weight: float) -> list[str]:
    """Domains of the processes plus domains whose cue weight reaches the minimum, strongest first."""
    weights: dict[str, float] = {}
    for hit in processes:
        domain = rules.process_domain.get(hit.target.id)
        if domain:
            weights[domain] = weights.get(domain, 0.0) + process_weight
    cue_w: dict[str, float] = {}
    for cue in domain_cues:
        cue_w[cue.key] = cue_w.get(cue.key, 0.0) + cue.weight
    for domain, weight in cue_w.items():
        if weight >= min_cue_weight or domain in weights:
            weights[domain] = weights.get(domain, 0.0) + weight
    return [d for d, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))]
