"""`scanner bench ui`: render time of the review queue page with many open flags."""
from __future__ import annotations

import logging
import random
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from scanner.config import load_config
from scanner.signals.flags import FLAG_TYPES
from scanner.store import Store
from scanner.util import dumps, iso, utcnow

log = logging.getLogger(__name__)
BENCH_TECHS = ("chatbots", "digital-twins", "drones")  # subjects of the seeded flags


def seed_flags(store: Store, n: int, seed_value: int = 7) -> None:
    """n open flags spread over types and technologies (bench and paging tests)."""
    rng = random.Random(seed_value)
    techs = list(BENCH_TECHS)
    now = iso(utcnow())
    rows = []
    for i in range(n):
        tech = techs[i % len(techs)]
        evidence = [{"title": f"Document {i}", "url": f"https://example.org/{i}", "source": "bench",
                     "published": "2026-10-01", "sentence": f"Sentence {i} about {tech}.", "stage": "pilot"}]
        rows.append((FLAG_TYPES[i % len(FLAG_TYPES)], f"{tech}-{i}", tech, None, "2026-10", rng.random(),
                     f"Flag {i} for {tech}", dumps(evidence), "open", now, f"bench:{i}"))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO flags(type, subject, tech, process, month, score, title, evidence, status, created_at, "
            "dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def login(client: Any, name: str, password: str, next_url: str = "/") -> Any:
    """Log a TestClient in through the real login form (fetching its CSRF token); returns the POST response."""
    page = client.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    return client.post("/login", data={"username": name, "password": password, "next": next_url,
                                       "csrf": token.group(1) if token else ""}, follow_redirects=False)


def bench_ui(flags: int | None = None, repeats: int | None = None) -> dict[str, Any]:
    """Seed a temporary store with open flags, log in, and time GET / (median of repeats)."""
    from fastapi.testclient import TestClient

    from scanner.review import auth
    from scanner.review.app import create_app

    config = load_config()  # once per bench run
    cfg = config.review
    flags, repeats = int(flags or cfg["bench_flags"]), int(repeats or cfg["bench_repeats"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store(path)
        seed_flags(store, flags)
        auth.add_user(store, "bench", "bench-password-1")
        store.close()
        client = TestClient(create_app(path, config=config))  # the real catalogue (an empty view when none loads)
        if login(client, "bench", "bench-password-1").status_code != 303:
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
