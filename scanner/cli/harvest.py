"""`scanner harvest`, `scanner ingest` and `scanner sources list|add|enable|disable|check`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Optional

import typer

from scanner.cli import common
from scanner.errors import ScannerError

sources_app = typer.Typer(help="Manage the sources file (comments are kept).", no_args_is_help=True)


def _sources_path(path: Optional[Path]) -> Path:
    from scanner.config import repo_root

    if path is not None:
        return path
    configured = Path(common.get_config()["harvest"]["sources_file"])
    if configured.exists() or configured.is_absolute():
        return configured
    return repo_root() / configured


SOURCES_OPT = typer.Option(None, "--sources", help="Sources TOML (default data/sources.toml).", show_default=False)


def harvest_cmd(
    sources: Optional[Path] = SOURCES_OPT,
    source: Optional[List[str]] = typer.Option(None, "--source", help="Only this source id (repeatable)."),
    classify: bool = typer.Option(False, "--classify",
                                  help="Then tag the new documents (as scanner classify; see --task-runner)."),
    task_runner: Optional[str] = typer.Option(None, "--task-runner",
                                              help="With --classify: hand tagging to the Prefect classify flow "
                                                   "(threads or dask), as scanner classify --task-runner."),
    dask_address: Optional[str] = typer.Option(None, "--dask-address",
                                               help="Dask scheduler (with --task-runner dask)."),
    workers: int = typer.Option(1, "--workers", min=1, help="With --classify: tagging processes (Dask: at least 2)."),
) -> None:
    """Fetch all enabled sources (or --source ones) into the database.

    Prints one line per source, then {"sources_ok", "sources_failed", "new_documents", "duplicates"}.
    With --classify, a line `classify: {...}` (the scanner classify summary) comes before that last line.
    On a terminal, progress bars on stderr follow every source (paged official sources page by page).
    Exit code 1 when any source failed.

    Example: scanner harvest --source ori-council --classify --task-runner dask
    """
    from scanner.cli.progress import HarvestBars
    from scanner.harvest.run import harvest, select_sources
    from scanner.harvest.sources import load_sources

    if task_runner is not None and not classify:
        raise ScannerError("--task-runner needs --classify")
    common.check_task_runner(task_runner)
    config = common.get_config()
    chosen = load_sources(_sources_path(sources))
    ids = [s.id for s in select_sources(chosen, source or None)]
    with HarvestBars(common.err_console, ids) as bars:  # drawn on a terminal only (stderr)
        summary = harvest(common.get_store(), chosen, config, only=source or None, on_result=bars.result,
                          on_progress=bars.page)
    for result in summary.results:
        typer.echo(result.line())
    tagged = _classify_after(task_runner, dask_address, workers) if classify else {}
    if classify:
        typer.echo("classify: " + json.dumps(tagged, ensure_ascii=False))
    typer.echo(json.dumps(summary.as_dict()))
    if summary.sources_failed or tagged.get("errors"):
        raise typer.Exit(1)


def _classify_after(task_runner: Optional[str], dask_address: Optional[str], workers: int) -> dict[str, Any]:
    """Tag what the harvest stored: in this process, or handed to the classify flow (threads or Dask)."""
    size = int(common.get_config().signals["classify_batch_size"])
    if task_runner is not None:
        from scanner.cli.signals import classify_flow

        return classify_flow(False, task_runner, dask_address, workers, size)
    from scanner.signals.api import classify

    return classify(common.get_store(), workers=workers, batch_size=size)


def ingest_cmd(paths: List[Path] = typer.Argument(..., help="Files or folders (.pdf .html .txt .md .jsonl).")) -> None:
    """Add local files (licensed reports, saved pages, JSONL exports); re-ingesting adds nothing.

    Example: scanner ingest ~/Downloads/gartner-hype-cycle-2026.pdf reports/
    """
    from scanner.harvest.ingest import ingest_paths

    summary = ingest_paths(common.get_store(), paths, common.get_config())
    for warning in summary.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for error in summary.errors:
        typer.echo(f"error: {error}")
    typer.echo(json.dumps(summary.as_dict()))
    if summary.errors:
        raise typer.Exit(1)


@sources_app.command("list")
def sources_list(sources: Optional[Path] = SOURCES_OPT,
                 as_json: bool = typer.Option(False, "--json", help="One JSON object per source.")) -> None:
    """List the sources in the file.

    Example: scanner sources list --json
    """
    from scanner.harvest.sources import load_sources

    for src in load_sources(_sources_path(sources)):
        if as_json:
            typer.echo(json.dumps(src.as_dict(), ensure_ascii=False))
        else:
            state = "" if src.enabled else "  (disabled)"
            typer.echo(f"{src.id:24} {src.kind:5} {src.source_type:12} {src.language:4} {src.url}{state}")


@sources_app.command("add")
def sources_add(
    source_id: str = typer.Argument(..., metavar="ID"),
    url: str = typer.Option(..., "--url"),
    name: Optional[str] = typer.Option(None, "--name"),
    kind: str = typer.Option("feed", "--kind", help="feed | page | pdf"),
    source_type: str = typer.Option("news", "--type", help="research|consultancy|trade-press|government|news"),
    language: str = typer.Option("auto", "--language", help="nl | en | auto"),
    full_text: bool = typer.Option(False, "--full-text/--no-full-text"),
    allow_private: bool = typer.Option(False, "--allow-private"),
    link_pattern: Optional[str] = typer.Option(None, "--link-pattern", help="Regex for kind=page links."),
    sources: Optional[Path] = SOURCES_OPT,
) -> None:
    """Append a source to the file.

    Example: scanner sources add emerce --url https://www.emerce.nl/feed --type trade-press --language nl
    """
    from scanner.harvest.sources import add_source

    fields = {"id": source_id, "name": name or source_id, "url": url, "kind": kind, "source_type": source_type,
              "language": language, "full_text": full_text, "allow_private": allow_private}
    if link_pattern:
        fields["link_pattern"] = link_pattern
    add_source(_sources_path(sources), fields)
    typer.echo(f"added {source_id}")


@sources_app.command("disable")
def sources_disable(source_id: str = typer.Argument(..., metavar="ID"), sources: Optional[Path] = SOURCES_OPT) -> None:
    """Set enabled = false for a source.

    Example: scanner sources disable tweakers
    """
    from scanner.harvest.sources import set_enabled

    set_enabled(_sources_path(sources), source_id, False)
    typer.echo(f"disabled {source_id}")


@sources_app.command("enable")
def sources_enable(source_id: str = typer.Argument(..., metavar="ID"), sources: Optional[Path] = SOURCES_OPT) -> None:
    """Set enabled = true for a source.

    Example: scanner sources enable tweakers
    """
    from scanner.harvest.sources import set_enabled

    set_enabled(_sources_path(sources), source_id, True)
    typer.echo(f"enabled {source_id}")


@sources_app.command("check")
def sources_check(
    sources: Optional[Path] = SOURCES_OPT,
    source: Optional[List[str]] = typer.Option(None, "--source", help="Only this source id (repeatable)."),
    include_disabled: bool = typer.Option(False, "--all", help="Check disabled sources too."),
) -> None:
    """Fetch each source once and report status, content type and item count (JSON lines).

    Example: scanner sources check --all
    """
    from concurrent.futures import ThreadPoolExecutor

    from scanner.harvest.check import check_source
    from scanner.harvest.fetch import Fetcher
    from scanner.harvest.run import select_sources
    from scanner.harvest.sources import load_sources

    cfg = common.get_config()["harvest"]
    listed = load_sources(_sources_path(sources))
    chosen = listed if include_disabled and not source else select_sources(listed, source or None)
    with Fetcher(cfg) as fetcher, ThreadPoolExecutor(max_workers=int(cfg["source_workers"])) as pool:
        reports = list(pool.map(lambda s: check_source(fetcher, s, int(cfg["max_links"])), chosen))
    for report in reports:
        typer.echo(json.dumps(report, ensure_ascii=False))
    if not all(r["ok"] for r in reports):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("harvest")(harvest_cmd)
    app.command("ingest")(ingest_cmd)
    app.add_typer(sources_app, name="sources")
