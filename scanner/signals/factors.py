"""Per-technology diffusion factors (drivers and barriers) over a trailing window, straight from doc_tags."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from scanner.catalogue import POLARITIES
from scanner.signals.periods import add_months, cutoff, parse_as_of
from scanner.store import Store


# One row per (technology, factor, polarity); a technology whose documents name no factor gives one NULL row.
_SQL = """
WITH pairs AS (
    SELECT DISTINCT m.document_id AS doc, m.target AS tech
    FROM mentions m JOIN documents d ON d.id = m.document_id
    WHERE m.kind = 'technology' AND m.target IS NOT NULL AND d.duplicate_of IS NULL
      AND d.published >= ? AND d.published < ? {tech_filter}
),
named AS (
    SELECT p.tech, p.doc,
           CASE WHEN f.type = 'object' THEN json_extract(f.value, '$.factor') END AS factor,
           CASE WHEN f.type = 'object' THEN COALESCE(json_extract(f.value, '$.polarity'), 'driver') END AS polarity
    FROM pairs p
    LEFT JOIN doc_tags t ON t.document_id = p.doc
    LEFT JOIN json_each(CASE WHEN json_valid(t.factors) THEN t.factors END) f
)
SELECT tech, factor, polarity, COUNT(DISTINCT doc) AS documents
FROM named
GROUP BY tech, factor, polarity
ORDER BY tech, documents DESC, factor, polarity
"""


def window(as_of: date | str | None, months: int) -> tuple[str, str]:
    """[start, end) ISO bounds of the `months` months up to and including as_of."""
    day = parse_as_of(as_of)
    start = add_months(day, -months) + timedelta(days=1)
    return start.isoformat(), cutoff(day)


def factor_profile(store: Store, as_of: date | str | None = None, months: int = 12,
                   techs: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Technology id -> [{"factor", "polarity", "documents"}] by documents desc, then factor.

    Technologies mentioned in the window without any factor (and every id in `techs`) get an empty list.
    """
    start, end = window(as_of, months)
    params: list[Any] = [start, end]
    tech_filter = ""
    if techs is not None:
        if not techs:
            return {}
        tech_filter = f"AND m.target IN ({','.join('?' * len(techs))})"
        params.extend(techs)
    profile: dict[str, list[dict[str, Any]]] = {t: [] for t in techs or []}
    for row in store.query(_SQL.format(tech_filter=tech_filter), tuple(params)):
        rows = profile.setdefault(str(row["tech"]), [])
        if row["factor"] is not None and row["polarity"] in POLARITIES:
            rows.append({"factor": str(row["factor"]), "polarity": row["polarity"],
                         "documents": int(row["documents"])})
    for rows in profile.values():
        rows.sort(key=lambda r: (-r["documents"], r["factor"], r["polarity"]))
    return profile


def top_factors(profile_rows: list[dict[str, Any]], n: int = 3) -> dict[str, list[dict[str, Any]]]:
    """The n most-named drivers and n most-named barriers of one technology's profile rows."""
    ordered = sorted(profile_rows, key=lambda r: (-int(r["documents"]), str(r["factor"])))
    return {"drivers": [r for r in ordered if r["polarity"] == "driver"][:n],
            "barriers": [r for r in ordered if r["polarity"] == "barrier"][:n]}
