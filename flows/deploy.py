"""The scheduled deployments: monitor daily at 06:00 and the digest on the 1st at 07:00 (Europe/Amsterdam)."""
from __future__ import annotations

from typing import Any

from prefect import serve
from prefect.schedules import Cron

from flows.digest import digest_flow
from flows.monitor import monitor_flow
from scanner.config import load_config


def deployments(db: str, sources_file: str | None = None) -> list[Any]:
    cfg = load_config()["flows"]
    tz = cfg["timezone"]
    monitor = monitor_flow.to_deployment(
        name="monitor-daily", schedules=[Cron(cfg["monitor_cron"], timezone=tz)],
        parameters={"db": db, "sources_file": sources_file}, tags=["horizonscan"],
        description="Harvest, classify and recompute signals; builds the digest when a month closed.")
    digest = digest_flow.to_deployment(
        name="digest-monthly", schedules=[Cron(cfg["digest_cron"], timezone=tz)],
        parameters={"db": db}, tags=["horizonscan"],
        description="The monthly trend digest of the month that just closed.")
    return [monitor, digest]


def serve_deployments(db: str, sources_file: str | None = None, limit: int | None = None) -> None:
    """Register and serve; pause_on_shutdown=False keeps the schedules on across restarts."""
    serve(*deployments(db, sources_file), pause_on_shutdown=False, limit=limit)
