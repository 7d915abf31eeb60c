"""Flow tests run under prefect_test_harness, kept away from the fast library tests.

The config override (no retry delays, no politeness delay) is set for this package only (the flows read
the config when they run) and removed afterwards.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

OVERRIDE = ("[flows]\nharvest_task_retries = 2\nharvest_task_retry_delays_s = [0, 0]\n"
            "[harvest]\nmax_retries = 0\nhost_delay_s = 0.0\nbackoff_base_s = 0.01\nrobots = false\n")


@pytest.fixture(scope="package", autouse=True)
def prefect_harness(tmp_path_factory):
    root = Path(tmp_path_factory.mktemp("flows"))
    (root / "flows.toml").write_text(OVERRIDE, encoding="utf-8")
    saved = {k: os.environ.get(k) for k in ("SCANNER_CONFIG", "PREFECT_HOME")}
    os.environ["SCANNER_CONFIG"] = str(root / "flows.toml")
    os.environ["PREFECT_HOME"] = str(root / "prefect")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from prefect.testing.utilities import prefect_test_harness

    try:
        with prefect_test_harness(server_startup_timeout=120):
            yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
