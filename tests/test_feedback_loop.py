"""Analyst decisions feed back: a new technology tags earlier documents; relabels survive re-tagging."""
from __future__ import annotations

from scanner.review import actions
from scanner.signals.api import classify

DOCS = [
    ("d1", "2025-02-10", "De gemeente Utrecht start een pilot met generatieve AI voor het beantwoorden van "
                         "vragen over de Wmo-aanvraag."),
    ("d2", "2026-06-03", "Amsterdam zet generatieve AI in bij de afhandeling van parkeervergunningen; de "
                         "gemeente heeft het systeem landelijk uitgerold."),
]


def _seed(store) -> None:
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO documents(uid, source_id, source_type, title, text, published) VALUES (?,?,?,?,?,?)",
            [(uid, "src", "trade-press", f"Bericht {uid}", text, f"{day}T09:00:00+00:00")
             for uid, day, text in DOCS])


def _targets(store) -> set[str]:
    return {r["target"] for r in store.query("SELECT target FROM mentions WHERE kind = 'technology'")}


def _emerging_flag(store, term: str) -> int:
    with store.transaction() as conn:
        return conn.execute(
            "INSERT INTO flags(type, subject, score, title, status, created_at, dedup_key) "
            "VALUES ('emerging-term', ?, 0.9, ?, 'open', '2026-07-01', ?)", (term, term, f"emerging:{term}")
        ).lastrowid


def test_accepted_technology_tags_earlier_documents_too(store):
    _seed(store)
    classify(store)
    assert "generatieve-ai" not in _targets(store)
    flag = _emerging_flag(store, "generatieve ai")
    actions.add_technology(store, flag, "ana", "generatieve-ai", "Generatieve AI", "data-analyse", "0-3",
                           synonyms=["generatieve ai", "generative ai"])
    result = classify(store)
    assert result["documents"] == 2  # both documents, including the one from before the decision
    rows = store.query("SELECT d.uid FROM mentions m JOIN documents d ON d.id = m.document_id "
                       "WHERE m.target = 'generatieve-ai' ORDER BY d.uid")
    assert [r["uid"] for r in rows] == ["d1", "d2"]


def test_stage_relabel_survives_reclassification(store):
    _seed(store)
    classify(store)
    mention = store.query("SELECT id, stage, start FROM mentions WHERE kind = 'technology' "
                          "ORDER BY document_id, start LIMIT 1")[0]
    new = "adoption" if mention["stage"] != "adoption" else "research"
    actions.relabel(store, mention["id"], "stage", new, "ana", "staat al in productie")
    classify(store, reclassify=True)
    again = store.query("SELECT stage FROM mentions WHERE kind = 'technology' AND start = ? "
                        "ORDER BY document_id LIMIT 1", (mention["start"],))[0]
    assert again["stage"] == new
