"""Dates for the signals stage: the --as-of cut-off, month and week keys, decimal years."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta


from scanner.errors import ScannerError

DAYS_PER_YEAR = 365.2425
EPOCH = date(1970, 1, 1)
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")  # YYYY-MM, matched whole (fullmatch)


def parse_as_of(value: str | date | datetime | None) -> date:
    """'2024-06-30', '2024-06' (end of month), a full ISO timestamp or None (today, UTC)."""
    if value is None:
        return datetime.utcnow().date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 7:
            first = date.fromisoformat(text + "-01")
            return month_end(first)
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ScannerError(f"invalid --as-of date {value!r} (expected YYYY-MM-DD)") from None


def last_complete_month(today: date | None = None) -> str:
    """The last month that has ended before today (UTC): the default month of every report."""
    today = today or datetime.utcnow().date()
    return month_key(today.replace(day=1) - timedelta(days=1))


def is_partial(month: str | None, today: date | None = None) -> bool:
    """True for the running month (and any later one): its figures are not complete yet."""
    return bool(month) and str(month)[:7] > last_complete_month(today)


def reporting_month(as_of: date) -> tuple[str, str | None]:
    """(the month to report as of this date, the running month left out or None): the as-of month when
    as_of is its last day, else the month before it."""
    if as_of == month_end(as_of):
        return month_key(as_of), None
    return month_key(as_of.replace(day=1) - timedelta(days=1)), month_key(as_of)


def cutoff(as_of: date) -> str:
    """Exclusive upper bound for ISO `published` strings: the day after as_of."""
    return (as_of + timedelta(days=1)).isoformat()


def month_end(day: date) -> date:
    nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: date, months: int) -> date:
    """Same day n months later, clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_end(date(year, month + 1, 1)).day
    return date(year, month + 1, min(day.day, last))


def month_before(day: date) -> date:
    """The date a month earlier that "last month's state" is read at: a month's last day gives the last
    day of the month before (30 September -> 31 August, not 30 August, when August's last moves happen),
    any other day the same day a month earlier.

    >>> month_before(date(2026, 9, 30)), month_before(date(2026, 3, 31)), month_before(date(2026, 10, 15))
    (datetime.date(2026, 8, 31), datetime.date(2026, 2, 28), datetime.date(2026, 9, 15))
    """
    if day == month_end(day):
        return month_end(add_months(day.replace(day=1), -1))
    return add_months(day, -1)


def months_between(first: str, last: str) -> list[str]:
    """All month keys from first to last inclusive ('2024-11', '2025-02')."""
    y, m = int(first[:4]), int(first[5:7])
    y2, m2 = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (y2, m2):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_between(first: date, last: date) -> list[str]:
    start, end = week_start(first), week_start(last)
    count = (end - start).days // 7 + 1
    return [(start + timedelta(days=7 * i)).isoformat() for i in range(count)]


def decimal_year(day: date) -> float:
    return 1970.0 + (day - EPOCH).days / DAYS_PER_YEAR



def month_to_decimal(month: str) -> float:
    """'2019-06' -> decimal year of its first day."""
    return decimal_year(date(int(month[:4]), int(month[5:7]), 1))
