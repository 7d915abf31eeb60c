"""`scanner bench ui`: queue page render time with 10,000 open flags."""
from __future__ import annotations

import json
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("ui")
    def bench_ui(
        flags: Optional[int] = typer.Option(None, help="Open flags to generate (default 10000)."),
        repeats: Optional[int] = typer.Option(None, help="Timed renders (median reported)."),
    ) -> None:
        """Time the review queue page. Example: scanner bench ui"""
        from scanner.bench.ui import bench_ui as run

        typer.echo(json.dumps(run(flags, repeats)))
