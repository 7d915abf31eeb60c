"""Canonical URLs: one spelling per article, so the same link from two feeds is recognised."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_",)
TRACKING_KEYS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc", "_hsmi"}
DEFAULT_PORTS = {"http": 80, "https": 443}


_aliases: dict[str, str] = {}
_alias_lock = threading.Lock()


@contextmanager
def origin_aliases(mapping: dict[str, str]) -> Iterator[None]:
    """While open, URLs starting with a key are identified as if they started with its value.

    The demo corpus is served on a random loopback port each run; aliasing that origin to the fixed
    placeholder keeps canonical URLs and document uids stable between runs.
    """
    with _alias_lock:
        _aliases.update(mapping)
    try:
        yield
    finally:
        with _alias_lock:
            for key in mapping:
                _aliases.pop(key, None)


def unalias(text: str) -> str:
    for origin, alias in list(_aliases.items()):
        if text.startswith(origin):
            return alias + text[len(origin):]
    return text


def _is_tracking(key: str) -> bool:
    low = key.lower()
    return low in TRACKING_KEYS or low.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Lower scheme/host, drop default port, fragment, tracking params and a trailing slash.

    >>> canonical_url("HTTPS://Example.NL:443/a/b/?utm_source=x&id=2#top")
    'https://example.nl/a/b?id=2'
    """
    url = unalias((url or "").strip())
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if port and DEFAULT_PORTS.get(scheme) != port:
        host = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)])
    if path == "/" and not query:
        path = ""
    return urlunsplit((scheme, host, path, query, ""))
