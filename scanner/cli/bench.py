"""`scanner bench X`: benchmarks, each printing one JSON object per line (numbers go in the README)."""
from __future__ import annotations

import typer

from scanner.cli import (bench_classify, bench_digest, bench_flows, bench_harvest, bench_official, bench_signals,
                         bench_tag, bench_ui)

BENCHES = (bench_tag, bench_classify, bench_harvest, bench_signals, bench_digest, bench_flows, bench_ui, bench_official)


def register(app: typer.Typer) -> None:
    bench_app = typer.Typer(help="Benchmarks: each prints JSON figures, one object per line.", no_args_is_help=True)
    for module in BENCHES:
        module.register(bench_app)
    app.add_typer(bench_app, name="bench")
