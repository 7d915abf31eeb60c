"""Review flags: one per event (dedup_key UNIQUE), so re-runs never duplicate them."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from scanner.util import dumps, iso, utcnow

FLAG_TYPES = ("horizon-change", "burst", "emerging-term", "low-confidence", "process-reach")  # what signals flags

log = logging.getLogger(__name__)

EVIDENCE_KEYS = ("document_id", "title", "url", "source_id", "published", "sentence", "stage", "mention_id")


@dataclass
class Flag:
    type: str
    subject: str
    dedup_key: str
    title: str
    score: float
    month: str
    tech: str | None = None
    process: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)


def evidence_json(items: list[dict[str, Any]], names: dict[str, str] | None = None) -> str:
    """The flag evidence list: {document_id, title, url, source_id, source (its name), published, sentence,
    stage, mention_id}."""
    out = []
    for item in items:
        row = {k: item.get(k) for k in EVIDENCE_KEYS}
        sid = item.get("source_id")
        row["source"] = (names or {}).get(str(sid)) or item.get("source") or sid
        out.append(row)
    return dumps(out)


def write(store, flags: list[Flag], names: dict[str, str] | None = None) -> int:
    """Insert new flags (existing dedup keys are left alone) with a 'created' audit event; returns new count.

    `names` maps source ids to display names for the evidence."""
    now = iso(utcnow())
    created = 0
    with store.transaction() as conn:
        for flag in flags:
            cur = conn.execute(
                "INSERT INTO flags(type, subject, tech, process, month, score, title, detail, evidence, status, "
                "created_at, dedup_key) VALUES (?,?,?,?,?,?,?,?,?,'open',?,?) ON CONFLICT(dedup_key) DO NOTHING",
                (flag.type, flag.subject, flag.tech, flag.process, flag.month, round(float(flag.score), 4),
                 flag.title, dumps(flag.detail), evidence_json(flag.evidence, names), now, flag.dedup_key))
            if cur.rowcount == 1:
                created += 1
                conn.execute("INSERT INTO flag_events(flag_id, action, actor, at, reason, after) "
                             "VALUES (?, 'created', 'signals', ?, NULL, 'open')", (cur.lastrowid, now))
    log.info("flags: %d new of %d events", created, len(flags))
    return created


def horizon_flags(items: list[dict[str, Any]], skip: dict[str, bool], month: str) -> list[Flag]:
    """A changed estimate, unless `skip` says it is not news (prior ageing alone, too little evidence)."""
    out = []
    for h in items:
        if not h["changed"] or skip.get(h["id"], False):
            continue
        moved = f"{h['previous']} -> {h['estimate']}"
        out.append(Flag(
            "horizon-change", h["id"], f"horizon-change:{h['id']}:{month}:{h['previous']}:{h['estimate']}",
            f"{h['name']}: horizon {moved}", max(h["probabilities"].values()), month, tech=h["id"],
            detail={"previous": h["previous"], "estimate": h["estimate"], "probabilities": h["probabilities"],
                    "expected_year": h["expected_year"], "evidence": h["evidence"]},
            evidence=h.get("top_evidence", [])))
    return out


def burst_flags(bursts: list[dict[str, Any]], names: dict[str, str], since: str, month: str) -> list[Flag]:
    """One flag per recent burst; its evidence is the burst's own documents (`evidence` on each burst)."""
    return [Flag("burst", b["tech"], f"burst:{b['tech']}:{b['start']}",
                 f"{names.get(b['tech'], b['tech'])}: burst since {b['start']}", b["strength"], month,
                 tech=b["tech"], detail={"start": b["start"], "end": b["end"], "strength": b["strength"]},
                 evidence=b.get("evidence", []))
            for b in bursts if b["start"] >= since]


def emerging_flags(terms: list[dict[str, Any]], top: int, month: str) -> list[Flag]:
    """Candidate terms only (accepted and rejected ones were decided); evidence: each example sentence with
    its document, url, source and date. Keyed by the variant key so a new spelling is not a new flag."""
    fresh = [t for t in terms if t.get("status", "candidate") == "candidate"]
    return [Flag("emerging-term", t["term"], f"emerging-term:{t.get('key') or t['term']}",
                 f"Emerging term: {t['term']}", t["score"], month,
                 detail={k: t[k] for k in ("documents", "sources", "first_seen", "growth")}
                 | ({"variants": ", ".join(t["variants"])} if len(t.get("variants") or []) > 1 else {}),
                 evidence=t.get("example_documents") or [{"sentence": s} for s in t["examples"]])
            for t in fresh[:top]]


def reach_flags(pairs: list[dict[str, Any]], names: dict[str, str], month: str) -> list[Flag]:
    return [Flag("process-reach", p["process"], f"process-reach:{p['tech']}:{p['process']}",
                 f"{names.get(p['tech'], p['tech'])} reaches process {p['process_name']}",
                 p["documents"] / (p["documents"] + 5.0),  # 0..1 like the other flag scores
                 month, tech=p["tech"], process=p["process"],
                 detail={"documents": int(p["documents"]), "reach_month": p["reach_month"]},
                 evidence=p.get("evidence", []))
            for p in pairs]


def low_confidence_flags(rows: list[dict[str, Any]], names: dict[str, str], month: str) -> list[Flag]:
    """Stage labels the tagger was least sure of this month: an analyst's relabel becomes training data.

    Keyed by document, technology and offset (not mention id, which changes when a document is re-tagged).
    """
    return [Flag("low-confidence", r["target"], f"low-confidence:{r['uid']}:{r['target']}:{r['start']}",
                 f"{names.get(r['target'], r['target'])}: unsure stage '{r['stage']}' "
                 f"({r['stage_score']:.2f}) in '{r['title']}'",
                 1.0 - float(r["stage_score"]), month, tech=r["target"],
                 detail={"stage": r["stage"], "stage_score": r["stage_score"], "mention_id": r["mention_id"]},
                 evidence=[r])
            for r in rows if r["target"] in names]
