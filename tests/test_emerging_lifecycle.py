"""Emerging terms: spelling variants merge, a term is a candidate, accepted (still listed) or rejected (hidden,
with its reason), and every emerging-term flag carries documents with its example sentences."""
from __future__ import annotations

from dataclasses import replace
import json
from datetime import date, timedelta

from signals_fixtures import Builder, catalogue

from scanner.review import actions
from scanner.signals import api as signals
from scanner.signals import emerging

AS_OF = "2024-12-31"
VARIANTS = ["ai agents", "ai-agent", "ai agent", "ai-agents"]


def cat():
    return replace(catalogue(), candidates={"variants": {"generatieve": "generative", "large language models": "llm",
                                                         "large language model": "llm"}})


def corpus(store) -> None:
    b = Builder(store)
    for m in range(24):
        first = date(2023 + m // 12, m % 12 + 1, 1)
        for i in range(20):
            cands, text = [], "De gemeenteraad vergaderde over de begroting."
            if m >= 20 and i % 3 == 0:
                spelling = VARIANTS[i % 4]
                llm = "llm" if i % 2 else "large language models"
                gen = "generatieve ai" if i % 2 else "generative ai"
                cands += [spelling, llm, gen]
                text += f" Ambtenaren testen {spelling} en {gen}; een {llm} vat bezwaren samen."
            b.doc(first + timedelta(days=i), candidates=cands, source=f"s{i % 5}", text=text)
    store.conn.execute("INSERT INTO sources(id, name) VALUES ('s0', 'Bron Nul'), ('s3', 'Bron Drie')")


def by_key(items):
    return {t["key"]: t for t in items}


def test_variant_key_folds_spelling_and_synonyms():
    rules = emerging.variant_rules(cat())
    assert len({emerging.variant_key(v, rules) for v in VARIANTS + ["AI Agents", "ai-agenten"]}) == 1
    assert emerging.variant_key("large language models", rules) == emerging.variant_key("LLM", rules)
    assert emerging.variant_key("generatieve ai", rules) == emerging.variant_key("generative AI", rules)
    assert emerging.variant_key("ai agent", rules) != emerging.variant_key("agentic ai", rules)


def test_variants_merge_into_one_term_with_all_documents(store):
    corpus(store)
    items = signals.emerging(store, AS_OF, top=20, catalogue=cat())
    keys = [t["key"] for t in items]
    assert len(keys) == len(set(keys)), [t["term"] for t in items]
    agents = [t for t in items if t["term"] in VARIANTS]
    assert len(agents) == 1, [t["term"] for t in items]
    assert set(agents[0]["variants"]) == set(VARIANTS)
    raw = store.conn.execute("SELECT COUNT(*) FROM doc_tags WHERE candidates LIKE '%agent%'").fetchone()[0]
    assert agents[0]["documents"] == raw
    assert len([t for t in items if t["term"] in ("llm", "large language models")]) == 1
    assert len([t for t in items if t["term"] in ("generatieve ai", "generative ai")]) == 1
    assert all(t["status"] == "candidate" for t in items)


def test_flags_carry_documents_with_each_example(store):
    corpus(store)
    signals.run_signals(store, AS_OF, catalogue=cat())
    rows = store.query("SELECT subject, evidence FROM flags WHERE type = 'emerging-term'")
    assert rows
    for row in rows:
        evidence = json.loads(row["evidence"])
        assert evidence, row["subject"]
        for e in evidence:
            assert e["document_id"] and e["url"].startswith("https://") and e["published"] and e["sentence"]
            assert e["source_id"]
            assert e["source"] == {"s0": "Bron Nul", "s3": "Bron Drie"}.get(e["source_id"], e["source_id"])
    # one flag per merged term, keyed by the variant key
    assert len({r["subject"] for r in rows}) == len(rows)
    assert sum(r["subject"] in VARIANTS for r in rows) == 1


def _flag(store, terms):
    return store.query("SELECT id, subject FROM flags WHERE type = 'emerging-term' AND subject IN (%s)"
                       % ",".join("?" * len(terms)), tuple(terms))[0]


def test_accept_keeps_the_term_listed_reject_hides_it_with_reason(store):
    corpus(store)
    signals.run_signals(store, AS_OF, catalogue=cat())
    agent = _flag(store, VARIANTS)
    gen = _flag(store, ["generatieve ai", "generative ai"])
    actions.accept(store, agent["id"], "ana")
    event = actions.reject(store, gen["id"], "ana", "hype, not a technology")
    items = by_key(signals.emerging(store, AS_OF, top=1, catalogue=cat()))
    rules = emerging.variant_rules(cat())
    agent_key, gen_key = emerging.variant_key(agent["subject"], rules), emerging.variant_key(gen["subject"], rules)
    assert items[agent_key]["status"] == "accepted"  # listed even beyond --top
    assert gen_key not in items
    everything = by_key(signals.emerging(store, AS_OF, top=1, catalogue=cat(), include_rejected=True))
    assert everything[gen_key]["status"] == "rejected"
    assert everything[gen_key]["reason"] == "hype, not a technology"
    # a re-run keeps the decisions and writes no new flag for either term
    again = signals.run_signals(store, AS_OF, catalogue=cat())
    assert again["new_flags"] == 0
    actions.undo(store, event, "ana")
    assert by_key(signals.emerging(store, AS_OF, top=20, catalogue=cat()))[gen_key]["status"] == "candidate"


def test_accepted_term_stays_listed_after_it_joins_the_catalogue(store):
    corpus(store)
    signals.run_signals(store, AS_OF, catalogue=cat())
    agent = _flag(store, VARIANTS)
    actions.accept(store, agent["id"], "ana")
    # once the term is a catalogue term the tagger no longer reports it as a candidate
    store.conn.execute("UPDATE doc_tags SET candidates = '[]' WHERE candidates LIKE '%agent%'")
    items = [t for t in signals.emerging(store, AS_OF, top=5, catalogue=cat()) if t["term"] == agent["subject"]]
    assert items and items[0]["status"] == "accepted" and items[0]["documents"] > 0


def test_lexicon_export_offers_accepted_terms(store, tmp_path):
    import yaml

    corpus(store)
    signals.run_signals(store, AS_OF, catalogue=cat())
    agent = _flag(store, VARIANTS)
    actions.accept(store, agent["id"], "ana")
    path = signals.export_accepted_terms(store, tmp_path, AS_OF, catalogue=cat())
    proposals = yaml.safe_load(path.read_text(encoding="utf-8"))["accepted_terms"]
    assert [p["term"] for p in proposals] == [agent["subject"]]
    assert set(proposals[0]["terms"]) == set(VARIANTS) and proposals[0]["in_catalogue"] is False
