"""`scanner bench digest`: build one month's digest from the signals bench store (200,000 documents)."""
from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from scanner.bench.signals import AS_OF, generate
from scanner.catalogue import load_catalogue

log = logging.getLogger(__name__)

MONTH = AS_OF[:7]


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run(cache_dir: Path, n_docs: int = 200_000, per_doc: int = 5, lang: str = "nl") -> dict[str, Any]:
    """Generate (or reuse) the signals bench store and time build_digest for its last month."""
    from scanner.digest.build import build_digest

    catalogue = load_catalogue()
    start = time.perf_counter()
    store = generate(cache_dir / f"bench-signals-{n_docs}.db", n_docs, n_docs * per_doc, catalogue)
    generate_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="bench-digest-") as tmp:
        start, cpu = time.perf_counter(), time.process_time()
        page = build_digest(store, MONTH, Path(tmp), lang, catalogue=catalogue)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = _size(page.parent)
    store.close()
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "documents": n_docs,
            "mentions": n_docs * per_doc, "month": MONTH, "size_bytes": size, "generate_s": round(generate_s, 3)}
