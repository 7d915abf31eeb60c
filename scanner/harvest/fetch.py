"""HTTP fetching: guarded, capped, conditional, retried, polite; every request lands in a log record."""
from __future__ import annotations

import email.utils
import ipaddress
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

import httpx

from scanner import __version__
from scanner.harvest.decode import BodyTooLarge, DecodeFailed, make_decoder
from scanner.harvest.netguard import BlockedURL, address_problem, check_url
from scanner.harvest.politeness import HostLimiter
from scanner.util import iso, sha256, utcnow

log = logging.getLogger(__name__)

USER_AGENT = f"horizonscan/{__version__} (+https://github.com/horizonscan/horizonscan)"
REDIRECTS = {301, 302, 303, 307, 308}
CacheLookup = Callable[[str], "dict[str, Any] | None"]


@dataclass
class FetchResult:
    url: str
    final_url: str = ""
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    error: str | None = None
    not_modified: bool = False
    unchanged: bool = False
    body_hash: str | None = None
    log: list[dict[str, Any]] = field(default_factory=list)
    cache_update: dict[str, Any] | None = None
    retryable: bool = False
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and (self.not_modified or 200 <= self.status < 300)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class Fetcher:
    """One per harvest run: an httpx client, a host limiter and the [harvest] settings."""

    def __init__(self, config: dict[str, Any], cache_lookup: CacheLookup | None = None,
                 limiter: HostLimiter | None = None) -> None:
        self.cfg = config
        self.cache_lookup = cache_lookup or (lambda url: None)
        self.limiter = limiter or HostLimiter(
            int(config["max_concurrency"]), int(config["per_host"]), float(config["host_delay_s"])
        )
        timeout = httpx.Timeout(
            connect=float(config["connect_timeout_s"]), read=float(config["read_timeout_s"]),
            write=float(config["read_timeout_s"]), pool=None,
        )
        conns = int(config["max_concurrency"]) * 2
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=False, trust_env=False,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate, br"},
            limits=httpx.Limits(max_connections=conns, max_keepalive_connections=conns),
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, allow_private: bool = False, conditional: bool = False,
              deadline: float | None = None) -> FetchResult:
        """GET url with retries; conditional=True sends and updates the cached validators.

        deadline (time.monotonic()): the source's time limit; no attempt starts and no body is read past it.
        """
        cached = self.cache_lookup(url) if conditional else None
        headers = {}
        if cached and cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached and cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
        logs: list[dict[str, Any]] = []
        retries = int(self.cfg["max_retries"])
        for attempt in range(retries + 1):
            if deadline is not None and time.monotonic() >= deadline:
                result = FetchResult(url=url, final_url=url, error="timed out (source_timeout_s)")
                break
            result = self._follow(url, headers, allow_private, deadline)
            logs.extend(result.log)
            pause = self._backoff(attempt, result.retry_after)
            if not result.retryable or attempt == retries or (deadline and time.monotonic() + pause >= deadline):
                break
            time.sleep(pause)
        result.log = logs
        if conditional:
            self._apply_cache(result, cached)
        return result

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, float(self.cfg["retry_after_max_s"]))
        base = float(self.cfg["backoff_base_s"]) * (2 ** attempt)
        return min(base * (1 + random.random() * float(self.cfg["backoff_jitter"])), float(self.cfg["backoff_max_s"]))

    def _apply_cache(self, result: FetchResult, cached: dict[str, Any] | None) -> None:
        """Mark 304/unchanged bodies and prepare the http_cache row to store with the source's results."""
        if result.status == 304 and cached:
            result.not_modified = True
            result.cache_update = {**cached, "status": 304, "fetched_at": iso(utcnow())}
            return
        if not result.ok or result.body is None:
            return
        result.body_hash = sha256(result.body)
        result.unchanged = bool(cached and cached.get("body_hash") == result.body_hash)
        result.cache_update = {
            "url": result.url, "etag": result.headers.get("etag"),
            "last_modified": result.headers.get("last-modified"), "body_hash": result.body_hash,
            "status": result.status, "fetched_at": iso(utcnow()),
        }

    def _follow(self, url: str, headers: dict[str, str], allow_private: bool,
                deadline: float | None = None) -> FetchResult:
        """One attempt: follow up to max_redirects hops, checking each against the address guard."""
        current = url
        hops: list[dict[str, Any]] = []
        for _hop in range(int(self.cfg["max_redirects"]) + 1):
            result = self._once(url, current, headers, allow_private, deadline)
            hops.extend(result.log)
            location = result.headers.get("location")
            if result.status in REDIRECTS and location and result.error is None:
                current = urljoin(current, location.strip())
                headers = {}
                continue
            result.log = hops
            return result
        error = f"too many redirects (> {self.cfg['max_redirects']})"
        return FetchResult(url=url, final_url=current, error=error, log=hops)

    def _once(self, url: str, current: str, headers: dict[str, str], allow_private: bool,
              deadline: float | None = None) -> FetchResult:
        result = FetchResult(url=url, final_url=current)
        try:
            check_url(current, allow_private)
        except BlockedURL as exc:
            result.error = str(exc)
            result.log.append(_log_entry(current, 0, 0, 0.0, result.error))
            return result
        with self.limiter.slot(urlsplit(current).netloc.lower()):
            started = time.monotonic()
            self._request(result, current, headers, allow_private, deadline)
        elapsed = time.monotonic() - started
        result.log.append(_log_entry(current, result.status, len(result.body or b""), elapsed, result.error))
        return result

    def _request(self, result: FetchResult, url: str, headers: dict[str, str], allow_private: bool,
                 deadline: float | None = None) -> None:
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                problem = _peer_problem(resp, allow_private)
                if problem:  # DNS changed between our check and the connection (rebinding)
                    result.error = f"refused connected address: {problem}"
                    return
                result.status = resp.status_code
                result.headers = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status_code == 429 or resp.status_code >= 500:
                    result.error = f"HTTP {resp.status_code}"
                    result.retryable = True
                    result.retry_after = parse_retry_after(resp.headers.get("retry-after"))
                elif resp.status_code in REDIRECTS or resp.status_code == 304:
                    pass
                elif resp.status_code >= 400:
                    result.error = f"HTTP {resp.status_code}"
                else:
                    result.body = self._read(resp, deadline)
        except BodyTooLarge as exc:
            result.error = f"{exc} ({self.cfg['max_bytes']} bytes)"
        except DecodeFailed as exc:
            result.error = f"content decoding failed: {exc}"
        except httpx.TimeoutException as exc:
            result.error = f"timeout: {type(exc).__name__}"
            result.retryable = True
        except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            result.error = f"connection error: {type(exc).__name__}: {exc}"[:300]
            result.retryable = isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.UnsupportedProtocol)

    def _read(self, resp: httpx.Response, source_deadline: float | None = None) -> bytes:
        """Stream the body, capping raw and decoded bytes and the total time (and the source's deadline)."""
        cap = int(self.cfg["max_bytes"])
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise BodyTooLarge("declared Content-Length over the cap")
        decoder = make_decoder(resp.headers.get("content-encoding"))
        deadline = time.monotonic() + float(self.cfg["total_timeout_s"])
        if source_deadline is not None:
            deadline = min(deadline, source_deadline)
        chunks: list[bytes] = []
        raw_total = total = 0
        for raw in resp.iter_raw():
            raw_total += len(raw)
            if raw_total > cap:
                raise BodyTooLarge("body over the cap")
            out = decoder.feed(raw, cap - total + 1)
            total += len(out)
            if total > cap:
                raise BodyTooLarge("decompressed body over the cap")
            chunks.append(out)
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("total response time exceeded")
        return b"".join(chunks)


def _peer_problem(resp: httpx.Response, allow_private: bool) -> str | None:
    """Check the address actually connected to, not only what DNS said a moment earlier."""
    stream = resp.extensions.get("network_stream")
    try:
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        addr = ipaddress.ip_address(peer[0].split("%", 1)[0]) if peer else None
    except (ValueError, TypeError, IndexError, AttributeError):
        return None
    if addr is None:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    problem = address_problem(addr, allow_private)
    return f"{addr}: {problem}" if problem else None


def _log_entry(url: str, status: int, nbytes: int, elapsed: float, error: str | None) -> dict[str, Any]:
    return {"url": url, "status": status, "bytes": nbytes, "elapsed_ms": int(elapsed * 1000),
            "error": error, "fetched_at": iso(utcnow())}
