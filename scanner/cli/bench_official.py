"""`scanner bench official`."""
from __future__ import annotations

import json

import typer


def bench_official(
    pages: int = typer.Option(20, help="Pages of the short stream (the long one has --factor times more)."),
    page_size: int = typer.Option(100, help="Hits per page."),
    factor: int = typer.Option(10, help="How many times longer the second stream is."),
) -> None:
    """Harvest an ORI-shaped loopback endpoint twice (short and long stream); one JSON line per run.

    Each line: {"pages", "documents", "seconds", "docs_per_s", "peak_traced_mb", "rerun_new", "rerun_s"};
    a streaming harvest keeps peak_traced_mb about the same for both.

    Example: scanner bench official --pages 20 --factor 10
    """
    from scanner.bench.official import run_bench

    for line in run_bench(pages, page_size, factor):
        typer.echo(json.dumps(line))


def register(app: typer.Typer) -> None:
    app.command("official")(bench_official)
