"""Explainable horizon estimate: a Gaussian over the year of municipal mainstream adoption.

Prior from the 2019 baseline; each evidence document is a tempered Gaussian likelihood "adoption around
observed date + stage offset", weighted by recency, source type and diminishing returns per source.
The conjugate update keeps every document's pull on the expected year exact and printable.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from scanner.signals import frames
from scanner.signals.catalog import TechInfo
from scanner.signals.periods import EPOCH, add_months, decimal_year, month_end, month_to_decimal

HORIZONS = ["in-use", "0-3", "3-7", ">7"]
DAYS_PER_MONTH = 30.436875


@dataclass
class Evidence:
    """All candidate evidence rows up to the latest as-of date, as numpy columns."""
    frame: pd.DataFrame
    tech_code: np.ndarray
    pair_code: np.ndarray       # (technology, source) groups for the diminishing returns
    day: np.ndarray             # days since 1970-01-01
    obs_year: np.ndarray
    type_weight: np.ndarray
    offset: np.ndarray
    push: np.ndarray            # years a setback-like row pushes later (0 for target-style rows)
    one_sided: np.ndarray       # True: the row only bounds adoption from above (adoption, procurement)
    precision: np.ndarray       # strength / sd^2 of the row's stage
    n_tech: int
    n_pair: int


def lookup(values: pd.Series, fn: Any) -> np.ndarray:
    """fn applied once per distinct value, spread back over the rows as floats."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=False)
    table = np.array([float(fn(u)) for u in uniques], dtype=float)
    return table[codes] if len(codes) else np.zeros(0)


def load_evidence(store, as_of: date, techs: list[TechInfo], cfg: dict[str, Any]) -> Evidence:
    stages = cfg["stage"]
    ids = [t.id for t in techs]
    df = frames.tech_mentions(store, frames.live_docs(store, as_of), sorted(stages))
    if not df.empty:
        df = df[((df["municipal"] == 1) | (df["doc_municipal"] == 1)) & df["target"].isin(ids)]
        df = df.sort_values(["target", "document_id", "stage_score", "mention_id"],
                            ascending=[True, True, False, True], kind="stable")
        df = df.drop_duplicates(["target", "document_id"])
    df = df.reset_index(drop=True)
    tech_code = pd.Categorical(df["target"].astype(str), categories=ids).codes.astype(np.int64)
    sources = df["source_id"].astype(str).fillna("")
    pair_code = (tech_code * (sources.nunique() + 1) + pd.factorize(sources, sort=True)[0]) if len(df) else tech_code
    pair_code, uniques = pd.factorize(pair_code, sort=True)
    day = df["epoch_day"].to_numpy(dtype=np.int64)
    types = cfg["source_type"]
    type_weight = lookup(df["source_type"], lambda t: types.get(t, types["default"]))
    offset = lookup(df["stage"], lambda k: stages[k].get("offset", 0.0))
    push = lookup(df["stage"], lambda k: stages[k].get("push", 0.0))
    one_sided = lookup(df["stage"], lambda k: stages[k].get("one_sided", False)) > 0
    precision = lookup(df["stage"], lambda k: stages[k]["strength"] / stages[k]["sd"] ** 2)
    return Evidence(df, tech_code, np.asarray(pair_code), day, 1970.0 + day / 365.2425, type_weight,
                    offset, push, one_sided, precision, len(ids), len(uniques))


def prior(tech: TechInfo, cfg: dict[str, Any], as_of: date | None = None) -> tuple[float, float]:
    """Mean and sd of the baseline forecast; the sd widens as the forecast ages (sd_growth_per_year).

    An `in-use` baseline is an observed state, not a forecast (`prior_fixed`): its sd does not grow.
    """
    offset, sd = cfg["prior"].get(tech.baseline, cfg["prior"]["0-3"])
    base = month_to_decimal(tech.baseline_date)
    age = max(0.0, decimal_year(as_of) - base) if as_of else 0.0
    growth = 0.0 if tech.baseline in cfg.get("prior_fixed", []) else cfg["prior_sd_growth_per_year"]
    return base + float(offset), float(sd) + growth * age


def censored(ev: Evidence, mu0: np.ndarray) -> np.ndarray:
    """One-sided rows whose bound the prior already satisfies.

    Adoption or procurement news at date s says mainstream adoption came at or before about s + offset;
    for a technology the prior already places earlier, it confirms the prior (target = prior mean, with
    `censored_weight` of its precision) instead of pulling the estimate later.
    """
    if not len(ev.offset):
        return np.zeros(0, dtype=bool)
    return ev.one_sided & (ev.obs_year + ev.offset > mu0[ev.tech_code])


def targets(ev: Evidence, mu0: np.ndarray) -> np.ndarray:
    """Each row's target year: the observed date plus its stage's offset (the prior mean if censored)."""
    target = ev.obs_year + ev.offset
    return np.where(censored(ev, mu0), mu0[ev.tech_code], target) if len(target) else target


def row_precisions(ev: Evidence, as_of: date, cfg: dict[str, Any]) -> np.ndarray:
    """Each evidence row's precision at as_of (0 for rows after it or too old to count)."""
    now = (as_of - EPOCH).days
    age = (now - ev.day) / DAYS_PER_MONTH
    live = (ev.day <= now) & (age <= cfg["max_age_months"])
    raw = np.where(live, 0.5 ** (np.maximum(age, 0) / cfg["half_life_months"]) * ev.type_weight, 0.0)
    total = np.bincount(ev.pair_code, weights=raw, minlength=ev.n_pair).astype(float)
    cap = cfg["per_source_cap"]
    damped = cap * (1.0 - np.exp(-total / cap))
    factor = np.divide(damped, total, out=np.zeros_like(total), where=total > 0)
    return raw * factor[ev.pair_code] * ev.precision


def posterior(ev: Evidence, lam: np.ndarray, mu0: np.ndarray, sd0: np.ndarray) -> tuple[np.ndarray, ...]:
    """(mean, sd, precision without push rows): conjugate update by target rows, then the bounded push.

    Target rows (offset) pull the mean towards observed date + offset; push rows (setbacks) then move it
    later by push x their share of the total precision, so a lone setback cannot fling a technology
    a decade out while a sustained run of them approaches the full push.
    """
    prec0 = 1.0 / sd0 ** 2
    is_push = ev.push > 0
    lam_t, lam_p = np.where(is_push, 0.0, lam), np.where(is_push, lam, 0.0)
    prec1 = prec0 + np.bincount(ev.tech_code, weights=lam_t, minlength=ev.n_tech).astype(float)
    pull = np.bincount(ev.tech_code, weights=lam_t * targets(ev, mu0), minlength=ev.n_tech).astype(float)
    mu1 = (prec0 * mu0 + pull) / prec1
    push = np.bincount(ev.tech_code, weights=lam_p * ev.push, minlength=ev.n_tech).astype(float)
    prec = prec1 + np.bincount(ev.tech_code, weights=lam_p, minlength=ev.n_tech).astype(float)
    return mu1 + push / prec, 1.0 / np.sqrt(prec), prec1


def probabilities(mu: np.ndarray, sd: np.ndarray, as_of: date) -> np.ndarray:
    """(n, 4): P(in-use), P(0-3), P(3-7), P(>7) relative to as_of."""
    now = decimal_year(as_of)
    edges = np.stack([norm.cdf((now + k - mu) / sd) for k in (0.0, 3.0, 7.0)], axis=1)
    return np.column_stack([edges[:, 0], edges[:, 1] - edges[:, 0], edges[:, 2] - edges[:, 1], 1 - edges[:, 2]])


def active_overrides(store, as_of: date) -> dict[str, dict[str, Any]]:
    rows = store.query("SELECT tech, estimate, reason, created_by, created_at FROM overrides "
                       "WHERE active = 1 ORDER BY id")
    day = as_of.isoformat()
    return {r["tech"]: r for r in rows if not r["created_at"] or str(r["created_at"])[:10] <= day}


@dataclass
class Snapshot:
    as_of: date
    mu: np.ndarray
    sd: np.ndarray
    probs: np.ndarray
    estimates: list[str]
    counts: np.ndarray
    lam: np.ndarray
    mu0: np.ndarray
    prec1: np.ndarray
    overrides: dict[str, dict[str, Any]]


def probs_at(ev: Evidence, techs: list[TechInfo], as_of: date, cfg: dict[str, Any]) -> tuple[np.ndarray, ...]:
    """(row precisions, posterior mean, sd, bin probabilities) at one date."""
    priors = priors_of(techs, cfg, as_of)
    lam = row_precisions(ev, as_of, cfg)
    lam = np.where(censored(ev, priors[:, 0]), lam * cfg.get("censored_weight", 1.0), lam)
    mu, sd, prec1 = posterior(ev, lam, priors[:, 0], priors[:, 1])
    return lam, mu, sd, probabilities(mu, sd, as_of), prec1


def step(previous: np.ndarray | None, probs: np.ndarray, margin: float) -> np.ndarray:
    """Hysteresis: move to the most probable bin only when it beats the current one by `margin`."""
    best = probs.argmax(axis=1)
    if previous is None:
        return best
    rows = np.arange(len(best))
    return np.where(probs[rows, best] - probs[rows, previous] > margin, best, previous)


class MonthChain:
    """Estimates at successive month ends from the first document month, each stepping from the last.

    estimate(d) = step(state at the end of the month before d, P(d)): a pure function of the store and d,
    so `previous` (the estimate one month before) is the same as a separate run at that date.
    """

    def __init__(self, ev: Evidence, techs: list[TechInfo], first_month: str | None, cfg: dict[str, Any]) -> None:
        self.ev, self.techs, self.cfg = ev, techs, cfg
        self.start = month_end(add_months(date.fromisoformat(first_month + "-01"), -1)) if first_month else None
        self.states: dict[date, np.ndarray] = {}

    def state_at_month_end(self, end: date) -> np.ndarray | None:
        if self.start is None or end < self.start:
            return None
        if end not in self.states:
            before = None if end == self.start else self.state_at_month_end(month_end(add_months(end, -1)))
            probs = probs_at(self.ev, self.techs, end, self.cfg)[3]
            self.states[end] = step(before, probs, self.cfg["hysteresis"])
        return self.states[end]

    def estimate(self, day: date, probs: np.ndarray) -> np.ndarray:
        before = self.state_at_month_end(month_end(add_months(date(day.year, day.month, 1), -1)))
        return step(before, probs, self.cfg["hysteresis"])


def priors_of(techs: list[TechInfo], cfg: dict[str, Any], as_of: date) -> np.ndarray:
    return np.array([prior(t, cfg, as_of) for t in techs]).reshape(-1, 2)


def snapshot(store, ev: Evidence, techs: list[TechInfo], as_of: date, cfg: dict[str, Any],
             chain: MonthChain) -> Snapshot:
    """Posterior, probabilities and estimate of every technology at one as-of date."""
    priors = priors_of(techs, cfg, as_of)
    lam, mu, sd, probs, prec1 = probs_at(ev, techs, as_of, cfg)
    overrides = active_overrides(store, as_of)
    bins = chain.estimate(as_of, probs)
    estimates = [overrides[t.id]["estimate"] if t.id in overrides else HORIZONS[int(b)] for t, b in zip(techs, bins)]
    counts = np.bincount(ev.tech_code, weights=(lam > 0).astype(float), minlength=ev.n_tech)
    return Snapshot(as_of, mu, sd, probs, estimates, counts.astype(int), lam, priors[:, 0], prec1, overrides)


def make_chain(store, ev: Evidence, techs: list[TechInfo], as_of: date, cfg: dict[str, Any]) -> MonthChain:
    return MonthChain(ev, techs, frames.first_month(store, as_of), cfg)


def top_rows(ev: Evidence, snap: Snapshot, row: int, limit: int) -> pd.DataFrame:
    """The evidence documents pulling hardest on technology number `row`, heaviest first."""
    sel = np.flatnonzero((ev.tech_code == row) & (snap.lam > 0))
    if sel.size == 0:
        return pd.DataFrame(columns=["document_id", "mention_id", "stage", "weight", "pull_years"])
    prec = 1.0 / snap.sd[row] ** 2
    sub = ev.frame.iloc[sel][["document_id", "mention_id", "stage", "day", "source_id", "source_type"]].copy()
    lam, push = snap.lam[sel], ev.push[sel]
    target = targets(ev, snap.mu0)[sel]
    sub["weight"] = lam / prec
    sub["target_year"] = np.where(push > 0, snap.mu[row] + push, target)
    sub["pull_years"] = np.where(push > 0, push * lam / prec, lam / snap.prec1[row] * (target - snap.mu0[row]))
    return sub.sort_values(["weight", "document_id"], ascending=[False, True]).head(limit)


def evidence_details(store, rows: pd.DataFrame) -> list[dict[str, Any]]:
    docs = frames.document_details(store, [int(x) for x in rows["document_id"]])
    ments = frames.mention_sentences(store, [int(x) for x in rows["mention_id"]])
    out = []
    for r in rows.itertuples(index=False):
        doc, ment = docs.get(int(r.document_id), {}), ments.get(int(r.mention_id), {})
        out.append({
            "document_id": int(r.document_id), "title": doc.get("title"), "url": doc.get("url"),
            "source_id": doc.get("source_id"), "published": doc.get("published"),
            "sentence": ment.get("sentence"), "stage": r.stage, "weight": round(float(r.weight), 4),
            "mention_id": int(r.mention_id), "target_year": round(float(r.target_year), 2),
            "pull_years": round(float(r.pull_years), 3),
        })
    return out


def estimate_all(store, techs: list[TechInfo], as_of: date, cfg: dict[str, Any],
                 with_evidence: bool = True) -> tuple[list[dict[str, Any]], Snapshot, Evidence, MonthChain]:
    """Contract `scanner horizon --json` objects plus extras, for every technology."""
    ev = load_evidence(store, as_of, techs, cfg)
    chain = make_chain(store, ev, techs, as_of, cfg)
    now = snapshot(store, ev, techs, as_of, cfg, chain)
    prev = snapshot(store, ev, techs, add_months(as_of, -1), cfg, chain)
    out = []
    for row, tech in enumerate(techs):
        over = now.overrides.get(tech.id)
        item = {
            "id": tech.id, "name": tech.name, "family": tech.family, "baseline": tech.baseline,
            "estimate": now.estimates[row], "previous": prev.estimates[row],
            "probabilities": {h: round(float(p), 4) for h, p in zip(HORIZONS, now.probs[row])},
            "changed": now.estimates[row] != prev.estimates[row], "evidence": int(now.counts[row]),
            "expected_year": round(float(now.mu[row]), 2), "sd_years": round(float(now.sd[row]), 2),
            "overridden": over is not None, "override_reason": over["reason"] if over else None,
            "top_evidence": [],
        }
        if with_evidence and now.counts[row] > 0:
            item["top_evidence"] = evidence_details(store, top_rows(ev, now, row, cfg["top_evidence"]))
        out.append(item)
    return out, now, ev, chain


def explain(store, tech: TechInfo, techs: list[TechInfo], as_of: date, cfg: dict[str, Any]) -> dict[str, Any]:
    """Prior, every contributing document with its weight and pull, and the posterior."""
    ev = load_evidence(store, as_of, techs, cfg)
    now = snapshot(store, ev, techs, as_of, cfg, make_chain(store, ev, techs, as_of, cfg))
    row = [t.id for t in techs].index(tech.id)
    mu0, sd0 = prior(tech, cfg, as_of)
    p0 = probabilities(np.array([mu0]), np.array([sd0]), as_of)[0]
    rows = top_rows(ev, now, row, cfg["top_evidence"])
    over = now.overrides.get(tech.id)
    return {
        "id": tech.id, "name": tech.name, "as_of": as_of.isoformat(),
        "prior": {"baseline": tech.baseline, "baseline_date": tech.baseline_date,
                  "expected_year": round(mu0, 2), "sd_years": round(sd0, 2),
                  "probabilities": {h: round(float(p), 4) for h, p in zip(HORIZONS, p0)},
                  "weight": round(float((1 / sd0 ** 2) * now.sd[row] ** 2), 4)},
        "evidence_count": int(now.counts[row]),
        "evidence": evidence_details(store, rows),
        "posterior": {"expected_year": round(float(now.mu[row]), 2), "sd_years": round(float(now.sd[row]), 2),
                      "probabilities": {h: round(float(p), 4) for h, p in zip(HORIZONS, now.probs[row])},
                      "estimate": now.estimates[row]},
        "override": {"estimate": over["estimate"], "reason": over["reason"], "by": over["created_by"],
                     "at": over["created_at"]} if over else None,
    }
