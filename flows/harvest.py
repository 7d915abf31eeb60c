"""harvest_flow: one task per source (retried with backoff, time-limited), a shared polite fetcher."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.runtime import task_run
from prefect.client.schemas.objects import State
from prefect.states import Completed
from prefect.task_runners import ThreadPoolTaskRunner

from scanner.config import load_config
from scanner.harvest import run as harvest_run
from scanner.harvest.robots import RobotsCache
from scanner.harvest.sources import Source, load_sources, parse_sources
from scanner.store import Store, open_store


def _result_row(result: harvest_run.SourceResult) -> dict[str, Any]:
    return {"source": result.source_id, "ok": result.ok, "status": result.status, "items": result.items,
            "new_documents": result.new_documents, "duplicates": result.duplicates, "error": result.error}


@task(name="harvest-source", cache_policy=NONE, retry_jitter_factor=0.5)  # retries: with_options in the flow
def harvest_source_task(store: Store, source: Source, config: dict[str, Any], fetcher: Any,
                        robots: RobotsCache | None, run_id: int | None,
                        order: harvest_run.CommitOrder | None = None) -> harvest_run.SourceResult:
    """Harvest one source; a retryable failure raises so Prefect retries it; any other failure, and the
    last attempt's, is returned as a failed result (reported as one line, never a traceback).

    The per-source time limit is the library's `[harvest] source_timeout_s`: Prefect's timeout_seconds
    cannot interrupt a task running in a worker thread.
    """
    result = harvest_run.harvest_source(store, source, config, fetcher, robots, run_id, order)
    get_run_logger().info(result.line())
    if not result.ok and result.retryable and task_run.run_count <= int(config["flows"]["harvest_task_retries"]):
        raise harvest_run.SourceFailed(f"{source.id}: {result.error}", retryable=True)  # Prefect retries it
    return result  # success, or the final failure as one line (no traceback): the flow reports it


def _sources(sources_file: str | None, sources: list[dict[str, Any]] | None) -> list[Source]:
    if sources is not None:
        return parse_sources({"source": sources}, origin="flow parameter")
    return load_sources(Path(sources_file or "data/sources.toml"))


def _failed(source: Source, state: Any) -> harvest_run.SourceResult:
    """The final failure after retries, as a result row: reported, and the flow goes on."""
    try:
        state.result()
        error = "failed"
    except Exception as exc:  # noqa: BLE001 (whatever the task raised is the error to report)
        error = str(exc).removeprefix(f"{source.id}: ")
    return harvest_run.SourceResult(source.id, ok=False, status="failed", error=error)


def harvest_flow(db: str, sources_file: str | None = None, only: list[str] | None = None,
                 sources: list[dict[str, Any]] | None = None, return_state: bool = False) -> Any:
    """The harvest flow with [flows] harvest_concurrency worker threads (the config is read when it runs)."""
    workers = int(load_config()["flows"]["harvest_concurrency"])
    configured = _harvest_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))  # type: ignore[arg-type]
    if return_state:
        return configured(db, sources_file, only, sources, return_state=True)
    return configured(db, sources_file, only, sources)


@flow(name="harvest")
def _harvest_flow(db: str, sources_file: str | None = None, only: list[str] | None = None,
                  sources: list[dict[str, Any]] | None = None) -> State:
    """Harvest every enabled source (or `only` these ids); failed sources are reported, not fatal."""
    logger = get_run_logger()
    config = load_config()
    flows_cfg = config["flows"]
    source_task = harvest_source_task.with_options(retries=int(flows_cfg["harvest_task_retries"]),
                                                   retry_delay_seconds=list(flows_cfg["harvest_task_retry_delays_s"]))
    store = open_store(db, config)
    chosen = harvest_run.select_sources(_sources(sources_file, sources), only)
    summary = harvest_run.HarvestSummary(run_id=harvest_run.start_run(store))
    with harvest_run.make_fetcher(store, harvest_run.section(config)) as fetcher:
        robots = RobotsCache(fetcher) if config["harvest"]["robots"] else None
        order = harvest_run.CommitOrder([s.id for s in chosen],
                                        float(harvest_run.section(config)["source_timeout_s"]) + 60)
        futures = [(s, source_task.submit(store, s, config, fetcher, robots, summary.run_id, order))
                   for s in chosen]
        for source, future in futures:
            future.wait()
            done = future.state.is_completed()
            summary.results.append(future.result() if done else _failed(source, future.state))
    harvest_run.finish_run(store, summary.run_id, summary)
    totals = summary.as_dict()
    for result in summary.results:
        if not result.ok:
            logger.warning(result.line())
    logger.info("harvest: %s", totals)
    return Completed(message=failed_message(totals),
                     data={**totals, "sources": [_result_row(r) for r in summary.results]})


def failed_message(totals: dict[str, Any]) -> str:
    """The final state's message: how many sources failed."""
    total = totals["sources_ok"] + totals["sources_failed"]
    if not totals["sources_failed"]:
        return f"all {total} sources ok, {totals['new_documents']} new documents"
    return f"{totals['sources_failed']} of {total} sources failed, {totals['new_documents']} new documents"
