"""`scanner train [--eval]`: train the stage and relevance classifiers and compare them with the rules."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Optional

import typer

from scanner.cli import common
from scanner.errors import ScannerError


def _store_if_present() -> Any:
    """The selected database when it exists (for analyst relabels); training never creates one."""
    return common.get_store() if common.db_path().exists() else None


def _table(task: str, section: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    systems = section["systems"]
    table = Table(title=f"{task}: held-out test split, precision/recall/F1 (selected: {section.get('selected')})")
    table.add_column("label", no_wrap=True)
    for name in systems:
        table.add_column(name, justify="right", no_wrap=True)
    order: list[str] = []
    for s in systems.values():
        order += [label for label in s["labels"] if label not in order]
    for label in order:
        cells = [(f"{v['precision']:.2f}/{v['recall']:.2f}/{v['f1']:.2f}" if (v := s["labels"].get(label)) else "-")
                 for s in systems.values()]
        table.add_row(label, *cells)
    key = "macro_f1" if task == "stage" else "municipal_accuracy"
    table.add_row(f"[bold]{key}[/bold]", *[f"[bold]{s.get(key, 0):.3f}[/bold]" for s in systems.values()])
    if task == "relevance":
        table.add_row("factor micro-F1", *[f"{s['factor_micro']['f1']:.3f}" for s in systems.values()])
    extra = (("hand-written only", "hand_written", "{:.3f}"), ("dev (selection)", "dev", "{:.3f}"),
             ("docs/s (600 words)", "docs_per_s", "{:.0f}"))
    for title, field, fmt in extra:
        if any(field in s for s in systems.values()):
            table.add_row(title, *[fmt.format(s[field]) if field in s else "-" for s in systems.values()])
    Console(width=max(common.console.width, 150)).print(table)
    if section.get("version"):
        common.console.print(f"{task} model {section['version']} -> {section.get('path')}")


def _positive_numbers(text: str) -> list[float]:
    """`1,3,10` -> [1.0, 3.0, 10.0]; anything else is one clear error."""
    values = common.numbers(text)
    if values is None or not all(v > 0 for v in values):
        raise ScannerError(f"--choose-stage-c {text!r}: expected positive numbers separated by commas")
    return values


def _shares(text: str) -> list[float]:
    """`0.25,0.5,1` -> [0.25, 0.5, 1.0]; anything outside (0, 1] is one clear error."""
    values = common.numbers(text)
    if values is None or not all(0 < v <= 1 for v in values) or len(set(values)) != len(values):
        raise ScannerError(f"--learning-curve {text!r}: expected distinct shares in (0, 1] separated by commas")
    return values


def _show_curve(shares: list[float], settings: dict, as_json: bool, command: str) -> None:
    """The learning curve: printed, and written where the README includes it."""
    from scanner.train import learning_curve

    result = learning_curve.learning_curve(shares, settings)
    _show_report(result, as_json, "Stage learning curve", learning_curve.markdown(result, command),
                 learning_curve.report_path())


def _show_stage_c(result: dict, as_json: bool, command: str) -> None:
    """The dev-site comparison of stage regularisations: printed, and written where the README includes it."""
    from scanner.train import real_report

    _show_report(result, as_json, "Choosing stage_C", real_report.stage_c_markdown(result, command),
                 real_report.stage_c_path())


def _show_report(result: dict, as_json: bool, heading: str, text: str, path: Path) -> None:
    """One JSON object, or the Markdown printed and written to `path` (which the README includes)."""
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    path.write_text(f"# {heading}\n\n" + text, encoding="utf-8")
    common.console.print(text, highlight=False, markup=False)
    common.console.print(f"report: {path}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train_cmd(
        evaluate: bool = typer.Option(False, "--eval", help="Only evaluate the shipped tagger on the real test split."),
        out: Optional[Path] = typer.Option(None, "--out", help="Model directory (default scanner/models)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
        factors: bool = typer.Option(False, "--factors",
                                     help="Also retrain the factor (driver/barrier) model from data/annotations/."),
        seed: Optional[int] = typer.Option(None, "--seed", help="Override [train] seed."),
        choose_stage_c: Optional[str] = typer.Option(
            None, "--choose-stage-c", metavar="C1,C2,...",
            help="Only show how [train] stage_C is chosen: each value fitted on the train sites, scored on the dev sites."),
        curve: Optional[str] = typer.Option(
            None, "--learning-curve", metavar="S1,S2,...",
            help="Only show how the dev stage score grows with these shares (0-1] of the train sites."),
        label_input: bool = typer.Option(
            False, "--compare-label-input",
            help="Only show how the label model's input is chosen: text alone or with the cue words, fitted on "
                 "the train sites, scored on the dev sites."),
    ) -> None:
        """Train the stage, label and term models on the real-text corpus; `--eval` scores the shipped tagger.

        Training uses the train and dev sites of data/annotations/real/corpus.jsonl (plus the project's
        own sentences as extra data); `--eval` runs the shipped tagger end to end on the test sites,
        beside the cue rules alone and each model alone, and writes data/annotations/real/report.md.

        Example: scanner train --eval
        """
        import shlex
        import sys

        from scanner.train import real_report
        from scanner.train.models import models_dir, train_settings

        settings = train_settings(common.get_config())
        if seed is not None:
            settings["seed"] = seed
        model_dir = out or (Path(os.environ["SCANNER_MODEL_DIR"]) if os.environ.get("SCANNER_MODEL_DIR")
                            else models_dir())
        command = "scanner " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        if label_input:
            if evaluate or factors or out is not None or choose_stage_c is not None or curve is not None:
                raise ScannerError("--compare-label-input only compares inputs: it trains nothing to keep, so it "
                                   "takes no --eval, --factors, --out, --choose-stage-c or --learning-curve")
            result = real_report.compare_label_input(settings)
            _show_report(result, as_json, "Choosing the label model's input",
                         real_report.label_input_markdown(result, command), real_report.label_input_path())
            return
        if curve is not None:
            if evaluate or factors or out is not None or choose_stage_c is not None:
                raise ScannerError("--learning-curve only measures: it trains nothing to keep, so it takes no "
                                   "--eval, --factors, --out or --choose-stage-c")
            _show_curve(_shares(curve), settings, as_json, command)
            return
        if choose_stage_c is not None:
            if evaluate or factors or out is not None:
                raise ScannerError("--choose-stage-c only compares settings: it trains nothing to keep, so it "
                                   "takes no --eval, --factors or --out")
            _show_stage_c(real_report.choose_stage_c(_positive_numbers(choose_stage_c), settings), as_json, command)
            return
        if evaluate:
            report = real_report.evaluate()
            path = real_report.write(report, command)
            if as_json:
                typer.echo(json.dumps(report, ensure_ascii=False))
                return
            common.console.print(real_report.markdown(report, "scanner train --eval"), highlight=False, markup=False)
            common.console.print(f"report: {path}", highlight=False)
            return
        summary = real_report.train_models(settings, model_dir)
        if factors:
            from scanner.train.run import train_all

            summary["factors"] = train_all(settings, model_dir, _store_if_present(), tasks=("relevance",))["relevance"]
        if as_json:
            typer.echo(json.dumps(summary, ensure_ascii=False))
            return
        term = summary["term_model"]
        common.console.print(f"stage, label and term models from {summary['records']} real excerpts (+ "
                             f"{summary['own_sentences']} own sentences) in {summary['train_s']} s -> "
                             f"{summary['path']}; temperature {summary['temperature']}; term threshold "
                             f"{term['threshold']} (out-of-fold recall {term['oof_recall']} at "
                             f"{term['oof_candidates_per_doc']} candidates per excerpt)", highlight=False)
        if factors:
            _table("relevance", summary["factors"])
