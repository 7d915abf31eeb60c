"""Two harvests of the same input agree, whatever the thread timing: the same documents, the same originals."""
from __future__ import annotations

import threading
import time

import pytest

from scanner.config import load_config
from scanner.harvest.order import CommitOrder
from scanner.store import Store


def _snapshot(store: Store) -> list[tuple]:
    return [tuple(r.values()) for r in store.query(
        "SELECT d.uid, o.uid AS original, d.content_hash, d.title, d.language, d.published_precision, "
        "CASE WHEN d.published_estimated THEN NULL ELSE d.published END AS published, length(d.text) AS chars "
        "FROM documents d LEFT JOIN documents o ON o.id = d.duplicate_of ORDER BY d.uid")]


def test_commit_order_lets_sources_commit_in_the_given_order_only():
    order = CommitOrder(["a", "b", "c", "d"])
    committed: list[str] = []

    def source(name: str, delay: float) -> None:
        time.sleep(delay)
        order.take(name)
        committed.append(name)
        order.release(name)

    threads = [threading.Thread(target=source, args=(n, d)) for n, d in (("d", 0), ("c", 0.05), ("b", 0.1))]
    for t in threads:
        t.start()
    time.sleep(0.2)
    assert committed == []  # everyone waits for "a"
    order.release("a")  # "a" failed or was skipped
    for t in threads:
        t.join(5)
    assert committed == ["b", "c", "d"]
    order.take("unknown")  # ids outside the order never wait


@pytest.mark.slow
def test_demo_harvest_twice_with_16_workers_gives_the_same_store(tmp_path):
    from scanner.harvest.demo import harvest_demo

    cfg = load_config()["harvest"]
    cfg.update(source_workers=16, max_concurrency=16, per_host=16)
    snapshots, summaries = [], []
    for run in range(2):
        store = Store(tmp_path / f"run{run}.db")
        summary = harvest_demo(store, cfg)
        summaries.append(summary.as_dict())
        snapshots.append(_snapshot(store))
        store.close()
    assert summaries[0] == summaries[1] and summaries[0]["sources_failed"] == 0
    assert len(snapshots[0]) > 1500
    assert snapshots[0] == snapshots[1]


@pytest.mark.slow
def test_two_demo_runs_give_byte_identical_analysis_and_digests(tmp_path):
    import subprocess
    import sys

    from typer.testing import CliRunner

    from scanner.cli.main import app

    outputs = []
    for run in ("a", "b"):
        folder = tmp_path / run
        folder.mkdir()
        proc = subprocess.run([sys.executable, "-m", "scanner", "--db", str(folder / "demo.db"), "demo",
                               "--no-prefect"], cwd=folder, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        got = {}
        for command in ("trends", "horizon", "emerging"):
            result = CliRunner().invoke(app, ["--db", str(folder / "demo.db"), command, "--json",
                                              "--as-of", "2026-10-31"])
            assert result.exit_code == 0, result.output
            got[command] = result.stdout
        digest = folder / "data" / "digests" / "2026-10"
        got.update({str(p.relative_to(digest)): p.read_bytes() for p in sorted(digest.rglob("*")) if p.is_file()})
        outputs.append(got)
    assert "index.html" in outputs[0] and len(outputs[0]) > 5
    assert outputs[0].keys() == outputs[1].keys()
    assert [k for k in outputs[0] if outputs[0][k] != outputs[1][k]] == []
