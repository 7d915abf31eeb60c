"""`scanner bench official`: an ORI-shaped Elasticsearch endpoint on loopback serving pages x hits; the harvest
of a short and a ten times longer stream, with wall time, documents per second and the peak of Python
allocations during each (constant memory means the two peaks stay close)."""
from __future__ import annotations

import copy
import json
import random
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from scanner.bench.harvest import WORDS, _text
from scanner.config import Config, load_config
from scanner.harvest.run import harvest
from scanner.harvest.sources import parse_sources
from scanner.store import Store

INDEXES = ("ori_utrecht_20190809125117", "ori_amsterdam_20190507105200", "ori_loon_op_zand_20200113101010",
           "ori_eindhoven_20200101000000", "ori_groningen_20200101000000")


class _Handler(BaseHTTPRequestHandler):
    pages = 10
    page_size = 100
    words = 400

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        self.respond(json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}"))

    def respond(self, body: dict[str, Any]) -> None:
        """The page after body["search_after"] (hits sorted by a running number)."""
        after = body.get("search_after") or [0, ""]
        page = int(after[0]) // self.page_size
        hits = []
        if page < self.pages:
            rng = random.Random(page)
            for n in range(self.page_size):
                number = page * self.page_size + n
                hits.append({"_index": INDEXES[number % len(INDEXES)], "_id": f"{number:09d}",
                             "_source": {"@type": "MediaObject", "name": f"Raadsvoorstel {number} chatbot",
                                         "last_discussed_at": f"2024-{1 + number % 12:02d}-15T20:00:00+01:00",
                                         "md_text": [_text(rng, self.words)]},
                             "sort": [number + 1, f"{number:09d}"]})
        data = json.dumps({"hits": {"total": {"value": self.pages * self.page_size}, "hits": hits}}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _run(pages: int, page_size: int, config: Config) -> dict[str, Any]:
    handler = type("Handler", (_Handler,), {"pages": pages, "page_size": page_size})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/ori_*/_search"
        sources = parse_sources({"source": [{"id": "bench-ori", "name": "bench", "url": url, "kind": "ori",
                                             "source_type": "local", "language": "nl", "allow_private": True,
                                             "query": "chatbot", "page_size": page_size}]})
        cfg = copy.deepcopy(config)  # this run's changes stay in this run
        cfg["harvest"].update(host_delay_s=0.0, robots=False)
        cfg["harvest"]["official"] = {"min_interval_s": 0.0, "max_pages": pages + 1}
        store = Store(":memory:")
        tracemalloc.start()
        started = time.perf_counter()
        summary = harvest(store, sources, cfg)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        again = time.perf_counter()
        rerun = harvest(store, sources, cfg)
        rerun_s = time.perf_counter() - again
        return {"pages": pages, "documents": summary.new_documents, "seconds": round(seconds, 2),
                "docs_per_s": round(summary.new_documents / seconds, 1), "peak_traced_mb": round(peak / 2**20, 1),
                "rerun_new": rerun.new_documents, "rerun_s": round(rerun_s, 2)}
    finally:
        server.shutdown()
        server.server_close()


def run_bench(pages: int = 20, page_size: int = 100, factor: int = 10) -> list[dict[str, Any]]:
    """The same harvest over `pages` and `pages * factor` pages (each document ~400 words)."""
    assert WORDS  # the shared vocabulary of the harvest bench
    config = load_config()  # once per bench run
    _run(1, page_size, config)  # warm-up: language identification and extraction models load once per process
    return [_run(pages, page_size, config), _run(pages * factor, page_size, config)]
