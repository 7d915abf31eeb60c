"""Turning fetched things (feed items, article pages, PDFs) into document dicts for the store."""
from __future__ import annotations

import logging
from typing import Any

from scanner.harvest.canonical import canonical_url, unalias
from scanner.harvest.extract import clip_html
from scanner.harvest.workers import extract as extract_article
from scanner.harvest.fetch import FetchResult, Fetcher
from scanner.harvest.lang import language_of
from scanner.harvest.pdf import PdfError, parse_pdf
from scanner.harvest.robots import RobotsCache
from scanner.harvest.sources import Source
from scanner.util import iso, sha256, utcnow

log = logging.getLogger(__name__)


def make_uid(source_id: str, key: str) -> str:
    return f"{source_id}:{sha256(key)[:24]}"


def item_uid(source: Source, item: dict[str, Any]) -> str:
    key = item.get("guid") or item.get("canonical_url") or f"{item.get('title')}\n{item.get('summary')}"
    return make_uid(source.id, unalias(key))


def base_document(source: Source, uid: str, kind: str, url: str | None) -> dict[str, Any]:
    return {
        "uid": uid, "source_id": source.id, "source_type": source.source_type, "kind": kind,
        "url": url, "canonical_url": canonical_url(url) if url else None,
        "fetched_at": iso(utcnow()), "meta": {},
    }


def finish(doc: dict[str, Any], source: Source) -> dict[str, Any]:
    """Fill published (fallback: fetch time, estimated), title and language."""
    if not doc.get("published"):
        doc["published"] = doc["fetched_at"]
        doc["published_estimated"] = 1
    text = doc.get("text") or ""
    if not doc.get("title"):
        doc["title"] = " ".join(text.split()[:12])
    default = source.language if source.language in ("nl", "en") else None
    doc["language"] = language_of(f"{doc.get('title') or ''}\n{text}", default)
    return doc


def is_pdf(result: FetchResult) -> bool:
    return result.content_type == "application/pdf" or (result.body or b"")[:5] == b"%PDF-"


def apply_pdf(doc: dict[str, Any], body: bytes) -> None:
    """Raises PdfError with a clear status for encrypted, corrupt and image-only files."""
    pdf = parse_pdf(body)
    doc.update(kind="pdf", title=pdf.title, text=pdf.text, extraction="pdf",
               author=doc.get("author") or pdf.author)
    doc["published"] = doc.get("published") or pdf.published
    doc["meta"]["pages"] = len(pdf.pages)
    doc["meta"]["page_chars"] = [len(p) for p in pdf.pages]


def fetch_page(fetcher: Fetcher, robots: RobotsCache | None, url: str, source: Source,
               logs: list[dict[str, Any]], deadline: float | None = None) -> tuple[FetchResult | None, str | None]:
    """Fetch one article/report URL after the robots check; (result, None) or (None, why not)."""
    if robots is not None and not robots.allowed(url, source.allow_private, logs):
        return None, "robots.txt disallows the page"
    result = fetcher.fetch(url, allow_private=source.allow_private, deadline=deadline)
    logs.extend(result.log)
    if not result.ok or result.body is None:
        return None, f"page fetch failed: {result.error or result.status}"
    return result, None


def feed_document(source: Source, item: dict[str, Any], uid: str, fetcher: Fetcher,
                  robots: RobotsCache | None, logs: list[dict[str, Any]], cfg: dict[str, Any]) -> dict[str, Any]:
    """A feed item as a document; with full_text its page's main text, else (or failing that) the summary.
    cfg: the run's whole [harvest] table (scanner.harvest.run.section)."""
    doc = base_document(source, uid, "feed-item", item.get("url"))
    doc.update(guid=item.get("guid"), title=item.get("title"), summary=item.get("summary"),
               author=item.get("author"), tags=item.get("tags"), published=item.get("published"),
               text=item.get("summary") or "", extraction="summary")
    if not source.full_text:
        doc["extraction_note"] = "full_text disabled for this source"
    elif not item.get("url"):
        doc["extraction_note"] = "item has no link"
    else:
        doc["extraction_note"] = _full_text(doc, source, fetcher, robots, logs, cfg)
    return finish(doc, source)


def _full_text(doc: dict[str, Any], source: Source, fetcher: Fetcher, robots: RobotsCache | None,
               logs: list[dict[str, Any]], cfg: dict[str, Any]) -> str | None:
    """Replace doc text by the page's extracted text; returns the note explaining a fallback."""
    result, why = fetch_page(fetcher, robots, doc["url"], source, logs, cfg.get("deadline"))
    if result is None:
        return why
    if is_pdf(result):
        feed_title = doc.get("title")
        try:
            apply_pdf(doc, result.body or b"")
        except PdfError as exc:
            result.log[-1]["error"] = f"pdf: {exc}"
            return f"linked PDF unreadable: {exc}"
        doc["title"] = feed_title or doc["title"]
        return None
    need_meta = not (doc.get("published") and doc.get("title"))
    body = clip_html(result.body or b"", int(cfg["max_extract_bytes"]))
    extracted = extract_article(body, result.final_url, need_meta, bool(cfg.get("extract_fast")))
    if extracted is None:
        return "no main text found on the page"
    min_chars = int(cfg["min_fulltext_chars"])
    if len(extracted.text) < min_chars:
        return f"extracted text too short ({len(extracted.text)} chars)"
    doc.update(text=extracted.text, extraction="fulltext")
    _page_date(doc, extracted.published)
    doc["title"] = doc.get("title") or extracted.title
    doc["meta"]["final_url"] = result.final_url
    return None


def _page_date(doc: dict[str, Any], published: str | None) -> None:
    """A page's own date (day precision) where the feed gave none."""
    if not doc.get("published") and published:
        doc.update(published=published, published_precision="day")


def linked_document(source: Source, url: str, anchor: str, fetcher: Fetcher, robots: RobotsCache | None,
                    logs: list[dict[str, Any]], fast: bool = False,
                    max_extract_bytes: int = 0, deadline: float | None = None
                    ) -> tuple[dict[str, Any] | None, str | None]:
    """A page or PDF linked from a listing page; (doc, None) or (None, error)."""
    doc = base_document(source, make_uid(source.id, canonical_url(url)), "page", url)
    result, why = fetch_page(fetcher, robots, url, source, logs, deadline)
    if result is None:
        return None, f"{url}: {why}"
    if is_pdf(result):
        try:
            apply_pdf(doc, result.body or b"")
        except PdfError as exc:
            result.log[-1]["error"] = f"pdf: {exc}"
            return None, f"{url}: {exc}"
    else:
        extracted = extract_article(clip_html(result.body or b"", max_extract_bytes), result.final_url, fast=fast)
        if extracted is None:
            return None, f"{url}: no main text found on the page"
        doc.update(text=extracted.text, title=extracted.title or anchor, extraction="fulltext")
        _page_date(doc, extracted.published)
    doc["title"] = doc.get("title") or anchor
    return finish(doc, source), None
