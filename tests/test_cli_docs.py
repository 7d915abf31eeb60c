"""Every command is documented (typer vendors its own click, so groups are found by duck typing): it has help text with an example, and the README mentions it."""
from __future__ import annotations

from pathlib import Path

import typer.main

from scanner.cli.main import app

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands(group, prefix: str = "") -> list[tuple[str, object]]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}".strip()
        found.append((path, command))
        if hasattr(command, "commands"):
            found.extend(_commands(command, path))
    return found


def all_commands() -> list[tuple[str, object]]:
    return _commands(typer.main.get_command(app))


def test_contract_commands_exist():
    names = {path for path, _ in all_commands()}
    for required in ["tag", "harvest", "ingest", "classify", "signals", "trends", "horizon", "emerging",
                     "digest", "run", "demo", "serve", "ui", "users add", "bench", "lexicon check"]:
        assert required in names, required


def test_every_command_has_help():
    for path, command in all_commands():
        assert (command.help or "").strip(), f"scanner {path} has no help text"


def test_every_command_is_in_readme():
    text = README.read_text(encoding="utf-8")
    missing = [path for path, command in all_commands()
               if not hasattr(command, "commands") and f"scanner {path}" not in text]
    assert not missing, f"commands missing from README.md: {missing}"
