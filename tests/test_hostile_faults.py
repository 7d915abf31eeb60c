"""Hostile configs and database faults: one clear line with the contract's exit code, never a traceback."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.config import load_config, validate
from scanner.errors import ScannerError
from scanner.store import Store

DEFAULTS = load_config()


def _cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("SCANNER_CONFIG", None) if env is None or "SCANNER_CONFIG" not in env else None
    return subprocess.run([sys.executable, "-m", "scanner", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=120)


def _one_line_error(proc: subprocess.CompletedProcess, code: int) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


@pytest.mark.parametrize("override, message", [
    ({"harvest": {"max_bytes": "lots"}}, "[harvest] max_bytes must be an integer, got 'lots'"),
    ({"harvest": {"max_retries": -1}}, "[harvest] max_retries must not be negative, got -1"),
    ({"harvest": {"max_retriez": 1}}, "unknown key [harvest] max_retriez"),
    ({"harvestt": {}}, "unknown key [harvestt]"),
    ({"harvest": {"robots": "yes"}}, "[harvest] robots must be true or false, got 'yes'"),
    ({"harvest": {"source_workers": 0}}, "[harvest] source_workers must be at least 1, got 0"),
    ({"harvest": {"connect_timeout_s": True}}, "[harvest] connect_timeout_s must be a number, got True"),
    ({"flows": {"harvest_task_retry_delays_s": [5, "x"]}}, "[flows] harvest_task_retry_delays_s must be a list of integers, got 'x' in it"),
    ({"horizon": {"source_type": {"blog": -1}}}, "unknown key [horizon] source_type.blog"),
])
def test_bad_config_values_are_named(override, message):
    with pytest.raises(ScannerError) as info:
        validate(override, DEFAULTS, "x.toml")
    assert str(info.value) == f"config error in x.toml: {message}"


def test_good_overrides_pass():
    validate({"harvest": {"connect_timeout_s": 3, "per_host": 4}, "horizon": {"source_type": {"blog": 0.4},
              "strength": {"pilot": 0.5}, "phase": {"pilot": [0.1, 0.3, 0.3, 0.2, 0.1, 0.05]}}}, DEFAULTS, "x.toml")
    from scanner.config import repo_root
    import tomllib

    for path in [repo_root() / "data" / "demo" / "config.toml"]:
        validate(tomllib.loads(path.read_text(encoding="utf-8")), DEFAULTS, str(path))


def test_cli_with_a_bad_config_is_one_line_exit_2(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[harvest]\nmax_bytes = "lots"\n', encoding="utf-8")
    proc = _cli("--db", str(tmp_path / "t.db"), "harvest", "--sources", str(tmp_path / "none.toml"),
                env={"SCANNER_CONFIG": str(config)})
    line = _one_line_error(proc, 2)
    assert "max_bytes must be an integer" in line and str(config) in line


def _corrupt(path: Path) -> None:
    store = Store(path)
    with store.transaction() as conn:
        conn.executemany("INSERT INTO documents(uid, title, text, published) VALUES (?, ?, ?, ?)",
                         [(f"u{i}", f"t{i}", "tekst " * 200, "2026-01-01T00:00:00+00:00") for i in range(300)])
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    with path.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xa5" * 4096 * 20)


def test_corrupt_database_page_is_one_line_exit_2(tmp_path):
    path = tmp_path / "bad.db"
    _corrupt(path)
    line = _one_line_error(_cli("--db", str(path), "trends", "--json"), 2)
    assert "is damaged" in line and "database disk image is malformed" in line


def test_not_a_database_is_one_line_exit_2(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"\x00\x01junk" * 200)
    line = _one_line_error(_cli("--db", str(path), "review", "list"), 2)
    assert "is damaged (file is not a database)" in line


def test_lock_held_past_the_busy_timeout_is_one_line_exit_2(tmp_path):
    path = tmp_path / "locked.db"
    Store(path).close()
    config = tmp_path / "fast.toml"
    config.write_text("[store]\nbusy_timeout_ms = 200\n", encoding="utf-8")
    doc = tmp_path / "a.jsonl"
    doc.write_text(json.dumps({"title": "T", "text": "Een tekst.", "published": "2026-01"}) + "\n", encoding="utf-8")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        proc = _cli("--db", str(path), "ingest", str(doc), env={"SCANNER_CONFIG": str(config)})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = _one_line_error(proc, 2)
    assert "is locked by another process" in line and "busy_timeout_ms" in line


def test_read_only_database_is_one_line_exit_2(tmp_path, monkeypatch, capsys):
    # As root, file permissions do not stop writes, so the error SQLite gives a read-only file is injected.
    import scanner.harvest.ingest as ingest_module
    from scanner.cli.main import main

    def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(ingest_module, "ingest_paths", read_only)
    monkeypatch.setattr(sys, "argv", ["scanner", "--db", str(tmp_path / "ro.db"), "ingest", str(tmp_path)])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is read-only (attempt to write a readonly database)" in err[0]


def test_ui_ids_too_large_for_sqlite_are_404_not_500(tmp_path):
    from fastapi.testclient import TestClient

    import review_sample as sample

    from scanner.review import auth
    from scanner.review.app import create_app

    path = tmp_path / "review.db"
    store = Store(path)
    sample.seed(store)
    auth.add_user(store, "ana", "correct horse battery", n=1024)
    app = create_app(path, catalogue_loader=sample.sample_loader)
    huge = "9" * 30
    with TestClient(app, raise_server_exceptions=False) as client:
        sample.login(client, "ana", "correct horse battery")
        assert client.get(f"/flags/{huge}").status_code == 404
        response = client.get(f"/api/flags/{huge}")
        assert response.status_code == 404 and "error" in response.json()
        token = sample.csrf_of(client.get("/").text)
        posted = client.post(f"/flags/{huge}/accept", data={"csrf": token, "next": "/"}, follow_redirects=False)
        assert posted.status_code in (400, 404)
        assert client.post(f"/api/flags/{huge}/accept", json={}).status_code in (400, 403, 404)
        assert client.get(f"/technologies/chatbots?page={huge}").status_code in (200, 400, 404, 422)
    app.state.store.close()
    store.close()


def test_an_exception_in_one_item_stays_with_that_item(store, httpserver, monkeypatch):
    import scanner.harvest.items as items
    from scanner.harvest.run import harvest
    from test_harvest_run import Site
    from test_harvest_support import article_html, fast_config, rss, src, words

    site = Site(httpserver)
    real = items.extract_article

    def flaky(body, url, *args, **kwargs):
        if "bad" in url:
            raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")
        return real(body, url, *args, **kwargs)

    monkeypatch.setattr(items, "extract_article", flaky)
    for name in ("good", "bad", "fine"):
        site.routes[f"/{name}.html"] = article_html(name, words(len(name), 120))
    site.routes["/feed.xml"] = rss([{"title": n, "link": site.url(f"/{n}.html"), "description": f"Samenvatting {n}."}
                                    for n in ("good", "bad", "fine")])
    summary = harvest(store, [src("s", site.url("/feed.xml"), full_text=True)], fast_config(robots=False))
    result = summary.results[0]
    assert result.ok and result.new_documents == 3, result.line()
    assert len(result.warnings) == 1 and "bad.html: item failed: ImportError" in result.warnings[0]
    bad = store.query("SELECT text, extraction, extraction_note FROM documents WHERE title = 'bad'")[0]
    assert bad["extraction"] == "summary" and "ImportError" in bad["extraction_note"]


def test_run_summary_prints_one_line_per_failed_source(capsys):
    from scanner.cli.run import _print_summary

    error = "cannot resolve www.example-with-a-rather-long-name.invalid: [Errno -2] Name or service not known"
    rows = [{"source": f"source-{n}", "ok": False, "error": error} for n in range(3)]
    _print_summary({"harvest": {"sources_ok": 0, "sources_failed": 3, "sources": rows}})
    lines = capsys.readouterr().out.splitlines()
    failed = [line for line in lines if "failed source" in line]
    assert len(failed) == 3 and all(line.endswith("Name or service not known") for line in failed)
