"""Rich progress bars for `scanner harvest` on a terminal: one bar per source.

A paged source (ori | sru | tenders) moves after every committed page: its bar runs over its queries (one
per technology, or the standing one), the current query's share filled by records read / matches reported;
the other kinds fill when they finish. Off the terminal (piped, tests) nothing is drawn.
"""
from __future__ import annotations

import threading
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class HarvestBars:
    """`with HarvestBars(console, ids) as bars: harvest(..., on_result=bars.result, on_progress=bars.page)`."""

    def __init__(self, console: Console, source_ids: list[str]) -> None:
        self.progress = Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[note]}"), TimeElapsedColumn(), console=console,
                                 disable=not console.is_terminal, transient=False)
        self._lock = threading.Lock()
        self.tasks = {sid: self.progress.add_task(sid[:28], total=1, note="waiting") for sid in source_ids}

    def __enter__(self) -> "HarvestBars":
        self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def page(self, event: Any) -> None:
        """A committed page of a paged source (scanner.harvest.official.Progress)."""
        task = self.tasks.get(event.source_id)
        if task is None:
            return
        share = min(1.0, event.seen / event.total) if event.total else 0.0
        done = event.queries if event.finished else event.query + share
        where = f"query {event.query + 1}/{event.queries}" if event.queries > 1 else "pages"
        total = f"/{event.total}" if event.total is not None else ""
        note = (f"{event.new_documents} new" if event.finished
                else f"{where}: {event.seen}{total} read, {event.new_documents} new")
        with self._lock:
            self.progress.update(task, total=event.queries, completed=round(done, 3), note=note)

    def result(self, result: Any) -> None:
        """A source finished (scanner.harvest.run.SourceResult)."""
        task = self.tasks.get(result.source_id)
        if task is None:
            return
        with self._lock:
            total = self.progress.tasks[task].total or 1
            note = f"{result.new_documents} new" if result.ok else "FAILED"
            self.progress.update(task, completed=total, note=note)
