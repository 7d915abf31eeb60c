"""run_signals: stored tables, monthly horizon history, flags once per event, identical re-runs."""
from __future__ import annotations

from datetime import date, timedelta

from signals_fixtures import Builder, catalogue

from scanner.signals import api as signals

CAT = catalogue()
TABLES = ["trend_monthly", "trend_weekly", "bursts", "horizon_history", "emerging_terms", "process_impact"]


def dump(store) -> dict[str, list]:
    return {t: store.query(f"SELECT * FROM {t} ORDER BY 1, 2") for t in TABLES}


def flags(store) -> list[dict]:
    return store.query("SELECT type, subject, dedup_key, evidence FROM flags ORDER BY id")


def stable(store) -> Builder:
    """Three years of a steady stream: cameras in adoption, drones in pilots, the same every month."""
    b = Builder(store)
    for m in range(36):
        first = date(2022 + m // 12, m % 12 + 1, 1)
        for i in range(30):
            ments = []
            if i % 5 == 0:
                ments.append(("technology", "cameras", "adoption"))
            if i % 10 == 1:
                ments.append(("technology", "drones", "pilot"))
            b.doc(first + timedelta(days=i % 28), ments, source=f"s{i % 6}", source_type="government")
    return b


def test_stable_background_no_change_no_flag(store):
    stable(store)
    summary = signals.run_signals(store, "2024-12-31", catalogue=CAT)
    assert summary["changed"] == 0 and summary["bursts"] == 0
    assert flags(store) == []
    months = store.query("SELECT DISTINCT estimate FROM horizon_history WHERE tech = 'cameras' AND month >= '2022-06'")
    assert months == [{"estimate": "in-use"}]
    assert store.query("SELECT COUNT(DISTINCT month) AS n FROM horizon_history")[0]["n"] == 36
    weekly = store.query("SELECT COUNT(DISTINCT week) AS weeks, SUM(documents) AS docs FROM trend_weekly WHERE tech = 'cameras'")
    assert weekly[0]["weeks"] >= 156 and weekly[0]["docs"] == 216


def test_rerun_identical_and_flags_not_duplicated(store):
    b = stable(store)
    for k in range(6):  # a burst of setbacks for blockchain (forecast 0-3 in 2019) in the last weeks
        for d in range(0, 28, 3):
            b.doc(date(2024, 12, 1) + timedelta(days=d), [("technology", "blockchain", "setback"),
                                                          ("process", "p50", "none")],
                  source=f"gem{k}", source_type="government", candidates=["generatieve ai"],
                  text="De gemeente stopt de blockchainproef; generatieve ai neemt het over.")
    first = signals.run_signals(store, "2024-12-31", catalogue=CAT)
    assert first["changed"] == len(first["changed_items"]) >= 1
    assert "blockchain" in {c["id"] for c in first["changed_items"]}
    tables, made = dump(store), flags(store)
    assert first["new_flags"] == len(made) > 0
    types = {f["type"] for f in made}
    assert {"burst", "emerging-term", "process-reach", "horizon-change"} <= types
    again = signals.run_signals(store, "2024-12-31", catalogue=CAT)
    assert again["new_flags"] == 0 and flags(store) == made and dump(store) == tables
    assert store.query("SELECT COUNT(*) AS n FROM flag_events")[0]["n"] == len(made)
    horizon = [f for f in made if f["type"] == "horizon-change"][0]
    import json
    evidence = json.loads(horizon["evidence"])
    assert evidence and {"document_id", "title", "url", "source_id", "published", "sentence", "stage"} <= set(evidence[0])


def test_emerging_status_survives_rerun(store):
    b = stable(store)
    for k in range(4):
        b.doc(date(2024, 12, 2 + k), candidates=["taalmodel"], source=f"n{k}", text="Een taalmodel helpt.")
    signals.run_signals(store, "2024-12-31", catalogue=CAT)
    store.conn.execute("UPDATE emerging_terms SET status = 'rejected' WHERE term = 'taalmodel'")
    signals.run_signals(store, "2024-12-31", catalogue=CAT)
    assert store.query("SELECT status FROM emerging_terms WHERE term = 'taalmodel'") == [{"status": "rejected"}]
    assert "taalmodel" not in [t["term"] for t in signals.emerging(store, "2024-12-31", catalogue=CAT)]


def test_empty_store(store):
    summary = signals.run_signals(store, "2024-12-31", catalogue=CAT)
    assert summary["history_rows"] == 0 and summary["new_flags"] == 0
    assert summary["process_shares"] == {"immediate": 0.3214, "coming": 0.25, "slow": 0.4286}


def test_low_confidence_stage_labels_of_the_month_are_flagged_once(store):
    b = stable(store)
    unsure = b.doc(date(2024, 12, 10), [("technology", "drones", "pilot", "Drones misschien ooit.")],
                   title="Twijfelachtig bericht")
    old = b.doc(date(2024, 6, 10), [("technology", "drones", "pilot")])
    store.conn.execute("UPDATE mentions SET stage_score = 0.3 WHERE document_id IN (?, ?)", (unsure, old))
    signals.run_signals(store, "2024-12-31", catalogue=CAT)
    low = store.query("SELECT subject, score, evidence FROM flags WHERE type = 'low-confidence'")
    assert len(low) == 1 and low[0]["subject"] == "drones" and abs(low[0]["score"] - 0.7) < 1e-9
    assert "Twijfelachtig bericht" in low[0]["evidence"]
    signals.run_signals(store, "2024-12-31", catalogue=CAT)
    assert store.query("SELECT COUNT(*) AS n FROM flags WHERE type = 'low-confidence'")[0]["n"] == 1
