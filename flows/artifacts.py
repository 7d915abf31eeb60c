"""Prefect artifacts for a run: a Markdown summary and a per-source table."""
from __future__ import annotations

from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact


def _line(label: str, value: Any) -> str:
    return f"- **{label}**: {value}"


def summary_markdown(summary: dict[str, Any]) -> str:
    """Render the monitor summary (see monitor_flow) as Markdown."""
    harvest = summary.get("harvest", {})
    signals = summary.get("signals", {})
    lines = ["# horizonscan monitoring run", ""]
    lines.append(_line("New documents", harvest.get("new_documents", 0)))
    lines.append(_line("Duplicates skipped", harvest.get("duplicates", 0)))
    failed = [r for r in harvest.get("sources", []) if not r.get("ok")]
    lines.append(_line("Failed sources", len(failed)))
    for row in failed:
        lines.append(f"  - `{row.get('source')}`: {row.get('error')}")
    lines.append(_line("Documents tagged", summary.get("classify", {}).get("tagged", 0)))
    changes = signals.get("horizon_changes", [])
    lines.append(_line("Horizon changes", len(changes)))
    for change in changes:
        lines.append(f"  - {change}")
    lines.append(_line("New review flags", signals.get("new_flags", 0)))
    if summary.get("digest"):
        lines.append(_line("Digest", summary["digest"]))
    return "\n".join(lines) + "\n"


def publish(summary: dict[str, Any], key_prefix: str = "horizonscan") -> None:
    create_markdown_artifact(summary_markdown(summary), key=f"{key_prefix}-summary",
                             description="horizonscan monitoring summary")
    rows = summary.get("harvest", {}).get("sources", [])
    if rows:
        table = [{k: r.get(k) for k in ("source", "ok", "new_documents", "duplicates", "error")}
                 for r in rows]
        create_table_artifact(table, key=f"{key_prefix}-sources", description="per-source results")
