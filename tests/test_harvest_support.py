"""Shared builders for the harvest tests: fast config, feeds, pages and PDFs made on the fly."""
from __future__ import annotations

from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from html import escape
from typing import Any

from scanner.config import load_config
from scanner.harvest.sources import Source

BASE_DAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def fast_config(**overrides: Any) -> dict[str, Any]:
    """The [harvest] section with tiny timeouts and backoffs so failure cases stay fast."""
    cfg = load_config()["harvest"]
    cfg.update(connect_timeout_s=1.0, read_timeout_s=0.5, total_timeout_s=5.0, max_retries=2,
               backoff_base_s=0.01, backoff_max_s=0.05, retry_after_max_s=0.3, host_delay_s=0.0,
               source_workers=4, max_concurrency=8, min_fulltext_chars=80,
               extract_processes=0)
    cfg.update(overrides)
    return cfg


def src(source_id: str, url: str, **fields: Any) -> Source:
    fields.setdefault("allow_private", True)
    fields.setdefault("source_type", "trade-press")
    return Source(id=source_id, name=source_id, url=url, **fields)


def rss(items: list[dict[str, Any]], title: str = "Testfeed", encoding: str = "utf-8") -> bytes:
    """RSS 2.0; each item dict may hold title, link, guid, description, days (age in days)."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
             f"<title>{escape(title)}</title><link>http://example.invalid/</link><description>t</description>"]
    for number, item in enumerate(items):
        when = format_datetime(BASE_DAY - timedelta(days=item.get("days", number)))
        parts.append("<item>")
        for key in ("title", "link", "guid", "description"):
            if item.get(key) is not None:
                parts.append(f"<{key}>{escape(item[key])}</{key}>")
        if item.get("date", True):
            parts.append(f"<pubDate>{when}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode(encoding if encoding.lower() != "utf-8" else "utf-8", "xmlcharrefreplace")


def words(seed: int, count: int = 60) -> str:
    """Deterministic, distinct Dutch-ish sentences (different seeds share few shingles)."""
    vocab = ("gemeente proef chatbot wmo digitale tweeling sensoren parkeren afval data platform burger "
             "dienstverlening inkoop pilot raad wethouder algoritme register cloud camera drone toezicht "
             "omgevingswet vergunning subsidie privacy beveiliging netwerk software leverancier").split()
    out = []
    state = seed * 7919 + 17
    for _ in range(count):
        state = (state * 1103515245 + 12345) % (2 ** 31)
        out.append(vocab[state % len(vocab)])
    return "De " + " ".join(out) + "."


def article_html(title: str, body: str, date: str = "2026-03-01") -> bytes:
    paragraphs = "".join(f"<p>{escape(body)}</p>" for _ in range(3))
    return (f'<!doctype html><html lang="nl"><head><title>{escape(title)}</title>'
            f'<meta property="article:published_time" content="{date}"></head><body>'
            f'<nav><a href="/">Home</a> <a href="/nieuws">Nieuws</a></nav>'
            f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
            f"<footer>Cookies en privacy</footer></body></html>").encode()


def make_pdf(pages: list[str], title: str = "Rapport", image_only: bool = False, password: str | None = None) -> bytes:
    """A small PDF via fpdf2 (metadata title and creation date set)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_author("Testbureau")
    pdf.set_creation_date(datetime(2026, 2, 1, tzinfo=timezone.utc))
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if not image_only:
            pdf.multi_cell(0, 8, text)
        else:
            pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())
