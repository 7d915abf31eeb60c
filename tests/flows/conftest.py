"""Flow tests run under prefect_test_harness, kept away from the fast library tests.

The config override (no retry delays, no politeness delay) must be in place before flows are imported,
because the task decorators read it at import time.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="hs-flows-"))
(_TMP / "flows.toml").write_text(
    "[flows]\nharvest_task_retries = 2\nharvest_task_retry_delays_s = [0, 0]\n"
    "[harvest]\nmax_retries = 0\nhost_delay_s = 0.0\nbackoff_base_s = 0.01\nrobots = false\n",
    encoding="utf-8")
os.environ["SCANNER_CONFIG"] = str(_TMP / "flows.toml")
os.environ["PREFECT_HOME"] = str(_TMP / "prefect")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
