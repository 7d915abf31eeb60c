"""`scanner bench tag`: tagging throughput vs spaCy's bare tokenizer on generated documents."""
from __future__ import annotations

import json

import typer


def register(app: typer.Typer) -> None:
    @app.command("tag")
    def bench_tag(
        docs: int = typer.Option(2000, "--docs", help="Generated documents."),
        words: int = typer.Option(600, "--words", help="Words per document."),
        seed: int = typer.Option(0, "--seed", help="Random seed of the generator."),
    ) -> None:
        """Print {"docs_per_s", "tokenizer_only_docs_per_s", "ratio", ...}. Example: scanner bench tag --docs 500"""
        from scanner.bench.tag import bench_tag as run

        typer.echo(json.dumps(run(n=docs, words=words, seed=seed)))
