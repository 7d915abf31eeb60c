"""The analysis commands: contract JSON arrays, readable tables, clean errors."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from signals_fixtures import Builder, catalogue
from typer.testing import CliRunner

from scanner.cli.main import app
from scanner.signals import catalog
from scanner.store import Store


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "resolve", lambda store, cat=None: cat or catalogue())
    path = tmp_path / "s.db"
    store = Store(path)
    b = Builder(store)
    b.background(date(2024, 1, 1), 12, 20, tech_every=5, tech="drones", stage="pilot")
    for k in range(4):
        b.doc(date(2024, 12, 2 + k), [("technology", "chatbots", "adoption")], source=f"g{k}",
              candidates=["taalmodel"], text="Het taalmodel is live.")
    store.close()
    return str(path)


def run(db: str, *args: str):
    result = CliRunner().invoke(app, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_arrays_follow_the_contract(db):
    trends = json.loads(run(db, "trends", "--as-of", "2024-12-31", "--json"))
    assert {"id", "momentum", "share_of_voice", "documents", "bursts"} <= set(trends[0])
    horizon = json.loads(run(db, "horizon", "--as-of", "2024-12-31", "--json"))
    assert len(horizon) == 6 and {"id", "name", "family", "baseline", "estimate", "previous", "probabilities",
                                  "changed", "evidence"} <= set(horizon[0])
    emerging = json.loads(run(db, "emerging", "--as-of", "2024-12-31", "--json", "--top", "5"))
    assert emerging[0]["term"] == "taalmodel" and emerging[0]["examples"] == ["Het taalmodel is live."]
    one = json.loads(run(db, "horizon", "--tech", "chatbots", "--as-of", "2024-12-31", "--json"))
    assert one["id"] == "chatbots" and one["evidence_count"] == 4


def test_readable_output_and_signals_summary(db):
    assert "drones" in run(db, "trends", "--as-of", "2024-12-31")
    assert "posterior" in run(db, "horizon", "--tech", "drones", "--as-of", "2024-12-31")
    out = run(db, "signals", "--as-of", "2024-12-31")
    assert "signals as of 2024-12-31" in out
    assert json.loads(out.strip().splitlines()[-1])["new_flags"] >= 1
    again = run(db, "signals", "--as-of", "2024-12-31")
    assert json.loads(again.strip().splitlines()[-1])["new_flags"] == 0


def test_bad_as_of_is_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "scanner", "--db", str(tmp_path / "x.db"), "trends", "--as-of",
                           "yesterday"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--as-of" in proc.stderr


def test_classify_command_is_incremental(tmp_path, monkeypatch):
    from signals_fixtures import StubTagger

    import importlib

    classify_mod = importlib.import_module("scanner.signals.classify")
    monkeypatch.setattr(classify_mod, "default_tagger", lambda catalogue=None: StubTagger())
    path = tmp_path / "c.db"
    store = Store(path)
    store.conn.execute("INSERT INTO documents(uid, title, text) VALUES ('a', 'A', 'De gemeente test een chatbot.')")
    store.close()
    first = json.loads(run(str(path), "classify").strip().splitlines()[-1])
    assert first["documents"] == 1 and first["mentions"] == 1
    again = json.loads(run(str(path), "classify").strip().splitlines()[-1])
    assert again["documents"] == 0
    bad = CliRunner().invoke(app, ["--db", str(path), "classify", "--task-runner", "spark"])
    assert bad.exit_code != 0


def test_tables_report_the_last_complete_month_as_plain_columns_when_piped(db):
    out = run(db, "trends", "--as-of", "2024-12-15")  # CliRunner: stdout is not a terminal
    lines = out.splitlines()
    header = lines[0].split("\t")
    assert header[:4] == ["technology", "momentum", "docs 2024-11", "share of voice 2024-11"], header
    assert not any(ch in out for ch in "│┃━─"), out  # no box drawing
    assert "2024-12 is a partial month" in out and "2024-11, the last complete month" in out
    whole = run(db, "trends", "--as-of", "2024-12-31")
    assert whole.splitlines()[0].split("\t")[2] == "docs 2024-12" and "partial" not in whole
    items = json.loads(run(db, "trends", "--as-of", "2024-12-15", "--json"))
    assert {i["partial_month"] for i in items} == {"2024-12"}
    ids = {line.split("\t")[0] for line in run(db, "horizon", "--as-of", "2024-12-31").splitlines()[1:]}
    assert {"digital-twins", "gezichtsherkenning"} <= ids  # whole ids, never cut to fit a width


def test_flags_are_flags_in_help(db):
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"})
    line = next(line for line in result.output.splitlines() if "--verbose" in line)
    assert "<bool>" not in line and "Log progress details" in line
    assert CliRunner().invoke(app, ["--db", db, "--verbose", "emerging", "--as-of", "2024-12-31", "--json"]).exit_code == 0
