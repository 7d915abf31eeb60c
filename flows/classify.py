"""classify_flow: a task per batch of documents (never per document), one writer in the flow process.

With `task_runner="dask"` the batches are tagged on a Dask cluster (a LocalCluster, or the scheduler at
`dask_address`) while the flow process alone writes to SQLite.
"""
from __future__ import annotations

from collections import deque
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from scanner.config import load_config
from scanner.signals import classify as lib
from scanner.signals import lexdiff
from scanner.signals.catalog import resolve
from scanner.store import open_store
from scanner.util import chunked


@task(name="tag-batch", cache_policy=NONE, retries=1)
def tag_batch(docs: list[dict[str, Any]], catalogue: Any) -> dict[str, Any]:
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
    """Tag every document not yet tagged by the current lexicon/model; bounded batches in flight."""
    logger = get_run_logger()
    store = open_store(db)
    size = int(batch_size or load_config()["flows"]["classify_batch_size"])
    catalogue = resolve(store)  # the lexicon plus the analysts' accepted additions
    tagger = lib.default_tagger(catalogue)
    lexicon, model = lib.versions(tagger, catalogue)
    restamped = 0 if reclassify else lexdiff.restamp_unaffected(store, catalogue, lexicon, model)
    ids = lib.pending_ids(store, lexicon, model, reclassify)
    counts = {"documents": 0, "mentions": 0, "errors": 0}
    pending: deque = deque()

    def drain_one() -> None:
        rows = pending.popleft().result()
        counts["documents"] += lib.write_rows(store, rows)
        counts["mentions"] += len(rows["mentions"])
        counts["errors"] += rows["errors"]

    for batch in chunked(ids, size):
        pending.append(tag_batch.submit(lib.load_docs(store, batch), catalogue))
        if len(pending) >= in_flight:
            drain_one()
    while pending:
        drain_one()
    lexdiff.remember(store, catalogue, lexicon)
    logger.info("classified %d documents in batches of %d (%d mentions, %d errors, %d restamped)",
                counts["documents"], size, counts["mentions"], counts["errors"], restamped)
    return {**counts, "tagged": counts["documents"], "restamped": restamped,
            "lexicon_version": lexicon, "model_version": model}


def run_classify(db: str, reclassify: bool = False, task_runner: str = "threads",
                 dask_address: str | None = None, workers: int = 2, batch_size: int | None = None) -> dict:
    """Run classify_flow with the chosen task runner."""
    runner = task_runner_for(task_runner, dask_address, workers)
    return classify_flow.with_options(task_runner=runner)(db, reclassify=reclassify, batch_size=batch_size)
