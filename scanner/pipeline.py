"""The whole pipeline without Prefect: harvest -> classify -> signals -> digest (also the bench baseline)."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from scanner.config import Config, load_config
from scanner.store import Store

log = logging.getLogger(__name__)


def last_month_with_data(store: Store, before: str) -> str | None:
    """The latest month (YYYY-MM) up to `before` that has documents, for the demo digest."""
    row = store.conn.execute(
        "SELECT substr(max(published), 1, 7) FROM documents WHERE substr(published, 1, 7) <= ?", (before,)
    ).fetchone()
    return row[0] if row and row[0] else None


def run_library(store: Store, sources: list[dict[str, Any]], as_of: str | None = None,
                digest_month: str | None = None, digest_dir: Path | None = None, lang: str = "nl",
                config: Config | None = None) -> dict:
    """Run every stage in-process and time each; the Prefect flows do the same with orchestration.

    config: the run's configuration, passed to every stage (loaded here when not given)."""
    from scanner.digest.build import build_digest
    from scanner.harvest.run import harvest
    from scanner.harvest.sources import parse_sources
    from scanner.signals.api import classify, run_signals

    config = config if config is not None else load_config()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    summary = harvest(store, parse_sources({"source": sources}, origin="pipeline"), config)
    timings["harvest_s"] = time.perf_counter() - start
    mark = time.perf_counter()
    counts = classify(store, config=config)
    timings["classify_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    signals = run_signals(store, as_of, config=config)
    timings["signals_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    path = build_digest(store, digest_month, digest_dir, lang, config=config) if digest_month else None
    timings["digest_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - start
    return {"harvest": summary.as_dict(), "classify": counts, "signals": signals,
            "digest": str(path) if path else None, "timings": timings}
