"""`scanner bench classify`: re-tag a generated store with `scanner classify --reclassify --workers N`,
killed part-way and resumed, counting every tagging so a document tagged twice shows."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scanner.bench.tag import generate_docs, insert_docs, peak_rss_mb
from scanner.store import Store

log = logging.getLogger(__name__)

TARGET_DOCS = 200_000
TARGET_S = 600.0
# every write of a document's tags is logged (write_rows replaces doc_tags rows: each is an INSERT)
_LOG_SQL = """
CREATE TABLE IF NOT EXISTS bench_tag_log (document_id INTEGER, run INTEGER);
CREATE TABLE IF NOT EXISTS bench_run (run INTEGER);
INSERT INTO bench_run(run) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM bench_run);
CREATE TRIGGER IF NOT EXISTS bench_tag_logged AFTER INSERT ON doc_tags
BEGIN INSERT INTO bench_tag_log(document_id, run) SELECT NEW.document_id, run FROM bench_run; END;
"""


def build_store(path: Path, n: int, words: int, seed: int) -> None:
    from scanner.catalogue import load_catalogue

    store = Store(path)
    if store.count("documents") < n:
        insert_docs(store, generate_docs(load_catalogue(), n, words, seed)[store.count("documents"):])
    store.conn.executescript(_LOG_SQL)
    store.close()


def _classify(db: Path, workers: int, kill_after: float | None = None) -> tuple[float, bool]:
    """Run the real CLI; (wall seconds, whether it was killed)."""
    cmd = [sys.executable, "-m", "scanner", "--db", str(db), "classify", "--reclassify", "--workers", str(workers)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        proc.wait(timeout=kill_after)
        killed = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its worker processes, like a power cut
        proc.wait()
        killed = True
    if not killed and proc.returncode not in (0, 1):
        stderr = proc.stderr.read() if proc.stderr is not None else b""
        raise RuntimeError(f"classify failed: {stderr.decode(errors='replace')[-500:]}")
    return time.perf_counter() - start, killed


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _set_run(db: Path, run: int) -> None:
    store = Store(db)
    store.conn.execute("UPDATE bench_run SET run = ?", (run,))
    store.conn.commit()
    store.close()


def bench_classify(db: Path, n: int = 20_000, words: int = 600, seed: int = 0, workers: int = 2,
                   kill_fraction: float = 0.4) -> dict[str, Any]:
    """A full re-tag (timed), then a re-tag killed after `kill_fraction` of that time and resumed."""
    build_store(db, n, words, seed)
    _set_run(db, 1)
    cpu_before = _children_cpu()
    full_s, _ = _classify(db, workers)
    full_cpu = _children_cpu() - cpu_before  # the CLI and its workers (reaped by it), startup included
    _set_run(db, 2)
    killed_s, killed = _classify(db, workers, kill_after=full_s * kill_fraction)
    store = Store(db)
    left = store.count("classify_queue")
    _set_run(db, 3)
    store.close()
    resumed_s, _ = _classify(db, workers)
    store = Store(db)
    runs = {r: (c, d) for r, c, d in store.conn.execute(
        "SELECT run, COUNT(*), COUNT(DISTINCT document_id) FROM bench_tag_log GROUP BY run")}
    killed_n, resumed_n = runs.get(2, (0, 0)), runs.get(3, (0, 0))
    twice = store.conn.execute(
        "SELECT COUNT(*) FROM (SELECT document_id FROM bench_tag_log WHERE run IN (2, 3) "
        "GROUP BY document_id HAVING COUNT(*) > 1)").fetchone()[0]
    live = store.conn.execute("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0]
    store.close()
    rate = live / full_s
    return {"docs": live, "workers": workers, "words_per_doc": words, "full_retag_s": round(full_s, 1),
            "docs_per_s": round(rate, 1),
            "extrapolated_200k_s": round(TARGET_DOCS / rate, 1), "target_200k_s": TARGET_S,
            "full_retag_cpu_s": round(full_cpu, 1),
            # on a shared machine the wall clock counts the neighbours' load too: the CPU seconds spread
            # over 2 free cores give the 200k figure this code would reach alone (a projection)
            "cpu_projected_200k_s_on_2_cores": round(full_cpu / 2 * TARGET_DOCS / live, 1),
            "load_average": round(os.getloadavg()[0], 2),
            "killed": killed, "killed_after_s": round(killed_s, 1), "tagged_before_kill": killed_n[0],
            "left_after_kill": left, "resumed_s": round(resumed_s, 1), "tagged_on_resume": resumed_n[0],
            "tagged_twice": twice, "all_tagged_once": twice == 0 and killed_n[1] + resumed_n[1] == live,
            "bench_peak_rss_mb": peak_rss_mb()}
