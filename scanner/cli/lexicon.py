"""`scanner lexicon check|export`: validate the catalogue lexicon and export it with analyst additions."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from scanner.cli import common

lexicon_app = typer.Typer(help="Validate and export the catalogue lexicon (lexicon/*.yaml).", no_args_is_help=True)


def _counts_table(title: str, counts: Counter[str], order: tuple[str, ...] | list[str]) -> Table:
    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column(title.split()[-1])
    table.add_column("n", justify="right")
    for key in list(order) + sorted(k for k in counts if k not in order):
        table.add_row(key, str(counts.get(key, 0)))
    return table


@lexicon_app.command("check")
def check(
    lexicon_dir: Optional[Path] = typer.Option(None, "--dir", help="Lexicon folder (default: the repo's lexicon/)."),
    additions: bool = typer.Option(False, "--additions", help="Also merge analyst additions from the --db store."),
) -> None:
    """Validate the lexicon: schema, ids, counts, terms claimed twice. Exit 2 on problems.

    Example: scanner lexicon check
    """
    from scanner.catalogue import DOMAINS, FAMILIES, HORIZONS, IMPACTS, check_catalogue, load_catalogue

    store = common.get_store() if additions else None
    cat = load_catalogue(lexicon_dir, store=store, validate=False)
    problems = check_catalogue(cat)
    if problems:
        for problem in problems:
            common.err_console.print(problem, highlight=False, markup=False)
        raise typer.Exit(2)
    techs, procs = cat.technologies.values(), cat.processes.values()
    common.console.print(_counts_table("technologies per family", Counter(t.family for t in techs), FAMILIES))
    common.console.print(_counts_table("technologies per horizon", Counter(t.baseline_horizon for t in techs),
                                       HORIZONS))
    common.console.print(_counts_table("processes per domain", Counter(p.domain for p in procs), DOMAINS))
    common.console.print(_counts_table("processes per impact", Counter(p.baseline_impact for p in procs), IMPACTS))
    for problem in cat.addition_problems:
        common.err_console.print(f"warning: {problem}", highlight=False, markup=False)
    terms = sum(len(t.all_terms()) for t in techs)
    common.console.print(f"{len(cat.technologies)} technologies ({terms} terms), {len(cat.processes)} processes, "
                         f"version {cat.version}", highlight=False)
    common.console.print("lexicon OK", highlight=False)


@lexicon_app.command("export")
def export(
    out: Path = typer.Option(Path("data/lexicon-export"), "--out", help="Folder to write the YAML files to."),
    lexicon_dir: Optional[Path] = typer.Option(None, "--dir", help="Lexicon folder (default: the repo's lexicon/)."),
) -> None:
    """Write the lexicon YAML including analyst additions from the store (--db) to a folder, and the
    accepted emerging terms as catalogue proposals (accepted-terms.yaml).

    Example: scanner --db data/scanner.db lexicon export --out /tmp/lexicon
    """
    from scanner.catalogue import export_catalogue, load_catalogue

    cat = load_catalogue(lexicon_dir, store=common.get_store(), validate=False)
    from scanner.signals.api import export_accepted_terms

    for path in export_catalogue(cat, out):
        common.console.print(str(path), highlight=False)
    common.console.print(str(export_accepted_terms(common.get_store(), out, catalogue=cat, config=common.get_config())), highlight=False)
    for problem in cat.addition_problems:
        common.err_console.print(f"warning: {problem}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(lexicon_app, name="lexicon")
