"""`scanner bench signals`: trend, horizon and emerging timings on a generated store (two sizes)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer


def bench_signals(
    sizes: Optional[List[int]] = typer.Option(None, "--size", help="Documents (repeatable; default 50000 and 200000)."),
    per_doc: int = typer.Option(5, "--mentions-per-doc", min=1, help="Mentions per document."),
    cache: Path = typer.Option(Path("data/bench"), "--cache", help="Folder keeping the generated stores for reuse."),
    classify_sample: int = typer.Option(2000, "--classify-sample", min=0, help="Documents tagged for the rate (0: skip)."),
) -> None:
    """Generate stores (200,000 documents / 1,000,000 mentions over 36 months by default) and time the measures.

    Prints one JSON object per size: {"classify_docs_per_s", "trends_s", "horizon_s", "emerging_s",
    "peak_rss_mb", ...}. Generated stores are cached in --cache and reused.

    Example: scanner bench signals --size 50000 --size 200000 --cache /tmp/bench
    """
    from scanner.bench.signals import run_size

    cache.mkdir(parents=True, exist_ok=True)
    for size in sorted(sizes or [50000, 200000]):
        typer.echo(json.dumps(run_size(cache, size, per_doc, classify_sample)))


def register(bench_app: typer.Typer) -> None:
    bench_app.command("signals")(bench_signals)
