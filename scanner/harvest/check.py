"""`scanner sources check`: one fetch per source, reporting status, content type and item count."""
from __future__ import annotations

import re
from typing import Any

from scanner.harvest.extract import find_links
from scanner.harvest.feeds import parse_feed
from scanner.harvest.fetch import Fetcher
from scanner.harvest.pdf import PdfError, parse_pdf
from scanner.harvest.sources import API_KINDS, Source


def _items(source: Source, body: bytes, url: str, headers: dict[str, str], max_links: int) -> tuple[int, str | None]:
    if source.kind == "feed":
        parsed = parse_feed(body, url, headers)
        return len(parsed.items), parsed.error or parsed.warning
    if source.kind == "page":
        return len(find_links(body, url, re.compile(source.link_pattern or "."), max_links)), None
    try:
        return len(parse_pdf(body).pages), None
    except PdfError as exc:
        return 0, str(exc)


def check_source(fetcher: Fetcher, source: Source, max_links: int = 200) -> dict[str, Any]:
    """{"id", "ok", "status", "content_type", "items", "final_url", "note"} for one unconditional fetch."""
    if source.kind in API_KINDS:  # ori | sru | tenders: one live API page
        from scanner.harvest.official import check_official
        return check_official(fetcher, source)
    result = fetcher.fetch(source.url, allow_private=source.allow_private)
    report: dict[str, Any] = {"id": source.id, "ok": False, "status": result.status,
                              "content_type": result.content_type or None, "items": 0,
                              "final_url": result.final_url, "note": result.error}
    if result.ok and result.body is not None:
        items, note = _items(source, result.body, result.final_url, result.headers, max_links)
        report.update(items=items, note=note, ok=items > 0)
    return report
