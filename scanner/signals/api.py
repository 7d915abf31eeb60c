"""The public signals API used by the CLI, the flows, the digest and the review UI."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from scanner.catalogue import Catalogue
from scanner.config import load_config
from scanner.errors import ScannerError
from scanner.signals import catalog, emerging as emerging_mod, horizon as horizon_mod, impact, run, trends as trends_mod
from scanner.signals.classify import classify as _classify
from scanner.signals.classify import classify_batch, write_rows  # noqa: F401  (re-exported pieces)
from scanner.signals.periods import parse_as_of
from scanner.store import Store

AsOf = str | date | None


def _config(config: dict | None) -> dict:
    """The caller's run config; a library caller that passes none gets scanner/defaults.toml + overrides."""
    return config if config is not None else load_config()


def _setup(store: Store, as_of: AsOf, catalogue: Catalogue | None, config: dict | None) -> tuple[date, Catalogue, dict]:
    return parse_as_of(as_of), catalog.resolve(store, catalogue), _config(config)


def classify(store: Store, catalogue: Catalogue | None = None, reclassify: bool = False, workers: int = 1,
             batch_size: int | None = None, progress: Callable[[int, int], None] | None = None,
             config: dict | None = None, **kwargs: Any) -> dict:
    """Tag every document not yet tagged by the current lexicon/model version; returns counts.

    batch_size: documents per batch and transaction (default: the run config's [signals] classify_batch_size)."""
    size = batch_size or int(_config(config)["signals"]["classify_batch_size"])
    return _classify(store, catalogue, reclassify, workers, size, progress, **kwargs)


def trends(store: Store, as_of: AsOf = None, catalogue: Catalogue | None = None, config: dict | None = None) -> list[dict]:
    """Contract `scanner trends --json` objects (+ name, family, mentions, sources, stage_mix, growth, slopes)."""
    day, cat, cfg = _setup(store, as_of, catalogue, config)
    return trends_mod.compute(store, day, catalog.technologies(cat), cfg["signals"]).items


def horizons(store: Store, as_of: AsOf = None, catalogue: Catalogue | None = None, config: dict | None = None) -> list[dict]:
    """Contract `scanner horizon --json` objects (+ expected_year, overridden, override_reason, top_evidence)."""
    day, cat, cfg = _setup(store, as_of, catalogue, config)
    return horizon_mod.estimate_all(store, catalog.technologies(cat), day, cfg["horizon"])[0]


def explain(store: Store, tech: str, as_of: AsOf = None, catalogue: Catalogue | None = None, config: dict | None = None) -> dict:
    """Prior, contributing documents with weights, posterior for one technology."""
    day, cat, cfg = _setup(store, as_of, catalogue, config)
    techs = catalog.technologies(cat)
    match = [t for t in techs if t.id == tech]
    if not match:
        raise ScannerError(f"unknown technology {tech!r}")
    from scanner.signals.official_reach import official_reach

    result = horizon_mod.explain(store, match[0], techs, day, cfg["horizon"])
    result["official_reach"] = official_reach(store, tech, day)  # council, regulation and tender evidence
    return result


def emerging(store: Store, as_of: AsOf = None, top: int = 20, catalogue: Catalogue | None = None,
             config: dict | None = None, include_rejected: bool = False) -> list[dict]:
    """Contract `scanner emerging --json` objects (+ sources, growth and the score components), best first:
    the top candidates, every accepted term and, with include_rejected, the rejected ones."""
    day, cat, cfg = _setup(store, as_of, catalogue, config)
    return emerging_mod.find(store, day, cat, cfg["emerging"], top, include_rejected=include_rejected)


def export_accepted_terms(store: Store, out_dir: Any, as_of: AsOf = None, catalogue: Catalogue | None = None,
                          config: dict | None = None) -> Any:
    """Write accepted emerging terms to out_dir/accepted-terms.yaml (proposals for the catalogue); the path."""
    from pathlib import Path

    import yaml

    day, cat, cfg = _setup(store, as_of, catalogue, config)
    items = emerging_mod.find(store, day, cat, cfg["emerging"], 1)
    proposals = emerging_mod.catalogue_proposals(items, cat)
    path = Path(out_dir) / "accepted-terms.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Emerging terms analysts accepted, as of " + day.isoformat() + ". Add each to technologies.yaml\n"
              "# as a new entry or as synonyms of one (scanner review new-technology / scanner review synonym).\n")
    path.write_text(header + yaml.safe_dump({"accepted_terms": proposals}, sort_keys=False, allow_unicode=True,
                                            width=110), encoding="utf-8")
    return path


def process_impact(store: Store, as_of: AsOf = None, catalogue: Catalogue | None = None, config: dict | None = None,
                   horizons: list[dict[str, Any]] | None = None) -> dict:
    """Impact shares (immediate/coming/slow), the baseline shares and per-process detail.

    `horizons`: the technologies' horizon estimates as of the same day when the caller has them already."""
    day, cat, cfg = _setup(store, as_of, catalogue, config)
    if horizons is None:
        horizons = horizon_mod.estimate_all(store, catalog.technologies(cat), day, cfg["horizon"],
                                            with_evidence=False)[0]
    touch = impact.touching(store, day, cfg["signals"]["process_min_documents"])
    return impact.estimate(catalog.processes(cat), horizons, touch, cfg["signals"], day)


def run_signals(store: Store, as_of: AsOf = None, catalogue: Catalogue | None = None, config: dict | None = None) -> dict:
    """Compute and store trends, horizons (+ monthly history), emerging terms, process impact; write flags."""
    day, cat, cfg = _setup(store, as_of, catalogue, config)
    return run.run(store, day, catalog.technologies(cat), catalog.processes(cat), cat, cfg)


def backtest(store: Store, outcomes: Any, first: str | None = None, last: str | None = None, out_dir: Any = None,
             catalogue: Catalogue | None = None, config: dict | None = None, command: str = "scanner backtest",
             vary: dict[str, list[float]] | None = None, tune: dict[str, list[float]] | None = None,
             tune_before: str | None = None) -> tuple[dict, Any]:
    """Replay and score the horizon estimates against an outcomes TSV; writes the report when out_dir is given.
    `vary` ({[horizon] key: values}) adds the figures with one setting changed at a time; `tune` ranks every
    combination of its values by the Brier score on the outcome rows dated before `tune_before` (default:
    the latest outcome date), so that settings can be chosen on earlier outcomes and judged on later ones.

    Returns (figures, path of report.md or None)."""
    from pathlib import Path

    from scanner.signals import backtest as bt
    from scanner.signals import backtest_report

    cat, cfg = catalog.resolve(store, catalogue), _config(config)
    figures, rep, kept = bt.run(store, catalog.technologies(cat), Path(outcomes), cfg["horizon"], first, last)
    figures["temperature"] = bt.calibrate(rep, kept)
    if vary:
        figures["sensitivity"] = bt.sensitivity(store, catalog.technologies(cat), Path(outcomes), cfg["horizon"],
                                                first, last, vary)
    if tune:
        figures["tuning"] = bt.tune(store, catalog.technologies(cat), Path(outcomes), cfg["horizon"], first, last,
                                    tune, tune_before)
    report = backtest_report.write(Path(out_dir), figures, rep, kept, command) if out_dir is not None else None
    return figures, report
