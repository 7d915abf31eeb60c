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
        scaling_docs: int = typer.Option(3000, "--scaling-docs", min=0,
                                         help="Documents for the classify --workers 1 vs 2 scaling (0: skip)."),
        reference_docs: int = typer.Option(500, "--reference-docs", min=0,
                                           help="Documents tagged by the reference path too (0: skip)."),
    ) -> None:
        """Print {"docs_per_s" (every classifier on), "without_classifiers_docs_per_s",
        "tokenizer_only_docs_per_s" (spaCy's tokenizer on the same normalised text), "ratio",
        "reference_docs_per_s", "peak_rss_mb", "classify_scaling", "targets", ...}.
        Example: scanner bench tag --docs 500"""
        from scanner.bench.tag import bench_tag as run

        typer.echo(json.dumps(run(n=docs, words=words, seed=seed, scaling_docs=scaling_docs,
                                  reference_docs=reference_docs)))
