"""Hostile logins and tokens: limits per account and per address, spoofed proxy headers, token lifetimes."""
from __future__ import annotations

import re
import socket
import threading
import time
from datetime import timedelta

import httpx
import pytest
from typer.testing import CliRunner

import scanner.review.auth as auth
import review_sample as sample
from scanner.review.app import create_app, server_options
from scanner.store import Store
from scanner.util import iso, utcnow

PASSWORD = "correct horse battery"


@pytest.fixture
def limits(monkeypatch):
    """Small limits so the tests stay quick: 3 per account+address, 6 per account, 6 per address."""
    real = auth._cfg()
    cfg = dict(real, login_max_attempts=3, login_max_per_account=6, login_max_per_address=6, scrypt_n=1024)
    monkeypatch.setattr(auth, "_cfg", lambda: cfg)
    return cfg


def _fail(store: Store, name: str, ip: str) -> None:
    assert auth.authenticate(store, name, "wrong password!", ip) is None


def test_guesses_spread_over_addresses_hit_the_account_limit(store, limits):
    auth.add_user(store, "ana", PASSWORD, n=1024)
    for n in range(6):
        assert not auth.is_rate_limited(store, "ana", f"10.0.0.{n}")
        _fail(store, "ana", f"10.0.0.{n}")
    assert auth.limit_reason(store, "ana", "10.0.0.99") == "account"
    assert not auth.is_rate_limited(store, "bob", "10.0.0.99")


def test_password_spray_over_accounts_hits_the_address_limit(store, limits):
    for n in range(6):
        assert not auth.is_rate_limited(store, f"user{n}", "192.0.2.7")
        _fail(store, f"user{n}", "192.0.2.7")
    assert auth.limit_reason(store, "someone-else", "192.0.2.7") == "address"
    assert not auth.is_rate_limited(store, "someone-else", "192.0.2.8")


def test_account_and_address_limit_still_first(store, limits):
    for _ in range(3):
        _fail(store, "ana", "192.0.2.1")
    assert auth.limit_reason(store, "ana", "192.0.2.1") == "account and address"


def test_proxy_headers_are_off_unless_configured():
    assert server_options() == {"proxy_headers": False, "forwarded_allow_ips": ""}
    assert server_options(["10.1.2.3", " "]) == {"proxy_headers": True, "forwarded_allow_ips": "10.1.2.3"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(app, options: dict):
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    return server, thread, f"http://127.0.0.1:{config.port}"


def _login(client: httpx.Client, name: str, password: str, forwarded: str) -> int:
    page = client.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"username": name, "password": password, "next": "/", "csrf": token},
                       headers={"X-Forwarded-For": forwarded}).status_code


@pytest.mark.parametrize("trusted, expected_block_at", [([], 3), (["127.0.0.1"], 6)])
def test_rotating_x_forwarded_for_does_not_bypass_the_limit(tmp_path, limits, trusted, expected_block_at):
    path = tmp_path / "ui.db"
    store = Store(path)
    auth.add_user(store, "ana", PASSWORD, n=1024)
    app = create_app(path, catalogue_loader=sample.sample_loader)
    server, thread, base = _serve(app, server_options(trusted))
    try:
        with httpx.Client(base_url=base, follow_redirects=False) as client:
            codes = [_login(client, "ana", "wrong password!", f"203.0.113.{n}") for n in range(expected_block_at + 1)]
        ips = {r["ip"] for r in store.query("SELECT DISTINCT ip FROM login_attempts")}
    finally:
        server.should_exit = True
        thread.join(10)
        app.state.store.close()
    assert codes[:expected_block_at] == [401] * expected_block_at and codes[expected_block_at] == 429
    if trusted:
        assert ips == {f"203.0.113.{n}" for n in range(expected_block_at)}  # the proxy's word is taken
    else:
        assert ips == {"127.0.0.1"}  # the spoofed header is ignored: the TCP peer is logged


def test_tokens_expire_can_be_listed_revoked_and_users_disabled(store):
    auth.add_user(store, "ana", PASSWORD, n=1024)
    token = auth.create_api_token(store, "ana", days=30)
    assert auth.user_for_token(store, token).name == "ana"
    [row] = auth.list_tokens(store, "ana")
    assert row["status"] == "active" and row["expires_at"] > iso(utcnow() + timedelta(days=29))
    with store.transaction() as conn:  # a month later
        conn.execute("UPDATE api_tokens SET expires_at = ?", (iso(utcnow() - timedelta(seconds=1)),))
    assert auth.user_for_token(store, token) is None and auth.list_tokens(store)[0]["status"] == "expired"
    second = auth.create_api_token(store, "ana")
    second_id = auth.list_tokens(store)[-1]["id"]
    auth.revoke_token(store, second_id)
    assert auth.user_for_token(store, second) is None and auth.list_tokens(store)[-1]["status"] == "revoked"
    third = auth.create_api_token(store, "ana")
    session = auth.create_session(store, auth.User(1, "ana"))
    auth.set_user_active(store, "ana", False)
    assert auth.user_for_token(store, third) is None and auth.get_session(store, session) is None
    assert auth.authenticate(store, "ana", PASSWORD, "127.0.0.1") is None
    auth.set_user_active(store, "ana", True)
    assert auth.user_for_token(store, third).name == "ana"


def test_users_cli_tokens_revoke_disable(tmp_path):
    from scanner.cli.main import app

    db = str(tmp_path / "u.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "users", "add", "ana", "--password-stdin"], input=PASSWORD + "\n").exit_code == 0
    made = runner.invoke(app, ["--db", db, "users", "token", "ana", "--days", "7"])
    assert made.exit_code == 0 and made.stdout.strip().startswith("hs_")
    listed = runner.invoke(app, ["--db", db, "users", "tokens", "--json"])
    assert listed.exit_code == 0 and '"status": "active"' in listed.stdout and "hs_" not in listed.stdout
    assert runner.invoke(app, ["--db", db, "users", "revoke", "1"]).stdout.strip() == "token 1 revoked"
    assert '"status": "revoked"' in runner.invoke(app, ["--db", db, "users", "tokens", "ana", "--json"]).stdout
    missing = runner.invoke(app, ["--db", db, "users", "revoke", "99"])
    assert missing.exit_code != 0 and "no API token with id 99" in str(missing.exception)
    assert runner.invoke(app, ["--db", db, "users", "disable", "ana"]).stdout.strip() == "user ana disabled"
    assert "disabled" in runner.invoke(app, ["--db", db, "users", "list"]).stdout
