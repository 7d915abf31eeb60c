"""Feed parsing: feedparser on bytes we fetched ourselves (it never touches the network)."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import feedparser

from scanner.harvest.canonical import canonical_url
from scanner.harvest.extract import html_to_text
from scanner.util import iso

log = logging.getLogger(__name__)


@dataclass
class ParsedFeed:
    items: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    warning: str | None = None
    error: str | None = None


def _published(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain lookup: no feedparser key-mapping deprecation warnings
        if isinstance(value, time.struct_time):
            try:  # built field by field: year 1 or 9999 must not raise (the door decides what to believe)
                return iso(datetime(*value[:6], tzinfo=timezone.utc))
            except (OverflowError, ValueError, OSError, TypeError):
                continue
    return None


def _item(entry: Any) -> dict[str, Any]:
    link = (entry.get("link") or "").strip()
    guid = (entry.get("id") or entry.get("guid") or "").strip()
    summary_html = entry.get("summary") or entry.get("description") or ""
    if not summary_html and entry.get("content"):
        summary_html = entry["content"][0].get("value", "")
    tags = [t.get("term") for t in entry.get("tags", []) if t.get("term")]
    return {
        "guid": guid[:1000] or None,
        "url": link or None,
        "canonical_url": canonical_url(link) if link else None,
        "title": html_to_text(entry.get("title") or "")[:1000],
        "summary": html_to_text(summary_html),
        "author": (entry.get("author") or "")[:300] or None,
        "tags": [str(t)[:100] for t in tags][:50],
        "published": _published(entry),
    }


def parse_feed(body: bytes, url: str, headers: dict[str, str] | None = None, max_items: int = 500) -> ParsedFeed:
    """Entries as item dicts; a bozo feed with entries is kept with a warning, none is an error."""
    response_headers = {"content-location": url}
    if headers and headers.get("content-type"):
        response_headers["content-type"] = headers["content-type"]
    try:
        parsed = feedparser.parse(body, response_headers=response_headers, sanitize_html=True)
    except Exception as exc:  # feedparser promises not to raise; belt and braces for odd inputs
        return ParsedFeed(error=f"feed parser crashed: {type(exc).__name__}: {exc}"[:300])
    problem = parsed.get("bozo_exception")
    harmless = isinstance(problem, feedparser.NonXMLContentType)  # servers often say text/html or nothing
    bozo = f"{type(problem).__name__}: {problem}"[:300] if parsed.get("bozo") and not harmless else None
    items = [_item(e) for e in parsed.entries[:max_items]]
    items = [i for i in items if i["title"] or i["summary"] or i["url"]]
    title = html_to_text(parsed.feed.get("title", "") or "")
    if not items:
        if parsed.get("version") and not bozo:  # a real, well-formed feed that has nothing right now
            return ParsedFeed(title=title, warning="no entries in feed")
        reason = f"malformed feed ({bozo})" if bozo else "not a feed (no RSS, Atom or RDF document found)"
        return ParsedFeed(title=title, error=reason)
    return ParsedFeed(items=items, title=title, warning=f"malformed feed kept: {bozo}" if bozo else None)
