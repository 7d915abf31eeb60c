"""Text extraction: main text of article pages (trafilatura), links from listings, plain text from HTML."""
from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin

log = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n\s*")


def html_to_text(fragment: str) -> str:
    """Plain text from an HTML snippet (feed summaries): tags dropped, entities decoded, spaces collapsed."""
    if "<" in fragment:
        fragment = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d)\s*/?>", "\n", fragment)
        fragment = _TAG.sub(" ", fragment)
    text = html.unescape(fragment).replace("\xa0", " ")
    text = _SPACE.sub(" ", text)
    return _LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


@dataclass
class Extracted:
    text: str
    title: str
    published: str | None
    language: str | None


def _date(value: Any) -> str | None:
    if not value:
        return None
    try:
        day = datetime.strptime(str(value)[:10], "%Y-%m-%d")
    except ValueError:
        return None
    return day.replace(tzinfo=timezone.utc).isoformat()


def clip_html(body: bytes, limit: int) -> bytes:
    """The first `limit` bytes of an HTML page, ending before a tag (lxml closes what is left open)."""
    if limit <= 0 or len(body) <= limit:
        return body
    cut = body.rfind(b"<", max(0, limit - 65536), limit)
    return body[:cut if cut > 0 else limit]


def extract_article(body: bytes, url: str, metadata: bool = True, fast: bool = False) -> Extracted | None:
    """Main text (plus title/date when metadata=True) of an HTML page, or None when nothing is found.

    metadata costs about a third of the time; fast skips trafilatura's fallback extractors.
    """
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(body, url=url, with_metadata=metadata, fast=fast, include_comments=False)
    except Exception as exc:  # trafilatura raises assorted errors on odd markup
        log.warning("extraction failed for %s: %s", url, exc)
        return None
    if doc is None:
        return None
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = (get("text") or "").strip()
    if not text:
        return None
    return Extracted(text=text, title=(get("title") or "").strip(), published=_date(get("date")),
                     language=get("language"))


def find_links(body: bytes, base_url: str, pattern: re.Pattern[str], limit: int) -> list[tuple[str, str]]:
    """(absolute URL, anchor text) of links whose absolute URL matches pattern, in page order."""
    import lxml.html

    try:
        root = lxml.html.fromstring(body)
    except Exception as exc:  # lxml raises ParserError / ValueError on empty or odd input
        log.warning("cannot parse listing %s: %s", base_url, exc)
        return []
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href:
            continue
        absolute = urljoin(base_url, href).split("#", 1)[0]
        if absolute in seen or not pattern.search(absolute):
            continue
        seen.add(absolute)
        found.append((absolute, " ".join(anchor.text_content().split())))
        if len(found) >= limit:
            break
    return found
