"""Running the monitor once from the command line: Prefect defaults, the flow, the summary.

Shared by `drainwatch run` and `drainwatch demo`, so neither imports the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from core.errors import ConfigError, DrainwatchError


def prefect_defaults() -> None:
    # No network here and no telemetry wanted; a user's own Prefect settings still win.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # Our stages log with the standard logging module; this lets Prefect print them too.
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "drainwatch,flows,warehouse")


class Exit(click.ClickException):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code  # type: ignore[misc]  # click reads it per instance


def fail(exc: DrainwatchError) -> Exit:
    return Exit(str(exc), 2 if isinstance(exc, ConfigError) else 1)


def run_once(topic: str, db: Path, outbox: Path) -> Any:
    prefect_defaults()
    from flows.monitor import monitor

    try:
        with _display():
            return asyncio.run(monitor(topic_file=topic, db=str(db), outbox=str(outbox)))
    except DrainwatchError as exc:
        raise fail(exc) from None
    except Exception as exc:  # a bug or an unforeseen failure: one line, the details are in the log above
        raise Exit(f"run failed: {type(exc).__name__}: {exc}", 1) from None


def _display() -> contextlib.AbstractContextManager[object]:
    """A live progress display on a terminal; elsewhere the plain log lines, as they are."""
    if not sys.stdout.isatty():
        return contextlib.nullcontext()
    from rich.console import Console

    from .progress import live_progress

    return live_progress(Console())


def print_summary(s: Any) -> None:
    if sys.stdout.isatty():
        from rich.console import Console

        from .progress import summary_table

        Console().print(summary_table(s))
    else:
        _summary_line(s)
    for e in s.errors[:20]:
        click.echo(f"  ! {e.stage}: {e.url or ''} {e.reason}{' (' + e.detail + ')' if e.detail else ''}", err=True)
    if len(s.errors) > 20:
        click.echo(f"  ! … and {len(s.errors) - 20} more (see the run_errors table)", err=True)


def _summary_line(s: Any) -> None:
    click.echo(
        f"run {s.run_id}: {s.status} · sources {s.sources_ok} ok, {s.sources_failed} failed · "
        f"{s.articles_discovered} URLs listed, {s.articles_new} new articles, {s.pages_failed} pages failed · "
        f"{s.figures_new} figures, {s.findings_new} new findings · {s.alerts_sent} alert(s) sent"
        + (f", {s.alerts_queued} queued (will retry next run)" if s.alerts_queued else "")
    )
