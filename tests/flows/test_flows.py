"""harvest_flow retries and reports a failing source; classify on Dask equals one process; schedules."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from scanner.store import Store

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lokaal</title><link>http://127.0.0.1/</link><description>d</description>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>http://127.0.0.1/a/{n}</link><guid>item-{n}</guid>
<pubDate>Mon, 0{d} Jun 2026 10:00:00 +0000</pubDate>
<description>{text}</description></item>"""
TEXTS = [
    "De gemeente Utrecht start een proef met een chatbot voor vragen over de Wmo-aanvraag.",
    "Amsterdam rolt een digitale tweeling uit voor omgevingsvergunningen en bouwinspectie.",
    "Rotterdam gunt een aanbesteding voor parkeersensoren en een LoRaWAN-netwerk.",
    "The city council of Eindhoven stopped its face recognition pilot after a court ruling.",
    "Gemeente Zwolle onderzoekt hoe RPA de afhandeling van bijstand kan versnellen.",
]


class _Handler(BaseHTTPRequestHandler):
    counts: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.counts[self.path] = self.counts.get(self.path, 0) + 1
        if self.path == "/broken.xml":
            self.send_response(503)
            self.end_headers()
            return
        items = "".join(ITEM.format(title=f"Bericht {n}", n=n, d=n % 9 + 1, text=t)
                        for n, t in enumerate(TEXTS))
        body = FEED.format(items=items).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def feed_server():
    _Handler.counts = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", _Handler.counts
    server.shutdown()


def _sources(base: str) -> list[dict]:
    common = {"kind": "feed", "source_type": "news", "language": "auto", "allow_private": True}
    return [{"id": "good", "name": "Good", "url": f"{base}/good.xml", **common},
            {"id": "broken", "name": "Broken", "url": f"{base}/broken.xml", **common}]


def test_failing_source_is_retried_and_reported_without_failing_the_flow(tmp_path, feed_server):
    from flows.harvest import harvest_flow

    base, counts = feed_server
    result = harvest_flow(str(tmp_path / "h.db"), sources=_sources(base))
    assert result["sources_ok"] == 1 and result["sources_failed"] == 1
    assert result["new_documents"] == len(TEXTS)
    broken = [r for r in result["sources"] if r["source"] == "broken"][0]
    assert not broken["ok"] and "503" in broken["error"]
    assert counts["/broken.xml"] == 3  # first try + 2 Prefect retries
    again = harvest_flow(str(tmp_path / "h.db"), sources=_sources(base))
    assert again["new_documents"] == 0


def _tagged(db: Path) -> list[tuple]:
    store = Store(db)
    tags = store.conn.execute(
        "SELECT document_id, language, stage, stage_scores, municipal, domains, candidates "
        "FROM doc_tags ORDER BY document_id").fetchall()
    mentions = store.conn.execute(
        'SELECT document_id, kind, target, start, "end", stage FROM mentions '
        'ORDER BY document_id, kind, start, target').fetchall()
    return tags + mentions


def _seed(db: Path) -> None:
    from scanner.harvest.ingest import ingest_paths

    lines = [json.dumps({"id": f"d{i}", "title": f"Bericht {i}", "text": TEXTS[i % len(TEXTS)] + f" Nummer {i}.",
                         "published": f"2026-0{i % 9 + 1}-15"}) for i in range(40)]
    path = db.with_suffix(".jsonl")
    path.write_text("\n".join(lines), encoding="utf-8")
    ingest_paths(Store(db), [path])


def test_classify_on_a_dask_cluster_equals_a_single_process_run(tmp_path):
    from flows.classify import run_classify
    from scanner.signals.api import classify

    single, dask = tmp_path / "single.db", tmp_path / "dask.db"
    _seed(single)
    _seed(dask)
    classify(Store(single))
    result = run_classify(str(dask), task_runner="dask", workers=2, batch_size=7)
    assert result["documents"] == 40
    assert _tagged(dask) == _tagged(single) and len(_tagged(single)) > 40


def test_monitor_flow_publishes_a_summary_and_builds_the_due_digest(tmp_path, feed_server):
    from flows.monitor import monitor_flow

    base, _ = feed_server
    summary = monitor_flow(db=str(tmp_path / "m.db"), sources=_sources(base)[:1], as_of="2026-07-01",
                           digest_month="2026-06", digest_root=str(tmp_path / "digests"))
    assert summary["harvest"]["new_documents"] == len(TEXTS)
    assert summary["classify"]["documents"] == len(TEXTS)
    assert Path(summary["digest"]).exists()
    assert Store(tmp_path / "m.db").meta_get("digest.2026-06") == summary["digest"]


def test_deployments_have_the_schedules_and_time_zone(tmp_path):
    from flows.deploy import deployments

    monitor, digest = deployments(str(tmp_path / "s.db"))
    assert monitor.name == "monitor-daily" and digest.name == "digest-monthly"
    crons = {d.name: d.schedules[0].schedule for d in (monitor, digest)}
    assert crons["monitor-daily"].cron == "0 6 * * *"
    assert crons["digest-monthly"].cron == "0 7 1 * *"
    assert {c.timezone for c in crons.values()} == {"Europe/Amsterdam"}


def test_unresolvable_source_is_not_retried_and_the_state_says_how_many_failed(tmp_path, feed_server):
    import time

    from flows.harvest import harvest_flow

    base, counts = feed_server
    sources = _sources(base)[:1] + [{"id": "nowhere", "name": "Nowhere", "url": "http://nowhere.invalid/feed.xml",
                                     "kind": "feed", "source_type": "news", "language": "auto"}]
    started = time.monotonic()
    state = harvest_flow(str(tmp_path / "d.db"), sources=sources, return_state=True)
    result = state.result()
    assert state.is_completed() and state.message == "1 of 2 sources failed, 5 new documents"
    nowhere = [r for r in result["sources"] if r["source"] == "nowhere"][0]
    assert "cannot resolve nowhere.invalid" in nowhere["error"]
    assert time.monotonic() - started < 20  # no retry delays spent on a name that does not resolve
    store = Store(tmp_path / "d.db")
    attempts = store.query("SELECT count(*) AS n FROM fetch_log WHERE source_id = 'nowhere'")[0]["n"]
    assert attempts == 1


def test_bench_flows_runs_on_one_demo_source():
    from flows.bench import bench_flows

    figures = bench_flows(max_sources=1)
    assert figures["demo_total_s"] > 0 and figures["library_only_s"] > 0


class _OriHandler(BaseHTTPRequestHandler):
    """An ORI Elasticsearch endpoint replaying the recorded pages (search_after -> page 2)."""

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        page = 2 if body.get("search_after") else 1
        data = (Path(__file__).parents[1] / "fixtures" / "official" / f"ori_page{page}.json").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


def test_monitor_hands_tagging_of_official_documents_to_dask(tmp_path):
    from flows.monitor import monitor_flow

    server = ThreadingHTTPServer(("127.0.0.1", 0), _OriHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ori = {"id": "ori", "name": "ORI", "url": f"http://127.0.0.1:{server.server_port}/ori/_search", "kind": "ori",
               "source_type": "local", "language": "nl", "allow_private": True, "query": "chatbot", "page_size": 3}
        summary = monitor_flow(db=str(tmp_path / "o.db"), sources=[ori], as_of="2024-12-31", with_digest=False,
                               classify_task_runner="dask")
    finally:
        server.shutdown()
    assert summary["harvest"]["new_documents"] == 4 and summary["classify"]["documents"] == 4
    rows = Store(tmp_path / "o.db").query(
        "SELECT json_extract(d.meta, '$.municipality') AS code, t.municipal FROM doc_tags t "
        "JOIN documents d ON d.id = t.document_id ORDER BY d.id")
    assert [r["municipal"] for r in rows if r["code"]] == [1, 1, 1]  # tagged on Dask: counted for the municipality
