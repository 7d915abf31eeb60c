"""Explainable horizon estimate: a posterior over Y, the year of municipal mainstream adoption, on a grid.

Terms of the log posterior (docs/horizon-model.md has the maths and a worked example):
- prior: the 2019 baseline as a normal over Y, mixed with a flat share for "the forecast was wrong";
- phase: each evidence row (technology, document) of stage k observed at s is more likely at some
  phases s - Y of diffusion than at others (research long before adoption, adoption after it);
- silence: months in which the store holds municipal news but none reports the technology adopted
  count against an adoption before them (a forecast date passing is not evidence of adoption);
- reach: an observed adoption share of municipalities bounds Y from above.
Each term is a vector over the grid, so every document's pull on the expected year is printable.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import logsumexp
from scipy.stats import norm

from scanner.catalogue import HORIZONS, STAGES
from scanner.signals import frames
from scanner.signals.catalog import TechInfo
from scanner.signals.periods import EPOCH, add_months, decimal_year, month_before, month_end, month_to_decimal

ADOPTION_STAGES = ("adoption", "procurement")
REACH_STAGES = ("adoption", "procurement", "pilot")
DAYS_PER_YEAR = 365.2425
GRID = np.arange(1990.0, 2060.0001, 0.25)


@dataclass
class Evidence:
    """Evidence rows (one per technology and document) up to the latest as-of date, as numpy columns."""
    frame: pd.DataFrame
    tech_code: np.ndarray
    pair_code: np.ndarray       # (technology, source) groups for the diminishing returns
    day: np.ndarray             # days since 1970-01-01
    type_weight: np.ndarray
    coverage: pd.Series         # municipal live documents per month index (year * 12 + month - 1)
    n_tech: int
    n_pair: int
    key_code: np.ndarray        # rows sharing (month, stage, confidence bin) share one likelihood row
    key_ll: np.ndarray          # (keys, GRID) log-likelihood of each key
    reach_days: list[np.ndarray]   # per technology: first evidence day of each municipality (reach stages)
    adopt_days: list[np.ndarray]   # per technology: first adoption day of each municipality, sorted
    in_use: np.ndarray          # per technology: in use at the baseline (measures the adoption-news rate)
    tech_rows: list[np.ndarray]    # per technology: its row indices (date order)
    adopt_months: list[np.ndarray]  # per technology: (day, month index) of its adoption/procurement rows
    in_use_adopt_days: np.ndarray  # sorted days of adoption/procurement rows of in-use technologies
    pair_tech: np.ndarray       # technology of each (technology, source) pair
    in_use_days: np.ndarray     # sorted days of every row of a technology in use at the baseline


def lookup(values: pd.Series, fn: Any) -> np.ndarray:
    """fn applied once per distinct value, spread back over the rows as floats."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=False)
    table = np.array([float(fn(u)) for u in uniques], dtype=float)
    return table[codes] if len(codes) else np.zeros(0)


def load_evidence(store: Any, as_of: date, techs: list[TechInfo], cfg: dict[str, Any]) -> Evidence:
    ids = [t.id for t in techs]
    docs = frames.live_docs(store, as_of)
    df = frames.tech_mentions(store, docs, STAGES)
    if not df.empty:
        df = df[((df["municipal"] == 1) | (df["doc_municipal"] == 1)) & df["target"].isin(ids)]
        df = df.sort_values(["target", "document_id", "stage_score", "mention_id"],
                            ascending=[True, True, False, True], kind="stable")
        df = df.drop_duplicates(["target", "document_id"])
    df = df.sort_values(["epoch_day", "document_id", "target"], kind="stable").reset_index(drop=True)
    tech_code = pd.Categorical(df["target"].astype(str), categories=ids).codes.astype(np.int64)
    sources = df["source_id"].astype(str).fillna("") if len(df) else pd.Series(dtype=str)
    source_code = pd.factorize(sources, sort=True)[0] if len(df) else np.zeros(0, dtype=np.int64)
    pair_code, uniques = pd.factorize(tech_code * (int(source_code.max(initial=0)) + 1) + source_code, sort=True)
    day = df["epoch_day"].to_numpy(dtype=np.int64) if len(df) else np.zeros(0, dtype=np.int64)
    types = cfg["source_type"]
    stage_code = pd.Categorical(df["stage"].astype(str), categories=STAGES).codes.astype(np.int64) \
        if len(df) else np.zeros(0, dtype=np.int64)
    confidence = np.clip(df["stage_score"].to_numpy(dtype=float), 0.0, 1.0) if len(df) else np.zeros(0)
    months = (df["day"].str[:4].astype(int) * 12 + df["day"].str[5:7].astype(int) - 1).to_numpy(dtype=np.int64) \
        if len(df) else np.zeros(0, dtype=np.int64)
    key_code, key_ll = likelihood_keys(months, stage_code, confidence, cfg)
    reach_days, adopt_days = first_days(df, tech_code, day, len(ids))
    in_use = np.array([t.baseline == "in-use" for t in techs], dtype=bool)
    adopting = np.isin(stage_code, [STAGES.index(s) for s in ADOPTION_STAGES])
    tech_rows = [np.flatnonzero(tech_code == k) for k in range(len(ids))]
    adopt_months = [np.stack([day[r[adopting[r]]], months[r[adopting[r]]]]) for r in tech_rows]
    in_use_adopt = np.sort(day[adopting & in_use[tech_code]]) if len(day) else np.zeros(0, dtype=np.int64)
    pair_tech = np.zeros(len(uniques), dtype=np.int64)
    pair_tech[np.asarray(pair_code)] = tech_code
    return Evidence(df, tech_code, np.asarray(pair_code), day,
                    lookup(df["source_type"], lambda t: types.get(t, types["default"])),
                    municipal_coverage(docs), len(ids), len(uniques), key_code, key_ll,
                    reach_days, adopt_days, in_use, tech_rows, adopt_months, in_use_adopt, pair_tech,
                    day[in_use[tech_code]] if len(day) else np.zeros(0, dtype=np.int64))


def likelihood_keys(months: np.ndarray, stage_code: np.ndarray, confidence: np.ndarray,
                    cfg: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Rows grouped by (month, stage, confidence in steps of 0.05), with one likelihood row per group."""
    conf_bin = np.rint(confidence * 20).astype(np.int64)
    keys = (months * len(STAGES) + stage_code) * 21 + conf_bin
    uniq, key_code = np.unique(keys, return_inverse=True)
    u_month, rest = np.divmod(uniq, len(STAGES) * 21)
    u_stage, u_conf = np.divmod(rest, 21)
    years = u_month // 12 + (u_month % 12 + 0.5) / 12
    return key_code.astype(np.int64), row_loglik(years.astype(float), u_stage, u_conf / 20.0, cfg)


def first_days(df: pd.DataFrame, tech_code: np.ndarray, day: np.ndarray,
               n_tech: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per technology, the first day each municipality had reach-stage (and adoption) evidence."""
    reach: list[dict[str, int]] = [{} for _ in range(n_tech)]
    adopt: list[dict[str, int]] = [{} for _ in range(n_tech)]
    if len(df) and "municipalities" in df.columns:
        for t, d, stage, names in zip(tech_code, day, df["stage"].astype(str), df["municipalities"]):
            if stage not in REACH_STAGES or not names:
                continue
            for name in names:
                reach[t].setdefault(name, int(d))
                if stage == "adoption":
                    adopt[t].setdefault(name, int(d))
    return ([np.sort(np.fromiter(r.values(), dtype=np.int64)) for r in reach],
            [np.sort(np.fromiter(a.values(), dtype=np.int64)) for a in adopt])


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def municipal_coverage(docs: pd.DataFrame) -> pd.Series:
    """Municipal live documents per month index: how much news the store could have reported."""
    if docs.empty:
        return pd.Series(dtype=float)
    municipal = docs[docs["doc_municipal"] == 1]
    months = municipal["month"].dropna()
    index = months.str[:4].astype(int) * 12 + months.str[5:7].astype(int) - 1
    return index.value_counts().sort_index().astype(float)


# ------------------------------------------------------------------------------------------ terms over Y

def prior_loglik(tech: TechInfo, cfg: dict[str, Any]) -> np.ndarray:
    """log prior over GRID: the baseline forecast as a normal, with `prior_wrong_share` spread over the
    years the forecast's own claim allows (before the baseline date for `in-use`, after it otherwise)
    and the small `prior_reversal_share` over the rest (an in-use technology can still be abandoned),
    both by `wrong_spread`."""
    offset, sd = cfg["prior"].get(tech.baseline, cfg["prior"]["0-3"])
    made = month_to_decimal(tech.baseline_date)
    dens = norm.pdf(GRID, made + float(offset), float(sd))
    dens = dens / dens.sum()
    claimed = GRID <= made if tech.baseline == "in-use" else GRID >= made
    wrong, reversal = float(cfg["prior_wrong_share"]), float(cfg["prior_reversal_share"])
    spread = wrong_spread(made, float(cfg["prior_wrong_sd"]))
    allowed, other = spread * claimed, spread * ~claimed
    mixed = wrong * allowed / allowed.sum() + reversal * other / max(other.sum(), 1e-300)
    return np.log((1 - wrong - reversal) * dens + mixed)


def wrong_spread(made: float, sd: float) -> np.ndarray:
    """Unnormalised density of Y when the forecast is wrong: a normal of `sd` years around the baseline
    date (half on each side before the claimed side is taken), or flat over the grid when `sd` is 0. The
    flat version lets where the grid ends (2060) decide how much mass lies beyond seven years."""
    if sd <= 0:
        return np.ones(len(GRID))
    return np.exp(-0.5 * ((GRID - made) / sd) ** 2)


def phase_table(cfg: dict[str, Any]) -> np.ndarray:
    """(6, len(knots)) probabilities of each stage at each phase knot (years since mainstream adoption)."""
    table = np.array([cfg["phase"][k] for k in STAGES], dtype=float)
    return table / table.sum(axis=0, keepdims=True)


def row_loglik(obs_year: np.ndarray, stage_code: np.ndarray, confidence: np.ndarray,
               cfg: dict[str, Any]) -> np.ndarray:
    """(rows, GRID) log p(stage | phase = s - Y), flattened towards uniform by the stage's uncertainty and
    tempered by the stage's strength (a forecast in a report says less than a contract)."""
    knots = np.asarray(cfg["phase_years"], dtype=float)
    table = phase_table(cfg)
    phase = obs_year[:, None] - GRID[None, :]
    p = np.empty_like(phase)
    for k in range(len(STAGES)):
        sel = stage_code == k
        if sel.any():
            p[sel] = np.interp(phase[sel], knots, table[k])
    q = confidence[:, None]
    strength = np.array([float(cfg["strength"][k]) for k in STAGES])[stage_code][:, None]
    return strength * np.log(q * p + (1 - q) / len(STAGES))


def silence_loglik(ev: Evidence, tech_row: int, tech: TechInfo, as_of: date, cfg: dict[str, Any]) -> np.ndarray:
    """Covered months after the forecast with no adoption news count against Y before them."""
    out = np.zeros(len(GRID))
    if tech.baseline in cfg["silence_exempt"] or ev.coverage.empty:
        return out
    start = int(tech.baseline_date[:4]) * 12 + int(tech.baseline_date[5:7]) - 1
    cov = ev.coverage[(ev.coverage.index >= start) & (ev.coverage.index <= month_index(as_of))]
    rate = float(cfg["silence_weight"]) * adoption_rate(ev, as_of, cfg) * newsworthiness(ev, tech_row, as_of, cfg)
    adopt_day, adopt_month = ev.adopt_months[tech_row]
    silent = cov[~np.isin(cov.index.to_numpy(), adopt_month[adopt_day <= (as_of - EPOCH).days])]
    if silent.empty:
        return out
    years = (silent.index.to_numpy() // 12) + (silent.index.to_numpy() % 12 + 0.5) / 12
    expected = rate * silent.to_numpy()
    # penalty(Y) = adoption reports expected in the silent months at or after Y: a reversed cumulative sum
    after = np.concatenate([np.cumsum(expected[::-1])[::-1], [0.0]])
    return -after[np.searchsorted(years, GRID, side="left")]


def newsworthiness(ev: Evidence, tech_row: int, as_of: date, cfg: dict[str, Any]) -> float:
    """How much the store writes about this technology (mentions of any stage up to as_of) relative to the
    average in-use technology, shrunk towards 1: silence says more about a much-discussed technology
    than about one the sources hardly cover (pseudo-count: `silence_volume_shrinkage` x that average)."""
    now = (as_of - EPOCH).days
    if not ev.in_use.any():
        return 1.0
    reference = float(np.searchsorted(ev.in_use_days, now, side="right")) / float(ev.in_use.sum())
    own = float(np.searchsorted(ev.day[ev.tech_rows[tech_row]], now, side="right"))
    pseudo = float(cfg["silence_volume_shrinkage"]) * reference
    return (own + pseudo) / (reference + pseudo) if reference + pseudo > 0 else 1.0


def adoption_rate(ev: Evidence, as_of: date, cfg: dict[str, Any]) -> float:
    """Adoption or procurement reports per municipal document for one mainstream technology, measured on
    the technologies in use at the baseline (empirical Bayes: how much this store reports on what is in
    use), never below `silence_min_rate`."""
    now = (as_of - EPOCH).days
    docs = float(ev.coverage[ev.coverage.index <= month_index(as_of)].sum())
    if not docs or not ev.in_use.any():
        return float(cfg["silence_min_rate"])
    rows = float(np.searchsorted(ev.in_use_adopt_days, now, side="right"))
    return max(rows / (docs * float(ev.in_use.sum())), float(cfg["silence_min_rate"]))


def reach_loglik(crossed: float | None, cfg: dict[str, Any]) -> np.ndarray:
    """Once a share of municipalities reported adoption (at year `crossed`), Y is before about then."""
    if crossed is None:
        return np.zeros(len(GRID))
    return float(cfg["reach_weight"]) * norm.logcdf((crossed - GRID) / 0.5)


# ------------------------------------------------------------------------------------------ weights, posterior

def row_weights(ev: Evidence, as_of: date, cfg: dict[str, Any]) -> np.ndarray:
    """Each row's weight at as_of: recency (decays to a floor, never cut off) x source type x per-source damping."""
    now = (as_of - EPOCH).days
    age = (now - ev.day) / (DAYS_PER_YEAR / 12)
    decay = np.maximum(0.5 ** (np.maximum(age, 0) / cfg["half_life_months"]), cfg["decay_floor"])
    raw = np.where(ev.day <= now, decay * ev.type_weight, 0.0)
    total = np.bincount(ev.pair_code, weights=raw, minlength=ev.n_pair).astype(float)
    cap = cfg["per_source_cap"]
    damped = cap * (1.0 - np.exp(-total / cap))
    factor = np.divide(damped, total, out=np.zeros_like(total), where=total > 0)
    return raw * factor[ev.pair_code]


def summarise(loglik: np.ndarray, as_of: date, temperature: float = 1.0) -> tuple[float, float, np.ndarray]:
    """(mean year, sd, bin probabilities) of a log posterior over GRID; the bin probabilities are raised to
    1 / temperature and renormalised (calibration fitted on the backtest, `scanner backtest`)."""
    post = np.exp(loglik - logsumexp(loglik))
    post /= post.sum()
    mean = float(post @ GRID)
    sd = float(np.sqrt(max(post @ (GRID - mean) ** 2, 1e-9)))
    now = decimal_year(as_of)
    probs = np.array([post[GRID <= now].sum(), post[(GRID > now) & (GRID <= now + 3)].sum(),
                      post[(GRID > now + 3) & (GRID <= now + 7)].sum(), post[GRID > now + 7].sum()])
    if temperature != 1.0:
        probs = np.clip(probs, 1e-12, 1.0) ** (1.0 / temperature)
        probs /= probs.sum()
    return mean, sd, probs


@dataclass
class TechPosterior:
    """One technology at one date: the terms that make up its log posterior."""
    prior: np.ndarray
    silence: np.ndarray
    reach: np.ndarray
    rows: np.ndarray            # indices into the evidence frame, in date order
    weights: np.ndarray
    municipalities: int
    crossed: float | None

    def fixed(self) -> np.ndarray:
        return self.prior + self.silence + self.reach


def reach_of(ev: Evidence, row: int, as_of: date, n_municipalities: int,
             cfg: dict[str, Any]) -> tuple[int, float | None]:
    """Distinct municipalities with adoption/procurement/pilot evidence, and when the adoption share crossed."""
    now = (as_of - EPOCH).days
    count = int(np.searchsorted(ev.reach_days[row], now, side="right"))
    adopt = ev.adopt_days[row][ev.adopt_days[row] <= now]
    need = max(1, int(np.ceil(cfg["reach_in_use_share"] * n_municipalities)))
    return count, (1970.0 + float(adopt[need - 1]) / DAYS_PER_YEAR if len(adopt) >= need else None)


def tech_posterior(ev: Evidence, lam: np.ndarray, row: int, tech: TechInfo, as_of: date,
                   cfg: dict[str, Any]) -> TechPosterior:
    rows = ev.tech_rows[row][lam[ev.tech_rows[row]] > 0]
    count, crossed = reach_of(ev, row, as_of, int(cfg["municipalities_total"]), cfg)
    return TechPosterior(prior_loglik(tech, cfg), silence_loglik(ev, row, tech, as_of, cfg),
                         reach_loglik(crossed, cfg), rows, lam[rows], count, crossed)


# ------------------------------------------------------------------------------------------ estimates

def active_overrides(store: Any, as_of: date) -> dict[str, dict[str, Any]]:
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
    overrides: dict[str, dict[str, Any]]
    municipalities: np.ndarray
    posteriors: list[TechPosterior]


def probs_at(ev: Evidence, techs: list[TechInfo], as_of: date,
             cfg: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[TechPosterior]]:
    """(row weights, posterior mean, sd, bin probabilities, per-technology terms) at one date."""
    lam = row_weights(ev, as_of, cfg)
    n_keys = len(ev.key_ll)
    by_key = np.bincount(ev.tech_code * n_keys + ev.key_code, weights=lam,
                         minlength=len(techs) * n_keys).reshape(len(techs), n_keys)
    evidence = by_key @ ev.key_ll if n_keys else np.zeros((len(techs), len(GRID)))
    mu, sd, probs, parts = np.zeros(len(techs)), np.zeros(len(techs)), np.zeros((len(techs), 4)), []
    for row, tech in enumerate(techs):
        part = tech_posterior(ev, lam, row, tech, as_of, cfg)
        mu[row], sd[row], probs[row] = summarise(part.fixed() + evidence[row], as_of, cfg["temperature"])
        parts.append(part)
    return lam, mu, sd, probs, parts


def recent_sources(ev: Evidence, as_of: date, months: int, n_tech: int) -> np.ndarray:
    """Distinct sources per technology with evidence in the `months` before as_of."""
    now = (as_of - EPOCH).days
    sel = (ev.day <= now) & (ev.day > now - months * DAYS_PER_YEAR / 12)
    return np.bincount(ev.pair_tech[np.unique(ev.pair_code[sel])], minlength=n_tech)


def step(previous: np.ndarray | None, probs: np.ndarray, margin: float,
         allowed: np.ndarray | None = None) -> np.ndarray:
    """Hysteresis: move to the most probable bin only when it beats the current one by `margin`, and
    (where `allowed` is given) only for technologies with evidence from enough independent sources."""
    best = probs.argmax(axis=1)
    if previous is None:
        return best
    move = beats(probs, best, previous, margin)
    if allowed is not None:
        move &= allowed
    return np.where(move, best, previous)


def beats(probs: np.ndarray, best: np.ndarray, current: np.ndarray, margin: float) -> np.ndarray:
    """Per row, whether bin `best` beats bin `current` by more than the hysteresis margin."""
    rows = np.arange(len(best))
    return probs[rows, best] - probs[rows, current] > margin


class MonthChain:
    """Estimates at successive month ends from the first document month, each stepping from the last,
    starting from the baseline horizon; a move needs evidence from `change_min_sources` sources.

    estimate(d) = step(state at the end of the month before d, P(d)): a pure function of the store and d,
    so `previous` (the estimate one month before) is the same as a separate run at that date. The chain
    is computed iteratively (no recursion), so a store reaching back decades costs time, not stack.
    """

    def __init__(self, ev: Evidence, techs: list[TechInfo], first_month: str | None, cfg: dict[str, Any]) -> None:
        self.ev, self.techs, self.cfg = ev, techs, cfg
        self.start = month_end(add_months(date.fromisoformat(first_month + "-01"), -1)) if first_month else None
        self.states: dict[date, np.ndarray] = {}
        # the chain starts from the catalogue's horizon: a forecast becomes in-use on evidence, not on the calendar
        self.baseline = np.array([HORIZONS.index(t.baseline) if t.baseline in HORIZONS else 1 for t in techs])

    def allowed(self, day: date) -> np.ndarray:
        sources = recent_sources(self.ev, day, int(self.cfg["change_window_months"]), len(self.techs))
        return sources >= int(self.cfg["change_min_sources"])

    def state_at_month_end(self, end: date) -> np.ndarray | None:
        if self.start is None or end < self.start:
            return None
        if end not in self.states:
            pending, cursor = [], end
            while cursor not in self.states and cursor >= self.start:
                pending.append(cursor)
                cursor = month_end(add_months(cursor, -1))
            state = self.states.get(cursor)
            for month in reversed(pending):
                _, _, _, probs, parts = probs_at(self.ev, self.techs, month, self.cfg)
                state = self.step(state, probs, parts, month)
                self.states[month] = state
        return self.states[end]

    def step(self, state: np.ndarray | None, probs: np.ndarray, parts: list[TechPosterior], day: date) -> np.ndarray:
        return step(state if state is not None else self.baseline, probs, self.cfg["hysteresis"], self.allowed(day))

    def estimate(self, day: date, probs: np.ndarray, parts: list[TechPosterior]) -> np.ndarray:
        before = self.state_at_month_end(month_end(add_months(date(day.year, day.month, 1), -1)))
        return self.step(before, probs, parts, day)


def snapshot(store: Any, ev: Evidence, techs: list[TechInfo], as_of: date, cfg: dict[str, Any],
             chain: MonthChain) -> Snapshot:
    """Posterior, probabilities and estimate of every technology at one as-of date."""
    lam, mu, sd, probs, parts = probs_at(ev, techs, as_of, cfg)
    overrides = active_overrides(store, as_of)
    bins = chain.estimate(as_of, probs, parts)
    estimates = [overrides[t.id]["estimate"] if t.id in overrides else HORIZONS[int(b)] for t, b in zip(techs, bins)]
    counts = np.bincount(ev.tech_code, weights=(lam > 0).astype(float), minlength=ev.n_tech)
    reach = np.array([p.municipalities for p in parts], dtype=int)
    return Snapshot(as_of, mu, sd, probs, estimates, counts.astype(int), lam, overrides, reach, parts)


def held_by(snap: Snapshot, chain: MonthChain, techs: list[TechInfo]) -> list[str | None]:
    """Per technology, why its estimate is not the most probable bin at snap.as_of: `margin` (the most
    probable bin does not beat the estimate's by the hysteresis margin), `sources` (too few independent
    sources in the change window), `override` (an analyst pinned it), or None (it is the most probable)."""
    best = snap.probs.argmax(axis=1)
    mine = np.array([HORIZONS.index(e) for e in snap.estimates])
    pinned = np.array([t.id in snap.overrides for t in techs], dtype=bool)
    # the conditions `step` moves on, in its order: the margin, then the sources
    reason = np.select([best == mine, pinned, ~beats(snap.probs, best, mine, float(chain.cfg["hysteresis"])),
                        ~chain.allowed(snap.as_of)], ["", "override", "margin", "sources"], "")
    return [str(r) or None for r in reason]


def make_chain(store: Any, ev: Evidence, techs: list[TechInfo], as_of: date, cfg: dict[str, Any]) -> MonthChain:
    return MonthChain(ev, techs, frames.first_month(store, as_of), cfg)


# ------------------------------------------------------------------------------------------ explanation

def posterior_means(loglik: np.ndarray) -> np.ndarray:
    """Expected year of each row of a (n, GRID) matrix of log posteriors."""
    post = np.exp(loglik - logsumexp(loglik, axis=1, keepdims=True))
    return post @ GRID


def pulls(part: TechPosterior, row_ll: np.ndarray) -> dict[str, Any]:
    """Expected year after each term, added in order (prior, silence, reach, documents by date):
    the differences telescope, so the pulls add up to posterior - prior exactly."""
    fixed = np.stack([part.prior, part.prior + part.silence, part.fixed()])
    steps = part.fixed() + np.cumsum(part.weights[:, None] * row_ll, axis=0) if len(row_ll) else np.zeros((0, len(GRID)))
    means = posterior_means(np.vstack([fixed, steps]))
    return {"prior": means[0], "silence": means[1] - means[0], "reach": means[2] - means[1],
            "rows": np.diff(means[2:])}


def evidence_rows(store: Any, ev: Evidence, part: TechPosterior, row_pulls: np.ndarray, limit: int) -> list[dict]:
    """The heaviest documents (recent, independent, trusted sources first), with sentence, weight and pull."""
    if not len(part.rows):
        return []
    order = sorted(range(len(part.rows)), key=lambda i: (-round(float(part.weights[i]), 6), -abs(float(row_pulls[i])), -i))[:limit]
    sub = ev.frame.iloc[part.rows[order]]
    docs = frames.document_details(store, [int(x) for x in sub["document_id"]])
    ments = frames.mention_sentences(store, [int(x) for x in sub["mention_id"]])
    out = []
    for i, r in zip(order, sub.itertuples(index=False)):
        doc, ment = docs.get(int(r.document_id), {}), ments.get(int(r.mention_id), {})
        out.append({
            "document_id": int(r.document_id), "title": doc.get("title"), "url": doc.get("url"),
            "source_id": doc.get("source_id"), "published": doc.get("published"),
            "sentence": ment.get("sentence"), "stage": r.stage, "stage_score": round(float(r.stage_score), 4),
            "weight": round(float(part.weights[i]), 4), "mention_id": int(r.mention_id),
            "pull_years": round(float(row_pulls[i]), 3),
        })
    return out


def estimate_all(store: Any, techs: list[TechInfo], as_of: date, cfg: dict[str, Any],
                 with_evidence: bool = True) -> tuple[list[dict[str, Any]], Snapshot, Evidence, MonthChain]:
    """Contract `scanner horizon --json` objects plus extras, for every technology."""
    ev = load_evidence(store, as_of, techs, cfg)
    chain = make_chain(store, ev, techs, as_of, cfg)
    now = snapshot(store, ev, techs, as_of, cfg, chain)
    prev = snapshot(store, ev, techs, month_before(as_of), cfg, chain)
    out = []
    for row, tech in enumerate(techs):
        over = now.overrides.get(tech.id)
        item: dict[str, Any] = {
            "id": tech.id, "name": tech.name, "family": tech.family, "baseline": tech.baseline,
            "estimate": now.estimates[row], "previous": prev.estimates[row],
            "probabilities": {h: round(float(p), 4) for h, p in zip(HORIZONS, now.probs[row])},
            "changed": now.estimates[row] != prev.estimates[row], "evidence": int(now.counts[row]),
            "municipalities": int(now.municipalities[row]),
            "municipality_share": round(float(now.municipalities[row]) / float(cfg["municipalities_total"]), 4),
            "expected_year": round(float(now.mu[row]), 2), "sd_years": round(float(now.sd[row]), 2),
            "overridden": over is not None, "override_reason": over["reason"] if over else None,
            "top_evidence": [],
        }
        if with_evidence and now.counts[row] > 0:
            part = now.posteriors[row]
            row_ll = ev.key_ll[ev.key_code[part.rows]]
            item["top_evidence"] = evidence_rows(store, ev, part, pulls(part, row_ll)["rows"],
                                                 cfg["top_evidence"])
        out.append(item)
    return out, now, ev, chain


def explain(store: Any, tech: TechInfo, techs: list[TechInfo], as_of: date, cfg: dict[str, Any]) -> dict[str, Any]:
    """Prior, silence and reach terms, every contributing document with its weight and pull, the posterior."""
    ev = load_evidence(store, as_of, techs, cfg)
    now = snapshot(store, ev, techs, as_of, cfg, make_chain(store, ev, techs, as_of, cfg))
    row = [t.id for t in techs].index(tech.id)
    part = now.posteriors[row]
    row_ll = ev.key_ll[ev.key_code[part.rows]]
    terms = pulls(part, row_ll)
    mu0, sd0, p0 = summarise(part.prior, as_of, cfg["temperature"])
    over = now.overrides.get(tech.id)
    return {
        "id": tech.id, "name": tech.name, "as_of": as_of.isoformat(),
        "prior": {"baseline": tech.baseline, "baseline_date": tech.baseline_date,
                  "expected_year": round(mu0, 2), "sd_years": round(sd0, 2),
                  "probabilities": {h: round(float(p), 4) for h, p in zip(HORIZONS, p0)}},
        "silence": {"pull_years": round(float(terms["silence"]), 3),
                    "exempt": tech.baseline in cfg["silence_exempt"]},
        "reach": {"municipalities": part.municipalities,
                  "share": round(part.municipalities / float(cfg["municipalities_total"]), 4),
                  "in_use_share_reached": part.crossed is not None,
                  "pull_years": round(float(terms["reach"]), 3)},
        "evidence_count": int(now.counts[row]),
        "evidence": evidence_rows(store, ev, part, terms["rows"], cfg["top_evidence"]),
        "posterior": {"expected_year": round(float(now.mu[row]), 2), "sd_years": round(float(now.sd[row]), 2),
                      "probabilities": {h: round(float(p), 4) for h, p in zip(HORIZONS, now.probs[row])},
                      "estimate": now.estimates[row]},
        "override": {"estimate": over["estimate"], "reason": over["reason"], "by": over["created_by"],
                     "at": over["created_at"]} if over else None,
    }
