"""`scanner run`, `scanner demo`, `scanner serve`, `scanner prefect ...`: the orchestrated pipeline."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Optional

import typer

from scanner.cli.common import check_task_runner, console, db_path, get_config, get_store, push_config_override


def _flows() -> Any:
    """Prepare a clean Prefect runtime (managed local server), then import the flows."""
    from flows import runtime

    with console.status("Starting or reusing the local Prefect server ..."):
        api_url = runtime.prepare(get_config()) or ""
    console.print(f"Prefect API: {api_url} (UI: {api_url.removesuffix('/api')})", highlight=False)
    import flows.monitor

    return flows.monitor


def _print_summary(summary: dict[str, Any]) -> None:
    harvest = summary.get("harvest", {})
    console.print(f"harvest: {harvest.get('new_documents', 0)} new documents, "
                  f"{harvest.get('duplicates', 0)} duplicates, {harvest.get('sources_ok', 0)} sources ok, "
                  f"{harvest.get('sources_failed', 0)} failed", highlight=False)
    for row in harvest.get("sources", []):
        if not row.get("ok"):
            console.print(f"  failed source {row['source']}: {row.get('error')}", style="yellow", highlight=False)
    tagged = summary.get("classify", {})
    console.print(f"classify: {tagged.get('documents', tagged.get('tagged', 0))} documents tagged", highlight=False)
    signals = summary.get("signals", {})
    changes = signals.get("horizon_changes") or []
    console.print(f"signals: {len(changes)} horizon changes, {signals.get('new_flags', 0)} new review flags",
                  highlight=False)
    for change in changes[:10]:
        console.print(f"  {change}", highlight=False)
    if summary.get("digest"):
        console.print(f"digest: {summary['digest']}", style="bold green", highlight=False)


def run(
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default data/sources.toml)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Signals as of this date (default now)."),
    no_digest: bool = typer.Option(False, "--no-digest", help="Never build the digest in this run."),
    task_runner: Optional[str] = typer.Option(None, "--task-runner",
                                              help="Tag on threads or dask (default: [flows] classify_task_runner)."),
) -> None:
    """Run monitor_flow once: harvest, classify, signals, and the digest when a month has closed.

    Example: scanner run --sources data/sources.toml --task-runner dask
    """
    from scanner.errors import ScannerError
    from scanner.harvest.run import select_sources
    from scanner.harvest.sources import load_sources

    check_task_runner(task_runner)
    configured = str(get_config().flows["classify_task_runner"] or "default")
    if task_runner is None and configured not in ("default", "threads", "dask"):
        raise ScannerError(f"[flows] classify_task_runner must be default, threads or dask, not {configured!r}")

    select_sources(load_sources(sources or Path(get_config()["harvest"]["sources_file"])), None)  # one line if empty
    monitor = _flows()
    summary = monitor.monitor_flow(db=str(db_path()), sources_file=str(sources) if sources else None,
                                   as_of=as_of, with_digest=not no_digest, classify_task_runner=task_runner)
    _print_summary(summary)
    if summary["harvest"].get("sources_failed"):
        raise typer.Exit(1)


def demo(
    no_prefect: bool = typer.Option(False, "--no-prefect", help="Run the library pipeline without Prefect."),
    lang: str = typer.Option("nl", "--lang", help="Digest language: nl or en."),
    latency: float = typer.Option(0.0, "--latency", help="Seconds of simulated latency per request."),
) -> None:
    """Serve the bundled demo corpus on loopback and run the whole pipeline on it, then build its digest.

    Example: scanner --db data/demo.db demo
    """
    from scanner.demo.server import DEMO_DIR, DEMO_SITE, PLACEHOLDER, demo_sources, serve_directory, stop
    from scanner.harvest.canonical import origin_aliases
    started = time.perf_counter()
    push_config_override(DEMO_DIR / "config.toml")
    server, base = serve_directory(DEMO_SITE, latency=latency)
    console.print(f"Serving the demo corpus at {base}", highlight=False)
    try:
        sources = demo_sources(base)
        with origin_aliases({base: PLACEHOLDER}):  # stable URLs and uids whatever the port
            summary = _demo_pipeline(sources, no_prefect, lang)
    finally:
        stop(server)
    _print_summary(summary)
    console.print(f"demo finished in {time.perf_counter() - started:.1f} s; open {summary.get('digest')}",
                  highlight=False)
    typer.echo(review_hint(db_path(), _prog()))  # plain: never wrapped, so the lines can be copied


def _prog() -> str:
    """How this scanner was started, for commands to copy: '.venv/bin/scanner', 'scanner' or 'python -m scanner'."""
    import os
    import sys

    argv0 = sys.argv[0]
    if not argv0 or argv0.endswith(".py"):
        return f"{sys.executable} -m scanner"
    if os.path.isabs(argv0):
        rel = os.path.relpath(argv0)
        return rel if not rel.startswith("..") else argv0
    return argv0


def review_hint(db: Path | str, prog: str = "scanner") -> str:
    """The exact commands that open the review UI on this database (printed at the end of the demo)."""
    import shlex

    base = f"{prog} --db {shlex.quote(str(db))}"
    return ("review the flags in the browser (create an account once, then start the UI):\n"
            f"  echo 'choose-a-long-passphrase' | {base} users add analyst --password-stdin\n"
            f"  {base} ui\n"
            "  then open http://127.0.0.1:8765/ and log in as analyst")


def _demo_pipeline(sources: list[dict[str, Any]], no_prefect: bool, lang: str) -> dict[str, Any]:
    from scanner.digest.build import resolve_month
    from scanner.pipeline import last_month_with_data, run_library

    if no_prefect:
        store = get_store()
        result = run_library(store, sources, lang=lang, config=get_config())
        month = last_month_with_data(store, resolve_month(None))
        return {"harvest": result["harvest"], "classify": result["classify"],
                "signals": {"new_flags": result["signals"].get("new_flags", 0)},
                "digest": _digest(store, month, lang)}
    monitor = _flows()
    summary = monitor.monitor_flow(db=str(db_path()), sources=sources, with_digest=False)
    month = last_month_with_data(get_store(), resolve_month(None))
    summary["digest"] = _digest_flow(month, lang)
    return summary


def _digest(store: Any, month: str | None, lang: str) -> str | None:
    from scanner.digest.build import build_digest

    return str(build_digest(store, month, None, lang, config=get_config())) if month else None


def _digest_flow(month: str | None, lang: str) -> str | None:
    from flows.digest import digest_flow

    return digest_flow(db=str(db_path()), month=month, lang=lang) if month else None


def serve(
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file for the monitor runs."),
) -> None:
    """Register the scheduled deployments (monitor daily 06:00, digest 1st 07:00, Europe/Amsterdam) and serve them.

    Example: scanner serve   (then open the Prefect UI printed above; Ctrl-C stops serving)
    """
    _flows()
    from flows.deploy import serve_deployments

    serve_deployments(str(db_path().resolve()), str(sources.resolve()) if sources else None)


prefect_app = typer.Typer(help="The managed local Prefect server that run, demo and serve use.",
                          no_args_is_help=True)


@prefect_app.command("start")
def prefect_start() -> None:
    """Start (or reuse) the managed local Prefect server.

    Example: scanner prefect start
    """
    from flows import runtime

    console.print(runtime.prepare(get_config()), highlight=False)


@prefect_app.command("status")
def prefect_status() -> None:
    """Show the managed server's address and whether it answers.

    Example: scanner prefect status
    """
    from flows import runtime

    console.print(json.dumps(runtime.server_status(get_config())), highlight=False)


@prefect_app.command("stop")
def prefect_stop() -> None:
    """Stop the managed local Prefect server.

    Example: scanner prefect stop
    """
    from flows import runtime

    console.print("stopped" if runtime.stop_server(get_config()) else "no managed server was running")


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("demo")(demo)
    app.command("serve")(serve)
    app.add_typer(prefect_app, name="prefect")
