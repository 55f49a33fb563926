"""Opening the DuckDB file: short-lived connections, applied migrations, errors with the path.

DuckDB lets one process hold the file for writing, and any other opener fails at once; so
each pipeline step opens, does one short transaction, and closes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import duckdb

from core.errors import WarehouseError


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
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse, migrated when opened for writing."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(str(path), "no such database file (run `drainwatch run` first)")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(str(path), f"cannot create folder ({exc.strerror})") from None
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        raise WarehouseError(str(path), _explain(str(exc))) from None
    except duckdb.Error as exc:
        raise WarehouseError(str(path), f"cannot open database ({str(exc).splitlines()[0]})") from None
    try:
        if not read_only:
            migrate(con)
        yield con
    finally:
        con.close()


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


def _explain(message: str) -> str:
    first = message.splitlines()[0]
    if "lock" in first.lower():
        return "the database is in use by another process (a run in progress?); try again shortly"
    return f"cannot open database ({first})"
