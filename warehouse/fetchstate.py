"""Fetching state kept between runs: sources (validators, failures, backoff), candidate
URLs with their status, and the log of every HTTP attempt."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import duckdb

from core.records import Candidate, Failure, SourceResult, SourceState

from .db import transaction
from .store import now

BACKOFF_AFTER = 3  # consecutive failures before a source is skipped for a while
BACKOFF_MAX = timedelta(hours=24)


def backoff_for(consecutive_failures: int) -> timedelta | None:
    """How long to leave a source alone: 1 h after the third failure in a row, doubling, at most a day."""
    if consecutive_failures < BACKOFF_AFTER:
        return None
    return min(timedelta(hours=2 ** (consecutive_failures - BACKOFF_AFTER)), BACKOFF_MAX)


def source_states(con: duckdb.DuckDBPyConnection) -> dict[str, SourceState]:
    rows = con.execute(
        """SELECT s.url, c.etag, c.last_modified, c.body_hash, s.last_ok_at,
                  coalesce(s.next_attempt_after > now(), false)
           FROM sources s LEFT JOIN http_cache c USING (url)"""
    ).fetchall()
    return {r[0]: SourceState(r[1], r[2], r[3], r[4], r[5]) for r in rows}


def record_discovery(
    con: duckdb.DuckDBPyConnection, results: Sequence[SourceResult], candidates: Sequence[Candidate]
) -> int:
    """In one transaction: new candidates, source health and validators. Returns candidates added."""
    at = now()
    with transaction(con):
        before = con.execute("SELECT count(*) FROM candidates").fetchall()[0][0]
        if candidates:
            # A candidate born dropped (a news-search link that could not be decoded) is kept
            # with its reason, so that it shows in dropped_pages and is never fetched.
            con.executemany(
                "INSERT OR IGNORE INTO candidates (url, discovered_url, source_url, kind, title, published, discovered_at,"
                " status, last_error, seen_at, outlet, outlet_url, language, via) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [
                        c.url,
                        c.discovered_url,
                        c.source_url,
                        c.kind,
                        c.title,
                        c.published,
                        at,
                        "dropped" if c.dropped else "discovered",
                        c.dropped,
                        c.seen_at,
                        c.outlet,
                        c.outlet_url,
                        c.language,
                        c.via,
                    ]
                    for c in candidates
                ],
            )
        # A resolved news-search link whose article another source listed first still
        # records its link, so that it is not decoded again next run.
        vias = [[c.via, c.url] for c in candidates if c.via]
        if vias:
            con.executemany("UPDATE candidates SET via = ? WHERE url = ? AND via IS NULL", vias)
        added = con.execute("SELECT count(*) FROM candidates").fetchall()[0][0] - before
        for r in results:
            if r.skipped:
                continue
            failures = (
                0
                if r.ok
                else 1
                + (
                    con.execute(
                        "SELECT coalesce(max(consecutive_failures), 0) FROM sources WHERE url = ?", [r.url]
                    ).fetchall()[0][0]
                )
            )
            pause = backoff_for(failures)
            con.execute(
                """INSERT INTO sources (url, kind, first_seen_at, last_attempt_at, last_ok_at, last_status, items_last,
                                        consecutive_failures, next_attempt_after)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (url) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
                     last_ok_at = coalesce(excluded.last_ok_at, sources.last_ok_at),
                     last_status = excluded.last_status, items_last = excluded.items_last,
                     consecutive_failures = excluded.consecutive_failures,
                     next_attempt_after = excluded.next_attempt_after""",
                [
                    r.url,
                    r.kind,
                    at,
                    at,
                    at if r.ok else None,
                    ("not_modified" if r.not_modified else "ok") if r.ok else r.reason,
                    r.items,
                    failures,
                    at + pause if pause else None,
                ],
            )
            if r.ok:
                con.execute(
                    """INSERT INTO http_cache VALUES (?, ?, ?, ?, ?)
                       ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                         body_hash = excluded.body_hash, checked_at = excluded.checked_at""",
                    [r.url, r.etag, r.last_modified, r.body_hash, at],
                )
    return added


def pending_candidates(con: duckdb.DuckDBPyConnection, limit: int, tried: Sequence[str] = ()) -> list[Candidate]:
    """Candidates still to fetch, oldest first, leaving out those this run already tried."""
    rows = con.execute(
        """SELECT url, discovered_url, source_url, kind, title, published, seen_at, outlet, outlet_url, language, via
           FROM candidates
           WHERE status = 'discovered' AND url NOT IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY discovered_at, url LIMIT ?""",
        [list(tried), limit],
    ).fetchall()
    return [Candidate(*r) for r in rows]


def known_links(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Aggregator links already resolved (or dropped as undecodable): never decoded again."""
    rows = con.execute(
        "SELECT via FROM candidates WHERE via IS NOT NULL UNION SELECT discovered_url FROM candidates WHERE kind = 'news_search'"
    ).fetchall()
    return {r[0] for r in rows}


def record_page_failures(con: duckdb.DuckDBPyConnection, failures: Iterable[Failure], max_attempts: int) -> None:
    """Terminal failures drop the candidate; transient ones count an attempt, and give up at the limit."""
    for f in failures:
        if f.stage not in ("fetch", "extract") or not f.url:
            continue
        if f.terminal:
            con.execute(
                "UPDATE candidates SET status = 'dropped', attempts = attempts + 1, last_error = ? WHERE discovered_url = ?",
                [f.reason, f.url],
            )
        else:
            con.execute(
                """UPDATE candidates SET attempts = attempts + 1, last_error = ?,
                   status = CASE WHEN attempts + 1 >= ? THEN 'dropped' ELSE status END
                   WHERE discovered_url = ?""",
                [f.reason, max_attempts, f.url],
            )


def last_request_starts(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """When each host was last asked (within the last hour: older starts constrain nothing)."""
    rows = con.execute(
        "SELECT host, max(started_at) FROM fetch_log WHERE started_at > now() - INTERVAL 1 HOUR GROUP BY host"
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def record_attempts(con: duckdb.DuckDBPyConnection, run_id: str, attempts: Sequence[object]) -> None:
    if attempts:
        con.executemany(
            "INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [run_id, a.url, a.host, a.purpose, a.attempt, a.status, a.bytes, a.elapsed_ms, a.error, a.started_at]  # type: ignore[attr-defined]
                for a in attempts
            ],
        )
