"""HTML fragments built in Python: escape first, then add markup (highlights, sparklines, safe links)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape


def highlight(text: str | None, terms: list[str] | str | None) -> Markup:
    """Escape the text, then wrap each case-insensitive occurrence of a term in <mark>."""
    safe = str(escape(text or ""))
    if isinstance(terms, str):
        terms = [terms]
    wanted = sorted({str(escape(t)) for t in (terms or []) if t and str(t).strip()}, key=len, reverse=True)
    if not wanted:
        return Markup(safe)
    pattern = re.compile("|".join(re.escape(t) for t in wanted), re.IGNORECASE)
    return Markup(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", safe))


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) with a host, else None (no javascript:, data: or relative tricks)."""
    if not url:
        return None
    try:
        parts = urlsplit(str(url).strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return str(url).strip()


def sparkline(points: list[tuple[str, float]], width: int = 220, height: int = 36) -> Markup:
    """An inline SVG polyline of share of voice per month (no script, no external resources)."""
    if not points:
        return Markup('<span class="muted">no trend data</span>')
    values = [v for _, v in points]
    top = max(values) or 1.0
    step = width / max(1, len(values) - 1)
    coords = " ".join(
        f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values)
    )
    first, last = escape(points[0][0]), escape(points[-1][0])
    label = escape(f"share of voice {points[0][0]} to {points[-1][0]}, latest {values[-1]:.2%}, peak {top:.2%}")
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{label}"><title>{label}</title>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{coords}"/></svg>'
        f'<span class="spark-range">{first} – {last}</span>'
    )
