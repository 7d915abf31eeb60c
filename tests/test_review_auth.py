"""Review UI security: passwords, login/logout, rate limits, redirects, 401s, CSRF, tokens, headers."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scanner.review import auth
import review_sample as sample
from scanner.review.app import create_app
from scanner.store import Store

PASSWORD = "correct horse battery"


@pytest.fixture
def setup(tmp_path):
    path = tmp_path / "review.db"
    store = Store(path)
    ids = sample.seed(store)
    auth.add_user(store, "ana", PASSWORD, n=1024)
    app = create_app(path, catalogue_loader=sample.sample_loader)
    with TestClient(app) as client:
        yield client, store, ids
    app.state.store.close()
    store.close()


def test_password_hash_is_salted_scrypt():
    one, two = auth.hash_password("pw-123456789", n=1024), auth.hash_password("pw-123456789", n=1024)
    assert one.startswith("scrypt$1024$") and one != two
    assert auth.verify_password("pw-123456789", one)
    assert not auth.verify_password("pw-123456780", one)
    assert not auth.verify_password("pw-123456789", "md5$abc")
    assert not auth.verify_password("pw-123456789", "garbage")


def test_add_user_rejects_bad_input(store):
    from scanner.errors import ScannerError

    with pytest.raises(ScannerError, match="at least"):
        auth.add_user(store, "ana", "short", n=1024)
    with pytest.raises(ScannerError, match="user name"):
        auth.add_user(store, "ana'; DROP TABLE users; --", PASSWORD, n=1024)
    auth.add_user(store, "ana", PASSWORD, n=1024)
    with pytest.raises(ScannerError, match="exists"):
        auth.add_user(store, "ana", PASSWORD, n=1024)
    assert "scrypt$" in store.query("SELECT password_hash FROM users")[0]["password_hash"]


def test_pages_redirect_to_login_and_api_answers_401(setup):
    client, _, ids = setup
    for url in ("/", f"/flags/{ids['burst']}", "/technologies", "/technologies/chatbots", "/history"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303, url
        assert response.headers["location"].startswith("/login?next=")
    for url in ("/api/flags", "/api/technologies", f"/api/flags/{ids['burst']}"):
        response = client.get(url)
        assert response.status_code == 401 and "error" in response.json()
    assert client.post(f"/api/flags/{ids['burst']}/accept").status_code == 401
    response = client.post(f"/flags/{ids['burst']}/accept", data={"csrf": "x"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_login_sets_a_safe_session_cookie_and_logout_ends_it(setup):
    client, _, _ = setup
    response = sample.login(client, "ana", PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = [c for c in response.headers.get_list("set-cookie") if c.startswith("hs_session=")][0]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" not in cookie
    page = client.get("/")
    assert page.status_code == 200 and "Review queue" in page.text
    assert client.post("/logout", data={"csrf": "wrong"}).status_code == 403
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf": sample.csrf_of(page.text)}, follow_redirects=False)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_secure_cookie_option(tmp_path):
    path = tmp_path / "s.db"
    store = Store(path)
    auth.add_user(store, "ana", PASSWORD, n=1024)
    with TestClient(create_app(path, catalogue_loader=sample.sample_loader, secure_cookies=True),
                    base_url="https://testserver") as client:
        response = sample.login(client, "ana", PASSWORD)
        assert "Secure" in [c for c in response.headers.get_list("set-cookie") if c.startswith("hs_session=")][0]


def test_wrong_password_and_unknown_user(setup):
    client, store, _ = setup
    response = sample.login(client, "ana", "wrong password!")
    assert response.status_code == 401 and "wrong password" in response.text
    assert "hs_session" not in response.headers.get("set-cookie", "")
    assert sample.login(client, "nobody", PASSWORD).status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 303
    assert store.query("SELECT COUNT(*) AS n FROM login_attempts WHERE ok = 0")[0]["n"] == 2


def test_login_form_needs_its_csrf_token(setup):
    client, _, _ = setup
    response = client.post("/login", data={"username": "ana", "password": PASSWORD, "csrf": "forged"},
                           follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_attempts_are_rate_limited(setup):
    client, store, _ = setup
    for _ in range(5):
        assert sample.login(client, "ana", "wrong password!").status_code == 401
    blocked = sample.login(client, "ana", PASSWORD)  # even the right password, for now
    assert blocked.status_code == 429 and "Too many" in blocked.text
    assert not auth.is_rate_limited(store, "ana", "10.0.0.9")  # per username + IP
    store.conn.execute("UPDATE login_attempts SET at = '2000-01-01T00:00:00+00:00'")
    assert sample.login(client, "ana", PASSWORD).status_code == 303
    assert store.query("SELECT ok FROM login_attempts") == [{"ok": 1}]  # old attempts are pruned


def test_login_next_is_never_an_open_redirect(setup):
    client, _, _ = setup
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = sample.login(client, "ana", PASSWORD, next_url=target)
        assert response.headers["location"] == "/"
    assert sample.login(client, "ana", PASSWORD, next_url="/history").headers["location"] == "/history"


def test_csrf_is_checked_on_every_post(setup):
    client, store, ids = setup
    sample.login(client, "ana", PASSWORD)
    posts = [f"/flags/{ids['burst']}/accept", f"/flags/{ids['burst']}/reject", f"/flags/{ids['burst']}/snooze",
             f"/flags/{ids['horizon']}/override", f"/flags/{ids['emerging']}/add-technology",
             f"/flags/{ids['emerging']}/add-synonym", f"/mentions/{ids['m_chatbot']}/relabel", "/bulk",
             "/technologies/chatbots/override", "/technologies/chatbots/override/remove", "/events/1/undo",
             "/logout"]
    for url in posts:
        assert client.post(url, data={"reason": "x", "ids": str(ids["burst"]), "action": "accept"}).status_code == 403
        assert client.post(url, data={"csrf": "forged", "reason": "x"}).status_code == 403, url
    assert store.query("SELECT COUNT(*) AS n FROM flag_events WHERE action != 'created'")[0]["n"] == 0
    assert store.query("SELECT status FROM flags WHERE id = ?", (ids["burst"],))[0]["status"] == "open"


def test_api_token_auth(setup):
    client, store, ids = setup
    token = auth.create_api_token(store, "ana")
    assert client.get("/api/flags", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    data = client.get("/api/flags", headers={"X-API-Token": token}).json()
    assert data["total"] == 5
    assert client.get("/api/flags", headers={"Authorization": "Bearer hs_forged"}).status_code == 401
    assert client.get("/api/flags", headers={"X-API-Token": token + "x"}).status_code == 401
    response = client.post(f"/api/flags/{ids['burst']}/accept", headers={"X-API-Token": token},
                           json={"reason": "script"})
    assert response.status_code == 200
    decided = store.query("SELECT status, decided_by FROM flags WHERE id = ?", (ids["burst"],))[0]
    assert decided == {"status": "accepted", "decided_by": "ana"}
    undo = client.post(f"/api/events/{response.json()['event']}/undo", headers={"X-API-Token": token})
    assert undo.status_code == 200
    assert client.post(f"/api/flags/{ids['burst']}/reject", headers={"X-API-Token": token},
                       json={}).status_code == 400  # reason required


def test_api_post_with_session_needs_csrf_header(setup):
    client, _, ids = setup
    sample.login(client, "ana", PASSWORD)
    assert client.post(f"/api/flags/{ids['burst']}/accept").status_code == 403
    csrf = sample.csrf_of(client.get("/").text)
    assert client.post(f"/api/flags/{ids['burst']}/accept", headers={"X-CSRF-Token": csrf}).status_code == 200


def test_security_headers(setup):
    client, _, _ = setup
    for response in (client.get("/login"), client.get("/", follow_redirects=False)):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
    sample.login(client, "ana", PASSWORD)
    page = client.get("/").text
    assert "<script>" not in page and "onclick" not in page and "style=" not in page


def test_expired_session_is_refused(setup):
    client, store, _ = setup
    sample.login(client, "ana", PASSWORD)
    store.conn.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/api/flags").status_code == 401
