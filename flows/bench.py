"""`scanner bench flows`: the demo pipeline through Prefect versus the library alone (server already up)."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from scanner.config import push_override
from scanner.demo.server import DEMO_DIR, DEMO_SITE, demo_sources, serve_directory, stop
from scanner.digest.build import resolve_month
from scanner.pipeline import last_month_with_data, run_library
from scanner.signals.classify import default_tagger
from scanner.store import Store


def _prefect_run(db: Path, sources: list[dict[str, Any]], out: Path) -> float:
    from flows.digest import digest_flow
    from flows.monitor import monitor_flow

    start = time.perf_counter()
    monitor_flow(db=str(db), sources=sources, with_digest=False)
    month = last_month_with_data(Store(db), resolve_month(None))
    digest_flow(db=str(db), month=month, out=str(out))
    return time.perf_counter() - start


def _library_run(db: Path, sources: list[dict[str, Any]], out: Path) -> float:
    store = Store(db)
    start = time.perf_counter()
    run_library(store, sources)
    from scanner.digest.build import build_digest

    build_digest(store, last_month_with_data(store, resolve_month(None)), out)
    return time.perf_counter() - start


def bench_flows(max_sources: int | None = None) -> dict[str, float]:
    """Both runs harvest the demo corpus (or its first max_sources sources) from a loopback server."""
    push_override(DEMO_DIR / "config.toml")
    default_tagger()  # build the spaCy pipelines once, outside both timings
    server, base = serve_directory(DEMO_SITE)
    try:
        sources = demo_sources(base)[:max_sources] if max_sources else demo_sources(base)
        with tempfile.TemporaryDirectory(prefix="hs-bench-flows-") as tmp:
            root = Path(tmp)
            total = _prefect_run(root / "prefect.db", sources, root / "d1")
            library = _library_run(root / "library.db", sources, root / "d2")
    finally:
        stop(server)
    overhead = total - library
    return {"demo_total_s": round(total, 2), "library_only_s": round(library, 2),
            "prefect_overhead_s": round(overhead, 2), "overhead_share": round(overhead / total, 3)}
