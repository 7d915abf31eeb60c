"""Read side of the review: the flag queue with whitelisted filters, flag details, technology summaries.

Filters never reach SQL as text: each value is validated and bound as a parameter; the SQL fragments
are fixed strings chosen here.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Mapping, Sequence

from scanner.catalogue import Catalogue
from scanner.errors import ScannerError
from scanner.review.catalog import CatalogueView
from scanner.signals.factors import factor_profile, top_factors
from scanner.signals.periods import cutoff, last_complete_month, parse_as_of
from scanner.store import Store

STATUSES = ("open", "accepted", "rejected", "snoozed", "all")
TOKEN_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class FilterError(ScannerError):
    """A filter value outside its whitelist."""


@dataclass(frozen=True)
class Filters:
    type: str = ""
    tech: str = ""
    family: str = ""
    domain: str = ""
    status: str = "open"
    page: int = 1

    def query(self, **changes: Any) -> dict[str, Any]:
        """The non-default values (for links), with changes applied."""
        values = {**asdict(self), **changes}
        return {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}


def parse_filters(params: Mapping[str, Any], view: CatalogueView) -> Filters:
    """Validate query parameters against whitelists; FilterError names the bad one."""
    def token(name: str) -> str:
        value = str(params.get(name) or "").strip()
        if value and not TOKEN_RE.match(value):
            raise FilterError(f"invalid {name} filter")
        return value

    status = str(params.get("status") or "open").strip()
    if status not in STATUSES:
        raise FilterError("invalid status filter")
    family, domain = token("family"), token("domain")
    if family and family not in view.families:
        raise FilterError("unknown family")
    if domain and domain not in view.domains:
        raise FilterError("unknown domain")
    try:
        page = max(1, min(int(str(params.get("page") or 1)), 1_000_000))
    except ValueError:
        raise FilterError("invalid page") from None
    return Filters(token("type"), token("tech"), family, domain, status, page)


def _in(column: str, values: Sequence[str | int], params: list[Any]) -> str:
    if not values:
        return "0"
    params.extend(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def _domain_techs(store: Store, processes: list[str]) -> list[str]:
    """Technologies that touch any of these processes (process_impact.technologies JSON)."""
    if not processes:
        return []
    params: list[Any] = []
    sql = "SELECT technologies FROM process_impact WHERE " + _in("process", processes, params)
    techs: set[str] = set()
    for row in store.query(sql, tuple(params)):
        try:
            value = json.loads(row["technologies"] or "[]")
        except ValueError:
            continue
        items = value.keys() if isinstance(value, dict) else value
        techs.update(str(i["id"] if isinstance(i, dict) else i) for i in items)
    return sorted(techs)


def _where(store: Store, f: Filters, view: CatalogueView, with_type: bool = True) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.status != "all":
        clauses.append("status = ?")
        params.append(f.status)
    if with_type and f.type:
        clauses.append("type = ?")
        params.append(f.type)
    if f.tech:
        clauses.append("tech = ?")
        params.append(f.tech)
    if f.family:
        clauses.append(_in("tech", view.techs_in_family(f.family), params))
    if f.domain:
        processes = view.processes_in_domain(f.domain)
        proc_sql = _in("process", processes, params)
        tech_sql = _in("tech", _domain_techs(store, processes), params)
        clauses.append(f"({proc_sql} OR {tech_sql})")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


QUEUE_COLUMNS = "id, type, subject, tech, process, month, score, title, status, snooze_until, created_at"


def queue(store: Store, f: Filters, view: CatalogueView, page_size: int) -> dict[str, Any]:
    """One page of flags sorted by score, the total, and counts per type (ignoring the type filter).

    Expired snoozes count as open only after actions.wake_snoozed() reopened them (the callers do).
    """
    where, params = _where(store, f, view)
    total = store.conn.execute(f"SELECT COUNT(*) FROM flags{where}", params).fetchone()[0]
    rows = store.query(
        f"SELECT {QUEUE_COLUMNS} FROM flags{where} ORDER BY score DESC, id DESC LIMIT ? OFFSET ?",
        (*params, int(page_size), (f.page - 1) * int(page_size)),
    )
    where_all, params_all = _where(store, f, view, with_type=False)
    counts = {r["type"]: r["n"] for r in store.query(
        f"SELECT type, COUNT(*) AS n FROM flags{where_all} GROUP BY type ORDER BY type", tuple(params_all))}
    for row in rows:
        row["tech_name"] = view.name(row["tech"]) if row["tech"] else ""
    pages = max(1, -(-int(total) // int(page_size)))
    return {"flags": rows, "total": int(total), "counts": counts, "page": f.page, "pages": pages}


def flag_detail(store: Store, flag_id: int, evidence_limit: int) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM flags WHERE id = ?", (int(flag_id),))
    if not rows:
        return None
    flag = rows[0]
    try:
        evidence = json.loads(flag.get("evidence") or "[]")
    except ValueError:
        evidence = []
    evidence = [e for e in evidence if isinstance(e, dict)][: int(evidence_limit)]
    flag["detail"] = _detail(flag.get("detail"))
    name_sources(store, evidence)
    _attach_mentions(store, evidence)
    flag["evidence"] = evidence
    return flag


def source_names(store: Store) -> dict[str, str]:
    """Source id -> name (the harvest's sources table; empty without it)."""
    if not store.db["sources"].exists():
        return {}
    return {r["id"]: r["name"] for r in store.query("SELECT id, name FROM sources WHERE name IS NOT NULL")}


def name_sources(store: Store, evidence: list[dict[str, Any]]) -> None:
    """Evidence stored before flags carried source names shows the name, not the id."""
    names = source_names(store)
    for e in evidence:
        sid = e.get("source_id") or e.get("source")
        if sid in names and e.get("source") in (None, "", sid):
            e["source"] = names[sid]


def evidence_of(store: Store, flag_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The stored evidence of several flags (source names filled in), by flag id."""
    params: list[Any] = []
    sql = "SELECT id, evidence FROM flags WHERE " + _in("id", [int(i) for i in flag_ids], params)
    out: dict[int, list[dict[str, Any]]] = {}
    for row in store.query(sql, tuple(params)):
        try:
            items = [e for e in json.loads(row["evidence"] or "[]") if isinstance(e, dict)]
        except ValueError:
            items = []
        name_sources(store, items)
        out[row["id"]] = items
    return out


def _detail(text: str | None) -> dict[str, Any]:
    """The signals stage's detail JSON as a flat mapping (non-JSON text becomes {"note": text})."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"note": text}
    return value if isinstance(value, dict) else {"note": value}


def _attach_mentions(store: Store, evidence: list[dict[str, Any]]) -> None:
    """Add each evidence item's current mention (matched text, stage, target) for highlighting and relabels."""
    ids = [int(e["mention_id"]) for e in evidence if str(e.get("mention_id") or "").isdigit()]
    if not ids:
        return
    params: list[Any] = []
    sql = "SELECT id, kind, target, text, stage FROM mentions WHERE " + _in("id", ids, params)
    found = {r["id"]: r for r in store.query(sql, tuple(params))}
    for e in evidence:
        if str(e.get("mention_id") or "").isdigit():
            e["mention"] = found.get(int(e["mention_id"]))


def sov_series(store: Store, tech: str, months: int, through: str | None = None) -> list[tuple[str, float]]:
    """Share of voice per month up to `through` (default: the last complete month; a running month's share
    rests on a handful of documents)."""
    rows = store.query(
        "SELECT month, share_of_voice FROM trend_monthly WHERE tech = ? AND month <= ? ORDER BY month DESC LIMIT ?",
        (tech, through or last_complete_month(), int(months)),
    )
    return [(r["month"], float(r["share_of_voice"] or 0.0)) for r in reversed(rows)]


def horizon_history(store: Store, tech: str) -> list[dict[str, Any]]:
    """Monthly estimates, newest first, each with its municipality count (None before it was stored)."""
    rows = store.query(
        "SELECT month, estimate, previous, evidence, overridden, explanation FROM horizon_history WHERE tech = ? "
        "ORDER BY month DESC",
        (tech,),
    )
    for row in rows:
        row["municipalities"] = _detail(row.pop("explanation")).get("municipalities")
    return rows


def reported(history: list[dict[str, Any]], month: str | None = None) -> dict[str, Any] | None:
    """The history row of the reporting month (default: the last complete one), else the newest before it."""
    month = month or last_complete_month()
    return next((h for h in history if h["month"] <= month), None)


def active_override(store: Store, tech: str) -> dict[str, Any] | None:
    rows = store.query(
        "SELECT id, tech, estimate, reason, created_by, created_at FROM overrides "
        "WHERE tech = ? AND active = 1 ORDER BY id DESC LIMIT 1",
        (tech,),
    )
    return rows[0] if rows else None


def technologies(store: Store, view: CatalogueView) -> list[dict[str, Any]]:
    """Every technology with its estimate, momentum and municipality count in the last complete month, its
    estimate history up to then and its pinned override."""
    month = last_complete_month()
    history: dict[str, list[dict[str, Any]]] = {}
    for r in store.query("SELECT tech, month, estimate, explanation FROM horizon_history WHERE month <= ? "
                         "ORDER BY tech, month", (month,)):
        history.setdefault(r["tech"], []).append({"month": r["month"], "estimate": r["estimate"],
                                                  "municipalities": _detail(r["explanation"]).get("municipalities")})
    momentum = {r["tech"]: r for r in store.query(
        "SELECT t.tech, t.month, t.momentum, t.share_of_voice FROM trend_monthly t "
        "JOIN (SELECT tech, MAX(month) AS month FROM trend_monthly WHERE month <= ? GROUP BY tech) m "
        "ON m.tech = t.tech AND m.month = t.month", (month,))}
    overrides = {r["tech"]: r for r in store.query(
        "SELECT tech, estimate, reason, created_by, created_at FROM overrides WHERE active = 1 ORDER BY id")}
    ids = sorted(set(view.techs) | set(history) | set(momentum))
    out = []
    for tid in ids:
        info = view.techs.get(tid)
        hist = history.get(tid, [])
        override = overrides.get(tid)
        out.append({
            "id": tid, "name": info.name if info else tid, "family": info.family if info else "",
            "baseline": info.baseline if info else "",
            "estimate": override["estimate"] if override else (hist[-1]["estimate"] if hist else None),
            "momentum": (momentum.get(tid) or {}).get("momentum"),
            "municipalities": hist[-1]["municipalities"] if hist else None, "month": hist[-1]["month"] if hist else None,
            "history": hist, "override": override,
        })
    return out


def changes(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the months where the estimate moved (a compact history)."""
    out: list[dict[str, Any]] = []
    for h in history:
        if not out or out[-1]["estimate"] != h["estimate"]:
            out.append(h)
    return out


def mentions(store: Store, tech: str, page: int, page_size: int) -> dict[str, Any]:
    total = store.conn.execute(
        "SELECT COUNT(*) FROM mentions WHERE kind = 'technology' AND target = ?", (tech,)).fetchone()[0]
    rows = store.query(
        "SELECT m.id, m.document_id, m.text, m.sentence, m.stage, m.target, d.title, d.url, d.source_id, "
        "d.published FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE m.kind = 'technology' AND m.target = ? ORDER BY d.published DESC, m.id DESC LIMIT ? OFFSET ?",
        (tech, int(page_size), (max(1, page) - 1) * int(page_size)),
    )
    names = source_names(store)
    for row in rows:
        row["source"] = names.get(row["source_id"]) or row["source_id"]
    return {"mentions": rows, "total": int(total), "page": page, "pages": max(1, -(-int(total) // page_size))}


def factors_as_of(store: Store) -> str:
    """End of the factor window: the newest non-duplicate document up to today (so older corpora still show)."""
    today = parse_as_of(None)
    row = store.conn.execute(
        "SELECT MAX(substr(published, 1, 10)) FROM documents WHERE duplicate_of IS NULL AND published < ?",
        (cutoff(today),)).fetchone()
    return str(row[0]) if row and row[0] else today.isoformat()


def factor_names(catalogue: Catalogue) -> dict[str, str]:
    """Factor/function id -> English (else Dutch) name from the catalogue's factors; {} when it has none."""
    raw = catalogue.get("factors") if isinstance(catalogue, dict) else getattr(catalogue, "factors", None)
    groups = raw.values() if isinstance(raw, dict) else []
    return {str(e["id"]): str(e.get("name_en") or e.get("name") or e["id"])
            for group in groups if isinstance(group, list) for e in group if isinstance(e, dict) and e.get("id")}


def tech_factors(store: Store, tech: str, as_of: str, months: int, top: int,
                 names: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Top drivers and barriers of one technology, each row with a display name."""
    rows = factor_profile(store, as_of, months, techs=[tech]).get(tech, [])
    picked = top_factors(rows, top)
    return {kind: [{**r, "name": names.get(r["factor"], r["factor"])} for r in items]
            for kind, items in picked.items()}


TERM_STATUS = {"open": "candidate", "accepted": "accepted", "rejected": "rejected"}


def emerging_terms(store: Store) -> list[dict[str, Any]]:
    """Stored emerging terms (scanner signals) with their review status, flag and rejection reason:
    accepted first, then candidates, then rejected; by documents within each."""
    if not store.db["emerging_terms"].exists():
        return []
    rows = store.query(
        "SELECT e.term, e.documents, e.sources, e.first_seen, COALESCE(e.status, 'open') AS status, "
        "f.id AS flag_id, f.reason FROM emerging_terms e LEFT JOIN flags f ON f.type = 'emerging-term' "
        "AND f.subject = e.term ORDER BY e.documents DESC, e.term")
    order = {"accepted": 0, "candidate": 1, "rejected": 2}
    seen: set[str] = set()
    out = []
    for row in rows:
        if row["term"] in seen:
            continue
        seen.add(row["term"])
        row["status"] = TERM_STATUS.get(row["status"], "candidate")
        row["reason"] = row["reason"] if row["status"] == "rejected" else None
        out.append(row)
    return sorted(out, key=lambda r: order[r["status"]])
