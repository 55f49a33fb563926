"""What a terminal shows during a run: a live rich display driven by the stages' log records.

The stages know nothing of this: they log with `logging`, and the records of the long stages
carry `extra={"progress": {"stage": ..., "total"|"done"|"advance": n}}`. Off a terminal none of
this is installed and the log lines print as they always did.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

STAGE_LABELS = {
    "discover": "sources asked",
    "fetch": "pages fetched",
    "extract": "pages extracted",
    "alert": "alerts sent",
}


class ProgressHandler(logging.Handler):
    """Moves the display's bars on progress records; prints warnings and errors above it."""

    def __init__(self, progress: Progress, line_format: logging.Formatter) -> None:
        super().__init__(logging.NOTSET)
        self.progress = progress
        self.line_format = line_format
        self.tasks: dict[str, TaskID] = {}

    def emit(self, record: logging.LogRecord) -> None:
        try:
            step = getattr(record, "progress", None)
            if isinstance(step, dict) and step.get("stage") in STAGE_LABELS:
                self._step(step)
            if record.levelno >= logging.WARNING:
                self.progress.console.print(self.line_format.format(record), markup=False, highlight=False)
        except Exception:
            self.handleError(record)

    def _step(self, step: dict[str, Any]) -> None:
        stage = str(step["stage"])
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(STAGE_LABELS[stage], total=step.get("total"))
        task = self.tasks[stage]
        if "total" in step:
            self.progress.update(task, total=step["total"])
        if "done" in step:
            self.progress.update(task, completed=step["done"])
        if "advance" in step:
            self.progress.advance(task, step["advance"])


class _Muted(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


def _console_handlers() -> list[logging.Handler]:
    # Prefect's console handler on the root logger prints our stages' lines and its own to a
    # stderr it captured at import time, which would tear through the live display.
    from prefect.logging.handlers import PrefectConsoleHandler

    return [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]


@contextlib.contextmanager
def live_progress(console: Console) -> Iterator[Progress]:
    """While open, log lines are replaced by the display; warnings and errors print above it."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    muted = _console_handlers()
    line_format = next((h.formatter for h in muted if h.formatter), None) or logging.Formatter(
        "%(levelname)s %(name)s - %(message)s"
    )
    handler = ProgressHandler(progress, line_format)
    quiet = _Muted()
    root = logging.getLogger()
    for h in muted:
        h.addFilter(quiet)
    root.addHandler(handler)
    try:
        with progress:
            progress.add_task("monitor run", total=None)
            yield progress
            for task in progress.tasks:
                if task.total is None:
                    progress.update(task.id, total=1, completed=1)
    finally:
        root.removeHandler(handler)
        for h in muted:
            h.removeFilter(quiet)


def summary_table(s: Any) -> Table:
    """The run's counts, the ones print_summary's line has."""
    table = Table(title="run summary", title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("run", s.run_id)
    table.add_row("status", s.status)
    for label, n in (
        ("sources ok", s.sources_ok),
        ("sources failed", s.sources_failed),
        ("URLs listed", s.articles_discovered),
        ("new articles", s.articles_new),
        ("pages failed", s.pages_failed),
        ("new figures", s.figures_new),
        ("new findings", s.findings_new),
        ("alerts sent", s.alerts_sent),
        ("alerts queued", s.alerts_queued),
    ):
        table.add_row(label, str(n))
    return table
