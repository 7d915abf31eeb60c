"""`scanner digest`: the monthly trend digest as index.html + digest.md (+ charts/*.svg)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from scanner.cli import common


def digest_cmd(
    month: Optional[str] = typer.Option(None, "--month", help="Month YYYY-MM (default: the last complete month).",
                                        show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: data/digests/YYYY-MM).",
                                       show_default=False),
    lang: str = typer.Option("nl", "--lang", help="Language: nl or en."),
) -> None:
    """Write the monthly trend digest and print the path of its index.html.

    Example: scanner digest --month 2026-10 --lang en
    """
    from scanner.digest.build import build_digest, resolve_month
    from scanner.digest.i18n import LANGS
    from scanner.errors import ScannerError

    if lang not in LANGS:
        raise ScannerError(f"unsupported language {lang!r}: choose nl or en")
    chosen = resolve_month(month)
    path = build_digest(common.get_store(), chosen, out, lang, config=common.get_config())
    typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.command("digest")(digest_cmd)
