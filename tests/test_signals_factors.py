"""factor_profile / top_factors on a handful of hand-made documents, tags and mentions."""
from __future__ import annotations

import json

import pytest

from scanner.signals.factors import factor_profile, top_factors, window
from scanner.store import Store


def _doc(store: Store, uid: str, published: str, factors: list[dict] | str | None, techs: list[str],
         duplicate_of: int | None = None) -> int:
    cur = store.conn.execute("INSERT INTO documents(uid, published, duplicate_of) VALUES (?, ?, ?)",
                             (uid, published, duplicate_of))
    doc = int(cur.lastrowid)
    if factors is not None:
        raw = factors if isinstance(factors, str) else json.dumps(factors)
        store.conn.execute("INSERT INTO doc_tags(document_id, factors) VALUES (?, ?)", (doc, raw))
    for tech in techs:
        store.conn.execute("INSERT INTO mentions(document_id, kind, target) VALUES (?, 'technology', ?)", (doc, tech))
    return doc


def _f(factor: str, polarity: str) -> dict:
    return {"factor": factor, "polarity": polarity, "score": 0.7}


@pytest.fixture
def filled(store: Store) -> Store:
    price_d, price_b, law_b = _f("price", "driver"), _f("price", "barrier"), _f("regulation", "barrier")
    first = _doc(store, "a", "2026-10-03", [price_d, law_b], ["chatbots", "chatbots", "drones"])
    _doc(store, "b", "2026-06-15T08:00:00Z", [price_d, price_d, price_b], ["chatbots"])
    _doc(store, "c", "2025-11-01", [law_b], ["chatbots"])
    _doc(store, "old", "2025-10-31", [price_b, law_b], ["chatbots"])  # just before the 12-month window
    _doc(store, "late", "2026-11-01", [price_b], ["chatbots"])  # after as_of
    _doc(store, "dup", "2026-10-04", [price_b, law_b], ["chatbots"], duplicate_of=first)
    _doc(store, "plain", "2026-09-01", [], ["digital-twins"])
    _doc(store, "untagged", "2026-09-02", None, ["wifi"])
    _doc(store, "broken", "2026-09-03", "not json", ["chatbots"])
    store.conn.execute("INSERT INTO mentions(document_id, kind, target) VALUES (?, 'process', 'bouwinspectie')",
                       (first,))
    return store


def test_window_covers_twelve_calendar_months():
    assert window("2026-10", 12) == ("2025-11-01", "2026-11-01")
    assert window("2026-10-15", 1) == ("2026-09-16", "2026-10-16")


def test_counts_per_technology_and_polarity(filled):
    profile = factor_profile(filled, "2026-10-31")
    assert profile["chatbots"] == [
        {"factor": "price", "polarity": "driver", "documents": 2},
        {"factor": "regulation", "polarity": "barrier", "documents": 2},
        {"factor": "price", "polarity": "barrier", "documents": 1},
    ]
    assert profile["drones"] == [{"factor": "price", "polarity": "driver", "documents": 1},
                                 {"factor": "regulation", "polarity": "barrier", "documents": 1}]
    assert "bouwinspectie" not in profile


def test_window_excludes_later_and_older_documents(filled):
    recent = factor_profile(filled, "2026-10-31", months=1)
    assert recent["chatbots"] == [{"factor": "price", "polarity": "driver", "documents": 1},
                                  {"factor": "regulation", "polarity": "barrier", "documents": 1}]
    later = factor_profile(filled, "2026-11-30")
    assert {"factor": "price", "polarity": "barrier", "documents": 2} in later["chatbots"]
    assert factor_profile(filled, "2026-05-31")["chatbots"] == [  # 'c' and 'old', not 'b' (June)
        {"factor": "regulation", "polarity": "barrier", "documents": 2},
        {"factor": "price", "polarity": "barrier", "documents": 1}]


def test_near_duplicates_are_excluded(filled):
    filled.conn.execute("UPDATE documents SET duplicate_of = NULL WHERE uid = 'dup'")
    with_dup = factor_profile(filled, "2026-10-31")["chatbots"]
    assert {"factor": "regulation", "polarity": "barrier", "documents": 3} in with_dup


def test_technologies_without_factors_get_an_empty_list(filled):
    profile = factor_profile(filled, "2026-10-31")
    assert profile["digital-twins"] == [] and profile["wifi"] == []
    asked = factor_profile(filled, "2026-10-31", techs=["drones", "blockchain"])
    assert set(asked) == {"drones", "blockchain"} and asked["blockchain"] == []
    assert factor_profile(filled, "2026-10-31", techs=[]) == {}


def test_tech_filter_is_parameterised(filled):
    assert factor_profile(filled, "2026-10-31", techs=["x') OR 1=1 --"]) == {"x') OR 1=1 --": []}


def test_top_factors_splits_and_limits(filled):
    top = top_factors(factor_profile(filled, "2026-10-31")["chatbots"], n=1)
    assert top == {"drivers": [{"factor": "price", "polarity": "driver", "documents": 2}],
                   "barriers": [{"factor": "regulation", "polarity": "barrier", "documents": 2}]}
    assert top_factors([]) == {"drivers": [], "barriers": []}
