"""Analyst decisions that tagging must respect again after a re-classify (the review UI records them).

Lives below review: `scanner.signals.classify` re-applies them, `scanner.review.actions` records them.
"""
from __future__ import annotations

from typing import Iterable

from scanner.store import Store

RELABEL_COLUMNS = {"stage": "stage", "technology": "target", "process": "target"}  # relabel field -> mentions column


def reapply_relabels(store: Store, document_ids: Iterable[int] | None = None) -> int:
    """After a re-classify: set each standing relabel again on the mention at the same place (newest wins).

    Matches on document, kind and character offsets (the mention id changes when a document is re-tagged).
    Returns how many mention rows were changed.
    """
    sql = ('SELECT document_id, kind, start, "end", field, new FROM relabels WHERE undone = 0 '
           "AND start IS NOT NULL ORDER BY id")
    rows = store.query(sql)
    if document_ids is not None:
        wanted = {int(d) for d in document_ids}
        rows = [r for r in rows if r["document_id"] in wanted]
    changed = 0
    with store.transaction() as conn:
        for r in rows:
            column = RELABEL_COLUMNS.get(r["field"])
            if column is None:
                continue
            cur = conn.execute(
                f'UPDATE mentions SET {column} = ? WHERE document_id = ? AND kind = ? AND start = ? AND "end" = ? '
                f"AND {column} IS NOT ?",
                (r["new"], r["document_id"], r["kind"], r["start"], r["end"], r["new"]),
            )
            changed += cur.rowcount
    return changed
