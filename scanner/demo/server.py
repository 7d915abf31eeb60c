"""Threaded loopback HTTP server for the demo corpus (also used by benches and tests).

Files under ``root`` contain the placeholder origin ``https://demo.horizonscan.invalid``; text
responses have it rewritten to the server's own ``http://127.0.0.1:PORT`` so links resolve locally.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
import tomllib
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scanner.config import repo_root
from scanner.errors import ScannerError

log = logging.getLogger(__name__)

PLACEHOLDER = "https://demo.horizonscan.invalid"
DEMO_DIR = repo_root() / "data" / "demo"
DEMO_SITE = DEMO_DIR / "site"
TEXT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".md": "text/markdown",
    ".xml": "application/xml", ".rss": "application/rss+xml", ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml", ".json": "application/json", ".jsonl": "application/x-ndjson",
    ".toml": "application/toml", ".csv": "text/csv",
}
BINARY_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".gz": "application/gzip"}


def content_type(path: Path) -> tuple[str, bool]:
    """(Content-Type header, is_text) for a file name."""
    ext = path.suffix.lower()
    if ext in TEXT_TYPES:
        return f"{TEXT_TYPES[ext]}; charset=utf-8", True
    return BINARY_TYPES.get(ext, "application/octet-stream"), False


def resolve(root: Path, url_path: str) -> Path | None:
    """Map a request path to a file under root; None for traversal attempts."""
    parts = [p for p in unquote(urlsplit(url_path).path).split("/") if p]
    if any(p in ("..", ".") or "\\" in p or "\x00" in p for p in parts):
        return None
    target = root.joinpath(*parts).resolve()
    if target != root and root not in target.parents:
        return None
    if target.is_dir():
        target = target / "index.html"
    return target


def not_modified(headers, etag: str, mtime: float) -> bool:
    """True when If-None-Match matches or (without it) If-Modified-Since is not older than the file."""
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = headers.get("If-Modified-Since")
    if ims:
        try:
            return int(mtime) <= parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
    return False


class DemoHandler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # else each small response stalls ~40 ms on delayed ACKs
    """GET/HEAD for static files with origin rewriting, ETag/Last-Modified and 304s."""

    protocol_version = "HTTP/1.1"
    server: "DemoServer"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self.respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        if self.server.latency:
            time.sleep(self.server.latency)
        target = resolve(self.server.root, self.path)
        if target is None:
            return self.send_plain(HTTPStatus.FORBIDDEN, b"forbidden\n", send_body)
        if not target.is_file():
            return self.send_plain(HTTPStatus.NOT_FOUND, b"not found\n", send_body)
        ctype, is_text = content_type(target)
        data = target.read_bytes()
        if is_text:
            data = data.replace(PLACEHOLDER.encode(), self.server.base_url.encode())
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        mtime = target.stat().st_mtime
        unchanged = not_modified(self.headers, etag, mtime)
        self.send_response(HTTPStatus.NOT_MODIFIED if unchanged else HTTPStatus.OK)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(mtime, usegmt=True))
        if unchanged:
            self.end_headers()
            return
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def send_plain(self, status: HTTPStatus, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (stdlib signature)
        log.debug("demo server: " + format, *args)


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # benches open many connections at once; a backlog of 5 stalls them
    root: Path
    latency: float
    base_url: str

    def handle_error(self, request, client_address) -> None:
        """Clients hanging up mid-response are normal in benches; keep stderr quiet."""
        log.debug("demo server: connection error from %s", client_address, exc_info=True)


def serve_directory(root: Path, latency: float = 0.0, host: str = "127.0.0.1") -> tuple[ThreadingHTTPServer, str]:
    """Serve root on a random free port in a daemon thread; returns (server, base_url)."""
    if not Path(root).is_dir():
        raise ScannerError(f"demo server: {root} is not a directory (run data/demo/generate.py)")
    server = DemoServer((host, 0), DemoHandler)
    server.root = Path(root).resolve()
    server.latency = latency
    server.base_url = f"http://{host}:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                     name="demo-http", daemon=True).start()
    log.info("demo server for %s at %s", server.root, server.base_url)
    return server, server.base_url


def stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()


def demo_sources(base_url: str, path: Path | None = None) -> list[dict]:
    """The demo sources (data/demo/sources.toml) with the placeholder origin replaced by base_url."""
    text = Path(path or DEMO_DIR / "sources.toml").read_text(encoding="utf-8")
    return tomllib.loads(text.replace(PLACEHOLDER, base_url.rstrip("/")))["source"]
