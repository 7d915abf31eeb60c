"""A lexicon change re-tags only the documents it can affect, when that is cheap (only terms added)."""
from __future__ import annotations

import json
import logging
from typing import Any

from scanner.catalogue import Catalogue
from scanner.util import dumps, sha256

log = logging.getLogger(__name__)

META_KEY = "signals.classify.lexicon"
MAX_ADDED_TERMS = 50


def _entries(catalogue: Catalogue) -> list[tuple[str, Any]]:
    return ([("t", e) for e in getattr(catalogue, "technologies", {}).values()]
            + [("p", e) for e in getattr(catalogue, "processes", {}).values()])


def term_set(catalogue: Catalogue) -> set[str]:
    """'kind:id:term' for every matchable term (terms, abbreviations, compound heads)."""
    out = set()
    for kind, entry in _entries(catalogue):
        terms = entry.all_terms() if hasattr(entry, "all_terms") else []
        terms += list(getattr(entry, "abbreviations", []) or []) + list(getattr(entry, "compound_heads", []) or [])
        out |= {f"{kind}:{entry.id}:{str(t).lower()}" for t in terms}
    return out


def rest_hash(catalogue: Catalogue) -> str:
    """Everything but the term lists: cues, negatives, candidates config, rejected terms."""
    parts = [repr(getattr(catalogue, a, None)) for a in
             ("stages", "municipal", "factors", "candidates", "domains", "families")]
    parts.append(repr(sorted(getattr(catalogue, "rejected_terms", set()) or [])))
    parts += [f"{k}:{e.id}:{getattr(e, 'negative', None)!r}:{getattr(e, 'family', getattr(e, 'domain', ''))}"
              for k, e in sorted(_entries(catalogue), key=lambda x: (x[0], x[1].id))]
    return sha256("\n".join(parts))[:16]


def remember(store, catalogue: Catalogue | None, lexicon: str) -> None:
    if catalogue is None:
        return
    store.meta_set(META_KEY, dumps({"version": lexicon, "rest": rest_hash(catalogue),
                                    "terms": sorted(term_set(catalogue))}))


def affected_ids(store, terms: list[str]) -> set[int]:
    """Live documents whose title or text contains one of the terms (or its spaced/hyphenated variants)."""
    out: set[int] = set()
    forms = sorted({f for t in terms for f in (t, t.replace("-", " "), t.replace(" ", ""), t.replace(" ", "-"))})
    for form in forms:
        rows = store.conn.execute(
            "SELECT id FROM documents WHERE duplicate_of IS NULL AND "
            "instr(lower(COALESCE(title, '') || ' ' || COALESCE(text, '') || ' ' || COALESCE(summary, '')), ?) > 0",
            (form,))
        out |= {r[0] for r in rows}
    return out


def restamp_unaffected(store, catalogue: Catalogue | None, lexicon: str, model: str) -> int:
    """When the new lexicon only adds a few terms, mark untouched documents as tagged by it; returns count."""
    saved = store.meta_get(META_KEY)
    if catalogue is None or not saved:
        return 0
    old = json.loads(saved)
    if old["version"] == lexicon or old["rest"] != rest_hash(catalogue):
        return 0
    new_terms, old_terms = term_set(catalogue), set(old["terms"])
    added = new_terms - old_terms
    if not new_terms or old_terms - new_terms or len(added) > MAX_ADDED_TERMS:
        return 0
    hit = affected_ids(store, sorted({t.split(":", 2)[2] for t in added}))
    with store.transaction() as conn:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _affected(id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM _affected")
        conn.executemany("INSERT INTO _affected(id) VALUES (?)", [(i,) for i in hit])
        cur = conn.execute(
            "UPDATE doc_tags SET lexicon_version = ? WHERE lexicon_version = ? AND model_version IS ? "
            "AND document_id NOT IN (SELECT id FROM _affected)", (lexicon, old["version"], model))
        conn.execute(
            "UPDATE mentions SET lexicon_version = ? WHERE lexicon_version = ? AND model_version IS ? "
            "AND document_id NOT IN (SELECT id FROM _affected)", (lexicon, old["version"], model))
    log.info("lexicon %s -> %s adds %d terms: %d documents re-tagged, %d restamped",
             old["version"], lexicon, len(added), len(hit), cur.rowcount)
    return cur.rowcount
