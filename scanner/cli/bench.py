"""`scanner bench X`: benchmarks, each printing one JSON object per line (numbers go in the README)."""
from __future__ import annotations

import typer

from scanner.cli.common import register_modules

BENCHES = ["tag", "classify", "harvest", "signals", "digest", "flows", "ui", "official"]


def register(app: typer.Typer) -> None:
    bench_app = typer.Typer(help="Benchmarks: each prints JSON figures, one object per line.", no_args_is_help=True)
    register_modules(bench_app, [f"scanner.cli.bench_{name}" for name in BENCHES])
    app.add_typer(bench_app, name="bench")
