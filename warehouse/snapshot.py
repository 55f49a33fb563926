"""Parquet copies of the warehouse: the snapshot written at the end of each run (so that
`drainwatch query`, `status` and `report` can answer while a run holds the file) and
`drainwatch export`.

A snapshot is written to a temporary folder and renamed into place, so a reader never sees
half of one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core.errors import DatabaseBusy, WarehouseError

from .db import connect

RETRY_FOR_S = 3.0
RETRY_EVERY_S = 0.25


@dataclass(frozen=True, slots=True)
class Reading:
    con: duckdb.DuckDBPyConnection
    source: str  # "live" or "snapshot"
    note: str | None = None  # what to tell the user when it is the snapshot


def snapshot_dir(db_path: Path) -> Path:
    return Path(str(db_path) + ".snapshot")


def relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view of the warehouse, migrations bookkeeping included."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def export_all(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    """One Parquet file per table and view in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in relations(con):
        target = out_dir / f"{name}.parquet"
        con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{_sql_path(target)}' (FORMAT parquet)")
        written.append(target)
    return written


def write_snapshot(con: duckdb.DuckDBPyConnection, db_path: Path) -> Path:
    final = snapshot_dir(db_path)
    tmp = Path(str(final) + ".tmp")
    old = Path(str(final) + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        export_all(con, tmp)
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise WarehouseError(str(final), f"cannot write snapshot ({exc.strerror})") from None
    return final


def open_snapshot(folder: Path, *, in_memory: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory database whose views read the snapshot's Parquet files; with in_memory,
    tables loaded from them, so the connection needs no file access afterwards."""
    files = sorted(folder.glob("*.parquet"))
    if not files:
        raise WarehouseError(str(folder), "no snapshot to read")
    con = duckdb.connect(":memory:")
    for f in files:
        kind = "TABLE" if in_memory else "VIEW"
        con.execute(f"CREATE {kind} \"{f.stem}\" AS SELECT * FROM read_parquet('{_sql_path(f)}')")
    return con


@contextlib.contextmanager
def reading(db: Path, retry_for: float = RETRY_FOR_S) -> Iterator[Reading]:
    """A read-only connection to the warehouse. A run holds the file only for short
    transactions, so while one does, this retries for `retry_for` seconds; then it reads the
    Parquet snapshot of the last finished run (loaded into memory, so the connection needs
    no file access), and says so in `note`."""
    deadline = time.monotonic() + retry_for
    with contextlib.ExitStack() as stack:
        found: Reading | None = None
        while found is None:
            try:
                found = Reading(stack.enter_context(connect(db, read_only=True)), "live")
            except DatabaseBusy:
                if time.monotonic() < deadline:
                    time.sleep(RETRY_EVERY_S)
                    continue
                snap = snapshot_dir(db)
                if not snap.exists():
                    raise DatabaseBusy(
                        str(db),
                        "the database is in use by a run and there is no snapshot yet; try again when the run ends",
                    ) from None
                con = open_snapshot(snap, in_memory=True)
                stack.callback(con.close)
                when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(snap.stat().st_mtime))
                found = Reading(con, "snapshot", f"a run holds {db}; answered from the snapshot of {when} ({snap})")
        yield found


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")
