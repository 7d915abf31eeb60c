"""Dates at the door: what feeds, pages and files say is parsed, its precision kept, the impossible refused.

A stored `published` is always a sortable ISO UTC timestamp; for a reduced date (a year, a month, a day)
it is the first instant of the period and `published_precision` says which period it was.
A date before `min_published_year` or more than `max_future_days` after the fetch time is not believed:
the document keeps its fetch time as an estimated date ("date unknown", precision "unknown").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from scanner.config import setting
from scanner.util import iso

PRECISIONS = ("year", "month", "day", "time")
UNKNOWN = "unknown"
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
EXPECTED = "expected YYYY, YYYY-MM, YYYY-MM-DD, an ISO timestamp or an RFC 2822 date"


@dataclass(frozen=True)
class Published:
    value: str          # ISO UTC timestamp, the first instant of the period
    precision: str      # year | month | day | time


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _reduced(text: str) -> Published | None:
    """YYYY, YYYY-MM or YYYY-MM-DD as the first instant of that period (ValueError when impossible)."""
    for pattern, precision in ((_YEAR, "year"), (_MONTH, "month"), (_DAY, "day")):
        match = pattern.match(text)
        if match:
            year, month, day = [int(p) for p in match.groups()] + [1] * (3 - len(match.groups()))
            return Published(iso(datetime(year, month, day, tzinfo=timezone.utc)), precision)
    return None


def parse_published(value: Any) -> Published:
    """A date or timestamp in any of the accepted forms; ValueError naming the value otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'published' is required ({EXPECTED}), got {value!r}")
    text = value.strip()
    try:
        found = _reduced(text)
    except (ValueError, OverflowError):
        raise ValueError(f"impossible date {text!r} ({EXPECTED})") from None
    if found is not None:
        return found
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        return Published(iso(_utc(when)), "time")
    except (ValueError, OverflowError):
        pass
    try:
        when = parsedate_to_datetime(text)
        return Published(iso(_utc(when)), "time")
    except (ValueError, TypeError, OverflowError, IndexError):
        raise ValueError(f"unrecognised date {text!r} ({EXPECTED})") from None


def date_bounds(fetched_at: str, cfg: dict[str, Any]) -> tuple[str, str]:
    """[earliest, latest] believable `published` values for a document fetched at fetched_at."""
    earliest = datetime(int(setting(cfg, "harvest", "min_published_year")), 1, 1, tzinfo=timezone.utc)
    fetched = _utc(datetime.fromisoformat(fetched_at))
    latest = fetched + timedelta(days=float(setting(cfg, "harvest", "max_future_days")))
    return iso(earliest), iso(latest)


def check_document_date(doc: dict[str, Any], cfg: dict[str, Any], name: str | None = None) -> str | None:
    """Normalise doc['published'] in place; an unbelievable date becomes 'date unknown' (returns the warning)."""
    fetched_at = doc.get("fetched_at") or iso(datetime.now(timezone.utc))
    given = doc.get("published")
    if not given:
        doc.update(published=fetched_at, published_estimated=1)
        doc.setdefault("published_precision", "time")
        return None
    try:
        parsed = parse_published(str(given))
    except ValueError:
        parsed = None
    if parsed is not None:
        earliest, latest = date_bounds(fetched_at, cfg)
        if earliest <= parsed.value <= latest:
            doc["published"] = parsed.value
            doc["published_precision"] = doc.get("published_precision") or parsed.precision
            return None
    given = doc.get("_published_given") or given  # as the source wrote it, when it was normalised before
    doc.update(published=fetched_at, published_estimated=1, published_precision=UNKNOWN)
    doc.setdefault("meta", {})["published_given"] = str(given)[:100]
    name = name or doc.get("url") or doc.get("uid") or "document"
    return (f"{name}: date {str(given)[:40]!r} is before {int(cfg.get('min_published_year', 1990))} or in the "
            f"future; stored as date unknown (fetch time)")
