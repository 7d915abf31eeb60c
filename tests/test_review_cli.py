"""`scanner users ...` and `scanner review ...`: same effects and audit trail as the UI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from scanner.cli import common, review
from scanner.errors import ScannerError
from scanner.review import actions, auth
import review_sample as sample
from scanner.store import Store


@pytest.fixture
def cli(tmp_path, monkeypatch):
    path = tmp_path / "cli.db"
    store = Store(path)
    ids = sample.seed(store)
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        common.set_db_path(path)

    review.register(app)
    monkeypatch.setenv("USER", "cli-user")
    runner = CliRunner()
    yield (lambda *args, **kw: runner.invoke(app, list(args), **kw)), store, ids
    common.set_db_path(None)
    store.close()


def test_users_add_list_token(cli):
    run, store, _ = cli
    result = run("users", "add", "ana", "--password-stdin", input="a-long-password\n")
    assert result.exit_code == 0, result.output
    assert auth.verify_password("a-long-password", store.query("SELECT password_hash FROM users")[0]["password_hash"])
    assert "ana" in run("users", "list").output
    token = run("users", "token", "ana").output.strip()
    assert auth.user_for_token(store, token).name == "ana"
    assert isinstance(run("users", "add", "ana", "--password-stdin", input="a-long-password\n").exception,
                      ScannerError)
    assert isinstance(run("users", "token", "nobody").exception, ScannerError)


def test_review_list_and_show(cli):
    run, _, ids = cli
    lines = run("review", "list", "--json").output.strip().splitlines()
    assert [json.loads(line)["id"] for line in lines][0] == ids["horizon"] and len(lines) == 5
    burst = run("review", "list", "--type", "burst", "--json").output.strip().splitlines()
    assert [json.loads(line)["id"] for line in burst] == [ids["burst"]]
    assert isinstance(run("review", "list", "--type", "' OR 1=1 --").exception, ScannerError)
    shown = run("review", "show", str(ids["horizon"])).output
    assert "horizon-change" in shown and "Utrecht" in shown
    assert json.loads(run("review", "show", str(ids["horizon"]), "--json").output)["id"] == ids["horizon"]


def test_review_decisions_and_undo(cli):
    run, store, ids = cli
    result = run("review", "accept", str(ids["burst"]), str(ids["reach"]), "--by", "ana")
    assert result.exit_code == 0 and "undo" in result.output
    rows = store.query("SELECT status, decided_by FROM flags WHERE id IN (?, ?)", (ids["burst"], ids["reach"]))
    assert rows == [{"status": "accepted", "decided_by": "ana"}] * 2
    result = run("review", "reject", str(ids["lowconf"]), "--reason", "ruis")
    assert result.exit_code == 0
    assert store.query("SELECT actor FROM flag_events ORDER BY id DESC LIMIT 1")[0]["actor"] == "cli-user"
    assert run("review", "snooze", str(ids["emerging"]), "--until", "2999-01-01").exit_code == 0
    assert run("review", "override", "chatbots", "in-use", "--reason", "landelijk").exit_code == 0
    assert store.query("SELECT estimate, created_by FROM overrides WHERE active = 1") == [
        {"estimate": "in-use", "created_by": "cli-user"}]
    assert run("review", "relabel", str(ids["m_chatbot"]), "stage", "adoption").exit_code == 0
    last = store.query("SELECT MAX(id) AS id FROM flag_events")[0]["id"]
    assert run("review", "undo", str(last)).exit_code == 0
    assert store.query("SELECT stage FROM mentions WHERE id = ?", (ids["m_chatbot"],))[0]["stage"] == "pilot"
    assert run("review", "override", "chatbots", "--remove", "--reason", "weg").exit_code == 0
    assert store.query("SELECT COUNT(*) AS n FROM overrides WHERE active = 1")[0]["n"] == 0


def test_review_errors_are_scanner_errors(cli, monkeypatch):
    run, _, ids = cli
    assert isinstance(run("review", "accept", "9999").exception, actions.ActionError)
    assert isinstance(run("review", "snooze", str(ids["burst"]), "--until", "yesterday").exception,
                      actions.ActionError)
    assert run("review", "reject", str(ids["burst"])).exit_code == 2  # --reason is required
    for var in ("USER", "LOGNAME", "USERNAME"):
        monkeypatch.delenv(var, raising=False)
    import getpass

    def nobody() -> str:
        raise KeyError("uid not in passwd")

    monkeypatch.setattr(getpass, "getuser", nobody)
    assert isinstance(run("review", "accept", str(ids["burst"])).exception, ScannerError)


def test_by_defaults_to_the_system_user_with_a_message(cli, monkeypatch):
    run, store, ids = cli
    for var in ("USER", "LOGNAME", "USERNAME"):
        monkeypatch.delenv(var, raising=False)
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "uid-account")
    result = run("review", "accept", str(ids["burst"]))
    assert result.exit_code == 0, result.output
    assert "deciding as uid-account" in result.output
    assert store.query("SELECT decided_by FROM flags WHERE id = ?", (ids["burst"],))[0]["decided_by"] == "uid-account"
    monkeypatch.setenv("LOGNAME", "ana")
    assert "deciding as ana" in run("review", "snooze", str(ids["reach"]), "--until", "2099-01-01").output


@pytest.mark.slow
def test_real_entry_point_exit_code(tmp_path):
    db = tmp_path / "e.db"
    out = subprocess.run([sys.executable, "-m", "scanner", "--db", str(db), "review", "accept", "12345",
                          "--by", "ana"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "no flag #12345" in out.stderr and "Traceback" not in out.stderr


def test_emerging_term_commands(cli):
    run, store, ids = cli
    result = run("review", "new-technology", str(ids["emerging"]), "generatieve-ai", "--name", "Generatieve AI",
                 "--family", "data-analyse", "--synonym", "GenAI", "--by", "ana")
    assert result.exit_code == 0, result.output
    row = store.query("SELECT kind, technology, created_by FROM lexicon_additions WHERE active = 1")
    assert row == [{"kind": "technology", "technology": "generatieve-ai", "created_by": "ana"}]
    last = store.query("SELECT MAX(id) AS id FROM flag_events")[0]["id"]
    assert run("review", "undo", str(last)).exit_code == 0
    assert run("review", "synonym", str(ids["emerging"]), "chatbots").exit_code == 0
    assert store.query("SELECT kind FROM lexicon_additions WHERE active = 1") == [{"kind": "synonym"}]


def test_review_list_json_has_evidence_with_source_names(cli):
    run, store, ids = cli
    store.conn.execute("INSERT OR REPLACE INTO sources(id, name) SELECT DISTINCT source_id, 'Naam ' || source_id "
                       "FROM documents WHERE source_id IS NOT NULL")
    rows = [json.loads(line) for line in run("review", "list", "--json").output.strip().splitlines()]
    horizon = next(r for r in rows if r["id"] == ids["horizon"])
    assert horizon["evidence"], horizon
    for e in horizon["evidence"]:
        assert {"document_id", "url", "sentence"} <= set(e)
        assert e["source"].startswith("Naam "), e  # stored as the id "demo", shown by name
    shown = json.loads(run("review", "show", str(ids["horizon"]), "--json").output)
    assert all(e["source"].startswith("Naam ") for e in shown["evidence"])
