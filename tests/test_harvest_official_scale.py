"""Official harvests at volume: a long ORI-shaped stream is harvested in constant memory, and a `scanner harvest`
process killed with SIGKILL mid-stream resumes on the next run where it stopped, without duplicates."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import tracemalloc
from http.server import ThreadingHTTPServer
from typing import Any

from scanner.bench.official import _Handler
from scanner.harvest.run import harvest
from scanner.harvest.sources import parse_sources
from scanner.store import Store
from test_harvest_support import fast_config


class _Stream(_Handler):
    """The bench's ORI stream (pages x page_size hits), recording each request's search_after."""

    asked: list[Any] = []
    delay_from = 10 ** 9   # pages from this one on answer slowly (so a kill lands mid-stream)
    delay_s = 0.0

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
        after = body.get("search_after")
        self.asked.append(after)
        if after and int(after[0]) // self.page_size >= self.delay_from:
            time.sleep(self.delay_s)
        self.respond(body)


def _serve(**attrs: Any) -> tuple[ThreadingHTTPServer, type]:
    handler = type("Stream", (_Stream,), {"asked": [], **attrs})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler


def _source(server: ThreadingHTTPServer, page_size: int) -> dict[str, Any]:
    return {"id": "ori-stream", "name": "ORI stream", "url": f"http://127.0.0.1:{server.server_address[1]}/ori_*/_search",
            "kind": "ori", "source_type": "local", "language": "nl", "allow_private": True, "query": "chatbot",
            "page_size": page_size}


def _peak_bytes(pages: int, page_size: int) -> tuple[int, int]:
    server, _ = _serve(pages=pages, page_size=page_size, words=150)
    try:
        cfg = fast_config(official={"min_interval_s": 0.0, "max_pages": pages + 1})
        store = Store(":memory:")
        tracemalloc.start()
        summary = harvest(store, parse_sources({"source": [_source(server, page_size)]}), cfg)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak, summary.new_documents
    finally:
        server.shutdown()
        server.server_close()


def test_a_ten_times_longer_stream_needs_no_more_memory():
    _peak_bytes(1, 25)  # warm-up: models and caches load once per process
    short, short_docs = _peak_bytes(4, 25)
    long, long_docs = _peak_bytes(40, 25)
    assert (short_docs, long_docs) == (100, 1000)
    assert long < short * 1.5 + 2 * 2**20, (short, long)  # one page in memory at a time


def test_a_harvest_killed_with_sigkill_resumes_without_duplicates(tmp_path):
    pages, page_size = 30, 10
    server, handler = _serve(pages=pages, page_size=page_size, words=40, delay_from=6, delay_s=0.3)
    conf = tmp_path / "fast.toml"
    conf.write_text("[harvest]\nhost_delay_s = 0.0\nmax_retries = 0\nrobots = false\nsource_timeout_s = 600\n\n"
                    f"[official]\nmin_interval_s = 0.0\nmax_pages = {pages + 5}\n", encoding="utf-8")
    toml = tmp_path / "sources.toml"
    src = _source(server, page_size)
    toml.write_text("[[source]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in src.items()), encoding="utf-8")
    db = tmp_path / "kill.db"
    env = {**os.environ, "SCANNER_CONFIG": str(conf)}
    cmd = [sys.executable, "-m", "scanner", "--db", str(db), "harvest", "--sources", str(toml)]

    def stored() -> int:
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        except sqlite3.OperationalError:
            return 0
    try:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while stored() < 8 * page_size and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        killed_at = stored()
        assert proc.returncode == -signal.SIGKILL and 0 < killed_at < pages * page_size, killed_at
        assert killed_at % page_size == 0  # whole pages only: each page commits in one transaction
        handler.asked.clear()
        again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stdout + again.stderr
        summary = json.loads(again.stdout.strip().splitlines()[-1])
        assert summary["new_documents"] == pages * page_size - killed_at and summary["duplicates"] == 0
        assert handler.asked[0] == [killed_at, f"{killed_at - 1:09d}"]  # resumed after the last committed page
        with sqlite3.connect(db) as conn:
            uids = [r[0] for r in conn.execute("SELECT uid FROM documents")]
        assert len(uids) == len(set(uids)) == pages * page_size
        third = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert json.loads(third.stdout.strip().splitlines()[-1])["new_documents"] == 0
    finally:
        server.shutdown()
        server.server_close()
