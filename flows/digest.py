"""digest_flow: the monthly trend digest (default: the month that just closed)."""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_link_artifact, create_markdown_artifact

from scanner.config import load_config
from scanner.digest.build import build_digest
from scanner.store import default_db_path, open_store


@flow(name="digest")
def digest_flow(db: str | None = None, month: str | None = None, out: str | None = None,
                lang: str = "nl") -> str:
    """Build index.html + digest.md for a month and publish where they are."""
    config = load_config()  # once per run
    path = build_digest(open_store(db or default_db_path(), config), month, Path(out) if out else None, lang,
                        config=config)
    get_run_logger().info("digest written to %s", path)
    create_markdown_artifact(f"# Trend digest\n\nWritten to `{path}` (and `{path.with_name('digest.md')}`).\n",
                             key="horizonscan-digest", description="monthly digest location")
    if str(path).startswith(("http://", "https://")):
        create_link_artifact(str(path), key="horizonscan-digest-link")
    return str(path)
