"""Trend measures and bursts on synthetic stores."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from signals_fixtures import Builder, catalogue

from scanner.signals import api as signals
from scanner.signals import bursts

CAT = catalogue()


def by_id(items: list[dict]) -> dict[str, dict]:
    return {i["id"]: i for i in items}


def steady(store, copies: int = 1, double_from: int | None = None) -> None:
    """24 months from 2023-01, 20 documents a month (x copies), every 5th mentions cameras."""
    b = Builder(store)
    for m in range(24):
        first = date(2023 + m // 12, m % 12 + 1, 1)
        factor = copies * (2 if double_from is not None and m >= double_from else 1)
        for i in range(20 * factor):
            b.doc(first + timedelta(days=i % 27), [("technology", "cameras", "adoption")] if i % 5 == 0 else [],
                  source=f"s{i % 7}")


def test_contract_shape_and_counts(store):
    steady(store)
    items = signals.trends(store, "2024-12-31", catalogue=CAT)
    assert [i["id"] for i in items] == sorted(CAT.technologies)
    cam = by_id(items)["cameras"]
    assert set(cam) >= {"id", "momentum", "share_of_voice", "documents", "bursts", "name", "family", "mentions",
                        "sources", "stage_mix", "growth", "slope_12", "slope_24", "documents_total"}
    assert len(cam["documents"]) == 24 and cam["documents"]["2023-05"] == 4
    assert cam["share_of_voice"]["2023-05"] == 0.2 and cam["stage_mix"] == {"adoption": 1.0}
    assert cam["sources"] == 4 and cam["mentions"] == cam["documents_total"] == 96
    assert 0 <= cam["momentum"] <= 100 and by_id(items)["drones"]["momentum"] == 0.0


def test_share_of_voice_unaffected_by_a_bigger_harvest(store, tmp_path):
    from scanner.store import Store

    steady(store)
    doubled = Store(tmp_path / "d.db")
    steady(doubled, copies=2)
    one, two = by_id(signals.trends(store, "2024-12-31", catalogue=CAT)), by_id(
        signals.trends(doubled, "2024-12-31", catalogue=CAT))
    assert one["cameras"]["share_of_voice"] == two["cameras"]["share_of_voice"]
    assert two["cameras"]["documents"]["2024-01"] == 2 * one["cameras"]["documents"]["2024-01"]


def test_harvest_doubling_midway_is_not_a_trend(store):
    steady(store, double_from=18)
    cam = by_id(signals.trends(store, "2024-12-31", catalogue=CAT))["cameras"]
    assert set(cam["share_of_voice"].values()) == {0.2}
    assert abs(cam["growth"]) < 0.1 and cam["bursts"] == [] and abs(cam["slope_12"]) < 1e-9


def test_low_counts_do_not_look_explosive(store):
    b = Builder(store)
    b.background(date(2024, 1, 1), 12, 30)
    b.doc(date(2024, 11, 5), [("technology", "drones", "pilot")])
    for k in range(3):
        b.doc(date(2024, 12, 5 + k), [("technology", "drones", "pilot")], source=f"x{k}")
    drones = by_id(signals.trends(store, "2024-12-31", catalogue=CAT))["drones"]
    assert drones["growth"] < 1.5   # 3 documents after ~0.2 a month: smoothed, not +1400%


def test_planted_burst_found_in_right_weeks(store):
    b = Builder(store)
    start = date(2023, 1, 2)  # a Monday
    for week in range(60):
        monday = start + timedelta(weeks=week)
        hot = 30 <= week <= 35
        for i in range(50):
            mention = (i < 15) if hot else (i == 0 and week % 2 == 0)
            b.doc(monday + timedelta(days=i % 7), [("technology", "drones", "pilot")] if mention else [],
                  source=f"s{i % 9}")
    drones = by_id(signals.trends(store, (start + timedelta(weeks=60)).isoformat(), catalogue=CAT))["drones"]
    assert len(drones["bursts"]) == 1
    burst = drones["bursts"][0]
    assert burst["start"] == (start + timedelta(weeks=30)).isoformat()
    assert burst["end"] == (start + timedelta(weeks=35, days=6)).isoformat()
    assert burst["strength"] > 10


def test_viterbi_vectorised_over_series():
    totals = np.full(40, 100)
    hits = np.vstack([np.full(40, 2), np.where((np.arange(40) >= 10) & (np.arange(40) < 15), 30, 2)])
    found = bursts.detect(hits, totals)
    assert found[0] == [] and [(a, b) for a, b, _ in found[1]] == [(10, 14)]


def test_as_of_hides_later_documents_and_duplicates_count_once(store):
    steady(store)
    first = signals.trends(store, "2024-06-30", catalogue=CAT)
    b = Builder(store)
    orig = b.doc(date(2024, 7, 2), [("technology", "drones", "adoption")])
    b.doc(date(2024, 6, 2), [("technology", "drones", "adoption")], duplicate_of=orig)
    assert signals.trends(store, "2024-06-30", catalogue=CAT) == first
    assert signals.trends(store, "2024-06-30", catalogue=CAT) == first
