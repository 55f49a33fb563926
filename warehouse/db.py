"""Opening the DuckDB file: short-lived connections, applied migrations, errors with the path.

DuckDB lets one process hold the file for writing, and any other opener fails at once; so
each pipeline step opens, does one short transaction, and closes, and a step that finds a
reader holding the file waits for it, for a bounded time.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import duckdb

from core.errors import DatabaseBusy, WarehouseError

log = logging.getLogger(__name__)
WRITE_WAIT_S = 60.0  # how long a run waits for a reader (a long `drainwatch query`) to let go
FIRST_PAUSE_S = 0.1
MAX_PAUSE_S = 2.0


def _migrations() -> list[tuple[int, str, str]]:
    out = []
    for entry in resources.files("warehouse").joinpath("migrations").iterdir():
        name = entry.name
        if name.endswith(".sql"):
            out.append((int(name.split("_", 1)[0]), name, entry.read_text(encoding="utf-8")))
    return sorted(out)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded; each in one transaction with its record."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in _migrations():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


@contextlib.contextmanager
def connect(
    path: Path, *, read_only: bool = False, wait_for: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse, migrated when opened for writing.

    While another process holds the file (a `drainwatch query` reads it), a writer waits up
    to `wait_for` seconds (WRITE_WAIT_S by default), trying again with a growing pause; a
    reader does not wait (`drainwatch query` has its own retry and the snapshot)."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(str(path), "no such database file (run `drainwatch run` first)")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(str(path), f"cannot create folder ({exc.strerror})") from None
    con = _open(path, read_only, 0.0 if read_only else WRITE_WAIT_S if wait_for is None else wait_for)
    try:
        if not read_only:
            migrate(con)
        yield con
    finally:
        con.close()


def _open(path: Path, read_only: bool, wait_for: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_for
    pause = FIRST_PAUSE_S
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            first = str(exc).splitlines()[0]
            if "lock" not in first.lower():
                raise WarehouseError(str(path), f"cannot open database ({first})") from None
            left = deadline - time.monotonic()
            if left <= 0:
                raise DatabaseBusy(
                    str(path),
                    "the database is in use by another process (a run in progress?); try again shortly"
                    if wait_for == 0
                    else f"the database is in use by another process (a long query?); gave up after {wait_for:g} s",
                ) from None
            if pause == FIRST_PAUSE_S:
                log.info("%s is in use by another process (a query?); waiting up to %g s", path, wait_for)
            time.sleep(min(pause * random.uniform(0.5, 1.0), left))
            pause = min(pause * 2, MAX_PAUSE_S)
        except duckdb.Error as exc:
            raise WarehouseError(str(path), f"cannot open database ({str(exc).splitlines()[0]})") from None


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One write transaction; DuckDB's errors (a full disk, a corrupt file) become WarehouseError."""
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise WarehouseError(
            "warehouse", f"write failed, nothing of it was stored ({str(exc).splitlines()[0]})"
        ) from None
