"""End-to-end harvesting over a local HTTP server: full text, robots, guards, dedup, atomic resumption."""
from __future__ import annotations

import json
import re
import sqlite3
from typing import Any, Callable

import pytest
from werkzeug import Request, Response

import scanner.harvest.save as save_module
from scanner.harvest.run import harvest, harvest_source
from scanner.store import Store
from test_harvest_support import article_html, fast_config, make_pdf, rss, src, words


class Site:
    """Path -> bytes or handler; unknown paths 404 (so robots.txt is absent unless set)."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.routes: dict[str, bytes | Callable[[Request], Response]] = {}
        self.hits: list[str] = []
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def handle(self, request: Request) -> Response:
        self.hits.append(request.path)
        route = self.routes.get(request.path)
        if route is None:
            return Response("not found", status=404)
        if callable(route):
            return route(request)
        kind = "application/pdf" if request.path.endswith(".pdf") else (
            "application/rss+xml" if request.path.endswith(".xml") else "text/html")
        return Response(route, content_type=kind)


@pytest.fixture
def site(httpserver):
    return Site(httpserver)


def feed_with_articles(site: Site, prefix: str, count: int, seed: int = 0) -> None:
    items = []
    for n in range(count):
        path = f"/{prefix}/art{n}.html"
        site.routes[path] = article_html(f"Artikel {prefix} {n}", words(seed + n, 80))
        items.append({"title": f"Artikel {prefix} {n}", "link": site.url(path), "guid": site.url(path),
                      "description": f"Samenvatting {n} van {prefix}."})
    site.routes[f"/{prefix}.xml"] = rss(items)


def test_feed_with_full_text_and_second_run_adds_nothing(store, site):
    feed_with_articles(site, "bb", 3)
    source = src("bb", site.url("/bb.xml"), full_text=True, language="nl")
    first = harvest(store, [source], fast_config())
    assert first.as_dict() == {"sources_ok": 1, "sources_failed": 0, "new_documents": 3, "duplicates": 0}
    docs = store.query("SELECT * FROM documents ORDER BY id")
    assert {d["extraction"] for d in docs} == {"fulltext"} and {d["language"] for d in docs} == {"nl"}
    assert all(d["published"] == "2026-03-02T09:00:00+00:00" or d["published"].startswith("2026-0") for d in docs)
    assert docs[0]["kind"] == "feed-item" and docs[0]["published_estimated"] == 0
    hits = store.query("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", ("gemeente",))
    assert hits
    assert store.count("fetch_log") >= 4 and store.count("harvest_runs") == 1
    second = harvest(store, [source], fast_config())
    assert second.new_documents == 0 and second.results[0].status == "not-modified"
    assert store.count("documents") == 3


def test_etag_304_on_rerun(store, site):
    body = rss([{"title": "Een", "link": "http://example.invalid/1", "description": "Tekst een."}])

    def feed(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"e1"':
            return Response(status=304)
        return Response(body, content_type="application/rss+xml", headers={"ETag": '"e1"'})
    site.routes["/f.xml"] = feed
    source = src("f", site.url("/f.xml"))
    assert harvest(store, [source], fast_config()).new_documents == 1
    assert harvest(store, [source], fast_config()).results[0].status == "not-modified"
    assert [r["status"] for r in store.query("SELECT status FROM fetch_log ORDER BY id")] == [200, 304]


def test_robots_disallow_falls_back_to_summary(store, site):
    site.routes["/robots.txt"] = b"User-agent: *\nDisallow: /private/\n"
    site.routes["/private/a.html"] = article_html("Geheim", words(1, 80))
    site.routes["/r.xml"] = rss([{"title": "Geheim", "link": site.url("/private/a.html"),
                                  "description": "Alleen de samenvatting."}])
    harvest(store, [src("r", site.url("/r.xml"), full_text=True)], fast_config())
    doc = store.query("SELECT * FROM documents")[0]
    assert doc["extraction"] == "summary" and "robots" in doc["extraction_note"]
    assert "/private/a.html" not in site.hits


def test_file_and_metadata_links_are_never_fetched(store, site):
    site.routes["/evil.xml"] = rss([
        {"title": "Bestand", "link": "file:///etc/passwd", "description": "Poging een."},
        {"title": "Metadata", "link": "http://169.254.169.254/latest/meta-data/", "description": "Poging twee."},
    ])
    summary = harvest(store, [src("evil", site.url("/evil.xml"), full_text=True)], fast_config())
    assert summary.sources_ok == 1
    notes = [d["extraction_note"] for d in store.query("SELECT extraction_note FROM documents ORDER BY id")]
    assert "scheme not allowed" in notes[0] and "metadata" in notes[1]
    errors = [r["error"] for r in store.query("SELECT error FROM fetch_log WHERE url NOT LIKE 'http://localhost%'")]
    assert len(errors) >= 2 and all(errors)


def test_duplicates_across_feeds(store, site):
    shared = words(7, 90)
    site.routes["/a.xml"] = rss([
        {"title": "Persbericht drones", "link": "http://news.example.invalid/p1", "description": shared},
        {"title": "Eigen nieuws A", "link": "http://a.example.invalid/x", "description": words(100, 60)},
    ])
    reworded = shared.replace("De ", "Het ", 1)[:-1] + " extra zin."
    site.routes["/b.xml"] = rss([
        {"title": "Zelfde link", "link": "http://news.example.invalid/p1/?utm_source=b", "description": "Kort."},
        {"title": "Herplaatst met nieuwe titel", "link": "http://b.example.invalid/y", "description": reworded},
        {"title": "Eigen nieuws B", "link": "http://b.example.invalid/z", "description": words(200, 60)},
    ])
    cfg = fast_config(source_workers=1)
    summary = harvest(store, [src("a", site.url("/a.xml")), src("b", site.url("/b.xml"))], cfg)
    assert summary.new_documents == 5 and summary.duplicates == 2
    first = store.query("SELECT id FROM documents WHERE title = 'Persbericht drones'")[0]["id"]
    copies = store.query("SELECT title, duplicate_of FROM documents WHERE duplicate_of IS NOT NULL ORDER BY id")
    assert [c["duplicate_of"] for c in copies] == [first, first]


def test_one_failing_source_never_stops_others(store, site):
    feed_with_articles(site, "ok", 2)
    site.routes["/broken.xml"] = b"<html><body>Dit is geen feed</body></html>"
    sources = [src("missing", site.url("/nope.xml")), src("broken", site.url("/broken.xml")),
               src("good", site.url("/ok.xml"))]
    summary = harvest(store, sources, fast_config())
    assert summary.as_dict()["sources_ok"] == 1 and summary.sources_failed == 2
    lines = [r.line() for r in summary.results]
    assert lines[0].startswith("missing: FAILED HTTP 404") and "FAILED" in lines[1]
    assert store.query("SELECT last_status FROM sources WHERE id = 'broken'")[0]["last_status"] == "failed"


def test_page_source_follows_pdf_and_article_links(store, site):
    site.routes["/reports/r1.pdf"] = make_pdf(["Toekomstverkenning digitale tweeling " * 20, "Pagina twee."], "R1")
    site.routes["/reports/r2.pdf"] = make_pdf(["Verkenning drones en sensoren " * 20], "R2")
    site.routes["/reports/broken.pdf"] = make_pdf(["kapot"])[:300]
    site.routes["/reports/scan.pdf"] = make_pdf(["x"], image_only=True)
    site.routes["/reports/story.html"] = article_html("Rapportverhaal", words(3, 90))
    site.routes["/reports/"] = (
        '<html><body><a href="r1.pdf">R1</a> <a href="r2.pdf#p2">R2</a> <a href="broken.pdf">kapot</a>'
        '<a href="scan.pdf">scan</a> <a href="story.html">verhaal</a> <a href="/elders.html">elders</a>'
        '</body></html>').encode()
    source = src("rep", site.url("/reports/"), kind="page", link_pattern=r"/reports/[^/]+\.(pdf|html)$")
    result = harvest_source(store, source, fast_config())
    assert result.ok and result.new_documents == 3 and len(result.warnings) == 2
    kinds = sorted(d["kind"] for d in store.query("SELECT kind FROM documents"))
    assert kinds == ["page", "pdf", "pdf"]
    assert any("image-only" in w for w in result.warnings) and any("corrupt" in w for w in result.warnings)
    errors = [r["error"] for r in store.query("SELECT error FROM fetch_log WHERE error LIKE 'pdf:%'")]
    assert len(errors) == 2
    assert "/elders.html" not in site.hits


def test_pdf_source_and_encrypted_pdf_error(store, site):
    site.routes["/one.pdf"] = make_pdf(["Rapport over chatbots in gemeenten. " * 10], "Chatbotrapport")
    site.routes["/locked.pdf"] = make_pdf(["geheim"], password="pw")
    ok = harvest_source(store, src("one", site.url("/one.pdf"), kind="pdf"), fast_config())
    locked = harvest_source(store, src("locked", site.url("/locked.pdf"), kind="pdf"), fast_config())
    doc = store.query("SELECT * FROM documents")[0]
    assert ok.ok and doc["title"] == "Chatbotrapport" and doc["published"] == "2026-02-01T00:00:00+00:00"
    assert json.loads(doc["meta"])["pages"] == 1 and doc["extraction"] == "pdf"
    assert not locked.ok and "encrypted" in locked.error


def _snapshot(store: Store) -> list[tuple[Any, ...]]:
    rows = store.query("SELECT uid, title, content_hash, duplicate_of IS NOT NULL AS dup FROM documents ORDER BY uid")
    return [tuple(r.values()) for r in rows]


def test_killed_and_resumed_run_equals_uninterrupted_run(store, site, monkeypatch, tmp_path):
    feed_with_articles(site, "s1", 3, seed=0)
    feed_with_articles(site, "s2", 4, seed=10)
    feed_with_articles(site, "s3", 2, seed=20)
    site.routes["/dup.xml"] = rss([{"title": "Kopie", "link": site.url("/s2/art1.html"), "description": "k"}])
    sources = [src(f"s{n}", site.url(f"/s{n}.xml"), full_text=True) for n in (1, 2, 3)]
    sources.append(src("dup", site.url("/dup.xml")))
    cfg = fast_config(source_workers=1)

    reference = Store(tmp_path / "reference.db")
    harvest(reference, sources, cfg)

    real_row = save_module._row
    calls = {"s2": 0}

    def dying_row(doc: dict[str, Any]) -> tuple[Any, ...]:
        if doc["source_id"] == "s2":
            calls["s2"] += 1
            if calls["s2"] == 3:
                raise KeyboardInterrupt("killed mid-source")
        return real_row(doc)
    monkeypatch.setattr(save_module, "_row", dying_row)
    with pytest.raises(KeyboardInterrupt):
        harvest(store, sources, cfg)
    assert {r["source_id"] for r in store.query("SELECT DISTINCT source_id FROM documents")} == {"s1"}
    monkeypatch.setattr(save_module, "_row", real_row)
    resumed = harvest(store, sources, cfg)
    assert resumed.sources_failed == 0
    assert _snapshot(store) == _snapshot(reference)
    assert store.count("documents") == 3 + 4 + 2 + 1
    assert harvest(store, sources, cfg).new_documents == 0
    reference.close()


def test_cli_harvest_prints_lines_and_contract_json(tmp_path, site):
    from typer.testing import CliRunner

    from scanner.cli.main import app

    feed_with_articles(site, "c", 2)
    toml = tmp_path / "sources.toml"
    toml.write_text(
        f'[[source]]\nid = "c"\nname = "C"\nurl = "{site.url("/c.xml")}"\nkind = "feed"\n'
        f'source_type = "news"\nlanguage = "nl"\nfull_text = false\nallow_private = true\n\n'
        f'[[source]]\nid = "gone"\nname = "Gone"\nurl = "{site.url("/gone.xml")}"\nallow_private = true\n',
        encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "t.db"), "harvest", "--sources", str(toml)])
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert lines[0].startswith("c: ok") and lines[1].startswith("gone: FAILED")
    assert json.loads(lines[-1]) == {"sources_ok": 1, "sources_failed": 1, "new_documents": 2, "duplicates": 0}


def test_missing_date_falls_back_to_fetch_time_flagged_estimated(store, site):
    site.routes["/nodate.xml"] = rss([{"title": "Zonder datum", "link": "http://x.example.invalid/1",
                                       "description": "Tekst zonder datum.", "date": False}])
    harvest(store, [src("nd", site.url("/nodate.xml"))], fast_config())
    doc = store.query("SELECT published, published_estimated, fetched_at FROM documents")[0]
    assert doc["published_estimated"] == 1 and doc["published"] == doc["fetched_at"]
    assert doc["published"].endswith("+00:00")


def test_a_storage_failure_is_reported_per_source(store, site, monkeypatch):
    feed_with_articles(site, "p", 1)
    feed_with_articles(site, "q", 1, seed=5)
    real = save_module.save_documents
    import scanner.harvest.run as run_module

    def flaky(store_, docs, config=None):
        if docs and docs[0]["source_id"] == "p":
            raise sqlite3.OperationalError("database is locked")
        return real(store_, docs, config)
    monkeypatch.setattr(run_module, "save_documents", flaky)
    summary = harvest(store, [src("p", site.url("/p.xml")), src("q", site.url("/q.xml"))], fast_config())
    assert summary.as_dict()["sources_failed"] == 1 and summary.new_documents == 1
    assert "database is locked" in summary.results[0].error


def test_source_past_its_time_limit_fails_whole_and_the_next_run_completes(store, site):
    site.routes["/a.html"] = article_html("Een", words(3, 80))
    site.routes["/t.xml"] = rss([{"title": "Een", "link": site.url("/a.html"), "description": "Kort."}])
    first = harvest(store, [src("t", site.url("/t.xml"), full_text=True)], fast_config(source_timeout_s=0.0))
    assert first.sources_failed == 1 and "timed out" in first.results[0].error
    assert store.count("documents") == 0
    again = harvest(store, [src("t", site.url("/t.xml"), full_text=True)], fast_config())
    assert again.sources_ok == 1 and store.count("documents") == 1
