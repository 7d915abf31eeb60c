"""Review UI through TestClient: queue, filters, injection attempts, every form action and its undo."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from scanner.review import auth
import review_sample as sample
from scanner.review.app import create_app
from scanner.store import Store

PASSWORD = "correct horse battery"


@pytest.fixture
def ui(tmp_path):
    path = tmp_path / "review.db"
    store = Store(path)
    ids = sample.seed(store)
    auth.add_user(store, "ana", PASSWORD, n=1024)
    app = create_app(path, catalogue_loader=sample.sample_loader)
    with TestClient(app) as client:
        assert sample.login(client, "ana", PASSWORD).status_code == 303
        yield client, store, ids
    app.state.store.close()
    store.close()


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-flag="(\d+)">', html)]


def _post(client: TestClient, url: str, data: dict, page: str = "/") -> object:
    data = {"csrf": sample.csrf_of(client.get(page).text), "next": "/", **data}
    return client.post(url, data=data, follow_redirects=False)


def _status(store: Store, flag_id: int) -> str:
    return store.query("SELECT status FROM flags WHERE id = ?", (flag_id,))[0]["status"]


def _last_event(store: Store) -> int:
    return store.query("SELECT MAX(id) AS id FROM flag_events")[0]["id"]


def _undo(client: TestClient, event: int) -> None:
    response = _post(client, f"/events/{event}/undo", {})
    assert response.status_code == 303


def test_queue_sorted_by_score_with_counts(ui):
    client, _, ids = ui
    page = client.get("/").text
    assert _ids(page) == [ids["horizon"], ids["burst"], ids["emerging"], ids["reach"], ids["lowconf"]]
    assert re.search(r"burst <b>1</b>", page) and "5 flags" in page


@pytest.mark.parametrize("query, expected", [
    ("type=burst", ["burst"]),
    ("tech=chatbots", ["horizon", "reach"]),
    ("family=dataplatforms", ["lowconf"]),
    ("domain=dienstverlening", ["reach"]),
    ("domain=ruimtelijk-fysiek", ["burst"]),
    ("type=horizon-change&tech=drones", []),
    ("status=accepted", []),
])
def test_filters(ui, query, expected):
    client, _, ids = ui
    assert _ids(client.get(f"/?{query}").text) == [ids[k] for k in expected]
    api = client.get(f"/api/flags?{query}").json()
    assert [f["id"] for f in api["flags"]] == [ids[k] for k in expected]


@pytest.mark.parametrize("query", [
    "type=' OR 1=1 --", "tech=chatbots' OR '1'='1", "family=x') OR 1=1 --", "domain=\"; DROP TABLE flags; --",
    "status=open' OR 'a'='a", "page=1; DROP TABLE flags", "type=burst%00",
    "tech=%27%20UNION%20SELECT%20*%20FROM%20users--",
])
def test_injection_attempts_in_filters_are_refused(ui, query):
    client, store, _ = ui
    page = client.get(f"/?{query}")
    assert page.status_code == 400 and _ids(page.text) == []
    api = client.get(f"/api/flags?{query}")
    assert api.status_code == 400 and "flags" not in api.json()
    assert store.count("flags") == 5 and store.count("users") == 1


def test_paging(tmp_path):
    path = tmp_path / "many.db"
    store = Store(path)
    sample.seed_many(store, 120)
    auth.add_user(store, "ana", PASSWORD, n=1024)
    with TestClient(create_app(path, catalogue_loader=sample.sample_loader)) as client:
        sample.login(client, "ana", PASSWORD)
        first, third = client.get("/").text, client.get("/?page=3").text
        assert len(_ids(first)) == 50 and len(_ids(third)) == 20
        assert "page 1 of 3" in first and 'rel="next"' in first and 'rel="next"' not in third
        assert not set(_ids(first)) & set(_ids(third))
        scores = [r["score"] for r in store.query(
            "SELECT score FROM flags WHERE id IN (%s)" % ",".join(map(str, _ids(first))))]
        assert min(scores) >= max(r["score"] for r in store.query(
            "SELECT score FROM flags WHERE id IN (%s)" % ",".join(map(str, _ids(third)))))


def test_accept_leaves_the_queue_and_undo_brings_it_back(ui):
    client, store, ids = ui
    response = _post(client, f"/flags/{ids['burst']}/accept", {})
    assert response.status_code == 303
    page = client.get("/").text
    assert ids["burst"] not in _ids(page) and "accepted" in page and "Undo" in page
    assert ids["burst"] in _ids(client.get("/?status=accepted").text)
    _undo(client, _last_event(store))
    assert _status(store, ids["burst"]) == "open"


def test_reject_snooze_override_via_forms(ui):
    client, store, ids = ui
    _post(client, f"/flags/{ids['burst']}/reject", {"reason": ""})
    assert _status(store, ids["burst"]) == "open"
    assert "reason is required" in client.get("/").text
    _post(client, f"/flags/{ids['burst']}/reject", {"reason": "seizoenseffect"})
    assert _status(store, ids["burst"]) == "rejected"
    _undo(client, _last_event(store))
    assert _status(store, ids["burst"]) == "open"
    _post(client, f"/flags/{ids['lowconf']}/snooze", {"until": (date.today() + timedelta(days=30)).isoformat()})
    assert _status(store, ids["lowconf"]) == "snoozed"
    _undo(client, _last_event(store))
    assert _status(store, ids["lowconf"]) == "open"
    _post(client, f"/flags/{ids['horizon']}/override", {"tech": "chatbots", "estimate": "in-use", "reason": "VNG"})
    assert store.query("SELECT estimate FROM overrides WHERE active = 1") == [{"estimate": "in-use"}]
    assert "pinned" in client.get("/technologies").text
    _undo(client, _last_event(store))
    assert store.query("SELECT COUNT(*) AS n FROM overrides WHERE active = 1")[0]["n"] == 0
    _post(client, "/technologies/chatbots/override", {"estimate": "3-7", "reason": "te duur"})
    _post(client, "/technologies/chatbots/override/remove", {"reason": "weg"})
    assert store.query("SELECT COUNT(*) AS n FROM overrides WHERE active = 1")[0]["n"] == 0
    _undo(client, _last_event(store))
    assert store.query("SELECT estimate FROM overrides WHERE active = 1") == [{"estimate": "3-7"}]


def test_emerging_term_actions_via_forms(ui):
    client, store, ids = ui
    flag_page = client.get(f"/flags/{ids['emerging']}").text
    assert "New technology" in flag_page and "Synonym of an existing technology" in flag_page
    _post(client, f"/flags/{ids['emerging']}/add-technology", {
        "tech_id": "generatieve-ai", "name": "Generatieve AI", "family": "data-analyse", "baseline": "0-3",
        "synonyms": "GenAI, generative AI"})
    row = store.query("SELECT kind, technology, active FROM lexicon_additions")
    assert row == [{"kind": "technology", "technology": "generatieve-ai", "active": 1}]
    assert "Generatieve AI" in client.get("/technologies").text  # shown before the next classify run
    _undo(client, _last_event(store))
    _post(client, f"/flags/{ids['emerging']}/add-synonym", {"tech": "chatbots"})
    assert store.query("SELECT kind FROM lexicon_additions WHERE active = 1") == [{"kind": "synonym"}]
    _undo(client, _last_event(store))
    _post(client, f"/flags/{ids['emerging']}/add-synonym", {"tech": "no-such-tech"})
    assert store.query("SELECT COUNT(*) AS n FROM lexicon_additions WHERE active = 1")[0]["n"] == 0


def test_relabel_via_form(ui):
    client, store, ids = ui
    _post(client, f"/mentions/{ids['m_chatbot']}/relabel",
          {"field": "stage", "value": "adoption", "flag_id": str(ids["horizon"])})
    assert store.query("SELECT stage FROM mentions WHERE id = ?", (ids["m_chatbot"],))[0]["stage"] == "adoption"
    assert "relabel-stage" in client.get(f"/flags/{ids['horizon']}").text
    _undo(client, _last_event(store))
    assert store.query("SELECT stage FROM mentions WHERE id = ?", (ids["m_chatbot"],))[0]["stage"] == "pilot"
    _post(client, f"/mentions/{ids['m_chatbot']}/relabel", {"field": "technology", "value": "drones"})
    assert store.query("SELECT target FROM mentions WHERE id = ?", (ids["m_chatbot"],))[0]["target"] == "drones"
    _post(client, f"/mentions/{ids['m_chatbot']}/relabel", {"field": "technology", "value": "x' OR 1=1"})
    assert store.query("SELECT target FROM mentions WHERE id = ?", (ids["m_chatbot"],))[0]["target"] == "drones"


def test_bulk_accept_and_reject(ui):
    client, store, ids = ui
    page = client.get("/").text
    client.post("/bulk", data={"csrf": sample.csrf_of(page), "action": "accept",
                               "ids": [str(ids["burst"]), str(ids["reach"])]}, follow_redirects=False)
    assert {_status(store, i) for i in (ids["burst"], ids["reach"])} == {"accepted"}
    client.post("/bulk", data={"csrf": sample.csrf_of(page), "action": "reject", "ids": [str(ids["lowconf"])]})
    assert _status(store, ids["lowconf"]) == "open"  # no reason given
    client.post("/bulk", data={"csrf": sample.csrf_of(page), "action": "reject", "reason": "ruis",
                               "ids": [str(ids["lowconf"])]})
    assert _status(store, ids["lowconf"]) == "rejected"
    assert _ids(client.get("/").text) == [ids["horizon"], ids["emerging"]]


def test_flag_page_highlights_escaped_evidence(ui):
    client, _, ids = ui
    page = client.get(f"/flags/{ids['horizon']}").text
    assert "een <mark>chatbot</mark> voor" in page
    assert 'href="https://example.org/chatbot"' in page and "<svg" in page and "Horizon history" in page
    assert "<dt>previous</dt>" in page and "<dd>in-use</dd>" in page  # the signals detail JSON, laid out
    hostile = client.get(f"/flags/{ids['emerging']}").text
    assert "<img src=x" not in hostile and "&lt;img src=x onerror=alert(1)&gt;" in hostile
    assert "<mark>generatieve AI</mark>" in hostile
    assert "javascript:" not in hostile
    assert "<img" not in client.get(f"/flags/{ids['lowconf']}").text


def test_technology_pages_and_api(ui):
    client, _, ids = ui
    listing = client.get("/technologies").text
    assert "Chatbots" in listing and "in-use" in listing
    detail = client.get("/technologies/chatbots").text
    assert "<mark>chatbot</mark>" in detail and "Relabel" in detail and "2026-10" in detail
    assert client.get("/technologies/unheard-of").status_code == 404
    techs = {t["id"]: t for t in client.get("/api/technologies").json()}
    assert techs["chatbots"]["estimate"] == "in-use" and techs["chatbots"]["momentum"] == 63
    assert [h["estimate"] for h in techs["chatbots"]["history"]] == ["0-3", "0-3", "0-3", "in-use"]
    flag = client.get(f"/api/flags/{ids['horizon']}").json()
    assert flag["evidence"][0]["mention"]["text"] == "chatbot"
    assert client.get("/api/flags/99999").status_code == 404
    assert client.get("/flags/99999").status_code == 404


def test_history_page_lists_decisions_with_undo(ui):
    client, store, ids = ui
    _post(client, f"/flags/{ids['burst']}/accept", {"reason": "ok"})
    page = client.get("/history").text
    assert "accept" in page and "ana" in page and f"/events/{_last_event(store)}/undo" in page
    created = store.query("SELECT id FROM flag_events WHERE action = 'created' LIMIT 1")[0]["id"]
    assert f"/events/{created}/undo" not in page


def test_pages_report_the_last_complete_month_and_mark_the_running_one(ui):
    from scanner.signals.periods import last_complete_month, month_key

    client, store, _ = ui
    running = month_key(date.today())
    store.conn.execute("UPDATE horizon_history SET explanation = '{\"municipalities\": 7}' WHERE month = '2026-10'")
    store.conn.execute("INSERT INTO horizon_history(tech, month, estimate, previous, evidence, explanation) "
                       "VALUES ('chatbots', ?, '>7', 'in-use', 2, '{\"municipalities\": 1}')", (running,))
    store.conn.execute("INSERT INTO trend_monthly(tech, month, documents, share_of_voice, momentum) "
                       "VALUES ('chatbots', ?, 2, 0.5, 10)", (running,))
    page = client.get("/technologies/chatbots").text
    assert '<span class="hz">in-use</span> <small class="muted">in 2026-10</small>' in page
    assert re.search(r'id="municipalities">7 ', page)
    assert re.search(rf"<td>{running} <span class=\"badge partial\"", page)  # the running month, marked
    assert f"to {last_complete_month()}, latest" in page and f"to {running}" not in page  # sparkline
    listing = client.get("/technologies").text
    row = re.search(r'<a href="/technologies/chatbots">.*?</tr>', listing, re.S).group(0)
    assert '<span class="hz">in-use</span>' in row and '<span class="hz">&gt;7</span>' not in row
    assert '<td class="num">7</td>' in row
    store.conn.execute("UPDATE flags SET month = ? WHERE id = (SELECT MIN(id) FROM flags)", (running,))
    assert "partial month" in client.get("/").text


def test_terms_page_keeps_accepted_terms_and_gives_the_reason_of_rejected_ones(ui):
    client, store, ids = ui
    store.conn.execute("INSERT INTO emerging_terms(term, documents, sources, first_seen, status) "
                       "VALUES ('ai-agent', 90, 12, '2025-01-15', 'open')")
    page = client.get("/terms").text
    assert re.search(r'data-term="generatieve ai" data-status="candidate"', page)
    assert _post(client, f"/flags/{ids['emerging']}/accept", {}, "/terms").status_code == 303
    page = client.get("/terms").text
    assert re.search(r'data-term="generatieve ai" data-status="accepted"', page)
    assert page.index('data-term="generatieve ai"') < page.index('data-term="ai-agent"')  # accepted first
    _undo(client, _last_event(store))
    assert _post(client, f"/flags/{ids['emerging']}/reject", {"reason": "vendor hype"}, "/terms").status_code == 303
    page = client.get("/terms").text
    assert re.search(r'data-status="rejected">.*?vendor hype', page, re.S)
    assert 'href="/terms"' in page  # in the navigation
