"""Replay the horizon estimates month by month and score them against observed outcomes.

Three forecasters are scored on the same outcome rows (technology, date, observed horizon):
- model: the monitored estimate as of the outcome's month end (what `scanner horizon --as-of` says);
- aged_baseline: the essay's 2019 forecast alone, aged by time (the prior of the model, no evidence);
- persistence: last month's state (the model's estimate and probabilities one month earlier).
"""
from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from scanner.errors import ScannerError
from scanner.signals import horizon as hz
from scanner.signals.catalog import TechInfo
from scanner.signals.periods import MONTH, add_months, month_end, month_key, months_between

FORECASTERS = ("model", "aged_baseline", "persistence")
EPS = 1e-4


@dataclass(frozen=True)
class Outcome:
    technology: str
    month: str          # YYYY-MM: scored with the estimate as of that month's last day
    horizon: str
    line: int


@dataclass
class Forecast:
    probs: np.ndarray   # (4,)
    estimate: str


@dataclass
class Replay:
    months: list[str]
    techs: list[TechInfo]
    model: dict[str, list[Forecast]] = field(default_factory=dict)     # month -> per technology
    baseline: dict[str, list[Forecast]] = field(default_factory=dict)
    held: list[str | None] = field(default_factory=list)  # at the last month: why not the most probable bin
    rows: dict[str, int] = field(init=False, repr=False)  # technology -> its row in every per-technology list

    def __post_init__(self) -> None:
        self.rows = {t.id: k for k, t in enumerate(self.techs)}


def read_outcomes(path: Path, known: set[str]) -> list[Outcome]:
    """Rows of an outcomes TSV (header technology, date, horizon, ...); a bad row is one clear error."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
    except OSError as exc:
        raise ScannerError(f"cannot read outcomes file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ScannerError(f"{path}: not UTF-8 text") from None
    if rows and not {"technology", "date", "horizon"} <= set(rows[0]):
        raise ScannerError(f"{path}: header must name technology, date and horizon (tab-separated)")
    out = []
    for n, row in enumerate(rows, start=2):
        tech, day, horizon = (str(row.get(k) or "").strip() for k in ("technology", "date", "horizon"))
        if tech not in known:
            raise ScannerError(f"{path}:{n}: unknown technology {tech!r}")
        if horizon not in hz.HORIZONS:
            raise ScannerError(f"{path}:{n}: horizon {horizon!r} is not one of {', '.join(hz.HORIZONS)}")
        try:
            date.fromisoformat(day[:7] + "-01")
        except ValueError:
            raise ScannerError(f"{path}:{n}: date {day!r} is not YYYY-MM or YYYY-MM-DD") from None
        out.append(Outcome(tech, day[:7], horizon, n))
    if not out:
        raise ScannerError(f"{path}: no outcome rows")
    return out


def replay(store: Any, techs: list[TechInfo], first: str, last: str, cfg: dict[str, Any]) -> Replay:
    """Model and aged-baseline forecasts at every month end from the month before `first` to `last`."""
    last_day = month_end(date.fromisoformat(last + "-01"))
    ev = hz.load_evidence(store, last_day, techs, cfg)
    chain = hz.make_chain(store, ev, techs, last_day, cfg)
    start = month_key(add_months(date.fromisoformat(first + "-01"), -1))
    result = Replay(months_between(start, last), techs)
    priors = [hz.prior_loglik(t, cfg) for t in techs]
    for month in result.months:
        day = month_end(date.fromisoformat(month + "-01"))
        snap = hz.snapshot(store, ev, techs, day, cfg, chain)
        result.model[month] = [Forecast(p, e) for p, e in zip(snap.probs, snap.estimates)]
        aged = [hz.summarise(p, day)[2] for p in priors]  # the reference forecast is never tempered
        result.baseline[month] = [Forecast(p, hz.HORIZONS[int(p.argmax())]) for p in aged]
        if month == result.months[-1]:
            result.held = hz.held_by(snap, chain, techs)
    return result


def forecast_for(rep: Replay, who: str, outcome: Outcome) -> Forecast:
    row = rep.rows[outcome.technology]
    if who == "aged_baseline":
        return rep.baseline[outcome.month][row]
    if who == "persistence":
        return rep.model[month_key(add_months(date.fromisoformat(outcome.month + "-01"), -1))][row]
    return rep.model[outcome.month][row]


def scores(pairs: list[tuple[Forecast, str]]) -> dict[str, Any]:
    """Multi-class Brier, log loss, accuracy, macro recall over the observed bins, mean absolute bin error."""
    if not pairs:
        return {"brier": None, "log_loss": None, "accuracy": None, "macro_recall": None, "mae_bins": None, "n": 0}
    brier, logloss, hits, errors = [], [], [], []
    recall: dict[str, list[bool]] = {}
    for fc, truth in pairs:
        brier.append(brier_of(fc, truth))
        logloss.append(-math.log(max(float(fc.probs[hz.HORIZONS.index(truth)]), EPS)))
        hits.append(fc.estimate == truth)
        errors.append(abs(hz.HORIZONS.index(fc.estimate) - hz.HORIZONS.index(truth)))
        recall.setdefault(truth, []).append(fc.estimate == truth)
    return {"brier": round(float(np.mean(brier)), 4), "log_loss": round(float(np.mean(logloss)), 4),
            "accuracy": round(float(np.mean(hits)), 4),
            "macro_recall": round(float(np.mean([np.mean(v) for v in recall.values()])), 4),
            "mae_bins": round(float(np.mean(errors)), 4), "n": len(pairs)}


def score_all(rep: Replay, outcomes: list[Outcome]) -> dict[str, Any]:
    """The contract figures over all rows, plus the same per outcome date."""
    out: dict[str, Any] = {who: scores([(forecast_for(rep, who, o), o.horizon) for o in outcomes])
                           for who in FORECASTERS}
    out["by_date"] = {m: {who: scores([(forecast_for(rep, who, o), o.horizon) for o in outcomes if o.month == m])
                          for who in FORECASTERS}
                      for m in sorted({o.month for o in outcomes})}
    return out


def brier_of(fc: Forecast, truth: str) -> float:
    """Multi-class Brier score of one forecast: squared distance to the observed bin's one-hot vector."""
    return float(((fc.probs - np.eye(4)[hz.HORIZONS.index(truth)]) ** 2).sum())


def brier_by_tech(rep: Replay, outcomes: list[Outcome], who: str) -> dict[str, tuple[float, int]]:
    """Per technology: (summed Brier score, rows); the unit a bootstrap resamples."""
    out: dict[str, tuple[float, int]] = {}
    for o in outcomes:
        total, n = out.get(o.technology, (0.0, 0))
        out[o.technology] = (total + brier_of(forecast_for(rep, who, o), o.horizon), n + 1)
    return out


MIN_BOOTSTRAP_TECHS = 5


def bootstrap_difference(a: dict[str, tuple[float, int]], b: dict[str, tuple[float, int]], reps: int = 2000,
                         seed: int = 0) -> dict[str, Any]:
    """Mean Brier of `a` minus `b` on the same rows (negative: `a` is better), with a 95% interval from a
    bootstrap over technologies (a technology's rows at several dates are not independent) and the share of
    resamples in which `a` scores better; no interval below MIN_BOOTSTRAP_TECHS technologies."""
    techs = sorted(a)
    diff = np.array([a[t][0] - b[t][0] for t in techs])
    rows = np.array([a[t][1] for t in techs], dtype=float)
    out: dict[str, Any] = {"difference": round(float(diff.sum() / rows.sum()) + 0.0, 4), "technologies": len(techs),
                           "low": None, "high": None, "better_share": None}
    if len(techs) >= MIN_BOOTSTRAP_TECHS:
        draws = np.random.default_rng(seed).integers(0, len(techs), size=(reps, len(techs)))
        means = diff[draws].sum(axis=1) / rows[draws].sum(axis=1)
        out.update(low=round(float(np.percentile(means, 2.5)) + 0.0, 4),
                   high=round(float(np.percentile(means, 97.5)) + 0.0, 4),
                   better_share=round(float(np.mean(means < 0)), 3))
    return out


def brier_difference(rep: Replay, outcomes: list[Outcome], other: str) -> dict[str, Any]:
    """The monitored estimate against another forecaster on the same rows (bootstrap_difference)."""
    return bootstrap_difference(brier_by_tech(rep, outcomes, "model"), brier_by_tech(rep, outcomes, other))


def calibration(rep: Replay, outcomes: list[Outcome], who: str, bins: int = 10) -> dict[str, Any]:
    """Reliability table over every (outcome, horizon bin) pair and the expected calibration error."""
    probs, hits = [], []
    for o in outcomes:
        fc = forecast_for(rep, who, o)
        probs += list(fc.probs)
        hits += [h == o.horizon for h in hz.HORIZONS]
    p, y = np.array(probs), np.array(hits, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    table = [{"lo": round(float(edges[b]), 2), "hi": round(float(edges[b + 1]), 2), "n": int((idx == b).sum()),
              "mean_p": round(float(p[idx == b].mean()), 4) if (idx == b).any() else None,
              "observed": round(float(y[idx == b].mean()), 4) if (idx == b).any() else None}
             for b in range(bins)]
    ece = sum(r["n"] * abs(float(r["mean_p"] or 0.0) - float(r["observed"] or 0.0))
              for r in table if r["n"]) / max(len(p), 1)
    return {"bins": table, "ece": round(float(ece), 4)}


def run(store: Any, techs: list[TechInfo], outcomes_path: Path, cfg: dict[str, Any],
        first: str | None = None, last: str | None = None,
        intervals: bool = True) -> tuple[dict[str, Any], Replay, list[Outcome]]:
    """Read outcomes, replay from `first` (default: the earliest outcome month) to `last` (default: the
    latest), and score. Outcome rows outside the range are left out. `intervals`: also the bootstrap of the
    issue's two Brier comparisons (the reruns of `tune` and `sensitivity` leave it out)."""
    outcomes = read_outcomes(outcomes_path, {t.id for t in techs})
    first = first or min(o.month for o in outcomes)
    last = last or max(o.month for o in outcomes)
    if first > last:
        raise ScannerError(f"--from {first} is after --to {last}")
    kept = [o for o in outcomes if first <= o.month <= last]
    if not kept:
        raise ScannerError(f"no outcome rows between {first} and {last}")
    rep = replay(store, techs, first, last, cfg)
    figures = score_all(rep, kept)
    figures["calibration"] = {who: calibration(rep, kept, who)["ece"] for who in FORECASTERS}
    if intervals:
        latest = max(o.month for o in kept)
        # the two comparisons: last month's state over all rows, the aged baseline at the latest date
        figures["brier_difference"] = {"all_rows": brier_difference(rep, kept, "persistence"),
                                       "latest": brier_difference(rep, [o for o in kept if o.month == latest],
                                                                  "aged_baseline")}
    figures["range"] = {"from": first, "to": last, "months": len(rep.months) - 1}
    if intervals:
        figures["latest_rows"] = latest_rows(rep, kept)
    return figures, rep, kept


def latest_rows(rep: Replay, outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Per technology at the latest outcome date: observed, estimated and aged-baseline bins and the
    probability each forecaster gave the observed bin (what the macro recall and bin error are made of)."""
    latest = max(o.month for o in outcomes)
    out = []
    for o in sorted((o for o in outcomes if o.month == latest), key=lambda o: o.technology):
        model, aged = forecast_for(rep, "model", o), forecast_for(rep, "aged_baseline", o)
        k = hz.HORIZONS.index(o.horizon)
        held = rep.held[rep.rows[o.technology]] if o.month == rep.months[-1] else None
        out.append({"technology": o.technology, "date": o.month, "observed": o.horizon,
                    "estimate": model.estimate, "aged_baseline": aged.estimate,
                    "p_observed": round(float(model.probs[k]), 4),
                    "aged_p_observed": round(float(aged.probs[k]), 4),
                    "most_probable": hz.HORIZONS[int(model.probs.argmax())], "held_by": held})
    return out


def sensitivity(store: Any, techs: list[TechInfo], outcomes_path: Path, cfg: dict[str, Any], first: str | None,
                last: str | None, vary: dict[str, list[float]]) -> list[dict[str, Any]]:
    """The backtest again with one [horizon] setting changed at a time: how much the figures depend on
    the model's knobs (a verdict that holds only at one value is no verdict)."""
    rows = []
    for key, values in vary.items():
        for value, setting in zip(values, _checked_setting(cfg, key, values, "--vary")):
            fig, _, _ = run(store, techs, outcomes_path, with_settings(cfg, {key: setting}), first, last,
                            intervals=False)
            final = fig["by_date"][max(fig["by_date"])]
            rows.append({"setting": key, "value": value, "configured": float(setting_of(cfg, key)) == value,
                         "all_rows": {who: fig[who]["brier"] for who in ("model", "persistence")},
                         "last_date": max(fig["by_date"]),
                         "last": {who: {k: final[who][k] for k in ("brier", "macro_recall", "mae_bins")}
                                  for who in ("model", "aged_baseline")}})
    return rows


def setting_of(cfg: dict[str, Any], key: str) -> Any:
    """A [horizon] value by key; a dotted key reads one entry of a table (`strength.adoption`)."""
    head, _, entry = key.partition(".")
    value = cfg.get(head)
    if entry:
        return value.get(entry) if isinstance(value, dict) else None
    return value


def with_settings(cfg: dict[str, Any], setting: dict[str, Any]) -> dict[str, Any]:
    """A copy of cfg with `setting` applied; dotted keys replace one entry of a table, not the table.

    >>> with_settings({"strength": {"adoption": 1.0, "pilot": 0.6}}, {"strength.adoption": 0.5})
    {'strength': {'adoption': 0.5, 'pilot': 0.6}}
    """
    out = dict(cfg)
    for key, value in setting.items():
        head, _, entry = key.partition(".")
        out[head] = {**out[head], entry: value} if entry else value
    return out


def _checked_setting(cfg: dict[str, Any], key: str, values: list[float], flag: str) -> list[float | int]:
    """The values as the setting's own type; a key that is no numeric [horizon] setting is one clear error."""
    current = setting_of(cfg, key)
    if current is None or isinstance(current, (dict, list, str, bool)):
        raise ScannerError(f"{flag} {key}: not a numeric [horizon] setting (a table entry is written table.entry)")
    if isinstance(current, int) and any(v != int(v) for v in values):
        raise ScannerError(f"{flag} {key}: a whole number is needed")
    return [int(v) if isinstance(current, int) else v for v in values]


def tune(store: Any, techs: list[TechInfo], outcomes_path: Path, cfg: dict[str, Any], first: str | None,
         last: str | None, grid: dict[str, list[float]], before: str | None = None) -> dict[str, Any]:
    """Every combination of the grid's [horizon] values, ranked by the Brier score on the outcome rows dated
    before `before` (default: the latest outcome date), with the held-out rows' figures beside it.

    Settings are chosen on earlier outcomes and judged on later ones, which chose nothing: the way a model
    is tuned on the past and tested on the future."""
    if before is not None and not MONTH.fullmatch(before):
        raise ScannerError(f"--tune-before must be YYYY-MM, not {before!r}")
    checked = {key: _checked_setting(cfg, key, values, "--tune") for key, values in grid.items()}
    scored: list[tuple[float, bool, dict[str, tuple[float, int]], dict[str, Any]]] = []
    for combo in itertools.product(*checked.values()):
        setting = dict(zip(checked, combo))
        fig, rep, kept = run(store, techs, outcomes_path, with_settings(cfg, setting), first, last, intervals=False)
        cut, last_date = before or max(o.month for o in kept), max(fig["by_date"])
        early, held = [o for o in kept if o.month < cut], [o for o in kept if o.month >= cut]
        if not early or not held:
            raise ScannerError(f"--tune-before {cut}: no outcome rows to choose on before it, or none held out "
                               f"from it on (outcomes {min(o.month for o in kept)} .. {last_date})")
        per_tech = brier_by_tech(rep, early, "model")
        configured = all(float(setting_of(cfg, k)) == float(v) for k, v in setting.items())
        row = {"setting": setting, "configured": configured,
               "choose": {who: scores([(forecast_for(rep, who, o), o.horizon) for o in early])
                          for who in ("model", "persistence")},
               "held_out": {who: scores([(forecast_for(rep, who, o), o.horizon) for o in held])
                            for who in ("model", "aged_baseline")}}
        # ranked on the unrounded Brier; a tie keeps the configured values
        scored.append((sum(b for b, _ in per_tech.values()) / len(early), not configured, per_tech, row))
    scored.sort(key=lambda x: x[:2])
    best, mine = scored[0], next((x for x in scored if not x[1]), None)
    margin = bootstrap_difference(best[2], mine[2]) if mine is not None and mine is not best else None
    return {"before": cut, "last_date": last_date, "held_out_rows": len(held), "rows": [x[3] for x in scored],
            "chosen": best[3]["setting"], "configured_is_chosen": best[3]["configured"],
            "chosen_minus_configured": margin}


def tempered(probs: np.ndarray, t: float) -> np.ndarray:
    """Bin probabilities raised to 1/t and renormalised (t > 1 widens them)."""
    p = np.clip(probs, EPS, 1.0) ** (1.0 / t)
    return p / p.sum()


def fit_temperature(pairs: list[tuple[np.ndarray, str]]) -> float:
    """The temperature that minimises the log loss of (probabilities, observed horizon) pairs."""
    from scipy.optimize import minimize_scalar

    def loss(t: float) -> float:
        return -float(np.mean([math.log(max(tempered(p, t)[hz.HORIZONS.index(h)], EPS)) for p, h in pairs]))

    return round(float(minimize_scalar(loss, bounds=(0.2, 10.0), method="bounded").x), 3)


def calibrate(rep: Replay, outcomes: list[Outcome]) -> dict[str, Any]:
    """Leave-one-technology-out temperature: fitted on the other technologies' rows, scored on the held-out
    ones, so the reported improvement is what a fitted temperature would give on unseen technologies."""
    rows = [(forecast_for(rep, "model", o), o) for o in outcomes]
    held: list[tuple[Forecast, str]] = []
    for tech in sorted({o.technology for o in outcomes}):
        others = [(f.probs, o.horizon) for f, o in rows if o.technology != tech]
        t = fit_temperature(others) if others else 1.0
        held += [(Forecast(tempered(f.probs, t), f.estimate), o.horizon) for f, o in rows if o.technology == tech]
    return {"temperature_all_rows": fit_temperature([(f.probs, o.horizon) for f, o in rows]),
            "model": scores([(f, o.horizon) for f, o in rows]), "model_tempered_cv": scores(held)}
