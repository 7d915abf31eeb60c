"""Emerging terms: new technology terms rank first, old or ordinary ones do not, rejected ones never return."""
from __future__ import annotations

from datetime import date, timedelta

from signals_fixtures import Builder, catalogue

from scanner.signals import api as signals

CAT = catalogue()
ORDINARY = "De gemeenteraad vergaderde over de begroting en het nieuwe parkeerbeleid in de binnenstad."


def corpus(store) -> None:
    b = Builder(store)
    for m in range(24):
        first = date(2023 + m // 12, m % 12 + 1, 1)
        for i in range(25):
            cands = ["slimme meters"] if i % 6 == 0 else []
            text = ORDINARY
            if m >= 20 and i % 4 == 0:
                cands += ["generatieve ai", "taalmodel"]
                text += " Ambtenaren testen generatieve ai; een taalmodel vat bezwaren samen."
            if m == 23 and i == 3:
                cands.append("eenmalige term")
            b.doc(first + timedelta(days=i), candidates=cands, source=f"s{i % 5}", text=text)


def test_planted_terms_rank_top_ordinary_words_do_not(store):
    corpus(store)
    items = signals.emerging(store, "2024-12-31", top=10, catalogue=CAT)
    terms = [t["term"] for t in items]
    assert set(terms[:2]) == {"generatieve ai", "taalmodel"}
    assert "eenmalige term" not in terms  # one document, one source
    for word in ("gemeenteraad", "begroting", "parkeerbeleid", "binnenstad"):
        assert not any(word in t for t in terms)
    top = items[0]
    assert set(top) >= {"term", "score", "documents", "first_seen", "examples", "sources", "growth"}
    assert top["first_seen"] >= "2024-09-01" and top["sources"] >= 2
    assert any(top["term"] in e.lower() for e in top["examples"])
    old = [t for t in items if t["term"] == "slimme meters"]
    assert not old or old[0]["score"] < items[1]["score"]


def test_rejected_terms_never_resurface(store):
    corpus(store)
    store.conn.execute("INSERT INTO lexicon_additions(kind, term, active) VALUES ('rejected-term', 'Taalmodel', 1)")
    terms = [t["term"] for t in signals.emerging(store, "2024-12-31", catalogue=CAT)]
    assert "taalmodel" not in terms and "generatieve ai" in terms


def test_as_of_hides_later_terms(store):
    corpus(store)
    terms = [t["term"] for t in signals.emerging(store, "2024-08-31", catalogue=CAT)]
    assert "generatieve ai" not in terms


def test_deterministic(store):
    corpus(store)
    assert signals.emerging(store, "2024-12-31", catalogue=CAT) == signals.emerging(store, "2024-12-31", catalogue=CAT)
