"""`drainwatch status`: recent runs, the next scheduled run, queued alerts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cronsim import CronSim

from core.topic import load_topic

from .output import render
from .query_cmd import run_query

RECENT_RUNS = """
SELECT strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_utc,
       round(epoch(finished_at) - epoch(started_at), 1) AS seconds, status,
       articles_new AS new_articles, findings_new AS new_findings, alerts_sent,
       sources_failed + pages_failed AS errors
FROM runs ORDER BY started_at DESC LIMIT 10
"""
QUEUED = "SELECT count(*) FILTER (WHERE sent_at IS NULL), count(*) FROM alerts"


def next_run(cron: str, tz: str, now: datetime | None = None) -> datetime:
    zone = ZoneInfo(tz)
    start = (now or datetime.now(UTC)).astimezone(zone).replace(tzinfo=None, microsecond=0)
    return next(CronSim(cron, start)).replace(tzinfo=zone)


def status_text(db: Path, topic_file: str) -> str:
    topic = load_topic(topic_file)
    runs = run_query(db, RECENT_RUNS)
    queued, total = run_query(db, QUEUED).rows[0]
    lines = [f"topic: {topic.name} ({topic.path})", f"database: {db}"]
    if runs.note:
        lines.append(f"note: {runs.note}")
    lines += ["", "last runs:", render(runs.columns, runs.rows, "table").rstrip()]
    lines.append(
        f"\nnext scheduled run: {next_run(topic.schedule.cron, topic.schedule.timezone):%Y-%m-%d %H:%M %Z} "
        f"(cron {topic.schedule.cron!r}, when served with `drainwatch serve`)"
    )
    lines.append(f"alerts: {queued} queued, {total - queued} sent")
    return "\n".join(lines) + "\n"
