"""The alert outbox: findings waiting for an alert, alerts queued, sent, failed.

An alert row (with the whole message) is written before sending and marked sent only
after delivery; each finding belongs to one alert, ever, so nothing is alerted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from .db import transaction
from .store import now


@dataclass(frozen=True, slots=True)
class SourceRef:
    url: str
    outlet: str | None
    title: str | None
    published: str | None
    sentence: str
    speaker: str | None
    period: str | None


@dataclass(frozen=True, slots=True)
class FindingForAlert:
    finding_id: str
    metric: str
    unit: str
    value: float
    low: float | None
    high: float | None
    qualifier: str
    speaker: str | None
    comparison: str
    baseline_value: float | None
    relative_change: float | None
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, slots=True)
class QueuedAlert:
    alert_id: str
    subject: str
    message_id: str
    recipients: tuple[str, ...]
    message: bytes
    created_at: datetime
    attempts: int


def findings_to_alert(
    con: duckdb.DuckDBPyConnection,
    topic: str,
    metrics: Sequence[str],
    min_relative_change: float,
    min_outlets: int = 1,
) -> list[FindingForAlert]:
    """Findings of `metrics` not alerted yet that differ from the baseline enough, by metric
    and value; each with its sources, the earliest published first. Nothing here depends on
    the order in which the articles were fetched, so the same figures make the same digest."""
    rows = con.execute(
        """SELECT f.finding_id, f.metric, f.unit, f.value, f.low, f.high, f.qualifier, f.speaker, f.comparison,
                  f.baseline_value, f.relative_change
           FROM findings f
           WHERE f.topic = ? AND f.metric IN (SELECT unnest(?::VARCHAR[]))
             AND f.finding_id NOT IN (SELECT finding_id FROM alert_findings)
             AND f.comparison <> 'same'
             AND (f.comparison = 'new_metric' OR abs(f.relative_change) >= ?)
             AND (SELECT count(DISTINCT coalesce(a.outlet, a.canonical_url)) FROM figures g JOIN articles a USING (article_id)
                  WHERE g.finding_id = f.finding_id) >= ?
           ORDER BY f.metric, f.value, f.finding_id""",
        [topic, list(metrics), min_relative_change, min_outlets],
    ).fetchall()
    out = []
    for r in rows:
        refs = con.execute(
            """SELECT a.canonical_url, a.outlet, a.title, CAST(a.published AS VARCHAR), g.sentence, g.speaker, g.period
               FROM figures g JOIN articles a USING (article_id)
               WHERE g.finding_id = ? ORDER BY a.published NULLS LAST, a.canonical_url, g.figure_id""",
            [r[0]],
        ).fetchall()
        out.append(FindingForAlert(*r, sources=tuple(SourceRef(*x) for x in refs)))  # type: ignore[misc]  # r has the 11 columns before sources
    return out


def queue_alert(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    alert_id: str,
    subject: str,
    message_id: str,
    recipients: Sequence[str],
    message: bytes,
    finding_ids: Sequence[str],
) -> bool:
    """Queue one alert for `finding_ids`; False when they were queued already (a rerun)."""
    with transaction(con):
        if con.execute("SELECT 1 FROM alerts WHERE alert_id = ?", [alert_id]).fetchall():
            return False
        con.execute(
            "INSERT INTO alerts (alert_id, run_id, created_at, subject, message_id, recipients, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [alert_id, run_id, now(), subject, message_id, ", ".join(recipients), message.decode("utf-8")],
        )
        con.executemany("INSERT INTO alert_findings VALUES (?, ?)", [[fid, alert_id] for fid in finding_ids])
    return True


def alerted_today(con: duckdb.DuckDBPyConnection, topic: str) -> bool:
    """Whether a digest for `topic` was already queued this UTC day (for digest = "daily")."""
    rows = con.execute(
        """SELECT 1 FROM alerts al JOIN alert_findings af USING (alert_id) JOIN findings f USING (finding_id)
           WHERE f.topic = ? AND CAST(timezone('UTC', al.created_at) AS DATE) = CAST(timezone('UTC', now()) AS DATE)
           LIMIT 1""",
        [topic],
    ).fetchall()
    return bool(rows)


def queued_alerts(con: duckdb.DuckDBPyConnection) -> list[QueuedAlert]:
    rows = con.execute(
        "SELECT alert_id, subject, message_id, recipients, message, created_at, attempts FROM alerts WHERE sent_at IS NULL ORDER BY created_at"
    ).fetchall()
    return [
        QueuedAlert(r[0], r[1], r[2], tuple(a.strip() for a in r[3].split(",")), r[4].encode("utf-8"), r[5], r[6])
        for r in rows
    ]


def mark_sent(con: duckdb.DuckDBPyConnection, alert_id: str, transport: str) -> None:
    with transaction(con):
        con.execute(
            "UPDATE alerts SET sent_at = ?, transport = ?, attempts = attempts + 1, last_error = NULL WHERE alert_id = ?",
            [now(), transport, alert_id],
        )


def mark_failed(con: duckdb.DuckDBPyConnection, alert_id: str, error: str) -> None:
    with transaction(con):
        con.execute("UPDATE alerts SET attempts = attempts + 1, last_error = ? WHERE alert_id = ?", [error, alert_id])
