"""Month arithmetic for the digest: parsing --month, the default month, bounds and as-of dates."""
from __future__ import annotations

import re
from datetime import date, timedelta

from scanner.errors import ScannerError

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(value: str, today: date | None = None) -> str:
    """Validate 'YYYY-MM' (not in the future); ScannerError (exit 2) otherwise."""
    text = str(value).strip()
    if not MONTH_RE.match(text):
        raise ScannerError(f"invalid month {value!r}: expected YYYY-MM, e.g. 2026-03")
    today = today or date.today()
    if text > f"{today.year:04d}-{today.month:02d}":
        raise ScannerError(f"month {text} lies in the future")
    return text


def default_month(today: date | None = None) -> str:
    """The last complete month before today."""
    today = today or date.today()
    last = today.replace(day=1) - timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def month_end(month: str) -> date:
    """The as-of date of a month: its last day."""
    first = month_start(month)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def month_bounds(month: str) -> tuple[str, str]:
    """[start, end) as ISO date strings, for comparisons with ISO timestamps."""
    return month_start(month).isoformat(), (month_end(month) + timedelta(days=1)).isoformat()


def shift(month: str, months: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous_month(month: str) -> str:
    return shift(month, -1)


def recent_months(month: str, count: int) -> list[str]:
    """The count months ending with month, oldest first."""
    return [shift(month, -k) for k in range(count - 1, -1, -1)]
