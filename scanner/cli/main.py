"""Entry point: global options, command registration, and error handling without tracebacks."""
from __future__ import annotations

import logging
import os
import sqlite3
import sys
from pathlib import Path
from typing import Optional

import typer

from scanner import __version__
from scanner.cli import bench, common, digest, harvest, lexicon, review, run, signals, tag, train
from scanner.errors import InputError, ScannerError


common.flags_without_type()
app = typer.Typer(
    name="scanner",
    help="horizonscan: technology horizon scanning for Dutch municipalities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"horizonscan {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Optional[Path] = typer.Option(
        None, "--db", help="SQLite database (else $SCANNER_DB, else data/scanner.db).", show_default=False
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show version."),
) -> None:
    """horizonscan: harvest, tag, trend, review and digest technology signals for municipalities."""
    common.set_db_path(db)
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


for _area in (tag, lexicon, harvest, signals, digest, run, review, train, bench):
    _area.register(app)


def main() -> None:
    """Run the app; expected failures become one line on stderr and exit code 2 (or 1)."""
    try:
        app(standalone_mode=True)
    except InputError as exc:
        common.fail(str(exc), code=1)
    except ScannerError as exc:
        common.fail(str(exc), code=2)
    except sqlite3.Error as exc:  # a damaged, read-only or locked database found mid-command
        from scanner.store import explain_db_error

        common.fail(explain_db_error(exc, common.db_path()), code=2)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:  # a file or folder the user named cannot be read or written
        where = f": {exc.filename}" if exc.filename else ""
        common.fail(f"{exc.strerror or exc}{where}", code=2)
    except KeyboardInterrupt:
        common.fail("interrupted", code=130)
