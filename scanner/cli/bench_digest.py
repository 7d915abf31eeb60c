"""`scanner bench digest`: seconds to build the digest for the 200,000-document benchmark store."""
from __future__ import annotations

import json
from pathlib import Path

import typer


def bench_digest(
    size: int = typer.Option(200_000, "--size", min=1, help="Documents in the generated store."),
    per_doc: int = typer.Option(5, "--mentions-per-doc", min=1, help="Mentions per document."),
    cache: Path = typer.Option(Path("data/bench"), "--cache", help="Folder keeping generated stores for reuse."),
    lang: str = typer.Option("nl", "--lang", help="Digest language: nl or en."),
) -> None:
    """Build the last month's digest on the signals bench store and print {"seconds": ...}.

    The store is the one `scanner bench signals` generates (shared through --cache); target under 15 s.

    Example: scanner bench digest --size 200000 --cache data/bench
    """
    from scanner.bench.digest import run

    cache.mkdir(parents=True, exist_ok=True)
    typer.echo(json.dumps(run(cache, size, per_doc, lang)))


def register(bench_app: typer.Typer) -> None:
    bench_app.command("digest")(bench_digest)
