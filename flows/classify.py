"""classify_flow: a task per batch of documents (never per document), one writer in the flow process.

With `task_runner="dask"` the batches are tagged on a Dask cluster (a LocalCluster, or the scheduler at
`dask_address`) while the flow process alone writes to SQLite.
"""
from __future__ import annotations

from typing import Any, Iterator

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from scanner.catalogue import Catalogue
from scanner.config import load_config
from scanner.signals import classify as lib
from scanner.signals.catalog import resolve
from scanner.store import open_store


@task(name="tag-batch", cache_policy=NONE, retries=1)
def tag_batch(docs: list[dict[str, Any]], catalogue: Catalogue) -> dict[str, Any]:
    """Tag one batch with this process's tagger (built once per worker process and catalogue version)."""
    return lib.classify_batch(docs, tagger=lib.default_tagger(catalogue))


def task_runner_for(kind: str, dask_address: str | None = None, workers: int = 2) -> Any:
    """'threads' (default) or 'dask': a DaskTaskRunner on a LocalCluster or an existing scheduler."""
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=1)


@flow(name="classify")
def classify_flow(db: str, reclassify: bool = False, batch_size: int | None = None,
                  in_flight: int = 4) -> dict[str, Any]:
    """Tag every document not yet tagged by the current lexicon/model (the library's loop), a task per batch
    with bounded batches in flight; this flow process alone writes."""
    logger = get_run_logger()
    config = load_config()  # once per flow run
    store = open_store(db, config)
    size = int(batch_size or config.flows["classify_batch_size"])
    catalogue = resolve(store)  # the lexicon plus the analysts' accepted additions

    def tag_in_tasks(batches: Iterator[list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
        return lib.bounded(lambda docs: tag_batch.submit(docs, catalogue), batches, in_flight)

    counts = lib.classify(store, catalogue, reclassify=reclassify, batch_size=size, runner=tag_in_tasks)
    logger.info("classified %d documents in batches of %d (%d mentions, %d errors, %d restamped)",
                counts["documents"], size, counts["mentions"], counts["errors"], counts["restamped"])
    return {key: counts[key] for key in ("documents", "mentions", "errors")} | {
        "tagged": counts["documents"], "restamped": counts["restamped"],
        "lexicon_version": counts["lexicon_version"], "model_version": counts["model_version"]}


def run_classify(db: str, reclassify: bool = False, task_runner: str = "threads",
                 dask_address: str | None = None, workers: int = 2, batch_size: int | None = None) -> dict:
    """Run classify_flow with the chosen task runner."""
    runner = task_runner_for(task_runner, dask_address, workers)
    return classify_flow.with_options(task_runner=runner)(db, reclassify=reclassify, batch_size=batch_size)
