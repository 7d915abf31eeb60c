"""Harvest the bundled demo corpus through the real HTTP path (served on a random loopback port)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from scanner.config import complete
from scanner.harvest.canonical import origin_aliases
from scanner.harvest.run import HarvestSummary, SourceResult, harvest
from scanner.harvest.sources import parse_sources
from scanner.store import Store


def harvest_demo(store: Store, config: dict[str, Any] | None = None, latency: float = 0.0,
                 site: Path | None = None,
                 on_result: Callable[[SourceResult], None] | None = None) -> HarvestSummary:
    """Serve data/demo/site on loopback, harvest data/demo/sources.toml from it, stop the server."""
    from scanner.demo.server import DEMO_SITE, PLACEHOLDER, demo_sources, serve_directory, stop

    cfg = complete("harvest", config["harvest"] if config and "harvest" in config else config)
    cfg["host_delay_s"] = float(cfg["demo_host_delay_s"])  # our own loopback server, one host
    server, base_url = serve_directory(site or DEMO_SITE, latency=latency)
    try:
        sources = parse_sources({"source": demo_sources(base_url)}, "data/demo/sources.toml")
        with origin_aliases({base_url: PLACEHOLDER}):
            return harvest(store, sources, cfg, on_result=on_result)
    finally:
        stop(server)
