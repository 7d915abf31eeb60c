"""Process impact: the baseline 32/25/43 without evidence, re-estimated terms with it."""
from __future__ import annotations

from datetime import date

from signals_fixtures import Builder, catalogue

from scanner.signals import api as signals

CAT = catalogue()


def test_no_evidence_reproduces_baseline(store):
    out = signals.process_impact(store, "2026-10-31", catalogue=CAT)
    assert out["shares"] == out["baseline_shares"] == {"immediate": 0.3214, "coming": 0.25, "slow": 0.4286}
    assert len(out["processes"]) == 56 and all(p["estimate"] == p["baseline"] for p in out["processes"])


def test_real_catalogue_baseline(store):
    from scanner.catalogue import load_catalogue

    cat = load_catalogue()  # a lexicon that does not load is a failure, never a skip
    out = signals.process_impact(store, "2026-10-31", catalogue=cat)
    assert {k: round(v * 100) for k, v in out["shares"].items()} == {"immediate": 32, "coming": 25, "slow": 43}


def test_adopted_technology_pulls_a_slow_process_earlier(store):
    b = Builder(store)
    for month in range(1, 13):
        for k in range(4):
            b.doc(date(2021, month, 2 + k), [("technology", "chatbots", "adoption"), ("process", "p50", "none")],
                  source=f"gem{k}", source_type="government")
    out = signals.process_impact(store, "2021-12-31", catalogue=CAT)
    p50 = [p for p in out["processes"] if p["id"] == "p50"][0]
    assert p50["baseline"] == "slow" and p50["estimate"] in ("immediate", "coming")
    assert p50["technologies"][0]["id"] == "chatbots" and p50["technologies"][0]["documents"] == 48
    assert out["shares"]["slow"] < out["baseline_shares"]["slow"]


def test_process_reach_needs_the_same_or_an_adjacent_sentence(store):
    from scanner.signals import frames

    b = Builder(store)
    near = b.doc(date(2026, 5, 4), [("technology", "chatbots", "adoption"), ("process", "p01", "adoption")])
    far = b.doc(date(2026, 5, 5), [("technology", "chatbots", "adoption"), ("process", "p01", "adoption")])
    for doc, process_sentence in ((near, 1), (far, 5)):
        store.conn.execute("UPDATE mentions SET sent_index = CASE kind WHEN 'technology' THEN 0 ELSE ? END "
                           "WHERE document_id = ?", (process_sentence, doc))
    rows = frames.co_mentions(store, date(2026, 10, 31))
    assert rows["documents"].sum() == 1
    evidence = frames.reach_evidence(store, "chatbots", "p01", date(2026, 10, 31), 8)
    assert [e["document_id"] for e in evidence] == [near]
