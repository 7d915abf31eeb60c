"""End to end on the bundled demo corpus: harvest on loopback, classify with the real tagger, signals.

The corpus plants: digital twins rising (earlier), a drone burst 2026-03-02..2026-05-31, a run of
facial-recognition setbacks (later), generative-AI terms (emerging) and a stable background.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow
AS_OF = "2026-10-31"
GENAI = ("generatieve ai", "generative ai", "taalmodel", "large language model", "llm", "ai-agent", "agentic ai",
         "ai agent", "ai agents", "ai-agents", "gpt", "large language models", "taalmodellen")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from scanner.config import load_config
    from scanner.demo.server import DEMO_SITE, demo_sources, serve_directory, stop
    from scanner.harvest.run import harvest
    from scanner.harvest.sources import parse_sources
    from scanner.signals import api as signals
    from scanner.store import Store

    store = Store(tmp_path_factory.mktemp("demo") / "demo.db")
    server, base = serve_directory(DEMO_SITE, latency=0.0)
    try:
        config = load_config()
        config["harvest"]["host_delay_s"] = 0.0  # loopback: no politeness delay needed
        harvest(store, parse_sources({"source": demo_sources(base)}), config)
    finally:
        stop(server)
    signals.classify(store)
    signals.run_signals(store, AS_OF)
    yield store
    store.close()


def test_generative_ai_terms_rank_top_ten(demo_store):
    from scanner.signals import api as signals

    top = [t["term"] for t in signals.emerging(demo_store, AS_OF, top=10)]
    # nothing in the tagger or lexicon names these terms: they come from term shapes and corpus statistics
    genai = [any(k in t for k in ("ai", "gpt", "llm", "language model", "taalmodel")) for t in top]
    assert all(genai[:6]), top  # the six strongest new terms are all generative AI
    assert sum(t in GENAI for t in top) >= 4, top  # four planted spellings (variants merged) among them


def test_planted_horizon_moves_and_stable_background(demo_store):
    from scanner.signals import api as signals

    items = {h["id"]: h for h in signals.horizons(demo_store, AS_OF)}
    assert items["digital-twins"]["estimate"] in ("in-use", "0-3")
    assert items["gezichtsherkenning"]["estimate"] == ">7"
    for tech in ("cloud", "zaaksystemen", "social-media"):
        assert not items[tech]["changed"], tech
    flags = demo_store.query("SELECT subject FROM flags WHERE type = 'horizon-change'")
    assert not {"cloud", "zaaksystemen", "social-media"} & {f["subject"] for f in flags}


def test_drone_burst_in_the_planted_weeks(demo_store):
    from scanner.signals import api as signals

    drones = {t["id"]: t for t in signals.trends(demo_store, AS_OF)}["drones"]
    assert any(b["start"] == "2026-03-02" and b["end"] == "2026-05-31" for b in drones["bursts"]), drones["bursts"]


def test_every_demo_flag_carries_evidence_with_source_names(demo_store):
    import json

    names = {r["id"]: r["name"] for r in demo_store.query("SELECT id, name FROM sources")}
    flags = demo_store.query("SELECT id, type, evidence FROM flags")
    assert len({f["type"] for f in flags}) >= 3, flags
    for flag in flags:
        evidence = json.loads(flag["evidence"] or "[]")
        assert evidence, f"flag #{flag['id']} ({flag['type']}) has no evidence"
        for e in evidence:
            assert e["document_id"] and e["url"] and e["published"] and e["sentence"], (flag["type"], e)
            assert e["source"] == names[e["source_id"]], e
        if flag["type"] in ("process-reach", "horizon-change", "burst", "low-confidence"):
            assert all(e["mention_id"] for e in evidence), flag  # the analyst can relabel each one


def test_demo_emerging_variants_are_merged(demo_store):
    from scanner.signals import api as signals

    items = signals.emerging(demo_store, AS_OF, top=20)
    keys = [t["key"] for t in items]
    assert len(keys) == len(set(keys)), [t["term"] for t in items]
    agents = [t for t in items if t["term"] in ("ai agent", "ai agents", "ai-agent", "ai-agents")]
    assert len(agents) == 1 and len(agents[0]["variants"]) >= 3, agents


def test_last_months_state_of_a_month_end_is_the_previous_month_end(demo_store):
    """`previous` as of 30 September is the state of 31 August (the history's August row), not of 30 August:
    a move on August's last day is August's, and September's report must not show it again."""
    from datetime import date

    from scanner.config import load_config
    from scanner.signals import catalog, horizon

    techs = catalog.technologies(catalog.resolve(demo_store))
    items = horizon.estimate_all(demo_store, techs, date(2026, 9, 30), load_config()["horizon"], False)[0]
    august = {r["tech"]: r["estimate"] for r in demo_store.query(
        "SELECT tech, estimate FROM horizon_history WHERE month = '2026-08' AND overridden = 0")}
    assert august and all(h["previous"] == august[h["id"]] for h in items if h["id"] in august)


def test_mid_month_run_also_flags_the_closed_month_moves(demo_store):
    """Runs as of a day inside a month: the moves of the month before (the one its digest reports) are in
    the queue. The month is the latest closed one in which the demo's estimates moved."""
    from scanner.signals import api as signals

    closed = demo_store.query("SELECT max(month) AS m FROM horizon_history WHERE estimate != previous "
                              "AND evidence >= 1 AND month <= '2026-10'")[0]["m"]
    assert closed, "the demo moves no estimate"
    year, month = int(closed[:4]), int(closed[5:7])
    mid_next = f"{year + month // 12}-{month % 12 + 1:02d}-15"
    before = {r["dedup_key"] for r in demo_store.query("SELECT dedup_key FROM flags")}
    signals.run_signals(demo_store, mid_next)
    flagged = demo_store.query("SELECT subject, dedup_key, evidence FROM flags WHERE type = 'horizon-change' "
                               "AND month = ?", (closed,))
    moved = {r["tech"] for r in demo_store.query(
        "SELECT tech FROM horizon_history WHERE month = ? AND estimate != previous AND evidence >= 1", (closed,))}
    assert flagged and {f["subject"] for f in flagged} <= moved
    assert all(f["evidence"] != "[]" for f in flagged)
    again = signals.run_signals(demo_store, mid_next)
    assert again["new_flags"] == 0 and before <= {r["dedup_key"] for r in demo_store.query("SELECT dedup_key FROM flags")}