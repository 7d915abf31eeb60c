"""Review decisions as library calls: each one's effect, its audit row, and its undo."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from scanner.review import actions, queries
import review_sample as sample
from scanner.review.catalog import from_catalogue
from scanner.signals import feedback
from scanner.store import Store


@pytest.fixture
def seeded(store: Store) -> tuple[Store, dict[str, int]]:
    return store, sample.seed(store)


def _flag(store: Store, flag_id: int) -> dict:
    return store.query("SELECT * FROM flags WHERE id = ?", (flag_id,))[0]


def _event(store: Store, event_id: int) -> dict:
    return store.query("SELECT * FROM flag_events WHERE id = ?", (event_id,))[0]


def test_accept_records_who_when_why_and_undo_restores(seeded):
    store, ids = seeded
    event = actions.accept(store, ids["horizon"], "ana", "klopt")
    flag = _flag(store, ids["horizon"])
    assert (flag["status"], flag["decided_by"], flag["reason"]) == ("accepted", "ana", "klopt")
    row = _event(store, event)
    assert (row["actor"], row["action"], row["reason"]) == ("ana", "accept", "klopt")
    assert json.loads(row["before"])["flag"]["status"] == "open"
    assert json.loads(row["after"])["flag"]["status"] == "accepted"
    assert row["at"].endswith("+00:00")
    actions.undo(store, event, "ben")
    assert _flag(store, ids["horizon"])["status"] == "open"
    assert _flag(store, ids["horizon"])["decided_by"] is None
    assert _event(store, event)["undone"] == 1
    with pytest.raises(actions.ActionError, match="already undone"):
        actions.undo(store, event, "ben")


def test_reject_needs_a_reason(seeded):
    store, ids = seeded
    with pytest.raises(actions.ActionError, match="reason"):
        actions.reject(store, ids["burst"], "ana", "  ")
    actions.reject(store, ids["burst"], "ana", "seasonal")
    assert _flag(store, ids["burst"])["status"] == "rejected"


def test_rejected_emerging_term_never_resurfaces_and_undo_reopens(seeded):
    store, ids = seeded
    event = actions.reject(store, ids["emerging"], "ana", "marketing buzz")
    assert store.query("SELECT status FROM emerging_terms")[0]["status"] == "rejected"
    added = store.query("SELECT kind, term, active FROM lexicon_additions")
    assert added == [{"kind": "rejected-term", "term": "generatieve ai", "active": 1}]
    actions.undo(store, event, "ana")
    assert store.query("SELECT status FROM emerging_terms")[0]["status"] == "open"
    assert store.query("SELECT active FROM lexicon_additions")[0]["active"] == 0
    assert _flag(store, ids["emerging"])["status"] == "open"


def test_snooze_hides_until_the_date(seeded):
    store, ids = seeded
    view = from_catalogue(sample.catalogue())
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    with pytest.raises(actions.ActionError, match="future"):
        actions.snooze(store, ids["burst"], "ana", "2020-01-01")
    with pytest.raises(actions.ActionError, match="not a date"):
        actions.snooze(store, ids["burst"], "ana", "soon")
    event = actions.snooze(store, ids["burst"], "ana", tomorrow)
    open_ids = [f["id"] for f in queries.queue(store, queries.Filters(), view, 50)["flags"]]
    assert ids["burst"] not in open_ids
    assert actions.wake_snoozed(store) == []
    actions.undo(store, event, "ana")
    assert _flag(store, ids["burst"])["status"] == "open"
    actions.snooze(store, ids["burst"], "ana", tomorrow)
    assert actions.wake_snoozed(store, today="2999-01-01") == [ids["burst"]]  # the day has come
    open_ids = [f["id"] for f in queries.queue(store, queries.Filters(), view, 50)["flags"]]
    assert ids["burst"] in open_ids and _flag(store, ids["burst"])["snooze_until"] is None
    assert store.query("SELECT actor FROM flag_events ORDER BY id DESC LIMIT 1") == [{"actor": "review"}]


def test_relabel_stage_updates_mention_and_stores_training_example(seeded):
    store, ids = seeded
    mid = ids["m_chatbot"]
    event = actions.relabel(store, mid, "stage", "adoption", "ana", "al uitgerold", flag_id=ids["horizon"])
    assert store.query("SELECT stage FROM mentions WHERE id = ?", (mid,))[0]["stage"] == "adoption"
    relabel = store.query("SELECT * FROM relabels")[0]
    assert (relabel["field"], relabel["old"], relabel["new"], relabel["actor"]) == ("stage", "pilot", "adoption", "ana")
    assert "Utrecht" in relabel["sentence"] and relabel["undone"] == 0
    actions.undo(store, event, "ana")
    assert store.query("SELECT stage FROM mentions WHERE id = ?", (mid,))[0]["stage"] == "pilot"
    assert store.query("SELECT undone FROM relabels")[0]["undone"] == 1


def test_relabel_technology_and_process_are_checked(seeded):
    store, ids = seeded
    known = {"chatbots", "drones"}
    actions.relabel(store, ids["m_chatbot"], "technology", "drones", "ana", known=known)
    assert store.query("SELECT target FROM mentions WHERE id = ?", (ids["m_chatbot"],))[0]["target"] == "drones"
    with pytest.raises(actions.ActionError, match="unknown technology"):
        actions.relabel(store, ids["m_twin"], "technology", "warp-drive", "ana", known=known)
    with pytest.raises(actions.ActionError, match="not a process mention"):
        actions.relabel(store, ids["m_chatbot"], "process", "bouwinspectie", "ana")
    actions.relabel(store, ids["m_process"], "process", "bouwinspectie", "ana")
    with pytest.raises(actions.ActionError, match="stage must be"):
        actions.relabel(store, ids["m_chatbot"], "stage", "hype", "ana")
    with pytest.raises(actions.ActionError, match="field must be"):
        actions.relabel(store, ids["m_chatbot"], "document_id", "1", "ana")


def test_override_pins_and_undo_restores_the_previous_pin(seeded):
    store, ids = seeded
    first = actions.override(store, "chatbots", "in-use", "ana", "landelijk uitgerold")
    second = actions.override(store, "chatbots", "0-3", "ben", "toch niet", flag_id=ids["horizon"])
    active = store.query("SELECT estimate, reason, created_by FROM overrides WHERE active = 1")
    assert active == [{"estimate": "0-3", "reason": "toch niet", "created_by": "ben"}]
    assert _flag(store, ids["horizon"])["status"] == "accepted"
    with pytest.raises(actions.ActionError, match="later decision"):
        actions.undo(store, first, "ana")
    actions.undo(store, second, "ana")
    assert store.query("SELECT estimate FROM overrides WHERE active = 1") == [{"estimate": "in-use"}]
    assert _flag(store, ids["horizon"])["status"] == "open"
    removed = actions.remove_override(store, "chatbots", "ana", "model is right again")
    assert store.query("SELECT COUNT(*) AS n FROM overrides WHERE active = 1")[0]["n"] == 0
    actions.undo(store, removed, "ana")
    assert store.query("SELECT estimate FROM overrides WHERE active = 1") == [{"estimate": "in-use"}]


def test_override_validates(seeded):
    store, _ = seeded
    with pytest.raises(actions.ActionError, match="estimate"):
        actions.override(store, "chatbots", "soon", "ana", "x")
    with pytest.raises(actions.ActionError, match="reason"):
        actions.override(store, "chatbots", "0-3", "ana", "")
    with pytest.raises(actions.ActionError, match="unknown technology"):
        actions.override(store, "nope", "0-3", "ana", "x", known={"chatbots"})


def test_new_technology_from_emerging_term(seeded):
    store, ids = seeded
    event = actions.add_technology(store, ids["emerging"], "ana", "generatieve-ai", "Generatieve AI",
                                   "data-analyse", "0-3", ["GenAI", "generative AI", "genai"], name_en="Generative AI",
                                   known={"chatbots"})
    row = store.query("SELECT kind, technology, term, data, created_by, active FROM lexicon_additions")[0]
    data = json.loads(row["data"])
    assert (row["kind"], row["technology"], row["term"], row["created_by"]) == (
        "technology", "generatieve-ai", "generatieve ai", "ana")
    assert data["id"] == "generatieve-ai" and data["family"] == "data-analyse"
    assert data["baseline_horizon"] == "0-3" and data["name_en"] == "Generative AI"
    assert data["terms"]["nl"] == ["generatieve ai", "GenAI", "generative AI"]
    assert store.query("SELECT status FROM emerging_terms")[0]["status"] == "accepted"
    with pytest.raises(actions.ActionError, match="already exists"):
        actions.add_technology(store, ids["emerging"], "ana", "generatieve-ai", "x", "data-analyse", "0-3")
    actions.undo(store, event, "ana")
    assert store.query("SELECT active FROM lexicon_additions")[0]["active"] == 0
    assert store.query("SELECT status FROM emerging_terms")[0]["status"] == "open"


def test_new_technology_validates(seeded):
    store, ids = seeded
    with pytest.raises(actions.ActionError, match="not an emerging term"):
        actions.add_technology(store, ids["burst"], "ana", "x", "X", "data-analyse", "0-3")
    with pytest.raises(actions.ActionError, match="family"):
        actions.add_technology(store, ids["emerging"], "ana", "genai", "GenAI", "toys", "0-3")
    with pytest.raises(actions.ActionError, match="technology id"):
        actions.add_technology(store, ids["emerging"], "ana", "Gen AI!", "GenAI", "data-analyse", "0-3")
    with pytest.raises(actions.ActionError, match="already exists"):
        actions.add_technology(store, ids["emerging"], "ana", "chatbots", "C", "data-analyse", "0-3",
                               known={"chatbots"})


def test_synonym_of_existing_technology(seeded):
    store, ids = seeded
    event = actions.add_synonym(store, ids["emerging"], "ana", "chatbots", known={"chatbots"})
    row = store.query("SELECT kind, technology, term, active FROM lexicon_additions")[0]
    assert row == {"kind": "synonym", "technology": "chatbots", "term": "generatieve ai", "active": 1}
    actions.undo(store, event, "ana")
    assert store.query("SELECT active FROM lexicon_additions")[0]["active"] == 0


def test_bulk_is_all_or_nothing(seeded):
    store, ids = seeded
    with pytest.raises(actions.ActionError, match="no flag"):
        actions.bulk(store, "accept", [ids["burst"], 9999], "ana")
    assert _flag(store, ids["burst"])["status"] == "open"
    events = actions.bulk(store, "reject", [ids["burst"], ids["lowconf"]], "ana", "noise")
    assert len(events) == 2
    assert {_flag(store, i)["status"] for i in (ids["burst"], ids["lowconf"])} == {"rejected"}
    with pytest.raises(actions.ActionError, match="bulk action"):
        actions.bulk(store, "delete", [ids["burst"]], "ana")


def test_undo_of_an_older_decision_waits_for_the_later_one(seeded):
    store, ids = seeded
    first = actions.accept(store, ids["burst"], "ana")
    second = actions.reject(store, ids["burst"], "ben", "second thoughts")
    with pytest.raises(actions.ActionError, match=f"#{second}"):
        actions.undo(store, first, "ana")
    undo_event = actions.undo(store, second, "ana")
    assert _flag(store, ids["burst"])["status"] == "accepted"
    with pytest.raises(actions.ActionError, match="cannot be undone"):
        actions.undo(store, undo_event, "ana")
    actions.undo(store, first, "ana")
    assert _flag(store, ids["burst"])["status"] == "open"


def test_actor_is_required(seeded):
    store, ids = seeded
    with pytest.raises(actions.ActionError, match="actor"):
        actions.accept(store, ids["burst"], "")


def test_terms_belong_to_one_technology(seeded):
    store, ids = seeded
    owners = from_catalogue(sample.catalogue()).term_owners
    with pytest.raises(actions.ActionError, match="belongs to chatbots"):
        actions.add_technology(store, ids["emerging"], "ana", "genai", "GenAI", "data-analyse", "0-3",
                               ["Virtuele-Assistent"], owners=owners)
    store.conn.execute("UPDATE flags SET subject = 'chatbot' WHERE id = ?", (ids["emerging"],))
    with pytest.raises(actions.ActionError, match="belongs to chatbots"):
        actions.add_synonym(store, ids["emerging"], "ana", "drones", owners=owners)
    actions.add_synonym(store, ids["emerging"], "ana", "chatbots", owners=owners)  # its own term: harmless


def test_catalogue_loader_merges_what_review_writes(seeded):
    import scanner.catalogue as catalogue
    store, ids = seeded
    actions.add_technology(store, ids["emerging"], "ana", "generatieve-ai", "Generatieve AI", "data-analyse",
                           "0-3", ["taalmodel-assistent"])
    cat = catalogue.load_catalogue(store=store)
    tech = cat.technologies["generatieve-ai"]
    assert tech.family == "data-analyse" and "generatieve ai" in tech.all_terms()
    flag = store.query("SELECT id FROM flags WHERE type = 'burst'")[0]["id"]
    store.conn.execute("UPDATE flags SET type = 'emerging-term', subject = 'slimme chatbox' WHERE id = ?", (flag,))
    actions.add_synonym(store, flag, "ana", "chatbots")
    actions.reject(store, ids["lowconf"], "ana", "x")  # not an emerging term: no rejected-term row
    assert "slimme chatbox" in catalogue.load_catalogue(store=store).technologies["chatbots"].all_terms()


def test_catalogue_loader_sees_rejected_terms(seeded):
    import scanner.catalogue as catalogue
    store, ids = seeded
    actions.reject(store, ids["emerging"], "ana", "hype")
    assert "generatieve ai" in catalogue.load_catalogue(store=store).rejected_terms


def test_events_from_other_stages_are_not_undoable(seeded):
    store, ids = seeded
    created = store.query("SELECT id FROM flag_events WHERE action = 'created' AND flag_id = ?", (ids["burst"],))
    with pytest.raises(actions.ActionError, match="not a review decision"):
        actions.undo(store, created[0]["id"], "ana")
    event = actions.accept(store, ids["burst"], "ana")  # the signals rows' plain-text 'after' does not trip undo
    actions.undo(store, event, "ana")
    assert _flag(store, ids["burst"])["status"] == "open"


def test_relabels_survive_a_reclassify(seeded):
    store, ids = seeded
    actions.relabel(store, ids["m_chatbot"], "stage", "adoption", "ana")
    gone = actions.relabel(store, ids["m_process"], "process", "bouwinspectie", "ana")
    actions.undo(store, gone, "ana")
    row = store.query('SELECT document_id, kind, target, text, start, "end", sentence FROM mentions WHERE id = ?',
                      (ids["m_chatbot"],))[0]
    store.conn.execute("DELETE FROM mentions WHERE document_id = ?", (row["document_id"],))  # re-tag: new ids
    for kind, target in (("technology", "chatbots"), ("process", "paspoort-aanvragen")):
        store.conn.execute(
            'INSERT INTO mentions(document_id, kind, target, text, start, "end", sentence, stage) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'pilot')",
            (row["document_id"], kind, target, row["text"] if kind == "technology" else "paspoortvragen",
             row["start"], row["end"], row["sentence"]))
    assert feedback.reapply_relabels(store, [row["document_id"]]) == 1
    stages = store.query("SELECT kind, target, stage FROM mentions WHERE document_id = ? ORDER BY kind",
                         (row["document_id"],))
    assert stages == [{"kind": "process", "target": "paspoort-aanvragen", "stage": "pilot"},
                      {"kind": "technology", "target": "chatbots", "stage": "adoption"}]
    assert feedback.reapply_relabels(store) == 0  # idempotent
