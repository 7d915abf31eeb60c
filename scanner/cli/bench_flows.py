"""`scanner bench flows`: Prefect's overhead on the demo run."""
from __future__ import annotations

import json

import typer

from scanner.cli import common


def flows(sources: int = typer.Option(0, "--sources", help="Only the first N demo sources (0: all).")) -> None:
    """Run the demo pipeline through Prefect and through the library alone; print the overhead.

    The managed Prefect server is started first (not timed). Example: scanner bench flows
    """
    from flows import runtime

    runtime.prepare(common.get_config())
    from flows.bench import bench_flows

    typer.echo(json.dumps(bench_flows(sources or None)))


def register(bench_app: typer.Typer) -> None:
    bench_app.command("flows")(flows)
