"""run_signals: compute everything as of a date, store it in the signals tables, write flags. Idempotent."""
from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pandas as pd

from scanner.catalogue import Catalogue
from scanner.signals import emerging, flags, frames, horizon, impact, trends
from scanner.signals.catalog import ProcessInfo, TechInfo
from scanner.signals.periods import add_months, month_before, month_end, month_key, months_between
from scanner.util import dumps

log = logging.getLogger(__name__)


def history(store, ev: horizon.Evidence, chain: horizon.MonthChain, techs: list[TechInfo], as_of: date,
            cfg: dict[str, Any]) -> list[tuple]:
    """horizon_history rows for every month from the first document to as_of (month ends, as_of last)."""
    first = frames.first_month(store, as_of)
    if first is None:
        return []
    rows, prev = [], None
    for month in months_between(first, month_key(as_of)):
        end = min(month_end(date.fromisoformat(month + "-01")), as_of)
        snap = horizon.snapshot(store, ev, techs, end, cfg, chain)
        if prev is None or end == as_of:
            prev = horizon.snapshot(store, ev, techs, month_before(end), cfg, chain)
        for i, tech in enumerate(techs):
            probs = dict(zip(horizon.HORIZONS, [round(float(p), 4) for p in snap.probs[i]]))
            rows.append((tech.id, month, snap.estimates[i], prev.estimates[i], dumps(probs),
                         round(float(snap.mu[i]), 3), int(snap.counts[i]), int(tech.id in snap.overrides),
                         dumps({"sd_years": round(float(snap.sd[i]), 3), "as_of": end.isoformat(),
                                "municipalities": int(snap.municipalities[i])}),
                         as_of.isoformat()))
        prev = snap
    return rows


def closed_month_flags(store, techs: list[TechInfo], as_of: date, cfg: dict[str, Any]) -> list[flags.Flag]:
    """Horizon changes of the last complete month, when as_of falls inside a running month: the moves the
    month's digest reports are in the queue too (dedup keys make a re-run or a later run add nothing)."""
    if as_of == month_end(as_of):
        return []
    end = month_end(add_months(as_of.replace(day=1), -1))
    items = horizon.estimate_all(store, techs, end, cfg)[0]
    return flags.horizon_flags(items, not_news(items, cfg["flag_min_evidence"]), month_key(end))


def not_news(items: list[dict], min_evidence: int) -> dict[str, bool]:
    """Changes not worth a flag: no evidence (the 2019 prior ageing) or too little to trust."""
    return {h["id"]: h["evidence"] < max(min_evidence, 1) for h in items}


def _week_end(week: str | None) -> str | None:
    """The last day of a burst's final week (bursts name weeks by their Monday)."""
    try:
        return (date.fromisoformat(str(week)[:10]) + timedelta(days=6)).isoformat()
    except ValueError:
        return None


def store_trends(conn, result: trends.TrendResult, as_of: date) -> None:
    df = result.monthly
    if not df.empty:
        df = df.astype(object).where(pd.notna(df), None)
        cols = ["tech", "month", "documents", "mentions", "sources", "source_types", "share_of_voice",
                "stage_mix", "growth", "slope_12", "slope_24", "momentum"]
        rows = [tuple(_py(v) for v in r) + (as_of.isoformat(),) for r in df[cols].itertuples(index=False)]
        conn.execute("DELETE FROM trend_monthly WHERE month <= ?", (month_key(as_of),))
        conn.executemany(f"INSERT INTO trend_monthly({', '.join(cols)}, as_of) VALUES ({', '.join('?' * 13)})", rows)
    if not result.weekly.empty:
        conn.execute("DELETE FROM trend_weekly WHERE week <= ?", (as_of.isoformat(),))
        conn.executemany("INSERT INTO trend_weekly(tech, week, documents, share_of_voice, as_of) VALUES (?,?,?,?,?)",
                         [(t, w, int(d), float(v), as_of.isoformat()) for t, w, d, v in
                          result.weekly[["tech", "week", "documents", "share_of_voice"]].itertuples(index=False)])
    conn.execute("DELETE FROM bursts")
    conn.executemany('INSERT INTO bursts(tech, start, "end", strength, as_of) VALUES (?,?,?,?,?)',
                     [(b["tech"], b["start"], b["end"], b["strength"], as_of.isoformat()) for b in result.bursts])


def _py(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def store_emerging(conn, terms: list[dict[str, Any]], as_of: date) -> None:
    conn.executemany(
        "INSERT INTO emerging_terms(term, score, documents, sources, first_seen, growth, examples, as_of) "
        "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(term) DO UPDATE SET score = excluded.score, "
        "documents = excluded.documents, sources = excluded.sources, first_seen = excluded.first_seen, "
        "growth = excluded.growth, examples = excluded.examples, as_of = excluded.as_of",
        [(t["term"], t["score"], t["documents"], t["sources"], t["first_seen"], t["growth"],
          dumps(t["examples"]), as_of.isoformat()) for t in terms])


def store_impact(conn, result: dict[str, Any], as_of: date) -> None:
    conn.execute("DELETE FROM process_impact")
    conn.executemany(
        "INSERT INTO process_impact(process, domain, baseline, estimate, technologies, as_of) VALUES (?,?,?,?,?,?)",
        [(p["id"], p["domain"], p["baseline"], p["estimate"], dumps(p["technologies"]), as_of.isoformat())
         for p in result["processes"]])


def run(store, as_of: date, techs: list[TechInfo], procs: list[ProcessInfo], catalogue: Catalogue,
        config: dict[str, Any]) -> dict[str, Any]:
    """Compute trends, horizons (+ monthly history), emerging terms and process impact; store; flag."""
    scfg, hcfg, ecfg = config["signals"], config["horizon"], config["emerging"]
    trend = trends.compute(store, as_of, techs, scfg)
    items, _, ev, chain = horizon.estimate_all(store, techs, as_of, hcfg)
    hist = history(store, ev, chain, techs, as_of, hcfg)
    terms = emerging.find(store, as_of, catalogue, ecfg, ecfg["top"])
    touch = impact.touching(store, as_of, scfg["process_min_documents"])
    proc_impact = impact.estimate(procs, items, touch, scfg, as_of)
    with store.transaction() as conn:
        store_trends(conn, trend, as_of)
        conn.executemany(
            "INSERT OR REPLACE INTO horizon_history(tech, month, estimate, previous, probabilities, expected_year, "
            "evidence, overridden, explanation, computed_at) VALUES (?,?,?,?,?,?,?,?,?,?)", hist)
        store_emerging(conn, terms, as_of)
        store_impact(conn, proc_impact, as_of)
    month = month_key(as_of)
    names = {t.id: t.name for t in techs}
    proc_names = {p.id: p.name for p in procs}
    since = (as_of - timedelta(weeks=scfg["burst_flag_weeks"])).isoformat()
    reach = impact.recent_reaches(touch, as_of, scfg["process_flag_months"])
    pairs = [{"tech": r.tech, "process": r.process, "process_name": proc_names.get(r.process, r.process),
              "documents": r.documents, "reach_month": r.reach_month,
              "evidence": frames.reach_evidence(store, r.tech, r.process, as_of, hcfg["top_evidence"])}
             for r in reach.itertuples(index=False) if r.tech in names and r.process in proc_names]
    for b in trend.bursts:
        if b["start"] >= since and b["tech"] in names:
            b["evidence"] = frames.burst_evidence(store, b["tech"], b["start"], _week_end(b["end"]), as_of,
                                                 hcfg["top_evidence"])
    unsure = frames.low_confidence_mentions(store, as_of.replace(day=1), as_of, scfg["low_confidence_score"],
                                            scfg["low_confidence_top"])
    closed = closed_month_flags(store, techs, as_of, hcfg)
    new = flags.write(store, closed + flags.horizon_flags(items, not_news(items, hcfg["flag_min_evidence"]), month)
                      + flags.burst_flags(trend.bursts, names, since, month)
                      + flags.emerging_flags(terms, ecfg["flag_top"], month)
                      + flags.reach_flags(pairs, names, month)
                      + flags.low_confidence_flags(unsure, names, month), frames.source_names(store))
    changed = [{"id": h["id"], "previous": h["previous"], "estimate": h["estimate"]} for h in items if h["changed"]]
    return {"as_of": as_of.isoformat(), "technologies": len(techs), "changed": len(changed),
            "changed_items": changed,
            "bursts": len(trend.bursts), "emerging": len(terms), "history_rows": len(hist),
            "process_shares": proc_impact["shares"], "new_flags": new}
