"""Running the monitor once from the command line: Prefect defaults, the flow, the summary.

Shared by `drainwatch run` and `drainwatch demo`, so neither imports the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import signal
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from core.errors import ConfigError, DrainwatchError

from .prefect_server import TemporaryServer

T = TypeVar("T")


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
    stop: list[int] = []
    try:
        with stop_on_sigterm(stop), TemporaryServer() as server:
            from flows.monitor import monitor  # imported while the server boots

            with server.api(), _display():
                return in_flow_thread(lambda: monitor(topic_file=topic, db=str(db), outbox=str(outbox)))
    except KeyboardInterrupt:
        signum = stop[0] if stop else signal.SIGINT
        raise Exit(
            f"run stopped by {signal.Signals(signum).name}; what it stored is kept, the next run goes on from there",
            128 + signum,
        ) from None
    except DrainwatchError as exc:
        raise fail(exc) from None
    except Exception as exc:  # a bug or an unforeseen failure: one line, the details are in the log above
        raise Exit(f"run failed: {type(exc).__name__}: {exc}", 1) from None


@contextlib.contextmanager
def stop_on_sigterm(received: list[int]) -> Iterator[None]:
    """SIGTERM stops a run as Ctrl-C does (a KeyboardInterrupt in the main thread); the
    signal is added to `received`, so that the exit status can say which it was."""

    def on_term(signum: int, frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def in_flow_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the flow's event loop in a thread of its own, so that the main thread keeps the
    signals. (In the main thread, Prefect raises its TerminationSignal on SIGTERM wherever
    the code happens to be, inside asyncio or an HTTP connection, which nothing can clean
    up after.) The first KeyboardInterrupt cancels the flow, which marks the run aborted and
    shuts its workers down, and is raised when the flow has ended; a second is raised at once.
    """
    box: dict[str, Any] = {}
    ready, done = threading.Event(), threading.Event()

    async def main() -> T:
        box["loop"], box["task"] = asyncio.get_running_loop(), asyncio.current_task()
        ready.set()
        return await make()

    def target() -> None:
        # Ctrl-C is for the main thread. Blocked here, it is also blocked in every thread and
        # process the flow starts, until a pool worker ignores it (core/lifeline.py): the
        # terminal sends it to the workers too, and one that died of it would fail the run.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            box["result"] = asyncio.run(main())
        except BaseException as exc:
            box["error"] = exc
        finally:
            ready.set()
            done.set()

    # The context carries Prefect's settings (the API URL of the temporary server).
    thread = threading.Thread(target=contextvars.copy_context().run, args=(target,), name="flow", daemon=True)
    thread.start()
    interrupted = False
    while not done.is_set():
        try:
            # Not thread.join(): once interrupted, it takes the thread for ended (CPython 3.11).
            done.wait()
        except KeyboardInterrupt:
            if interrupted:
                raise
            interrupted = True
            ready.wait()
            with contextlib.suppress(KeyError, RuntimeError):  # not started, or already ended
                box["loop"].call_soon_threadsafe(box["task"].cancel)
    if interrupted:
        raise KeyboardInterrupt
    if "error" in box:
        raise box["error"]
    return box["result"]


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
