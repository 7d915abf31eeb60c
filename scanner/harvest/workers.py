"""Optional process pool for page extraction: trafilatura is CPU-bound and would serialise on the GIL."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Iterator

from scanner.harvest.extract import Extracted, extract_article

log = logging.getLogger(__name__)
_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


@contextmanager
def extraction_pool(processes: int) -> Iterator[None]:
    """While open, extract() runs in `processes` worker processes (0: in the calling thread)."""
    global _pool
    if processes <= 0:
        yield
        return
    import multiprocessing

    with _lock:
        owner = _pool is None
        if owner:
            _pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield
    finally:
        if owner:
            with _lock:
                pool, _pool = _pool, None
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def extract(body: bytes, url: str, metadata: bool = True, fast: bool = False) -> Extracted | None:
    """extract_article, in the worker pool when one is open (falls back to this thread if it broke)."""
    pool = _pool
    if pool is not None:
        try:
            return pool.submit(extract_article, body, url, metadata, fast).result()
        except (BrokenProcessPool, RuntimeError) as exc:
            log.warning("extraction pool unavailable (%s); extracting in-process", exc)
    return extract_article(body, url, metadata, fast)
