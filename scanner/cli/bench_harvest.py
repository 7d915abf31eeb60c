"""`scanner bench harvest`."""
from __future__ import annotations

import json

import typer


def bench_harvest(
    feeds: int = typer.Option(100, help="Feeds, each on its own loopback host (port)."),
    items: int = typer.Option(20, help="Items per feed, each with an article page."),
    latency: float = typer.Option(0.05, help="Seconds of server latency per request."),
    sample: int = typer.Option(4, help="Feeds fetched one request at a time for the sequential estimate."),
    big_page_mb: float = typer.Option(24.0, "--big-page-mb", help="Size of the one-page harvest whose peak RSS "
                                      "is reported (0: skip)."),
) -> None:
    """Harvest feeds x items over loopback (full text on) and print timing figures as one JSON line.

    Prints {"seconds", "sequential_estimate_s", "speedup", "noop_rerun_s", ..., "big_page_peak_rss_mb"}; the
    sequential estimate is requests x (latency + per-request processing measured on a one-at-a-time run);
    big_page_peak_rss_mb is the peak RSS of a separate process harvesting one ~24 MB article page.

    Example: scanner bench harvest --feeds 100 --items 20 --latency 0.05
    """
    from scanner.bench.harvest import run_bench

    typer.echo(json.dumps(run_bench(feeds, items, latency, sample, big_page_mb)))


def register(app: typer.Typer) -> None:
    app.command("harvest")(bench_harvest)
