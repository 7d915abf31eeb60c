"""`scanner bench flows`: Prefect's overhead on the demo run."""
from __future__ import annotations

import json

import typer


def flows() -> None:
    """Run the demo pipeline through Prefect and through the library alone; print the overhead.

    The managed Prefect server is started first (not timed). Example: scanner bench flows
    """
    from flows import runtime

    runtime.prepare()
    from flows.bench import bench_flows

    typer.echo(json.dumps(bench_flows()))


def register(bench_app: typer.Typer) -> None:
    bench_app.command("flows")(flows)
