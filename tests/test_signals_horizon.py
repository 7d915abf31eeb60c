"""Horizon estimates on synthetic stores with planted evidence."""
from __future__ import annotations

from datetime import date

from scanner.store import Store

from signals_fixtures import Builder, catalogue

from scanner.signals import api as signals
from scanner.signals.horizon import HORIZONS

CAT = catalogue()
AS_OF = "2021-06-30"


def by_id(items: list[dict]) -> dict[str, dict]:
    return {i["id"]: i for i in items}


def baseline_store(store) -> Builder:
    """Unrelated background documents so every month has a denominator."""
    b = Builder(store)
    b.background(date(2020, 1, 1), 18, 20)
    return b


def test_rising_adoption_moves_earlier(store):
    b = baseline_store(store)
    before = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["digital-twins"]
    for month in range(1, 7):
        for k in range(6):
            b.doc(date(2021, month, 2 + k), [("technology", "digital-twins", "adoption")],
                  source=f"gemeente{k}", source_type="government")
    after = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["digital-twins"]
    assert after["expected_year"] < before["expected_year"] - 1.0
    assert HORIZONS.index(after["estimate"]) < HORIZONS.index(before["estimate"])
    assert after["evidence"] == 36
    assert after["top_evidence"][0]["stage"] == "adoption"
    assert {"document_id", "title", "url", "source_id", "published", "sentence", "stage", "weight"} <= set(
        after["top_evidence"][0])


def test_research_only_chatter_does_not_move_a_bin(store):
    """Reports and forecasts say "nothing done yet": weak evidence, which may delay but not move a bin."""
    b = baseline_store(store)
    before = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["digital-twins"]
    for month in range(1, 7):
        for k in range(10):
            b.doc(date(2021, month, 2 + k), [("technology", "digital-twins", "research")], source=f"uni{k}",
                  source_type="research")
    after = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["digital-twins"]
    assert after["evidence"] == 60
    assert after["estimate"] == before["estimate"]
    assert 0 <= after["expected_year"] - before["expected_year"] < 1.5


def test_setbacks_move_later(store):
    b = baseline_store(store)
    before = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["cameras"]
    for month in range(1, 7):
        for k in range(6):
            b.doc(date(2021, month, 3 + k), [("technology", "cameras", "setback")], source=f"news{k}",
                  source_type="news")
    after = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["cameras"]
    assert after["expected_year"] > before["expected_year"] + 2.0
    assert HORIZONS.index(after["estimate"]) > HORIZONS.index(before["estimate"])


def test_one_source_repeating_beats_not_many_sources(store):
    one, many = Builder(store), None
    for k in range(20):
        one.doc(date(2021, 5, 1 + k), [("technology", "drones", "adoption")], source="outlet", source_type="news")
    for k in range(5):
        one.doc(date(2021, 5, 1 + k), [("technology", "blockchain", "adoption")], source=f"gem{k}",
                source_type="government")
    items = by_id(signals.horizons(store, AS_OF, catalogue=CAT))
    assert max(items["blockchain"]["probabilities"].values()) > max(items["drones"]["probabilities"].values()), many


def test_previous_is_computed_and_changed_flags_the_move(store):
    b = Builder(store)
    b.background(date(2019, 7, 1), 12, 20)
    for k in range(8):
        for day in (3, 10, 17, 24):
            b.doc(date(2020, 6, day), [("technology", "digital-twins", "adoption")], source=f"gemeente{k}",
                  source_type="government")
    item = by_id(signals.horizons(store, "2020-06-30", catalogue=CAT))["digital-twins"]
    prior_only = by_id(signals.horizons(store, "2020-05-31", catalogue=CAT))["digital-twins"]
    assert item["previous"] == prior_only["estimate"] == "3-7"
    assert item["changed"] is True and item["estimate"] != item["previous"]


def test_override_pins_estimate_with_reason(store):
    baseline_store(store)
    store.conn.execute("INSERT INTO overrides(tech, estimate, reason, created_by, created_at, active) "
                       "VALUES ('chatbots', '>7', 'wetgeving blokkeert', 'ana', '2021-01-05T10:00:00+00:00', 1)")
    item = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["chatbots"]
    assert item["estimate"] == ">7" and item["overridden"] and item["override_reason"] == "wetgeving blokkeert"
    earlier = by_id(signals.horizons(store, "2020-12-31", catalogue=CAT))["chatbots"]
    assert not earlier["overridden"]


def test_as_of_hides_later_documents_and_near_duplicates(store):
    b = baseline_store(store)
    b.doc(date(2021, 3, 3), [("technology", "drones", "pilot")], source="a")
    first = signals.horizons(store, AS_OF, catalogue=CAT)
    original = b.doc(date(2021, 7, 3), [("technology", "drones", "adoption")], source="b")
    b.doc(date(2021, 3, 4), [("technology", "drones", "adoption")], source="c", duplicate_of=original)
    assert signals.horizons(store, AS_OF, catalogue=CAT) == first


def test_explain_shows_prior_evidence_posterior(store):
    b = baseline_store(store)
    b.doc(date(2021, 6, 1), [("technology", "chatbots", "procurement", "Gemeente Utrecht gunt chatbot-contract.")],
          source="bb", source_type="trade-press")
    out = signals.explain(store, "chatbots", AS_OF, catalogue=CAT)
    assert out["prior"]["baseline"] == "0-3" and out["evidence_count"] == 1
    assert out["evidence"][0]["sentence"] == "Gemeente Utrecht gunt chatbot-contract."
    assert abs(sum(out["posterior"]["probabilities"].values()) - 1) < 1e-3
    total_pull = sum(e["pull_years"] for e in out["evidence"]) + out["silence"]["pull_years"] + out["reach"]["pull_years"]
    assert abs(out["prior"]["expected_year"] + total_pull - out["posterior"]["expected_year"]) < 0.02


def test_contract_fields_and_determinism(store):
    b = baseline_store(store)
    b.doc(date(2021, 2, 1), [("technology", "drones", "pilot")], source="x")
    one = signals.horizons(store, AS_OF, catalogue=CAT)
    assert one == signals.horizons(store, AS_OF, catalogue=CAT)
    assert [i["id"] for i in one] == sorted(t for t in CAT.technologies)
    for item in one:
        assert {"id", "name", "family", "baseline", "estimate", "previous", "probabilities", "changed",
                "evidence"} <= set(item)
        assert set(item["probabilities"]) == set(HORIZONS)
        assert item["changed"] == (item["estimate"] != item["previous"])


def test_lone_setback_moves_less_than_a_run(store):
    b = baseline_store(store)
    for k in range(6):
        b.doc(date(2021, 5, 3 + k), [("technology", "chatbots", "adoption")], source=f"gem{k}", source_type="government")
    b.doc(date(2021, 6, 1), [("technology", "chatbots", "setback")], source="news0", source_type="news")
    lone = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["chatbots"]
    for month in range(1, 7):
        for k in range(1, 6):
            b.doc(date(2021, month, 10 + k), [("technology", "chatbots", "setback")], source=f"news{k}",
                  source_type="news")
    run = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["chatbots"]
    assert lone["estimate"] in ("in-use", "0-3") and lone["probabilities"]["in-use"] > 0.8
    assert run["probabilities"]["in-use"] < 0.5
    assert run["expected_year"] - lone["expected_year"] > 3


def test_hysteresis_keeps_a_boundary_case_steady():
    """Probabilities hovering at the in-use / 0-3 boundary do not flip the estimate every month."""
    import numpy as np

    from scanner.signals.horizon import step

    state, flips = None, 0
    for month in range(24):
        p_in_use = 0.45 + 0.1 * (month % 2)  # argmax alternates every month
        probs = np.array([[p_in_use, 1 - p_in_use, 0.0, 0.0]])
        new = step(state, probs, 0.25)
        flips += state is not None and int(new[0]) != int(state[0])
        state = new
    assert flips == 0
    moved = step(np.array([1]), np.array([[0.7, 0.3, 0.0, 0.0]]), 0.25)
    assert int(moved[0]) == 0


def test_silence_after_the_forecast_weakens_adoption(store):
    """Years of municipal news without adoption reports: a 0-3 forecast from 2019 is not read as in use."""
    b = Builder(store)
    b.background(date(2019, 7, 1), 88, 20)
    for year in range(2020, 2026):  # the store does report adoption of a technology in use at the baseline
        for k in range(4):
            b.doc(date(year, 3 + k, 2), [("technology", "cameras", "adoption")], source=f"gem{k}",
                  source_type="government")
    quiet = by_id(signals.horizons(store, "2026-10-31", catalogue=CAT))["blockchain"]
    aged = signals.explain(store, "blockchain", "2026-10-31", catalogue=CAT)["prior"]["probabilities"]
    assert quiet["probabilities"]["in-use"] < aged["in-use"] - 0.3
    assert quiet["estimate"] == "0-3"


def test_silence_says_more_about_a_much_discussed_technology(store):
    """Research talk without adoption news pushes adoption later than silence about a technology the
    sources hardly mention (newsworthiness-scaled silence)."""
    b = Builder(store)
    b.background(date(2019, 7, 1), 88, 20)
    for year in range(2020, 2026):
        for k in range(4):
            b.doc(date(year, 3 + k, 2), [("technology", "cameras", "adoption")], source=f"gem{k}",
                  source_type="government")
    unmentioned = signals.explain(store, "blockchain", "2026-10-31", catalogue=CAT)["silence"]["pull_years"]
    for year in range(2020, 2026):
        for k in range(4):
            b.doc(date(year, 3 + k, 3), [("technology", "blockchain", "research")], source=f"blog{k}",
                  source_type="news")
    discussed = signals.explain(store, "blockchain", "2026-10-31", catalogue=CAT)["silence"]["pull_years"]
    assert discussed > unmentioned > 0


def test_one_document_never_moves_a_bin(store):
    b = baseline_store(store)
    b.doc(date(2021, 6, 1), [("technology", "cameras", "setback")], source="news0", source_type="news")
    item = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["cameras"]
    assert item["estimate"] == "in-use"


def test_a_forecast_does_not_become_in_use_on_the_calendar(store):
    b = Builder(store)
    b.background(date(2019, 7, 1), 88, 5)
    assert by_id(signals.horizons(store, "2026-10-31", catalogue=CAT))["digital-twins"]["estimate"] == "3-7"


def test_old_setbacks_fade_but_are_not_forgotten(store):
    def blockchain(s: Store, setbacks: bool) -> dict:
        b = Builder(s)
        b.background(date(2019, 7, 1), 88, 10, tech_every=5)  # the store reports adoption of in-use cameras
        for year in (2019, 2020, 2021) if setbacks else ():
            for k in range(5):
                b.doc(date(year, 9, 3 + k), [("technology", "blockchain", "setback")], source=f"news{k}",
                      source_type="news")
        return by_id(signals.horizons(s, "2026-10-31", catalogue=CAT))["blockchain"]

    item, silent = blockchain(store, True), blockchain(Store(":memory:"), False)
    assert item["estimate"] != "in-use" and item["probabilities"]["in-use"] < 0.2
    # five years on, the 2019-2021 setbacks still weigh beyond what the silence since says
    assert item["probabilities"]["in-use"] < silent["probabilities"]["in-use"]
    assert item["expected_year"] > silent["expected_year"]


def test_a_document_from_1900_neither_recurses_nor_breaks(store):
    b = baseline_store(store)
    b.doc(date(1900, 1, 1), [("technology", "drones", "pilot")], source="old")
    items = signals.horizons(store, AS_OF, catalogue=CAT)
    assert len(items) == len(CAT.technologies)


def test_municipal_reach_counts_distinct_municipalities(store):
    b = baseline_store(store)
    for k, town in enumerate(["Utrecht", "Ede", "Utrecht", "Zwolle"]):
        doc = b.doc(date(2021, 5, 3 + k), [("technology", "chatbots", "adoption")], source=f"gem{k}",
                    source_type="government")
        store.conn.execute("UPDATE mentions SET municipalities = ? WHERE document_id = ?", (f'["{town}"]', doc))
    item = by_id(signals.horizons(store, AS_OF, catalogue=CAT))["chatbots"]
    assert item["municipalities"] == 3
    assert signals.explain(store, "chatbots", AS_OF, catalogue=CAT)["reach"]["municipalities"] == 3


def test_a_wrong_forecast_spreads_around_the_baseline_date_not_to_the_grid_end():
    """With `prior_wrong_sd` the "forecast was wrong" share lies within a few sd of the baseline date,
    after it (the forecast's own claim); flat (0) it reaches the grid's end, 2060."""
    import numpy as np

    from scanner.config import load_config
    from scanner.signals.catalog import TechInfo
    from scanner.signals.horizon import GRID, prior_loglik

    cfg = load_config()["horizon"]
    tech = TechInfo("x", "X", "f", "0-3", "2019-06")
    late = GRID > 2019.5 + 7 + 20  # beyond the forecast and 20 more years

    def mass(sd: float) -> float:
        p = np.exp(prior_loglik(tech, {**cfg, "prior_wrong_sd": sd}))
        return float(p[late].sum() / p.sum())

    assert mass(8.0) < 0.001 < 0.02 < mass(0.0)
    p = np.exp(prior_loglik(tech, {**cfg, "prior_wrong_sd": 8.0}))
    assert abs(p.sum() - 1) < 1e-6  # still a distribution over the grid


def test_held_by_names_what_keeps_an_estimate_off_its_most_probable_bin():
    """The backtest's list of misses says why an estimate is not its own most probable bin."""
    from types import SimpleNamespace

    import numpy as np

    from scanner.signals.catalog import TechInfo
    from scanner.signals.horizon import Snapshot, held_by

    techs = [TechInfo(t, t, "f", "0-3", "2019-06") for t in ("top", "margin", "sources", "pinned", "both")]
    probs = np.array([[0.1, 0.7, 0.1, 0.1], [0.45, 0.35, 0.1, 0.1], [0.7, 0.2, 0.05, 0.05], [0.7, 0.2, 0.05, 0.05],
                      [0.45, 0.35, 0.1, 0.1]])
    snap = Snapshot(date(2026, 10, 31), np.zeros(5), np.zeros(5), probs, ["0-3", "0-3", "0-3", "3-7", "0-3"],
                    np.zeros(5), np.zeros(0), {"pinned": {"estimate": "3-7"}}, np.zeros(5), [])
    chain = SimpleNamespace(cfg={"hysteresis": 0.25}, allowed=lambda day: np.array([True, True, False, True, False]))
    # "both": neither the margin nor the sources would let it move; the margin is named, as `step` tests it first
    assert held_by(snap, chain, techs) == [None, "margin", "sources", "override", "margin"]  # type: ignore[arg-type]
