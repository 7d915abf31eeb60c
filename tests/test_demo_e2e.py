"""`scanner demo` end to end in a subprocess, through the managed Prefect server: clean output, a digest."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCANNER = str(Path(sys.executable).with_name("scanner"))


@pytest.mark.slow
def test_demo_runs_end_to_end_without_tracebacks(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SCANNER_"))}
    env["SCANNER_PREFECT_HOME"] = str(tmp_path / "prefect")
    try:
        proc = subprocess.run([SCANNER, "--db", str(tmp_path / "demo.db"), "demo"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=900)
    finally:
        subprocess.run([SCANNER, "prefect", "stop"], env=env, capture_output=True, timeout=60)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    for bad in ("Traceback", "database is locked", "Error flushing events"):
        assert bad not in output, f"{bad!r} in demo output:\n{output[-3000:]}"
    assert "14 sources ok, 0 failed" in output
    digest = tmp_path / "data" / "digests" / "2026-10"
    assert (digest / "index.html").stat().st_size > 10_000
    assert (digest / "digest.md").exists()
    # the demo ends with the commands that open the review UI on its own database; they work as printed
    lines = proc.stdout.splitlines()
    add = next(line.strip() for line in lines if "users add analyst --password-stdin" in line)
    ui = next(line.strip() for line in lines if line.strip().endswith(" ui"))
    assert f"--db {tmp_path / 'demo.db'}" in add and f"--db {tmp_path / 'demo.db'}" in ui
    made = subprocess.run(add, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0 and "user analyst created" in made.stdout, made.stdout + made.stderr
