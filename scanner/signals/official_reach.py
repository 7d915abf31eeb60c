"""Municipal reach from official sources: which municipalities' own council documents, regulations or tenders
mention a technology (documents of kind ori | sru | tenders carry the municipality's CBS code in meta)."""
from __future__ import annotations

from datetime import date
from typing import Any

from scanner.signals.frames import LIVE_DOCS
from scanner.signals.periods import cutoff
from scanner.store import Store

KINDS = {"ori": "council", "sru": "regulations", "tenders": "tenders"}


def official_reach(store: Store, tech: str, as_of: date) -> dict[str, Any]:
    """Distinct municipalities (CBS codes) with a mention of `tech` in an official document up to as_of.

    {"council": n, "tenders": n, "regulations": n, "council_or_tender": n, "codes": {"council": [...], ...}}
    """
    rows = store.query(
        "SELECT DISTINCT d.kind AS kind, json_extract(d.meta, '$.municipality') AS code FROM mentions m "
        "JOIN documents d ON d.id = m.document_id "
        f"WHERE m.kind = 'technology' AND m.target = ? AND d.kind IN ('ori', 'sru', 'tenders') AND {LIVE_DOCS} "
        "AND json_extract(d.meta, '$.municipality') IS NOT NULL ORDER BY code",
        (tech, cutoff(as_of)))
    codes: dict[str, list[str]] = {name: [] for name in KINDS.values()}
    for row in rows:
        codes[KINDS[row["kind"]]].append(str(row["code"]))
    both = sorted(set(codes["council"]) | set(codes["tenders"]))
    return {**{name: len(found) for name, found in codes.items()}, "council_or_tender": len(both),
            "codes": {**codes, "council_or_tender": both}}
