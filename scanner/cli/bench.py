"""`scanner bench X`: benchmarks, each printing one JSON object per line (numbers go in the README)."""
from __future__ import annotations

import importlib

import typer

BENCHES = ["tag", "harvest", "signals", "digest", "flows", "ui"]


def register(app: typer.Typer) -> None:
    bench_app = typer.Typer(help="Benchmarks: each prints JSON figures, one object per line.", no_args_is_help=True)
    for name in BENCHES:
        try:
            module = importlib.import_module(f"scanner.cli.bench_{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"scanner.cli.bench_{name}":
                raise
            continue
        module.register(bench_app)
    app.add_typer(bench_app, name="bench")
