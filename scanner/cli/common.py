"""Shared CLI state: the global --db option, the console, exit helpers."""
from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer

from rich.console import Console

from scanner.config import Config, load_config
from scanner.errors import ScannerError
from scanner.store import Store, default_db_path, open_store

console = Console(soft_wrap=True)  # one line per message, whatever the terminal width
err_console = Console(stderr=True, soft_wrap=True)

_state: dict[str, object] = {"db": None, "store": None, "config": None}


def set_db_path(path: Path | None) -> None:
    """Start a command: its --db, and a fresh store and config (read again by this invocation)."""
    _state["db"] = path
    _state["store"] = None
    _state["config"] = None


def push_config_override(path: Path) -> None:
    """Put a config file in front of $SCANNER_CONFIG for this process (scanner demo); read again on next use."""
    from scanner.config import push_override

    push_override(path)
    _state["config"] = None


def get_config() -> Config:
    """This command's configuration (scanner/defaults.toml + $SCANNER_CONFIG), loaded once per invocation."""
    if _state["config"] is None:
        _state["config"] = load_config()
    return _state["config"]  # type: ignore[return-value]


TASK_RUNNERS = ("threads", "dask")  # where the Prefect classify flow tags (scanner classify/harvest/run --task-runner)


def check_task_runner(value: str | None) -> None:
    """--task-runner is threads or dask (None: not given); anything else is one clear error."""
    if value is not None and value not in TASK_RUNNERS:
        raise ScannerError(f"--task-runner must be threads or dask, not {value!r}")


def db_path() -> Path:
    return Path(_state["db"] or default_db_path())  # type: ignore[arg-type]


def get_store() -> Store:
    """The store selected by --db / $SCANNER_DB / data/scanner.db, opened once per process."""
    if _state["store"] is None:
        _state["store"] = open_store(db_path(), get_config())
    return _state["store"]  # type: ignore[return-value]


def flags_without_type() -> None:
    """Help shows on/off options as bare flags (`--verbose`), not `--verbose <bool>` (they take no value)."""
    from typer.core import TyperOption

    if getattr(TyperOption.display_type, "_flag_aware", False):
        return
    original = TyperOption.display_type

    def display_type(self: Any, ctx: Any) -> str | None:
        return None if self.is_flag else original(self, ctx)

    display_type._flag_aware = True  # type: ignore[attr-defined]
    TyperOption.display_type = display_type  # type: ignore[method-assign,assignment]


def print_table(table: Any) -> None:
    """A Rich table on a terminal; piped, plain tab-separated columns (header first), nothing cut."""
    if console.is_terminal:
        console.print(table)
        return
    typer.echo("\t".join(str(c.header) for c in table.columns))
    for row in zip(*(c._cells for c in table.columns)):
        typer.echo("\t".join(" ".join(str(cell).split()) for cell in row))


def numbers(text: str) -> list[float] | None:
    """`0.5,1` -> [0.5, 1.0]; None when empty, not numbers or not finite (the caller says what it expected)."""
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        return None
    return values if values and all(math.isfinite(v) for v in values) else None


def fail(message: str, code: int = 2) -> NoReturn:
    """One clear line on stderr, then exit (2: usage/config, 1: some inputs failed)."""
    err_console.print(f"error: {message}", style="red", highlight=False, markup=False, soft_wrap=True)
    sys.exit(code)
