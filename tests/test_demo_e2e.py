"""`scanner demo` end to end in a subprocess, through the managed Prefect server: clean output, a digest."""
from __future__ import annotations

import json
import os
import subprocess
import urllib.request
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
        api_url = json.loads((tmp_path / "prefect" / "horizonscan-server.json").read_text())["api_url"]
        with urllib.request.urlopen(api_url.removesuffix("/api") + "/ui-settings", timeout=10) as resp:
            ui_settings = json.load(resp)
    finally:
        subprocess.run([SCANNER, "prefect", "stop"], env=env, capture_output=True, timeout=60)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    for bad in ("Traceback", "database is locked", "Error flushing events"):
        assert bad not in output, f"{bad!r} in demo output:\n{output[-3000:]}"
    assert "14 sources ok, 0 failed" in output
    assert ui_settings["api_url"] == api_url  # the printed Prefect UI talks to its own server's API
    digest = tmp_path / "data" / "digests" / "2026-10"
    assert (digest / "index.html").stat().st_size > 10_000
    assert (digest / "digest.md").exists()
