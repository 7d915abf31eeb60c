"""`scanner bench classify`: a re-tag of a generated store, killed and resumed, with the 200k extrapolation."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("classify")
    def bench_classify(
        docs: int = typer.Option(20000, "--docs", min=100, help="Generated documents in the store."),
        words: int = typer.Option(600, "--words", min=10, help="Words per document."),
        workers: int = typer.Option(2, "--workers", min=1, help="Tagging processes of scanner classify."),
        store: Optional[Path] = typer.Option(None, "--store", help="Keep the generated store here (reused)."),
    ) -> None:
        """Print {"docs_per_s", "extrapolated_200k_s", "tagged_twice", ...}: `scanner classify --reclassify`
        timed on a generated store, then killed part-way and resumed.

        Example: scanner bench classify --docs 5000 --workers 2
        """
        from scanner.bench.classify import bench_classify as run

        if store is not None:
            typer.echo(json.dumps(run(store, n=docs, words=words, workers=workers)))
            return
        with tempfile.TemporaryDirectory() as tmp:
            typer.echo(json.dumps(run(Path(tmp) / "classify.db", n=docs, words=words, workers=workers)))
