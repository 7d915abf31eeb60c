"""monitor_flow = harvest -> classify -> signals, plus the digest when a month has closed and has none yet."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.client.schemas.objects import State
from prefect.states import Completed

from flows.artifacts import publish
from flows.classify import classify_flow, run_classify
from flows.digest import digest_flow
from flows.harvest import failed_message, harvest_flow
from flows.signals import signals_flow
from scanner.config import Config, load_config
from scanner.digest.build import DEFAULT_ROOT, resolve_month
from scanner.store import default_db_path, open_store


def digest_due(db: str, month: str, out_root: Path, config: Config | None = None) -> bool:
    """True when the month's digest was never built (neither recorded in the store nor on disk)."""
    built = open_store(db, config).meta_get(f"digest.{month}")
    return not built and not (out_root / month / "index.html").exists()


def _changes(signals: dict[str, Any]) -> list[str]:
    items = signals.get("changed_items") or []
    return [f"{c['id']}: {c['previous']} -> {c['estimate']}" for c in items]


def _classify(db: str, task_runner: str | None, config: Config) -> dict[str, Any]:
    flows_cfg = config.flows
    runner = task_runner or str(flows_cfg["classify_task_runner"] or "default")
    if runner == "default":
        return classify_flow(db)
    if runner not in ("threads", "dask"):
        raise ValueError(f"classify_task_runner must be default, threads or dask, not {runner!r}")
    return run_classify(db, task_runner=runner, dask_address=str(flows_cfg["dask_address"]) or None,
                        workers=int(flows_cfg["dask_workers"]))


@flow(name="monitor")
def monitor_flow(db: str | None = None, sources_file: str | None = None,
                 sources: list[dict[str, Any]] | None = None, as_of: str | None = None,
                 digest_month: str | None = None, digest_root: str | None = None,
                 lang: str = "nl", with_digest: bool = True,
                 classify_task_runner: str | None = None) -> State:
    """One monitoring run; publishes a Markdown summary and a per-source table artifact.

    classify_task_runner ("threads" | "dask", default `[flows] classify_task_runner`): hand the tagging of
    what was harvested to the classify flow on that runner (Dask: `[flows] dask_address` or a LocalCluster).
    """
    logger = get_run_logger()
    config = load_config()  # this run's configuration (the sub-flows read theirs when they run)
    db = str(db or default_db_path())
    summary: dict[str, Any] = {"harvest": harvest_flow(db, sources_file=sources_file, sources=sources)}
    summary["classify"] = _classify(db, classify_task_runner, config)
    signals = signals_flow(db, as_of)
    summary["signals"] = {"horizon_changes": _changes(signals), "new_flags": signals.get("new_flags", 0)}
    month = resolve_month(digest_month)
    root = Path(digest_root) if digest_root else DEFAULT_ROOT
    if with_digest and (digest_month or digest_due(db, month, root, config)):
        summary["digest"] = digest_flow(db, month, str(root / month), lang)
        open_store(db, config).meta_set(f"digest.{month}", summary["digest"])
    publish(summary)
    logger.info("monitor run done: %d new documents, %d failed sources",
                summary["harvest"].get("new_documents", 0), summary["harvest"].get("sources_failed", 0))
    return Completed(message=f"harvest: {failed_message(summary['harvest'])}", data=summary)
