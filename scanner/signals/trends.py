"""Per-technology trend measures: share of voice, growth, robust slopes, stage mix, bursts, momentum."""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from scanner.signals import bursts as burstlib
from scanner.signals import frames
from scanner.signals.catalog import TechInfo
from scanner.signals.periods import add_months, month_key, months_between, weeks_between

log = logging.getLogger(__name__)


@dataclass
class TrendResult:
    items: list[dict[str, Any]]
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)   # rows for trend_monthly
    weekly: pd.DataFrame = field(default_factory=pd.DataFrame)    # rows for trend_weekly
    bursts: list[dict[str, Any]] = field(default_factory=list)    # {tech, start, end, strength}


def matrix(df: pd.DataFrame, index: list[str], columns: list[str], col: str, value: str) -> np.ndarray:
    """Dense (technology x period) array of one measure, zeros where nothing was counted."""
    if df.empty:
        return np.zeros((len(index), len(columns)))
    table = df.pivot_table(index="target", columns=col, values=value, aggfunc="sum", fill_value=0)
    return table.reindex(index=index, columns=columns, fill_value=0).to_numpy(dtype=float)


def shares(counts: np.ndarray, totals: np.ndarray) -> np.ndarray:
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def growth(counts: np.ndarray, totals: np.ndarray, trailing: int, pseudo: float) -> np.ndarray:
    """Each month's documents vs what the trailing months' mean share predicts, pseudo-count smoothed."""
    share = shares(counts, totals)
    csum = np.concatenate([np.zeros((share.shape[0], 1)), np.cumsum(share, axis=1)], axis=1)
    n = share.shape[1]
    idx = np.arange(n)
    lo = np.maximum(idx - trailing, 0)
    width = np.maximum(idx - lo, 1)
    mean_prev = (csum[:, idx] - csum[:, lo]) / width
    expected = mean_prev * totals
    out = (counts + pseudo) / (expected + pseudo) - 1.0
    out[:, 0] = 0.0
    return out


def robust_slope(series: np.ndarray) -> float:
    """Theil-Sen slope (share per month); 0 for a flat or too short series."""
    from scipy.stats import theilslopes

    if len(series) < 3 or np.allclose(series, series[0]):
        return 0.0
    return float(theilslopes(series, np.arange(len(series)))[0])


def momentum(g: float, slope12: float, mean12: float, burst_recent: bool, sources: float,
             cfg: dict[str, Any]) -> float:
    """0-100: weighted mean of squashed growth, relative yearly slope, a recent burst and source spread."""
    comp_g = 0.5 + 0.5 * math.tanh(math.log1p(max(g, -0.999)))
    rel = slope12 * 12 / mean12 if mean12 > 0 else 0.0
    comp_s = 0.5 + 0.5 * math.tanh(rel)
    comp_b = 1.0 if burst_recent else 0.0
    comp_v = min(1.0, math.log1p(sources) / math.log1p(cfg["momentum_sources_ref"]))
    weights = [cfg[f"momentum_weight_{k}"] for k in ("growth", "slope", "burst", "sources")]
    total = sum(w * c for w, c in zip(weights, [comp_g, comp_s, comp_b, comp_v]))
    return round(100.0 * total / sum(weights), 2)


def week_bursts(counts: np.ndarray, totals: np.ndarray, weeks: list[str], ids: list[str],
                cfg: dict[str, Any], as_of: date) -> dict[str, list[dict]]:
    found = burstlib.detect(counts, totals, cfg["burst_scale"], cfg["burst_gamma"],
                            cfg["burst_min_weeks"], cfg["burst_min_strength"])
    out: dict[str, list[dict]] = {}
    for tid, rows in zip(ids, found):
        out[tid] = [{"start": weeks[a], "end": min(date.fromisoformat(weeks[b]) + timedelta(days=6), as_of).isoformat(),
                     "strength": s} for a, b, s in rows]
    return out


def stage_mix(ments: pd.DataFrame, as_of: date, months: int) -> dict[str, dict[str, float]]:
    since = month_key(add_months(as_of, -(months - 1)))
    recent = ments[ments["month"] >= since].drop_duplicates(["target", "document_id", "stage"])
    counts = recent.groupby(["target", "stage"], observed=True).size()
    out: dict[str, dict[str, float]] = {}
    for (target, stage), n in counts.items():
        out.setdefault(str(target), {})[str(stage)] = int(n)
    return {t: {s: round(n / sum(v.values()), 4) for s, n in sorted(v.items())} for t, v in out.items()}


def aggregates(docs: pd.DataFrame, ments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per target-month documents, mentions, sources, source_types; per target-week documents)."""
    per_doc = ments.drop_duplicates(["target", "document_id"])
    keys = ["target", "month"]
    monthly = per_doc.groupby(keys, observed=True).agg(
        documents=("document_id", "size"), sources=("source_id", "nunique"),
        source_types=("source_type", "nunique"))
    monthly["mentions"] = ments.groupby(keys, observed=True).size()
    weekly = per_doc.groupby(["target", "week"], observed=True).size().rename("documents")
    return monthly.reset_index().astype({"target": str}), weekly.reset_index().astype({"target": str})


def compute(store, as_of: date, techs: list[TechInfo], cfg: dict[str, Any]) -> TrendResult:
    """All trend measures for every technology, using documents published on or before as_of."""
    ids = [t.id for t in techs]
    docs = frames.live_docs(store, as_of)
    if docs.empty:
        return TrendResult(items=[_item(t, {}, {}, [], 0.0, {}) for t in techs])
    months = months_between(docs["month"].min(), month_key(as_of))
    weeks = weeks_between(date.fromisoformat(docs["week"].min()), as_of)
    totals = docs.groupby("month").size().reindex(months, fill_value=0).to_numpy(float)
    week_totals = docs.groupby("week").size().reindex(weeks, fill_value=0).to_numpy(float)
    ments = frames.tech_mentions(store, docs, detail=False)
    ments = ments[ments["target"].isin(ids)]
    tm, tw = aggregates(docs, ments)
    docs_m = matrix(tm, ids, months, "month", "documents")
    share = shares(docs_m, totals)
    grow = growth(docs_m, totals, cfg["growth_trailing_months"], cfg["growth_pseudo_count"])
    srcs = matrix(tm, ids, months, "month", "sources")
    mix = stage_mix(ments, as_of, cfg["stage_mix_months"])
    week_docs = matrix(tw, ids, weeks, "week", "documents")
    bursts = week_bursts(week_docs, week_totals, weeks, ids, cfg, as_of)
    recent = (as_of - timedelta(weeks=cfg["momentum_burst_recent_weeks"])).isoformat()
    mention_totals = tm.groupby("target")["mentions"].sum().to_dict() if not tm.empty else {}
    since = month_key(add_months(as_of, -11))
    recent_sources = ments[ments["month"] >= since].groupby("target", observed=True)["source_id"].nunique().to_dict()
    items, monthly = [], []
    for row, tech in enumerate(techs):
        s12, s24 = robust_slope(share[row, -12:]), robust_slope(share[row, -24:])
        recent_docs = docs_m[row, -12:].sum()
        burst_recent = any(b["end"] >= recent for b in bursts[tech.id])
        mom = 0.0 if recent_docs == 0 else momentum(
            float(grow[row, -1]), s12, float(share[row, -12:].mean()), burst_recent,
            float(srcs[row, -3:].max()), cfg)
        extra = {
            "mentions": int(mention_totals.get(tech.id, 0)), "documents_total": int(docs_m[row].sum()),
            "sources": int(recent_sources.get(tech.id, 0)), "stage_mix": mix.get(tech.id, {}),
            "growth": round(float(grow[row, -1]), 4), "slope_12": s12, "slope_24": s24,
        }
        items.append(_item(tech, dict(zip(months, share[row])), dict(zip(months, docs_m[row])),
                           bursts[tech.id], mom, extra))
        monthly.append(_monthly_rows(tech.id, months, docs_m[row], share[row], grow[row], srcs[row], tm))
    monthly_df = pd.concat(monthly, ignore_index=True) if monthly else pd.DataFrame()
    last = monthly_df["month"] == months[-1]
    for item in items:
        sel = last & (monthly_df["tech"] == item["id"])
        monthly_df.loc[sel, ["slope_12", "slope_24", "momentum"]] = [
            item["slope_12"], item["slope_24"], item["momentum"]]
        monthly_df.loc[sel, "stage_mix"] = _dumps(item["stage_mix"])
    burst_rows = [{"tech": tid, **b} for tid in ids for b in bursts[tid]]
    weekly_df = pd.DataFrame({"tech": np.repeat(ids, len(weeks)), "week": np.tile(weeks, len(ids)),
                              "documents": week_docs.astype(int).ravel(),
                              "share_of_voice": np.round(shares(week_docs, week_totals), 6).ravel()})
    return TrendResult(items=items, monthly=monthly_df, weekly=weekly_df, bursts=burst_rows)


def _dumps(value: Any) -> str:
    from scanner.util import dumps

    return dumps(value)


def _monthly_rows(tid: str, months: list[str], docs, share, grow, srcs, tm: pd.DataFrame) -> pd.DataFrame:
    sub = tm[tm["target"] == tid].set_index("month") if not tm.empty else pd.DataFrame()
    def col(name: str) -> np.ndarray:
        if sub.empty:
            return np.zeros(len(months), dtype=int)
        return sub[name].reindex(months, fill_value=0).to_numpy()
    return pd.DataFrame({
        "tech": tid, "month": months, "documents": docs.astype(int), "mentions": col("mentions"),
        "sources": srcs.astype(int), "source_types": col("source_types"),
        "share_of_voice": np.round(share, 6), "stage_mix": None, "growth": np.round(grow, 4),
        "slope_12": np.nan, "slope_24": np.nan, "momentum": np.nan,
    })


def _item(tech: TechInfo, sov: dict, docs: dict, bursts: list, mom: float, extra: dict) -> dict[str, Any]:
    return {
        "id": tech.id, "momentum": mom,
        "share_of_voice": {m: round(float(v), 6) for m, v in sov.items()},
        "documents": {m: int(v) for m, v in docs.items()},
        "bursts": bursts, "name": tech.name, "family": tech.family,
        **({"mentions": 0, "documents_total": 0, "sources": 0, "stage_mix": {}, "growth": 0.0,
            "slope_12": 0.0, "slope_24": 0.0} | extra),
    }
