"""Harvest the bundled demo corpus through the real HTTP path (served on a random loopback port)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from scanner.harvest.run import HarvestSummary, SourceResult, harvest
from scanner.harvest.sources import parse_sources
from scanner.store import Store


def harvest_demo(store: Store, config: dict[str, Any] | None = None, latency: float = 0.0,
                 site: Path | None = None,
                 on_result: Callable[[SourceResult], None] | None = None) -> HarvestSummary:
    """Serve data/demo/site on loopback, harvest data/demo/sources.toml from it, stop the server."""
    from scanner.config import load_config
    from scanner.demo.server import DEMO_SITE, demo_sources, serve_directory, stop

    server, base_url = serve_directory(site or DEMO_SITE, latency=latency)
    try:
        sources = parse_sources({"source": demo_sources(base_url)}, "data/demo/sources.toml")
        return harvest(store, sources, config or load_config(), on_result=on_result)
    finally:
        stop(server)
