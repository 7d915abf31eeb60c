"""Process impact (the essay's figures 1.9/1.10): which technologies touch each process, re-estimated term."""
from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from scanner.signals import frames
from scanner.signals.catalog import ProcessInfo
from scanner.signals.periods import add_months, decimal_year, month_key

TERMS = ["immediate", "coming", "slow"]


def touching(store, as_of: date, min_docs: int) -> pd.DataFrame:
    """Columns tech, process, documents, reach_month (month the shared documents reached min_docs)."""
    df = frames.co_mentions(store, as_of)
    if df.empty:
        return pd.DataFrame(columns=["tech", "process", "documents", "reach_month"])
    df = df.sort_values(["tech", "process", "month"])
    df["cum"] = df.groupby(["tech", "process"])["documents"].cumsum()
    total = df.groupby(["tech", "process"], as_index=False)["documents"].sum()
    reached = df[df["cum"] >= min_docs].groupby(["tech", "process"], as_index=False)["month"].min()
    out = total.merge(reached.rename(columns={"month": "reach_month"}), on=["tech", "process"])
    return out.sort_values(["process", "documents", "tech"], ascending=[True, False, True])


def term_of(years: float) -> str:
    return "immediate" if years < 3 else ("coming" if years < 7 else "slow")


def estimate(procs: list[ProcessInfo], horizons: list[dict[str, Any]], touch: pd.DataFrame,
             cfg: dict[str, Any], as_of: date) -> dict[str, Any]:
    """Shares per impact term and per-process detail; baseline terms where nothing touches a process.

    A process's years-from-now = the document-weighted mean of its baseline term's centre (weight
    process_baseline_weight) and the years until the expected adoption of each technology touching it.
    """
    now = decimal_year(as_of)
    by_tech = {h["id"]: h for h in horizons}
    centers, w0 = cfg["process_center"], float(cfg["process_baseline_weight"])
    rows: list[dict[str, Any]] = []
    for proc in procs:
        sub = touch[touch["process"] == proc.id] if not touch.empty else touch
        techs = [{"id": t, "documents": int(n), "estimate": by_tech[t]["estimate"],
                  "expected_year": by_tech[t]["expected_year"], "reach_month": r}
                 for t, n, r in zip(sub["tech"], sub["documents"], sub["reach_month"]) if t in by_tech]
        est, years = proc.baseline, None
        if techs:
            weights = np.array([w0] + [t["documents"] for t in techs], dtype=float)
            values = [centers.get(proc.baseline, centers["slow"])] + [t["expected_year"] - now for t in techs]
            years = float(np.dot(weights, values) / weights.sum())
            est = term_of(years)
        rows.append({"id": proc.id, "name": proc.name, "domain": proc.domain, "baseline": proc.baseline,
                     "estimate": est, "years_from_now": None if years is None else round(years, 2),
                     "technologies": techs})
    return {"shares": shares([r["estimate"] for r in rows]),
            "baseline_shares": shares([p.baseline for p in procs]), "processes": rows}


def shares(terms: list[str]) -> dict[str, float]:
    n = max(len(terms), 1)
    return {t: round(terms.count(t) / n, 4) for t in TERMS}


def recent_reaches(touch: pd.DataFrame, as_of: date, months: int) -> pd.DataFrame:
    """Technology-process pairs first reached within the last `months` months (flag candidates)."""
    if touch.empty:
        return touch
    since = month_key(add_months(as_of, -(months - 1)))
    return touch[touch["reach_month"] >= since]
