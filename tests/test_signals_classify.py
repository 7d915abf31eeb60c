"""classify: incremental by lexicon/model version, batches, workers, near-duplicates skipped."""
from __future__ import annotations

from dataclasses import replace
from signals_fixtures import StubTagger, small_catalogue, stub_factory

from scanner.catalogue import Catalogue, technology_from_dict

from scanner.signals import api as signals


def add_docs(store, n: int = 10) -> None:
    for i in range(n):
        text = "De gemeente start een pilot met een chatbot voor het paspoort." if i % 2 == 0 else "Weerbericht."
        store.conn.execute("INSERT INTO documents(uid, title, text, published, source_id) VALUES (?,?,?,?,?)",
                           (f"d{i}", f"T{i}", text, f"2024-0{1 + i % 9}-01T00:00:00+00:00", "s"))


def counts(store) -> tuple[int, int]:
    return store.count("doc_tags"), store.count("mentions")


def test_classify_writes_tags_and_mentions_incrementally(store):
    add_docs(store)
    tagger = StubTagger()
    out = signals.classify(store, tagger=tagger, batch_size=3)
    assert out["documents"] == 10 and out["mentions"] == 10 and out["errors"] == 0
    assert counts(store) == (10, 10)
    row = store.query("SELECT * FROM mentions WHERE kind = 'technology' LIMIT 1")[0]
    assert row["target"] == "chatbots" and row["stage"] == "pilot" and row["municipal"] == 1
    assert row["lexicon_version"] == "fake-v1" and row["model_version"] == "rules"
    full = "T0\nDe gemeente start een pilot met een chatbot voor het paspoort."
    assert full[row["start"]:row["end"]] == "chatbot"
    assert signals.classify(store, tagger=tagger)["documents"] == 0
    add_docs_more = store.conn.execute("INSERT INTO documents(uid, title, text, published) VALUES "
                                       "('new', 'N', 'Een chatbot.', '2024-05-05')")
    assert add_docs_more and signals.classify(store, tagger=tagger)["documents"] == 1
    assert signals.classify(store, tagger=tagger, reclassify=True)["documents"] == 11
    assert counts(store) == (11, 11)


def test_near_duplicates_skipped_and_errors_counted(store):
    add_docs(store, 4)
    store.conn.execute("INSERT INTO documents(uid, title, text, duplicate_of) VALUES ('dup', 'T', 'chatbot', 1)")
    store.conn.execute("INSERT INTO documents(uid, title, text) VALUES ('empty', 'E', '')")
    out = signals.classify(store, tagger=StubTagger())
    assert out["documents"] == 5 and out["errors"] == 1
    assert store.query("SELECT COUNT(*) AS n FROM doc_tags WHERE document_id = 5") == [{"n": 0}]


def test_version_change_retags(store):
    add_docs(store, 4)
    signals.classify(store, tagger=StubTagger(version="v1"))
    out = signals.classify(store, tagger=StubTagger(version="v2"))
    assert out["documents"] == 4
    assert {r["lexicon_version"] for r in store.query("SELECT lexicon_version FROM mentions")} == {"v2"}


def chatbots_only(version: str, terms: list[str]) -> Catalogue:
    """The small catalogue with one technology whose terms are `terms` (what lexdiff compares)."""
    return replace(small_catalogue(version), processes={},
                   technologies={"chatbots": technology_from_dict({"id": "chatbots", "terms": terms})})


def test_added_synonym_retags_only_affected_documents(store):
    add_docs(store, 6)
    store.conn.execute("UPDATE documents SET text = 'Een virtuele assistent.' WHERE id = 2")
    old = chatbots_only("v1", ["chatbot"])
    new = chatbots_only("v2", ["chatbot", "virtuele assistent"])
    signals.classify(store, catalogue=old, tagger=StubTagger(old))
    out = signals.classify(store, catalogue=new, tagger=StubTagger(new))
    assert out["documents"] == 1 and out["restamped"] == 5
    assert signals.classify(store, catalogue=new, tagger=StubTagger(new))["documents"] == 0


def test_batch_pieces_and_workers(store):
    add_docs(store, 8)
    from scanner.signals.classify import load_docs

    rows = signals.classify_batch(load_docs(store, [1, 2]), tagger=StubTagger())
    assert len(rows["doc_tags"]) == 2 and signals.write_rows(store, rows) == 2
    out = signals.classify(store, workers=2, batch_size=2, tagger_factory=stub_factory)
    assert out["documents"] == 6 and counts(store) == (8, 8)
