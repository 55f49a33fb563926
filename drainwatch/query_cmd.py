"""`drainwatch query`: read-only SQL that answers even while a run holds the database.

The connection is sealed before the user's SQL runs: external access off (no COPY TO, no
read_text of arbitrary files, no ATTACH, no extension loading) and the configuration
locked so the SQL cannot turn it back on. The one path it may write is the --output file
of a parquet query; `export` writes with its own, unsealed connection.

DuckDB refuses any other opener while a process writes. A run holds the file only for
short transactions, so the query retries for a few seconds; then it answers from the
Parquet snapshot of the last finished run and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from warehouse.snapshot import RETRY_FOR_S, reading


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    source: str  # "live" or "snapshot"
    note: str | None = None


class QueryError(Exception):
    """Bad SQL or a write attempt: the user's SQL, not the warehouse, is at fault."""


class QueryRefused(QueryError):
    """The SQL tried to reach outside the warehouse (a file, another database, a setting)."""


def seal(con: duckdb.DuckDBPyConnection, parquet_out: Path | None) -> None:
    """Only the warehouse from now on; allowed_paths must be set before access is switched off."""
    if parquet_out is not None:
        con.execute("SET allowed_paths = $paths", {"paths": [str(parquet_out.resolve())]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _run(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, str] | None, parquet_out: Path | None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    seal(con, parquet_out)
    if parquet_out is not None:
        parquet_out = parquet_out.resolve()
    try:
        if parquet_out is not None:
            rel = con.sql(sql, params=dict(params) if params else None)
            rel.write_parquet(str(parquet_out))
            return ["written"], [(str(parquet_out),)]
        cur = con.execute(sql, dict(params) if params else None)
        columns = [d[0] for d in (cur.description or [])]
        return columns, (cur.fetchall() if columns else [])
    except (duckdb.PermissionException, duckdb.InvalidInputException) as exc:
        first = str(exc).splitlines()[0]
        if isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in first:
            raise QueryRefused(f"refused, a query sees the warehouse only: {first}") from None
        raise QueryError(first) from None
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from None


def run_query(
    db: Path,
    sql: str,
    params: Mapping[str, str] | None = None,
    parquet_out: Path | None = None,
    retry_for: float = RETRY_FOR_S,
) -> QueryResult:
    with reading(db, retry_for) as r:
        return QueryResult(*_run(r.con, sql, params, parquet_out), source=r.source, note=r.note)
