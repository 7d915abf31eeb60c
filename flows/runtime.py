"""A clean Prefect runtime: per-project PREFECT_HOME, no analytics, a managed local server.

Prefect's temporary server is slow to start and on SQLite floods a 2-core machine's log with
"database is locked" and "Error flushing events" tracebacks when it stops. A separately started
`prefect server start` does not, so the CLI starts one in the background once and reuses it.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from scanner.config import Config, repo_root
from scanner.errors import ScannerError

log = logging.getLogger(__name__)

QUIET_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
}


def prefect_home() -> Path:
    """$SCANNER_PREFECT_HOME, else .prefect/ in the checkout, else ~/.horizonscan/prefect."""
    if os.environ.get("SCANNER_PREFECT_HOME"):
        return Path(os.environ["SCANNER_PREFECT_HOME"])
    root = repo_root()
    if (root / "pyproject.toml").exists() and os.access(root, os.W_OK):
        return root / ".prefect"
    return Path.home() / ".horizonscan" / "prefect"


def configure_env(config: Config) -> Path:
    """Set the quiet settings (unless the user set them) before prefect is imported."""
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    timeout = str(config.flows["server_start_timeout_s"])
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", timeout)
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    return Path(os.environ["PREFECT_HOME"])


def _healthy(api_url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=timeout) as resp:
            return resp.status == 200
    except (OSError, ValueError):
        return False


def _state_file() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or prefect_home()) / "horizonscan-server.json"


def _free_port(preferred: int) -> int:
    for port in [preferred, *range(preferred + 1, preferred + 20)]:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise ScannerError(f"no free port for the Prefect server near {preferred}")


def _prefect_executable() -> str:
    candidate = Path(sys.executable).with_name("prefect")
    return str(candidate) if candidate.exists() else "prefect"


def start_server(config: Config) -> str:
    """Start `prefect server start` detached on loopback and wait until it answers."""
    cfg = config.flows
    port = _free_port(int(cfg["server_port"]))
    api_url = f"http://127.0.0.1:{port}/api"
    logfile = open(Path(os.environ["PREFECT_HOME"]) / "server.log", "ab")
    proc = subprocess.Popen(
        [_prefect_executable(), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "PREFECT_UI_API_URL": api_url},  # else the UI asks port 4200 for its API
    )
    deadline = time.monotonic() + float(cfg["server_start_timeout_s"])
    while time.monotonic() < deadline:
        if _healthy(api_url):
            _state_file().write_text(json.dumps({"pid": proc.pid, "api_url": api_url}))
            return api_url
        if proc.poll() is not None:
            break
        time.sleep(0.25)
    proc.kill()
    raise ScannerError(f"the Prefect server did not start; see {logfile.name}")


def ensure_server(config: Config) -> str:
    """Reuse $PREFECT_API_URL or our managed server when it answers, else start one."""
    configure_env(config)
    if os.environ.get("PREFECT_API_URL"):
        if not _healthy(os.environ["PREFECT_API_URL"], timeout=5):
            raise ScannerError(f"PREFECT_API_URL={os.environ['PREFECT_API_URL']} does not answer")
        return os.environ["PREFECT_API_URL"]
    state = _read_state()
    api_url = str(state["api_url"]) if state and _healthy(state["api_url"]) else start_server(config)
    os.environ["PREFECT_API_URL"] = api_url
    return api_url


def _read_state() -> dict | None:
    try:
        return json.loads(_state_file().read_text())
    except (OSError, ValueError):
        return None


def server_status(config: Config) -> dict:
    configure_env(config)
    state = _read_state() or {}
    return {**state, "running": bool(state) and _healthy(state.get("api_url", ""))}


def stop_server(config: Config) -> bool:
    """Stop the managed server (its whole process group); False when none was running."""
    configure_env(config)
    state = _read_state()
    if not state:
        return False
    try:
        os.killpg(state["pid"], signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    _state_file().unlink(missing_ok=True)
    return True


def prepare(config: Config, managed_server: bool = True) -> str | None:
    """Call before importing any flow module, with the command's configuration."""
    configure_env(config)
    return ensure_server(config) if managed_server else None
