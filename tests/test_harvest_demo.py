"""The bundled demo corpus harvested through the real HTTP path; `scanner sources check` on loopback."""
from __future__ import annotations

import json

import pytest

from scanner.config import repo_root

DEMO_SITE = repo_root() / "data" / "demo" / "site"


@pytest.mark.slow
def test_demo_corpus_harvest_is_complete_and_rerun_adds_nothing(store):
    assert (DEMO_SITE / "feeds").is_dir(), "data/demo/site is missing (it ships with the repository)"
    from scanner.harvest.demo import harvest_demo

    first = harvest_demo(store)
    assert first.sources_failed == 0 and first.new_documents >= 1500 and first.duplicates >= 30
    assert any(r.warnings for r in first.results)  # the bozo feed and the broken PDF are reported
    langs = {r["language"] for r in store.query("SELECT DISTINCT language FROM documents")}
    assert {"nl", "en"} <= langs
    again = harvest_demo(store)
    assert again.new_documents == 0 and again.sources_failed == 0


def test_sources_check_reports_status_type_and_items(tmp_path, httpserver):
    from typer.testing import CliRunner

    from scanner.cli.main import app

    httpserver.expect_request("/f.xml").respond_with_data(
        '<rss version="2.0"><channel><title>t</title><item><title>a</title><link>http://x.nl/a</link></item>'
        '<item><title>b</title><link>http://x.nl/b</link></item></channel></rss>', content_type="application/rss+xml")
    httpserver.expect_request("/gone.xml").respond_with_data("gone", status=404)
    toml = tmp_path / "s.toml"
    toml.write_text(
        f'[[source]]\nid = "f"\nname = "F"\nurl = "{httpserver.url_for("/f.xml")}"\nallow_private = true\n\n'
        f'[[source]]\nid = "g"\nname = "G"\nurl = "{httpserver.url_for("/gone.xml")}"\nallow_private = true\n'
        f'enabled = false\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["sources", "check", "--sources", str(toml), "--all"])
    reports = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert result.exit_code == 1
    assert reports[0] == {"id": "f", "ok": True, "status": 200, "content_type": "application/rss+xml", "items": 2,
                          "final_url": httpserver.url_for("/f.xml"), "note": None}
    assert reports[1]["ok"] is False and reports[1]["status"] == 404
    listed = CliRunner().invoke(app, ["sources", "list", "--sources", str(toml), "--json"])
    assert [json.loads(l)["id"] for l in listed.stdout.splitlines()] == ["f", "g"]
