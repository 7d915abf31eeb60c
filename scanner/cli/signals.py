"""`scanner classify`, `scanner signals`, `scanner trends`, `scanner horizon`, `scanner emerging`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer

from scanner.cli import common
from scanner.errors import ScannerError
from scanner.signals.periods import MONTH

AS_OF = typer.Option(None, "--as-of", help="Use only documents published on or before this date (default: today).",
                     show_default=False)
JSON = typer.Option(False, "--json", help="Print a JSON array (the contract format).")


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False))


def classify_flow(reclassify: bool, task_runner: str, dask_address: Optional[str], workers: int,
                  batch_size: int) -> dict[str, Any]:
    """The same work through flows/classify.py (Prefect; Dask when asked), imported only here."""
    from flows import runtime

    with common.console.status("Starting or reusing the local Prefect server ..."):
        runtime.prepare(common.get_config())
    from flows.classify import run_classify

    return run_classify(str(common.db_path()), reclassify=reclassify, task_runner=task_runner,
                        dask_address=dask_address, workers=max(workers, 2), batch_size=batch_size)


def classify_cmd(
    reclassify: bool = typer.Option(False, "--reclassify", help="Re-tag every document, not only new ones."),
    workers: int = typer.Option(1, "--workers", min=1, help="Tagging processes."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, show_default=False,
                                             help="Documents per batch and transaction (default [signals] "
                                                  "classify_batch_size, 256)."),
    task_runner: Optional[str] = typer.Option(None, "--task-runner",
                                              help="Run as the Prefect classify flow: threads or dask."),
    dask_address: Optional[str] = typer.Option(None, "--dask-address",
                                               help="Dask scheduler (with --task-runner dask)."),
) -> None:
    """Tag every document not yet tagged by the current lexicon and model version.

    Prints one JSON summary line {"documents", "mentions", "errors", ...}; exit 1 when some failed.

    Example: scanner classify --workers 2
    """
    from rich.progress import Progress

    from scanner.signals.api import classify

    size = batch_size or int(common.get_config().signals["classify_batch_size"])
    common.check_task_runner(task_runner)
    if task_runner is not None:
        summary = classify_flow(reclassify, task_runner, dask_address, workers, size)
        _print_json(summary)
        raise typer.Exit(1 if summary.get("errors") else 0)
    with Progress(console=common.err_console, transient=True) as bar:
        task = bar.add_task("classify", total=None)
        summary = classify(common.get_store(), reclassify=reclassify, workers=workers, batch_size=size,
                           progress=lambda done, total: bar.update(task, completed=done, total=total))
    _print_json(summary)
    if summary["errors"]:
        raise typer.Exit(1)


def signals_cmd(as_of: Optional[str] = AS_OF) -> None:
    """Recompute and store trends, horizons, emerging terms and process impact; write review flags.

    Also snapshots every month's horizon estimates into the history. Idempotent: a re-run adds nothing.

    Example: scanner signals --as-of 2026-10-31
    """
    from scanner.signals.api import run_signals

    summary = run_signals(common.get_store(), as_of, config=common.get_config())
    shares = summary["process_shares"]
    common.console.print(
        f"signals as of {summary['as_of']}: {summary['technologies']} technologies, "
        f"{summary['changed']} horizon changes, {summary['bursts']} bursts, {summary['emerging']} emerging terms, "
        f"{summary['new_flags']} new flags; processes immediate {shares['immediate']:.0%} / "
        f"coming {shares['coming']:.0%} / slow {shares['slow']:.0%}", highlight=False)
    _print_json(summary)


def trends_cmd(as_of: Optional[str] = AS_OF, as_json: bool = JSON,
               impact: bool = typer.Option(True, "--impact/--no-impact", help="Also show the process impact shares.")) -> None:
    """Momentum, share of voice, documents per month and bursts per technology.

    Example: scanner trends --as-of 2026-10-31 --json
    """
    from scanner.signals.api import process_impact, trends

    from scanner.signals.periods import parse_as_of, reporting_month

    store = common.get_store()
    items = trends(store, as_of, config=common.get_config())
    report, partial = reporting_month(parse_as_of(as_of))
    if as_json:
        _print_json([i | {"partial_month": partial} for i in items])
        return
    from rich.table import Table

    table = Table(title=f"Trends in {report} (momentum 0-100)")
    for col in ("technology", "momentum", f"docs {report}", f"share of voice {report}", "growth", "sources",
                "bursts"):
        table.add_column(col)
    for item in sorted(items, key=lambda i: (-i["momentum"], i["id"])):
        table.add_row(item["id"], f"{item['momentum']:.1f}", str(item["documents"].get(report, 0)),
                      f"{item['share_of_voice'].get(report, 0.0):.2%}", f"{item['growth']:+.0%}",
                      str(item["sources"]), str(len(item["bursts"])))
    common.print_table(table)
    if partial:
        common.console.print(f"{partial} is a partial month (documents up to {parse_as_of(as_of)}); the figures "
                             f"above are for {report}, the last complete month", highlight=False)
    if impact:
        result = process_impact(store, as_of, config=common.get_config())
        s, b = result["shares"], result["baseline_shares"]
        common.console.print(
            f"process impact: immediate {s['immediate']:.0%} / coming {s['coming']:.0%} / slow {s['slow']:.0%} "
            f"(baseline {b['immediate']:.0%} / {b['coming']:.0%} / {b['slow']:.0%})", highlight=False)


def horizon_cmd(as_of: Optional[str] = AS_OF, as_json: bool = JSON,
                tech: Optional[str] = typer.Option(None, "--tech", help="Explain one technology's estimate.")) -> None:
    """Horizon estimates (in-use, 0-3, 3-7, >7 years) relative to the as-of date, with the previous month's.

    Example: scanner horizon --tech chatbots --as-of 2026-10-31
    """
    from scanner.signals.api import explain, horizons

    store = common.get_store()
    if tech:
        result = explain(store, tech, as_of, config=common.get_config())
        if as_json:
            _print_json(result)
        else:
            _print_explanation(result)
        return
    items = horizons(store, as_of, config=common.get_config())
    if as_json:
        _print_json([{k: v for k, v in i.items() if k != "top_evidence"} | {"top_evidence": i["top_evidence"]}
                     for i in items])
        return
    from rich.table import Table

    table = Table(title="Horizon estimates")
    for col in ("technology", "baseline", "estimate", "previous", "P(in-use/0-3/3-7/>7)", "expected", "evidence",
                "municipalities"):
        table.add_column(col)
    for i in items:
        probs = " / ".join(f"{p:.2f}" for p in i["probabilities"].values())
        mark = " *" if i["changed"] else (" (pinned)" if i["overridden"] else "")
        table.add_row(i["id"], i["baseline"], i["estimate"] + mark, i["previous"], probs,
                      f"{i['expected_year']:.1f}", str(i["evidence"]), str(i["municipalities"]))
    common.print_table(table)


def _print_explanation(result: dict[str, Any]) -> None:
    from rich.table import Table

    con, p, q = common.console, result["prior"], result["posterior"]
    con.print(f"[bold]{result['name']}[/bold] ({result['id']}) as of {result['as_of']}")
    con.print(f"prior: baseline {p['baseline']} dated {p['baseline_date']} -> adoption around "
              f"{p['expected_year']:.1f} ± {p['sd_years']:.1f}; P = {p['probabilities']}", highlight=False)
    silence, reach = result["silence"], result["reach"]
    con.print("silence (covered months without adoption news): "
              + ("exempt, in use at the baseline" if silence["exempt"] else f"{silence['pull_years']:+.2f} years"),
              highlight=False)
    con.print(f"municipal reach: {reach['municipalities']} municipalities with adoption, procurement or pilot "
              f"evidence ({reach['share']:.1%} of all); {reach['pull_years']:+.2f} years", highlight=False)
    official = result.get("official_reach")
    if official is not None:
        con.print(f"official sources: {official['council_or_tender']} municipalities with council or tender evidence "
                  f"(council documents {official['council']}, tenders {official['tenders']}; local regulations "
                  f"{official['regulations']})", highlight=False)
    table = Table(title=f"top evidence ({result['evidence_count']} documents)")
    for col in ("weight", "pull (years)", "stage", "published", "source", "sentence"):
        table.add_column(col)
    for e in result["evidence"]:
        table.add_row(f"{e['weight']:.3f}", f"{e['pull_years']:+.2f}", e["stage"], str(e["published"])[:10],
                      str(e["source_id"]), (e["sentence"] or e["title"] or "")[:120])
    common.print_table(table)
    con.print(f"posterior: adoption around {q['expected_year']:.1f} ± {q['sd_years']:.1f}; estimate "
              f"[bold]{q['estimate']}[/bold]; P = {q['probabilities']}")
    if result["override"]:
        o = result["override"]
        con.print(f"pinned by {o['by']} on {o['at']}: {o['estimate']} — {o['reason']}", highlight=False)


def emerging_cmd(as_of: Optional[str] = AS_OF, as_json: bool = JSON,
                 top: int = typer.Option(20, "--top", min=1, help="How many candidate terms."),
                 show_all: bool = typer.Option(False, "--all", help="Also list rejected terms (with the reason).")) -> None:
    """Technology terms no lexicon entry covers, best first, with example sentences and review status.

    Spelling variants are merged (ai agent / ai-agents). Lists the top candidates and every accepted term;
    rejected terms only with --all.

    Example: scanner emerging --top 10 --json
    """
    from scanner.signals.api import emerging

    items = emerging(common.get_store(), as_of, top=top, include_rejected=show_all,
                     config=common.get_config())
    if as_json:
        _print_json([{k: v for k, v in t.items() if k != "example_documents"} for t in items])
        return
    from rich.table import Table

    table = Table(title="Emerging terms")
    for col in ("term", "status", "score", "documents", "sources", "first seen", "variants", "example"):
        table.add_column(col)
    for t in items:
        note = f" ({t['reason']})" if t.get("reason") else ""
        table.add_row(t["term"], t["status"] + note, f"{t['score']:.3f}", str(t["documents"]), str(t["sources"]),
                      t["first_seen"], ", ".join(v for v in t.get("variants", []) if v != t["term"]),
                      (t["examples"][0] if t["examples"] else "")[:100])
    common.print_table(table)


def backtest_cmd(
    outcomes: Path = typer.Option(..., "--outcomes", help="TSV with columns technology, date, horizon."),
    first: Optional[str] = typer.Option(None, "--from", help="First month YYYY-MM (default: earliest outcome)."),
    last: Optional[str] = typer.Option(None, "--to", help="Last month YYYY-MM (default: latest outcome)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    out: Path = typer.Option(Path("data/backtest"), "--out", help="Folder for report.md, index.html and charts."),
    vary: list[str] = typer.Option([], "--vary", metavar="KEY=V1,V2",
                                   help="Also score with one [horizon] setting at each value (repeatable; a table "
                                        "entry is table.entry, e.g. strength.adoption)."),
    tune: list[str] = typer.Option([], "--tune", metavar="KEY=V1,V2",
                                   help="Rank every combination of these [horizon] values by the Brier score on "
                                        "the outcomes dated before --tune-before (repeatable)."),
    tune_before: Optional[str] = typer.Option(None, "--tune-before", metavar="YYYY-MM",
                                              help="Choose on outcome rows before this month (default: the "
                                                   "latest outcome date, which then chooses nothing)."),
) -> None:
    """Replay the horizon estimates month by month and score them against observed outcomes.

    Scores the monitored estimate beside the 2019 baseline aged by time and last month's state
    (Brier, log loss, accuracy, macro recall, mean bin error), and writes a report with a reliability
    diagram and per-technology timelines.

    Example: scanner --db data/replay.db backtest --outcomes data/outcomes.tsv --to 2026-10
    """
    import shlex
    import sys

    from scanner.signals.api import backtest

    for flag, value in (("--from", first), ("--to", last), ("--tune-before", tune_before)):
        if value is not None and not MONTH.fullmatch(value):
            raise ScannerError(f"{flag} must be YYYY-MM, not {value!r}")
    if tune_before is not None and not tune:
        raise ScannerError("--tune-before needs --tune KEY=V1,V2 (the settings to choose among)")
    figures, report = backtest(common.get_store(), outcomes, first, last, out, config=common.get_config(),
                               command="scanner " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
                               vary=_parse_settings(vary, "--vary"), tune=_parse_settings(tune, "--tune"),
                               tune_before=tune_before)
    if as_json:
        _print_json({k: figures[k] for k in ("model", "aged_baseline", "persistence")}
                    | {k: figures[k] for k in ("by_date", "calibration", "range", "brier_difference", "latest_rows",
                                                     "tuning", "sensitivity")
                       if k in figures})
        return
    from scanner.signals.backtest_report import LABELS

    for who in ("model", "aged_baseline", "persistence"):
        s = figures[who]
        common.console.print(f"{LABELS[who]:<28} Brier {s['brier']:.4f}  log loss {s['log_loss']:.4f}  "
                             f"accuracy {s['accuracy']:.3f}  macro recall {s['macro_recall']:.3f}  "
                             f"mean bin error {s['mae_bins']:.3f}  n {s['n']}", highlight=False)
    if "tuning" in figures:
        t = figures["tuning"]
        chosen = ", ".join(f"{k}={v:g}" for k, v in t["chosen"].items())
        common.console.print(f"chosen on outcomes before {t['before']}: {chosen} "
                             f"({'as configured' if t['configured_is_chosen'] else 'NOT the configured values'})",
                             highlight=False)
    common.console.print(f"report: {report}", highlight=False)


def _parse_settings(items: list[str], flag: str) -> dict[str, list[float]]:
    """`silence_weight=0.5,1` -> {"silence_weight": [0.5, 1.0]}; a malformed item is one clear error."""
    out: dict[str, list[float]] = {}
    for item in items:
        key, _, values = item.partition("=")
        key, parsed = key.strip(), common.numbers(values)
        if not key or parsed is None:
            raise ScannerError(f"{flag} {item!r}: expected KEY=NUMBER,NUMBER,... with finite numbers")
        if key in out:
            raise ScannerError(f"{flag} {key} is given twice: list its values once")
        out[key] = parsed
    return out


def register(app: typer.Typer) -> None:
    app.command("backtest")(backtest_cmd)
    app.command("classify")(classify_cmd)
    app.command("signals")(signals_cmd)
    app.command("trends")(trends_cmd)
    app.command("horizon")(horizon_cmd)
    app.command("emerging")(emerging_cmd)
