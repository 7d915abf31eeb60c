"""signals_flow: trends, horizons, emerging terms, process impact and review flags."""
from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from scanner.config import load_config
from scanner.signals import api
from scanner.store import open_store


@task(name="compute-signals", cache_policy=NONE)
def compute_signals(db: str, as_of: str | None) -> dict[str, Any]:
    config = load_config()  # once per run
    return api.run_signals(open_store(db, config), as_of, config=config)


@flow(name="signals")
def signals_flow(db: str, as_of: str | None = None) -> dict[str, Any]:
    """Recompute and store every signal as of a date (default now); idempotent."""
    result = compute_signals(db, as_of)
    get_run_logger().info("signals: %s", {k: v for k, v in result.items() if not isinstance(v, (list, dict))})
    return result
