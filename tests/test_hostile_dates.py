"""Hostile dates: feeds and files that claim 1900, year 1 or 2100 never break a run or the analysis."""
from __future__ import annotations

import json
import sqlite3

import pytest

from scanner.harvest.dates import parse_published
from scanner.harvest.feeds import parse_feed
from scanner.harvest.ingest import ingest_paths
from scanner.harvest.run import harvest
from scanner.store import Store
from test_harvest_run import Site
from test_harvest_support import fast_config, src, words


@pytest.fixture
def site(httpserver):
    return Site(httpserver)


@pytest.mark.parametrize("given, value, precision", [
    ("2020", "2020-01-01T00:00:00+00:00", "year"),
    ("2020-12", "2020-12-01T00:00:00+00:00", "month"),
    ("2020-12-05", "2020-12-05T00:00:00+00:00", "day"),
    ("2020-12-05T10:30:00Z", "2020-12-05T10:30:00+00:00", "time"),
    ("2020-12-05T10:30:00+02:00", "2020-12-05T08:30:00+00:00", "time"),
    ("2020-12-05 10:30", "2020-12-05T10:30:00+00:00", "time"),
    ("Sat, 05 Dec 2020 10:30:00 +0100", "2020-12-05T09:30:00+00:00", "time"),
])
def test_accepted_date_forms_keep_their_precision(given, value, precision):
    parsed = parse_published(given)
    assert (parsed.value, parsed.precision) == (value, precision)


@pytest.mark.parametrize("given", ["2020-13", "2020-02-30", "gisteren", "", "0001-01-01T00:00:00+01:00", 2020, None])
def test_bad_dates_are_value_errors_naming_the_value(given):
    with pytest.raises(ValueError) as info:
        parse_published(given)
    assert repr(given) in str(info.value) or json.dumps(given) in str(info.value) or str(given) in str(info.value)


def _atom(updated: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            f'<id>urn:t</id><updated>{updated}</updated><entry><title>Oud bericht</title><id>urn:t:1</id>'
            f'<link href="http://x.example.invalid/1"/><updated>{updated}</updated>'
            f'<summary>Een bericht met een vreemde datum.</summary></entry></feed>').encode()


@pytest.mark.parametrize("updated", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_atom_extreme_years_never_raise(updated):
    parsed = parse_feed(_atom(updated), "http://x.example.invalid/feed")
    assert parsed.error is None and len(parsed.items) == 1


def _rss_dated(dates: list[str]) -> bytes:
    items = "".join(f"<item><title>Bericht {n}</title><link>http://x.example.invalid/{n}</link>"
                    f"<description>{words(n, 30)}</description><pubDate>{d}</pubDate></item>"
                    for n, d in enumerate(dates))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
            f"</channel></rss>").encode()


def test_harvest_stores_unbelievable_dates_as_date_unknown(store, site):
    site.routes["/odd.xml"] = _rss_dated(["Mon, 01 Jan 1900 00:00:00 GMT", "Sat, 01 Jan 2100 00:00:00 GMT",
                                          "Mon, 02 Mar 2026 09:00:00 GMT"])
    site.routes["/atom.xml"] = _atom("0001-01-01T00:00:00Z")
    summary = harvest(store, [src("odd", site.url("/odd.xml")), src("atom", site.url("/atom.xml"))], fast_config())
    assert summary.sources_failed == 0 and summary.new_documents == 4
    rows = store.query("SELECT source_id, title, published, published_estimated, published_precision, fetched_at, "
                       "meta FROM documents ORDER BY source_id, title")
    by_title = {(r["source_id"], r["title"]): r for r in rows}
    good = by_title[("odd", "Bericht 2")]
    assert good["published"] == "2026-03-02T09:00:00+00:00" and good["published_precision"] == "time"
    for key in (("odd", "Bericht 0"), ("odd", "Bericht 1"), ("atom", "Oud bericht")):
        row = by_title[key]
        assert row["published"] == row["fetched_at"] and row["published_estimated"] == 1
        assert row["published_precision"] == "unknown" and "published_given" in json.loads(row["meta"])
    warnings = [w for r in summary.results for w in r.warnings]
    assert len(warnings) == 3 and all("date unknown" in w and "\n" not in w for w in warnings)
    assert all(r["published"] >= "1990" for r in rows)


def test_ingest_jsonl_dates_precision_and_errors(store, tmp_path):
    lines = [
        {"id": "y", "title": "Jaar", "text": words(1), "published": "2019"},
        {"id": "m", "title": "Maand", "text": words(2), "published": "2020-12"},
        {"id": "d", "title": "Dag", "text": words(3), "published": "2021-06-30"},
        {"id": "t", "title": "Tijd", "text": words(4), "published": "2022-01-02T03:04:05+01:00"},
        {"id": "r", "title": "RFC", "text": words(5), "published": "Tue, 15 Nov 2022 08:12:31 GMT"},
        {"id": "old", "title": "Oud", "text": words(6), "published": "1900-01-01"},
        {"id": "bad", "title": "Kapot", "text": words(7), "published": "2020-13"},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    summary = ingest_paths(store, [path])
    assert summary.new_documents == 6
    assert summary.errors == [f"{path}:7: impossible date '2020-13' (expected YYYY, YYYY-MM, YYYY-MM-DD, "
                              "an ISO timestamp or an RFC 2822 date)"]
    assert len(summary.warnings) == 1 and summary.warnings[0].startswith(f"{path}:6: date '1900-01-01'")
    got = {r["uid"]: r for r in store.query("SELECT uid, published, published_precision, published_estimated "
                                            "FROM documents")}
    assert got["y"]["published"] == "2019-01-01T00:00:00+00:00" and got["y"]["published_precision"] == "year"
    assert got["m"]["published"] == "2020-12-01T00:00:00+00:00" and got["m"]["published_precision"] == "month"
    assert got["d"]["published_precision"] == "day"
    assert got["t"]["published"] == "2022-01-02T02:04:05+00:00" and got["t"]["published_precision"] == "time"
    assert got["r"]["published"] == "2022-11-15T08:12:31+00:00"
    assert got["old"]["published_precision"] == "unknown" and got["old"]["published_estimated"] == 1


def test_cli_ingest_bad_date_is_one_line_and_exit_1(tmp_path):
    from typer.testing import CliRunner

    from scanner.cli.main import app

    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "T", "text": words(1), "published": "13/2020"}) + "\n"
                    + json.dumps({"title": "U", "text": words(2), "published": "1850"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "t.db"), "ingest", str(path)])
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {path}:1: unrecognised date '13/2020' (expected YYYY, YYYY-MM, YYYY-MM-DD, "
                      "an ISO timestamp or an RFC 2822 date)"]
    assert "Traceback" not in result.output
    assert f"warning: {path}:2: date '1850'" in result.stderr


def test_migration_repairs_dates_stored_before_the_door(tmp_path):
    path = tmp_path / "old.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO documents(uid, title, text, published, fetched_at) VALUES "
                 "('a', 'a', 'a', '1900-01-01T00:00:00+00:00', '2026-03-01T00:00:00+00:00'), "
                 "('b', 'b', 'b', '2100-01-01T00:00:00+00:00', '2026-03-01T00:00:00+00:00'), "
                 "('c', 'c', 'c', '2026-02-01T00:00:00+00:00', '2026-03-01T00:00:00+00:00')")
    conn.execute("ALTER TABLE documents DROP COLUMN published_precision")
    for column in ("municipalities", "sent_index"):  # core migrations after the date repair run again too
        conn.execute(f"ALTER TABLE mentions DROP COLUMN {column}")
    conn.execute("UPDATE schema_version SET version = 1 WHERE component = 'core'")
    conn.commit()
    conn.close()
    store = Store(path)
    rows = {r["uid"]: r for r in store.query("SELECT uid, published, published_precision FROM documents")}
    assert rows["a"]["published"] == rows["b"]["published"] == "2026-03-01T00:00:00+00:00"
    assert rows["a"]["published_precision"] == "unknown" and rows["c"]["published_precision"] is None
    assert rows["c"]["published"] == "2026-02-01T00:00:00+00:00"
