"""The real-text corpus (data/annotations/real/corpus.jsonl) and the end-to-end evaluation of the tagger on it.

Scores exactly what `scanner tag` outputs and the store keeps, per ../shared/ANNOTATION.md:
technologies (required ids must be found; acceptable ids are neutral), the stage stored on each
technology mention, the document stage, domains, municipal, and emerging terms within each document's
candidates. An emerging term is by definition one that no catalogue entry covers: a gold term the
catalogue does cover (tagged on its own, or every occurrence inside a catalogue mention) is counted
apart (`covered_terms`, `recall_with_covered`), since `candidates` never hold catalogue terms.
Splits are site-disjoint; only `scanner train --eval` reads the test split.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import AbstractSet, Any, Iterable, Sequence

from scanner.catalogue import STAGE_LABELS
from scanner.config import repo_root
from scanner.tag.variants import apply_variants, term_key, variant_rules
from scanner.train.evaluate import prf, stage_report

STAGES = STAGE_LABELS


@dataclass
class RealRecord:
    id: str
    site: str
    lang: str
    title: str
    text: str
    split: str
    tech_required: list[str]
    tech_acceptable: list[str]
    domains: list[str]
    stage: str
    mention_stages: dict[str, str]
    emerging: list[str]
    municipal: bool
    published: str | None = None

    @property
    def document(self) -> dict[str, Any]:
        """The record as a `scanner tag` input document."""
        return {"id": self.id, "title": self.title, "text": self.text}

    @property
    def full_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title else self.text

    def mention_gold(self, tech: str) -> str:
        return self.mention_stages.get(tech, self.stage)


def corpus_path() -> Path:
    return repo_root() / "data" / "annotations" / "real" / "corpus.jsonl"


def load_real(path: Path | None = None, splits: Iterable[str] = ("train", "dev", "test")) -> list[RealRecord]:
    wanted = set(splits)
    path = path or corpus_path()
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if r["split"] not in wanted:
            continue
        out.append(RealRecord(
            id=r["id"], site=r["site"], lang=r["lang"], title=r.get("title") or "", text=r["text"], split=r["split"],
            tech_required=list(r["tech_required"]), tech_acceptable=list(r["tech_acceptable"]),
            domains=list(r["domains_required"]), stage=r["stage"], mention_stages=dict(r.get("mention_stages") or {}),
            emerging=[t.lower() for t in r["emerging_terms"]], municipal=bool(r["municipal"]),
            published=r.get("published")))
    return out


# ------------------------------------------------------------------------------------------ scores

def macro(gold: list[str], pred: list[str]) -> dict[str, Any]:
    """Per-stage P/R/F1, macro-F1 over the stages present in gold, and the weakest stage's F1."""
    report = stage_report(gold, pred)
    present = [v["f1"] for v in report["labels"].values() if v["support"]]
    return {**report, "min_f1": round(min(present), 4) if present else 0.0}


def term_found(gold: str, candidates: list[str], rules: Sequence[tuple[re.Pattern, str]] = ()) -> bool:
    """A gold emerging term is found when a candidate is the same term up to variants (the lexicon's
    synonym rules, the merges `scanner emerging` makes), or contains it as whole words with at most one
    word more (`microsoft copilot` finds `copilot`, `gemeente test zorgbot` does not find `zorgbot`), or is
    contained in it as whole words of at least two words. The word tests hold on the terms as written or
    as the variant rules rewrite them: a synonym rule (`large language models` -> `llm`) never makes a
    match fail that holds without it (`language models` within `large language models`)."""
    g_forms = (apply_variants(gold, []), apply_variants(gold, list(rules)))
    for cand in candidates:
        c_forms = (apply_variants(cand, []), apply_variants(cand, list(rules)))
        if term_key(c_forms[1]) == term_key(g_forms[1]) or any(map(_words_match, g_forms, c_forms)):
            return True
    return False


def _words_match(gold: str, cand: str) -> bool:
    """`cand` holds `gold` as whole words with at most one word more, or `gold` holds `cand` (2+ words)."""
    longer = f" {gold} " in f" {cand} " and len(cand.split()) <= len(gold.split()) + 1
    return longer or (len(cand.split()) >= 2 and f" {cand} " in f" {gold} ")


def covered_alone(tagger: Any, terms: Iterable[str]) -> set[str]:
    """Gold terms that the catalogue covers: tagged on their own, one technology mention spans them."""
    terms = sorted(set(terms))
    out = set()
    for term, res in zip(terms, tagger.tag_many([{"id": str(i), "text": t} for i, t in enumerate(terms)])):
        if any(m["start"] <= 0 and m["end"] >= len(term) for m in res.get("technologies") or []):
            out.add(term)
    return out


def covered_here(term: str, text: str, mentions: list[dict[str, Any]]) -> bool:
    """The term occurs in the text, and every occurrence lies inside a catalogue technology mention."""
    spans = [(m["start"], m["end"]) for m in mentions]
    hits = [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(term.lower())}(?![\w-])", text.lower())]
    return bool(hits) and all(any(s <= a and b <= e for s, e in spans) for a, b in hits)


def ece(probs: list[dict[str, float]], gold: list[str], bins: int = 10) -> float:
    """Expected calibration error of the top label's probability."""
    rows = [(max(p.values()), max(p, key=lambda k: p[k]) == g) for p, g in zip(probs, gold) if p]
    if not rows:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [(c, ok) for c, ok in rows if lo < c <= hi or (b == 0 and c == 0)]
        if sel:
            total += len(sel) * abs(sum(c for c, _ in sel) / len(sel) - sum(ok for _, ok in sel) / len(sel))
    return round(total / len(rows), 4)


@dataclass
class Scores:
    tech: list[int] = field(default_factory=lambda: [0, 0, 0])
    domain: list[int] = field(default_factory=lambda: [0, 0, 0])
    doc_gold: list[str] = field(default_factory=list)
    doc_pred: list[str] = field(default_factory=list)
    doc_probs: list[dict[str, float]] = field(default_factory=list)
    mention_gold: list[str] = field(default_factory=list)
    mention_pred: list[str] = field(default_factory=list)
    municipal: list[bool] = field(default_factory=list)
    emerging_found: int = 0
    emerging_total: int = 0
    emerging_covered: int = 0  # gold terms a catalogue entry covers (not emerging by ANNOTATION.md)
    emerging_covered_found: int = 0
    candidates_matching: int = 0
    candidates_total: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def add_sets(counts: list[int], gold: set[str], pred: set[str], neutral: AbstractSet[str] = frozenset()) -> None:
    counts[0] += len(gold & pred)
    counts[1] += len(pred - gold - neutral)
    counts[2] += len(gold - pred)


def mention_stage(result: dict[str, Any], tech: str) -> str | None:
    """The stage the store keeps for a technology in a document: its most confident mention's stage."""
    mentions = [m for m in result.get("technologies") or [] if m["id"] == tech]
    if not mentions:
        return None
    return max(mentions, key=lambda m: (m.get("stage_score") or 0.0, -m["start"]))["stage"]


def score_one(s: Scores, rec: RealRecord, res: dict[str, Any], covered: AbstractSet[str] = frozenset(),
              rules: Sequence[tuple[re.Pattern, str]] = ()) -> None:
    found = {m["id"] for m in res.get("technologies") or []}
    add_sets(s.tech, set(rec.tech_required), found, set(rec.tech_acceptable))
    add_sets(s.domain, set(rec.domains), set(res.get("domains") or []))
    s.doc_gold.append(rec.stage)
    s.doc_pred.append(res.get("stage") or "none")
    s.doc_probs.append(res.get("stage_scores") or {})
    for tech in rec.tech_required:
        stage = mention_stage(res, tech)
        if stage is not None:
            s.mention_gold.append(rec.mention_gold(tech))
            s.mention_pred.append(stage)
    s.municipal.append(bool(res.get("municipal")) == rec.municipal)
    cands = list(res.get("candidates") or [])
    for term in rec.emerging:
        found_it = term_found(term, cands, rules)
        if term in covered or covered_here(term, rec.full_text, res.get("technologies") or []):
            s.emerging_covered += 1
            s.emerging_covered_found += found_it
        else:
            s.emerging_total += 1
            s.emerging_found += found_it
    s.candidates_total += len(cands)
    s.candidates_matching += sum(any(term_found(t, [c], rules) for t in rec.emerging) for c in cands)
    if set(rec.tech_required) - found or (found - set(rec.tech_required) - set(rec.tech_acceptable)) \
            or rec.stage != res.get("stage"):
        s.errors.append({"id": rec.id, "missed": sorted(set(rec.tech_required) - found),
                         "extra": sorted(found - set(rec.tech_required) - set(rec.tech_acceptable)),
                         "stage": [rec.stage, res.get("stage")]})


def summarise(s: Scores) -> dict[str, Any]:
    return {
        "technology": prf(*s.tech), "mention_stage": macro(s.mention_gold, s.mention_pred),
        "document_stage": macro(s.doc_gold, s.doc_pred), "domains": prf(*s.domain),
        "municipal_accuracy": round(sum(s.municipal) / len(s.municipal), 4) if s.municipal else 0.0,
        "emerging": {"recall": round(s.emerging_found / s.emerging_total, 4) if s.emerging_total else 0.0,
                     "precision": round(s.candidates_matching / s.candidates_total, 4) if s.candidates_total else 0.0,
                     "terms": s.emerging_total, "candidates": s.candidates_total, "documents": len(s.doc_gold),
                     "covered_terms": s.emerging_covered,
                     "recall_with_covered": round((s.emerging_found + s.emerging_covered_found)
                                                  / (s.emerging_total + s.emerging_covered), 4)
                     if s.emerging_total + s.emerging_covered else 0.0},
        "stage_ece": ece(s.doc_probs, s.doc_gold), "n": len(s.doc_gold),
    }


def evaluate_tagger(tagger: Any, records: list[RealRecord], keep_errors: bool = False) -> dict[str, Any]:
    """Run the tagger over the records (as `scanner tag` would) and score every label."""
    s = Scores()
    covered = covered_alone(tagger, (t for r in records for t in r.emerging))
    rules = variant_rules(getattr(tagger, "catalogue", None))
    for rec, res in zip(records, tagger.tag_many([r.document for r in records])):
        if "error" in res:
            res = {"technologies": [], "stage": "none", "domains": [], "municipal": False, "candidates": []}
        score_one(s, rec, res, covered, rules)
    out = summarise(s)
    if keep_errors:
        out["errors"] = s.errors
    return out


def headline(report: dict[str, Any]) -> dict[str, float]:
    """The figures the real-text issue sets targets for."""
    return {"technology_f1": report["technology"]["f1"], "mention_stage_macro_f1": report["mention_stage"]["macro_f1"],
            "mention_stage_min_f1": report["mention_stage"]["min_f1"],
            "document_stage_macro_f1": report["document_stage"]["macro_f1"],
            "document_stage_min_f1": report["document_stage"]["min_f1"], "domain_f1": report["domains"]["f1"],
            "municipal_accuracy": report["municipal_accuracy"], "emerging_recall": report["emerging"]["recall"],
            "emerging_precision": report["emerging"]["precision"], "stage_ece": report["stage_ece"]}
