"""`scanner demo` end to end in a subprocess, through the managed Prefect server: clean output, a digest."""
from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.request
import sys
from pathlib import Path

import pytest

SCANNER = str(Path(sys.executable).with_name("scanner"))


CHROMIUM = "/usr/bin/chromium"


def _browse_flow_run(api_url: str, run_id: str) -> tuple[dict[str, int], str]:
    """Open the printed UI's flow run page in headless Chromium: (API response statuses by URL, page text)."""
    from playwright.sync_api import sync_playwright

    statuses: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.on("response", lambda r: statuses.setdefault(r.url.split("?")[0], r.status))
            page.goto(f"{api_url.removesuffix('/api')}/runs/flow-run/{run_id}", wait_until="networkidle",
                      timeout=60_000)
            text = page.inner_text("body")
        finally:
            browser.close()
    return statuses, text


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
        run_ids = re.findall(r"/runs/flow-run/([0-9a-f-]{36})", proc.stdout + proc.stderr)
        browsed = _browse_flow_run(api_url, run_ids[0]) if run_ids and Path(CHROMIUM).exists() else None
    finally:
        subprocess.run([SCANNER, "prefect", "stop"], env=env, capture_output=True, timeout=60)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    for bad in ("Traceback", "database is locked", "Error flushing events"):
        assert bad not in output, f"{bad!r} in demo output:\n{output[-3000:]}"
    assert "14 sources ok, 0 failed" in output
    assert ui_settings["api_url"] == api_url  # the printed Prefect UI talks to its own server's API
    assert run_ids, "the demo prints no flow run address"
    if browsed is not None:  # headless Chromium is there (CI installs it): the flow run page reaches its API
        statuses, text = browsed
        assert statuses.get(f"{api_url}/flow_runs/{run_ids[0]}") == 200, statuses
        assert not [u for u in statuses if ":4200" in u]
        assert "Unable to connect" not in text and "Can't connect" not in text
        assert "monitor" in text  # the flow run page shows the run it was asked for
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
