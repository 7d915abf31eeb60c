"""`scanner bench ui`: render time of the review queue page with many open flags."""
from __future__ import annotations

import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from scanner.config import load_config

log = logging.getLogger(__name__)


def bench_ui(flags: int | None = None, repeats: int | None = None) -> dict[str, Any]:
    """Seed a temporary store with open flags, log in, and time GET / (median of repeats)."""
    from fastapi.testclient import TestClient

    from scanner.review import auth, sample
    from scanner.review.app import create_app
    from scanner.store import Store

    cfg = load_config()["review"]
    flags, repeats = int(flags or cfg["bench_flags"]), int(repeats or cfg["bench_repeats"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store(path)
        sample.seed_many(store, flags)
        auth.add_user(store, "bench", "bench-password-1")
        store.close()
        client = TestClient(create_app(path))  # the real catalogue (an empty view when none loads)
        if sample.login(client, "bench", "bench-password-1").status_code != 303:
            raise RuntimeError("bench login failed")
        pages = {"queue": "/", "queue_filtered": "/?type=burst&family=dataplatforms", "api": "/api/flags"}
        out: dict[str, Any] = {}
        for key, url in pages.items():
            client.get(url)  # warm-up: templates compiled, catalogue cached
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
            out[f"{key}_ms"] = round(statistics.median(times), 1)
        app: Any = client.app
        app.state.store.close()
    result = {"queue_ms": out["queue_ms"], "flags": flags, "repeats": repeats,
              "queue_filtered_ms": out["queue_filtered_ms"], "api_flags_ms": out["api_ms"],
              "target_ms": int(cfg["bench_target_ms"]), "ok": out["queue_ms"] < float(cfg["bench_target_ms"])}
    log.info("bench ui: %s", result)
    return result
