"""Every feed file of the shared feedparser corpus, served on loopback, through the real harvester."""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from scanner.harvest.run import harvest
from scanner.harvest.sources import Source
from test_harvest_support import fast_config

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "feedparser"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="module")
def corpus_server():
    if not CORPUS.is_dir():
        pytest.skip(f"feedparser corpus not found at {CORPUS} (read-only shared corpora are absent here)")
    handler = functools.partial(QuietHandler, directory=str(CORPUS))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_corpus_feed_yields_documents_or_a_recorded_error(store, corpus_server):
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xml", ".rdf", ".json"))
    assert len(files) > 100
    sources = [Source(id=f"c{n}", name=str(p.relative_to(CORPUS)), allow_private=True,
                      url=f"{corpus_server}/{quote(str(p.relative_to(CORPUS)))}")
               for n, p in enumerate(files)]
    summary = harvest(store, sources, fast_config(robots=False, source_workers=8, max_concurrency=8))
    assert len(summary.results) == len(files)
    for result in summary.results:
        if result.ok:  # a well-formed feed without entries is ok, with a warning saying so
            assert result.new_documents >= 1 or result.warnings == ["no entries in feed"], result.line()
        else:
            assert result.error.startswith(("not a feed", "malformed feed")), result.line()
    recorded = store.query("SELECT count(*) AS n FROM sources WHERE last_status IS NOT NULL")[0]["n"]
    assert recorded == len(files)
    assert summary.sources_ok > 400  # many corpus files only test channel elements and have no entries
    assert store.count("fetch_log") >= len(files)
